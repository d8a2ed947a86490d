package assign

import (
	"errors"
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/edit"
	"territoria/engine/geo"
)

// ErrStructural is returned by Apply for an edit that creates or deletes
// nodes: the alignment must be recomputed (Compute) over the edited scenario.
var ErrStructural = errors.New("assign: the edit changes the hierarchy; recompute the alignment")

// LockError says why an edit was refused: it would change a locked
// territory, unit or account.
type LockError struct {
	What string // "territory", "unit" or "account"
	ID   string
	Name string
}

func (e *LockError) Error() string {
	if e.Name != "" && e.Name != e.ID {
		return fmt.Sprintf("%s %s (%s) is locked", e.What, e.ID, e.Name)
	}
	return fmt.Sprintf("%s %s is locked", e.What, e.ID)
}

// UnitIndex returns the index of the unit with the given id, or NoIndex.
func (st *State) UnitIndex(id string) int32 {
	if st.unitIdx == nil {
		st.unitIdx = make(map[string]int32, len(st.plan.Units))
		for i := range st.plan.Units {
			st.unitIdx[st.plan.Units[i].ID] = int32(i)
		}
	}
	if i, ok := st.unitIdx[id]; ok {
		return i
	}
	return engine.NoIndex
}

// AccountIndex returns the index of the account with the given id, or NoIndex.
func (st *State) AccountIndex(id string) int32 {
	if st.accountIdx == nil {
		st.accountIdx = make(map[string]int32, len(st.plan.Accounts))
		for i := range st.plan.Accounts {
			st.accountIdx[st.plan.Accounts[i].ID] = int32(i)
		}
	}
	if i, ok := st.accountIdx[id]; ok {
		return i
	}
	return engine.NoIndex
}

// UnitLocked and AccountLocked report the locks of a unit and an account.
func (st *State) UnitLocked(u int32) bool { return st.lockedUnit[u] }

// AccountLocked reports whether account a is locked.
func (st *State) AccountLocked(a int32) bool { return st.lockedAccount[a] }

// terrLocked reports whether territory t (or NoIndex) is locked.
func (st *State) terrLocked(t int32) bool { return t != engine.NoIndex && st.Nodes[t].Locked }

func (st *State) terrLockErr(t int32) error {
	return &LockError{What: "territory", ID: st.Nodes[t].ID, Name: st.Nodes[t].Name}
}

// CheckLocks returns a *LockError when d, the delta of edit e, changed
// anything locked: a locked unit or account, a unit or account entering or
// leaving a locked territory, a locked territory's record or area (changing
// only its lock is allowed). Locks are judged as they were before the edit,
// so an edit that locks something is not refused by its own lock.
func (st *State) CheckLocks(e edit.Edit, d Delta) error {
	wasLocked := map[string]bool{}
	for _, n := range e.Nodes {
		if n.Before != nil {
			wasLocked[n.ID] = n.Before.Locked
		}
	}
	locked := func(t int32) bool {
		if t == engine.NoIndex {
			return false
		}
		if l, ok := wasLocked[st.Nodes[t].ID]; ok {
			return l
		}
		return st.Nodes[t].Locked
	}
	unitWas := map[int32]bool{}
	for _, l := range e.UnitLocks {
		if u := st.UnitIndex(l.ID); u != engine.NoIndex {
			unitWas[u] = !l.Locked
		}
	}
	acctWas := map[int32]bool{}
	for _, l := range e.AccountLocks {
		if a := st.AccountIndex(l.ID); a != engine.NoIndex {
			acctWas[a] = !l.Locked
		}
	}
	for _, n := range e.Nodes {
		if n.Before == nil || n.After == nil || !n.Before.Locked {
			continue
		}
		b, a := *n.Before, *n.After
		b.Locked, a.Locked = false, false
		if !b.Equal(a) {
			return &LockError{What: "territory", ID: n.ID, Name: n.Before.Name}
		}
	}
	for _, c := range d.Units {
		u := c.Index
		was := st.lockedUnit[u]
		if w, ok := unitWas[u]; ok {
			was = w
		}
		if was {
			return &LockError{What: "unit", ID: st.plan.Units[u].ID, Name: st.plan.Units[u].Name}
		}
		for _, t := range []int32{c.From, c.To} {
			if locked(t) {
				return st.terrLockErr(t)
			}
		}
	}
	for _, c := range d.Overrides {
		a := c.Index
		was := st.lockedAccount[a]
		if w, ok := acctWas[a]; ok {
			was = w
		}
		if was {
			return &LockError{What: "account", ID: st.plan.Accounts[a].ID, Name: st.plan.Accounts[a].Name}
		}
	}
	for _, c := range d.Accounts {
		for _, t := range []int32{c.From, c.To} {
			if locked(t) {
				return st.terrLockErr(t)
			}
		}
	}
	return nil
}

// Apply plays edit e on the alignment and returns what changed. It returns
// ErrStructural, changing nothing, for an edit that creates or deletes
// nodes. Locks are not checked here (see ApplyChecked): undo and redo replay
// edits that were allowed when made.
func (st *State) Apply(e edit.Edit) (Delta, error) {
	if e.Structural() {
		return Delta{}, ErrStructural
	}
	if err := st.checkEdit(e); err != nil {
		return Delta{}, err
	}
	var d Delta
	// Node records: parents, locks, names; polygons in one batch.
	polys := map[int32]orb.Polygon{}
	for _, n := range e.Nodes {
		t := st.index[n.ID]
		after := *n.After
		if !engine.PolygonEqual(st.Nodes[t].Polygon, after.Polygon) {
			polys[t] = after.Polygon.Clone()
		}
		after.Polygon = st.Nodes[t].Polygon
		if !st.Nodes[t].Equal(after) {
			if after.Parent != st.Nodes[t].Parent {
				st.Parent[t] = engine.NoIndex
				if after.Parent != "" {
					st.Parent[t] = st.index[after.Parent]
				}
			}
			st.Nodes[t] = after
			d.Nodes = appendOnce(d.Nodes, t)
		}
	}
	if len(polys) > 0 {
		pd := st.setPolygons(polys, nil)
		d.Accounts = append(d.Accounts, pd.Accounts...)
		d.Polygons = pd.Polygons
	}
	for _, m := range e.Units {
		st.setUnit(st.UnitIndex(m.ID), st.terr(m.To), &d)
	}
	for _, m := range e.Overrides {
		st.setOverride(st.AccountIndex(m.ID), st.terr(m.To), &d)
	}
	for _, l := range e.UnitLocks {
		st.lockedUnit[st.UnitIndex(l.ID)] = l.Locked
	}
	for _, l := range e.AccountLocks {
		st.lockedAccount[st.AccountIndex(l.ID)] = l.Locked
	}
	return d, nil
}

// ApplyChecked plays e like Apply and then checks locks (CheckLocks): a
// refused edit is undone and its *LockError returned.
func (st *State) ApplyChecked(e edit.Edit) (Delta, error) {
	d, err := st.Apply(e)
	if err != nil {
		return Delta{}, err
	}
	if lerr := st.CheckLocks(e, d); lerr != nil {
		if _, err := st.Apply(e.Inverse()); err != nil {
			return Delta{}, fmt.Errorf("assign: cannot take back a refused edit: %w (refused because %v)", err, lerr)
		}
		return Delta{}, lerr
	}
	return d, nil
}

func (st *State) terr(id string) int32 {
	if id == "" {
		return engine.NoIndex
	}
	return st.index[id]
}

// checkEdit makes sure every id in e is known, and that node changes keep
// the hierarchy valid, before anything changes.
func (st *State) checkEdit(e edit.Edit) error {
	known := func(id string) bool { _, ok := st.index[id]; return id == "" || ok }
	parent := slices.Clone(st.Parent)
	for _, n := range e.Nodes {
		t, ok := st.index[n.ID]
		if !ok {
			return fmt.Errorf("assign: unknown territory %q", n.ID)
		}
		if n.After.Kind != st.Nodes[t].Kind {
			return fmt.Errorf("assign: %q cannot change from %s to %s", n.ID, st.Nodes[t].Kind, n.After.Kind)
		}
		if len(n.After.Polygon) > 0 && n.After.Kind != engine.KindTerritory {
			return fmt.Errorf("assign: %s %q cannot have a drawn area; only territories hold accounts", n.After.Kind, n.ID)
		}
		if !known(n.After.Parent) {
			return fmt.Errorf("assign: %q has unknown parent %q", n.ID, n.After.Parent)
		}
		parent[t] = st.terr(n.After.Parent)
	}
	for i := range parent {
		n := int32(i)
		for steps := 0; n != engine.NoIndex; steps++ {
			if steps > len(parent) {
				return fmt.Errorf("assign: %q would become its own ancestor", st.Nodes[i].ID)
			}
			n = parent[n]
		}
	}
	for _, m := range e.Units {
		if st.UnitIndex(m.ID) == engine.NoIndex {
			return fmt.Errorf("assign: unknown unit %q", m.ID)
		}
		if err := st.checkTerrID(m.To); err != nil {
			return err
		}
	}
	for _, m := range e.Overrides {
		if st.AccountIndex(m.ID) == engine.NoIndex {
			return fmt.Errorf("assign: unknown account %q", m.ID)
		}
		if err := st.checkTerrID(m.To); err != nil {
			return err
		}
	}
	for _, l := range e.UnitLocks {
		if st.UnitIndex(l.ID) == engine.NoIndex {
			return fmt.Errorf("assign: unknown unit %q", l.ID)
		}
	}
	for _, l := range e.AccountLocks {
		if st.AccountIndex(l.ID) == engine.NoIndex {
			return fmt.Errorf("assign: unknown account %q", l.ID)
		}
	}
	return nil
}

func (st *State) checkTerrID(id string) error {
	if id == "" {
		return nil
	}
	t, ok := st.index[id]
	if !ok {
		return fmt.Errorf("assign: unknown territory %q", id)
	}
	return st.checkTerr(t)
}

func appendOnce(s []int32, v int32) []int32 {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// SetPolygons replaces the free-drawn polygons of several territories at
// once (an empty polygon removes one) and returns what changed. Only
// accounts inside the given region boxes are re-examined; with no region,
// the boxes of each territory's old and new polygon are used. A vertex drag
// passes the boxes its moved segments swept, so a step costs time in
// proportion to the accounts near the moved border.
func (st *State) SetPolygons(polys map[int32]orb.Polygon, region []orb.Bound) (Delta, error) {
	for t := range polys {
		if t == engine.NoIndex {
			return Delta{}, fmt.Errorf("assign: a polygon needs a territory")
		}
		if err := st.checkTerr(t); err != nil {
			return Delta{}, err
		}
	}
	return st.setPolygons(polys, region), nil
}

func (st *State) setPolygons(polys map[int32]orb.Polygon, region []orb.Bound) Delta {
	var d Delta
	changed := make([]int32, 0, len(polys))
	for t := range polys {
		changed = append(changed, t)
	}
	slices.Sort(changed)
	if region == nil {
		for _, t := range changed {
			region = append(region, changedRegion(st.Nodes[t].Polygon, polys[t])...)
		}
	}
	all := st.drawnAreas()
	var areas []drawnArea // the changed ones, in order
	for _, t := range changed {
		st.Nodes[t].Polygon = polys[t]
		d.Polygons = append(d.Polygons, t)
		i, found := slices.BinarySearchFunc(all, t, func(x drawnArea, t int32) int { return int(x.t - t) })
		p := polys[t]
		switch {
		case len(p) == 0 || len(p[0]) == 0:
			if found {
				all = slices.Delete(all, i, i+1)
			}
		case found:
			all[i] = drawnArea{t, p.Bound(), p}
		default:
			all = slices.Insert(all, i, drawnArea{t, p.Bound(), p})
		}
		if len(p) > 0 && len(p[0]) > 0 {
			areas = append(areas, drawnArea{t, p.Bound(), p})
		}
	}
	st.areas = all
	if len(region) == 0 || len(st.plan.Accounts) == 0 {
		return d
	}
	if st.grid == nil {
		st.grid = newPointGrid(st.plan.Accounts)
	}
	isChanged := func(t int32) bool { _, ok := polys[t]; return ok }
	seen := map[int32]bool{}
	for _, b := range region {
		st.grid.each(st.plan.Accounts, b, func(a int32) {
			if seen[a] {
				return
			}
			seen[a] = true
			pt := st.plan.Accounts[a].Loc
			old := st.drawn[a]
			var now int32
			switch {
			case old != engine.NoIndex && !isChanged(old):
				// Still inside old; only an earlier changed area can take it.
				if now = firstArea(areas, pt, old); now == engine.NoIndex {
					now = old
				}
			default:
				now = firstArea(areas, pt, engine.NoIndex)
				if old != engine.NoIndex && (now == engine.NoIndex || now > old) {
					// It left a changed area: an unchanged one may hold it.
					now = firstArea(st.areas, pt, engine.NoIndex)
				}
			}
			st.drawn[a] = now
			st.refresh(a, &d)
		})
	}
	return d
}

// drawnArea is a territory's free-drawn polygon with its bounds.
type drawnArea struct {
	t     int32
	bound orb.Bound
	poly  orb.Polygon
}

// drawnAreas returns every free-drawn area in territory order, building the
// cache on first use.
func (st *State) drawnAreas() []drawnArea {
	if st.areas == nil {
		st.areas = []drawnArea{}
		for t := range st.Nodes {
			if p := st.Nodes[t].Polygon; len(p) > 0 && len(p[0]) > 0 {
				st.areas = append(st.areas, drawnArea{int32(t), p.Bound(), p})
			}
		}
	}
	return st.areas
}

// firstArea returns the first area (in territory order, before limit unless
// limit is NoIndex) containing pt, or NoIndex.
func firstArea(areas []drawnArea, pt orb.Point, limit int32) int32 {
	for i := range areas {
		if limit != engine.NoIndex && areas[i].t >= limit {
			break
		}
		b := &areas[i].bound
		if pt[0] < b.Min[0] || pt[0] > b.Max[0] || pt[1] < b.Min[1] || pt[1] > b.Max[1] {
			continue
		}
		if geo.PolygonContains(areas[i].poly, pt) {
			return areas[i].t
		}
	}
	return engine.NoIndex
}

// AccountsIn returns the accounts whose location lies inside ring (a lasso
// or box), ascending.
func (st *State) AccountsIn(ring orb.Ring) []int32 {
	if len(ring) < 3 || len(st.plan.Accounts) == 0 {
		return nil
	}
	if st.grid == nil {
		st.grid = newPointGrid(st.plan.Accounts)
	}
	r := ring
	if r[0] != r[len(r)-1] {
		r = append(slices.Clone(r), r[0])
	}
	var out []int32
	st.grid.each(st.plan.Accounts, r.Bound(), func(a int32) {
		if geo.RingContains(r, st.plan.Accounts[a].Loc) {
			out = append(out, a)
		}
	})
	slices.Sort(out)
	return out
}

// UnitsIn returns the units whose label point lies inside ring, ascending.
func (st *State) UnitsIn(ring orb.Ring) []int32 {
	if len(ring) < 3 {
		return nil
	}
	r := ring
	if r[0] != r[len(r)-1] {
		r = append(slices.Clone(r), r[0])
	}
	b := r.Bound()
	var out []int32
	for u := range st.plan.Units {
		pt := st.plan.Units[u].Label
		if pt[0] < b.Min[0] || pt[0] > b.Max[0] || pt[1] < b.Min[1] || pt[1] > b.Max[1] {
			continue
		}
		if geo.RingContains(r, pt) {
			out = append(out, int32(u))
		}
	}
	return out
}

// changedRegion returns boxes covering the area between two outlines of a
// territory. When the outlines have the same rings of the same lengths (a
// vertex moved), only the boxes around the moved vertices and their
// neighbours, old and new; otherwise the bounds of both outlines.
func changedRegion(old, now orb.Polygon) []orb.Bound {
	same := len(old) == len(now)
	for i := 0; same && i < len(old); i++ {
		same = len(old[i]) == len(now[i])
	}
	if !same {
		var out []orb.Bound
		for _, p := range []orb.Polygon{old, now} {
			if len(p) > 0 && len(p[0]) > 0 {
				out = append(out, p.Bound())
			}
		}
		return out
	}
	var out []orb.Bound
	for i := range old {
		a, b := old[i], now[i]
		n := len(a)
		closed := n > 1 && a[0] == a[n-1] && b[0] == b[n-1]
		m := n // distinct vertices
		if closed {
			m = n - 1
		}
		at := func(r orb.Ring, j int) orb.Point {
			if closed {
				return r[((j%m)+m)%m]
			}
			return r[min(max(j, 0), n-1)]
		}
		for j := 0; j < m; j++ {
			if a[j] == b[j] && (!closed || j != 0 || a[n-1] == b[n-1]) {
				continue
			}
			box := orb.Bound{Min: a[j], Max: a[j]}
			for _, q := range []orb.Point{b[j], at(a, j-1), at(a, j+1), at(b, j-1), at(b, j+1)} {
				box = box.Extend(q)
			}
			out = append(out, box)
		}
	}
	return out
}

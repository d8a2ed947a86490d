package assign

import (
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// State is the alignment of one scenario over a plan: the territory of every
// unit and every account, by dense indexes.
//
// An account belongs to, in order of precedence: the territory it is
// overridden to (Scenario.AccountTerritory), the first territory (in
// Scenario.Territories order) whose free-drawn Polygon contains it, the
// territory of its unit, or none (NoIndex).
//
// A State refers to the plan it was computed from and must be recomputed
// when the plan's accounts or units change. It is not safe for concurrent
// use while being edited.
type State struct {
	plan *engine.Plan
	// Nodes is a copy of the scenario's territories (all kinds), in scenario
	// order; a territory index is an index into Nodes.
	Nodes []engine.Territory
	// Parent[i] is the index of the parent node of Nodes[i], or NoIndex.
	Parent []int32
	// UnitTerr[u] is the territory index of unit u, or NoIndex.
	UnitTerr []int32
	// AccountTerr[a] is the territory index of account a, or NoIndex.
	AccountTerr []int32

	index    map[string]int32
	override []int32 // per account: override territory or NoIndex
	drawn    []int32 // per account: territory whose polygon contains it or NoIndex
	// Accounts of unit u are byUnit[unitStart[u]:unitStart[u+1]].
	unitStart []int32
	byUnit    []int32

	lockedUnit    []bool
	lockedAccount []bool
	unitIdx       map[string]int32 // built on first use
	accountIdx    map[string]int32 // built on first use
	grid          *pointGrid       // built on first polygon edit
	areas         []drawnArea      // free-drawn areas in territory order; built on first use
}

// Change is one element changing territory: Index is a unit or account
// index, From and To territory indexes (NoIndex for none).
type Change struct {
	Index, From, To int32
}

// Delta lists what an edit changed, in the order the changes were made.
// The same index may appear more than once; each change's From is the value
// just before it, so applying the changes in order is always correct.
type Delta struct {
	// Units whose territory changed.
	Units []Change
	// Accounts whose territory changed.
	Accounts []Change
	// Overrides lists accounts whose override changed (From and To are
	// override territories, NoIndex for none); it lets Revert undo an edit.
	Overrides []Change
	// Polygons lists territories whose free-drawn polygon changed (each
	// once), so that shape figures can be refreshed.
	Polygons []int32
	// Nodes lists nodes whose record changed other than by polygon (rep,
	// parent, name, colour, lock), each once, so that figures depending on
	// them (rep capacity, roll-ups) can be refreshed.
	Nodes []int32
}

// Empty reports whether d records no change.
func (d Delta) Empty() bool {
	return len(d.Units) == 0 && len(d.Accounts) == 0 && len(d.Overrides) == 0 && len(d.Polygons) == 0 && len(d.Nodes) == 0
}

// Compute builds the alignment of scenario s over plan p. Account.Unit must
// be set (see LocateAccounts). It returns an error naming what is wrong when
// the scenario refers to unknown territories, units or accounts, places a
// unit or account in a node that is not a territory, or has an invalid
// hierarchy (duplicate ids, unknown parents, cycles).
func Compute(p *engine.Plan, s *engine.Scenario) (*State, error) {
	if p == nil || s == nil {
		return nil, fmt.Errorf("assign: nil plan or scenario")
	}
	st := &State{plan: p, Nodes: slices.Clone(s.Territories)}
	if err := st.indexNodes(s); err != nil {
		return nil, err
	}
	nu, na := len(p.Units), len(p.Accounts)

	st.UnitTerr = make([]int32, nu)
	for i := range st.UnitTerr {
		st.UnitTerr[i] = engine.NoIndex
	}
	if len(s.UnitTerritory) > 0 {
		unitIdx := make(map[string]int32, nu)
		for i := range p.Units {
			unitIdx[p.Units[i].ID] = int32(i)
		}
		var unknownUnits, unknownTerr, notTerr []string
		for uid, tid := range s.UnitTerritory {
			u, ok := unitIdx[uid]
			if !ok {
				unknownUnits = append(unknownUnits, uid)
				continue
			}
			t, ok := st.index[tid]
			switch {
			case !ok:
				unknownTerr = append(unknownTerr, tid)
			case st.Nodes[t].Kind != engine.KindTerritory:
				notTerr = append(notTerr, tid)
			default:
				st.UnitTerr[u] = t
			}
		}
		if err := listErr(s, "unknown territory ids in unit assignments", unknownTerr); err != nil {
			return nil, err
		}
		if err := listErr(s, "units assigned to nodes that are not territories", notTerr); err != nil {
			return nil, err
		}
		if err := listErr(s, "unknown unit ids in unit assignments", unknownUnits); err != nil {
			return nil, err
		}
	}

	st.override = make([]int32, na)
	for i := range st.override {
		st.override[i] = engine.NoIndex
	}
	if len(s.AccountTerritory) > 0 {
		// Look every account up in the (usually small) override map rather
		// than indexing a million account ids.
		var unknownTerr, notTerr []string
		found := make(map[string]bool, len(s.AccountTerritory))
		for a := range p.Accounts {
			aid := p.Accounts[a].ID
			tid, ok := s.AccountTerritory[aid]
			if !ok {
				continue
			}
			found[aid] = true
			t, ok := st.index[tid]
			switch {
			case !ok:
				unknownTerr = append(unknownTerr, tid)
			case st.Nodes[t].Kind != engine.KindTerritory:
				notTerr = append(notTerr, tid)
			default:
				st.override[a] = t
			}
		}
		var unknownAcc []string
		if len(found) < len(s.AccountTerritory) {
			for aid := range s.AccountTerritory {
				if !found[aid] {
					unknownAcc = append(unknownAcc, aid)
				}
			}
		}
		if err := listErr(s, "unknown territory ids in account overrides", unknownTerr); err != nil {
			return nil, err
		}
		if err := listErr(s, "accounts overridden to nodes that are not territories", notTerr); err != nil {
			return nil, err
		}
		if err := listErr(s, "unknown account ids in account overrides", unknownAcc); err != nil {
			return nil, err
		}
	}

	st.drawn = make([]int32, na)
	for i := range st.drawn {
		st.drawn[i] = engine.NoIndex
	}
	st.drawAll(all(na))

	// Accounts by unit (counting sort).
	st.unitStart = make([]int32, nu+1)
	for i := range p.Accounts {
		u := p.Accounts[i].Unit
		if u == engine.NoIndex {
			continue
		}
		if u < 0 || int(u) >= nu {
			return nil, fmt.Errorf("assign: account %q has unit index %d, want NoIndex or 0..%d (locate accounts after changing units)", p.Accounts[i].ID, u, nu-1)
		}
		st.unitStart[u+1]++
	}
	for u := 0; u < nu; u++ {
		st.unitStart[u+1] += st.unitStart[u]
	}
	st.byUnit = make([]int32, st.unitStart[nu])
	next := append([]int32(nil), st.unitStart[:nu]...)
	for i := range p.Accounts {
		if u := p.Accounts[i].Unit; u != engine.NoIndex {
			st.byUnit[next[u]] = int32(i)
			next[u]++
		}
	}

	st.AccountTerr = make([]int32, na)
	for a := range st.AccountTerr {
		st.AccountTerr[a] = st.resolve(int32(a))
	}
	st.lockedUnit = make([]bool, nu)
	if len(s.LockedUnits) > 0 {
		for u := range p.Units {
			st.lockedUnit[u] = s.LockedUnits[p.Units[u].ID]
		}
	}
	st.lockedAccount = make([]bool, na)
	if len(s.LockedAccounts) > 0 {
		for a := range p.Accounts {
			st.lockedAccount[a] = s.LockedAccounts[p.Accounts[a].ID]
		}
	}
	return st, nil
}

// indexNodes checks the hierarchy and fills index and Parent.
func (st *State) indexNodes(s *engine.Scenario) error {
	st.index = make(map[string]int32, len(s.Territories))
	for i, t := range s.Territories {
		if t.ID == "" {
			return fmt.Errorf("assign: scenario %q: territory %d (%q) has an empty id", s.ID, i, t.Name)
		}
		if _, dup := st.index[t.ID]; dup {
			return fmt.Errorf("assign: scenario %q: duplicate territory id %q", s.ID, t.ID)
		}
		switch t.Kind {
		case engine.KindRegion, engine.KindDistrict, engine.KindTerritory:
		default:
			return fmt.Errorf("assign: scenario %q: territory %q has unknown kind %q (want region, district or territory)", s.ID, t.ID, t.Kind)
		}
		if len(t.Polygon) > 0 && t.Kind != engine.KindTerritory {
			return fmt.Errorf("assign: scenario %q: %s %q has a polygon; only territories hold accounts", s.ID, t.Kind, t.ID)
		}
		st.index[t.ID] = int32(i)
	}
	st.Parent = make([]int32, len(s.Territories))
	for i, t := range s.Territories {
		st.Parent[i] = engine.NoIndex
		if t.Parent == "" {
			continue
		}
		p, ok := st.index[t.Parent]
		if !ok {
			return fmt.Errorf("assign: scenario %q: territory %q has unknown parent %q", s.ID, t.ID, t.Parent)
		}
		st.Parent[i] = p
	}
	for i := range st.Parent {
		n := int32(i)
		for steps := 0; n != engine.NoIndex; steps++ {
			if steps > len(st.Parent) {
				return fmt.Errorf("assign: scenario %q: territory %q is its own ancestor", s.ID, s.Territories[i].ID)
			}
			n = st.Parent[n]
		}
	}
	return nil
}

func listErr(s *engine.Scenario, what string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	more := ""
	if len(ids) > 5 {
		more = fmt.Sprintf(" and %d more", len(ids)-5)
		ids = ids[:5]
	}
	return fmt.Errorf("assign: scenario %q: %s: %q%s", s.ID, what, strings.Join(ids, `", "`), more)
}

func all(n int) func(func(int32)) {
	return func(f func(int32)) {
		for i := 0; i < n; i++ {
			f(int32(i))
		}
	}
}

// drawAll sets drawn[a] for the accounts a yielded by each to the first
// territory whose polygon contains the account, or NoIndex. The polygons
// are indexed on a grid (areaGrid), so each account is tested only against
// the polygons whose bounds overlap its cell.
func (st *State) drawAll(each func(func(int32))) {
	var areas []drawnArea
	for t := range st.Nodes {
		if poly := st.Nodes[t].Polygon; len(poly) > 0 {
			areas = append(areas, drawnArea{int32(t), poly.Bound(), poly})
		}
	}
	g := newAreaGrid(areas, len(st.plan.Accounts))
	accts := st.plan.Accounts
	each(func(a int32) {
		st.drawn[a] = g.first(accts[a].Loc)
	})
}

// resolve is the territory of account a by the precedence rule.
func (st *State) resolve(a int32) int32 {
	if t := st.override[a]; t != engine.NoIndex {
		return t
	}
	if t := st.drawn[a]; t != engine.NoIndex {
		return t
	}
	if u := st.plan.Accounts[a].Unit; u != engine.NoIndex {
		return st.UnitTerr[u]
	}
	return engine.NoIndex
}

// Plan returns the plan the state was computed over.
func (st *State) Plan() *engine.Plan { return st.plan }

// Node returns the index of the node with the given id, or NoIndex.
func (st *State) Node(id string) int32 {
	if t, ok := st.index[id]; ok {
		return t
	}
	return engine.NoIndex
}

// UnitAccounts returns the indexes of the accounts located in unit u (by
// Account.Unit), ascending. The slice must not be modified.
func (st *State) UnitAccounts(u int32) []int32 {
	return st.byUnit[st.unitStart[u]:st.unitStart[u+1]]
}

// Override returns the territory account a is overridden to, or NoIndex.
func (st *State) Override(a int32) int32 { return st.override[a] }

// Drawn returns the territory whose free-drawn polygon holds account a, or NoIndex.
func (st *State) Drawn(a int32) int32 { return st.drawn[a] }

func (st *State) checkTerr(terr int32) error {
	if terr == engine.NoIndex {
		return nil
	}
	if terr < 0 || int(terr) >= len(st.Nodes) {
		return fmt.Errorf("assign: territory index %d out of range 0..%d", terr, len(st.Nodes)-1)
	}
	if k := st.Nodes[terr].Kind; k != engine.KindTerritory {
		return fmt.Errorf("assign: %q is a %s; only territories hold units and accounts", st.Nodes[terr].ID, k)
	}
	return nil
}

// checkIndexes reports the first index outside 0..n-1.
func checkIndexes(what string, idx []int32, n int) error {
	for _, i := range idx {
		if i < 0 || int(i) >= n {
			return fmt.Errorf("assign: %s index %d out of range 0..%d", what, i, n-1)
		}
	}
	return nil
}

// MoveUnits assigns units to territory terr (NoIndex unassigns them) and
// returns what changed. Accounts that are overridden or inside a free-drawn
// polygon keep their territory. Only the moved units' accounts are visited.
// Nothing changes when an index is out of range or terr is not a territory.
func (st *State) MoveUnits(units []int32, terr int32) (Delta, error) {
	if err := st.checkTerr(terr); err != nil {
		return Delta{}, err
	}
	if err := checkIndexes("unit", units, len(st.UnitTerr)); err != nil {
		return Delta{}, err
	}
	var d Delta
	for _, u := range units {
		st.setUnit(u, terr, &d)
	}
	return d, nil
}

func (st *State) setUnit(u, terr int32, d *Delta) {
	from := st.UnitTerr[u]
	if from == terr {
		return
	}
	st.UnitTerr[u] = terr
	d.Units = append(d.Units, Change{u, from, terr})
	accs := st.UnitAccounts(u)
	d.Accounts = slices.Grow(d.Accounts, len(accs))
	for _, a := range accs {
		if st.override[a] != engine.NoIndex || st.drawn[a] != engine.NoIndex {
			continue
		}
		if old := st.AccountTerr[a]; old != terr {
			st.AccountTerr[a] = terr
			d.Accounts = append(d.Accounts, Change{a, old, terr})
		}
	}
}

// MoveAccounts overrides accounts into territory terr regardless of
// geography, and returns what changed. terr NoIndex removes the accounts'
// overrides, so they fall back to a drawn polygon or their unit.
func (st *State) MoveAccounts(accounts []int32, terr int32) (Delta, error) {
	if err := st.checkTerr(terr); err != nil {
		return Delta{}, err
	}
	if err := checkIndexes("account", accounts, len(st.AccountTerr)); err != nil {
		return Delta{}, err
	}
	var d Delta
	for _, a := range accounts {
		st.setOverride(a, terr, &d)
	}
	return d, nil
}

func (st *State) setOverride(a, terr int32, d *Delta) {
	from := st.override[a]
	if from == terr {
		return
	}
	st.override[a] = terr
	d.Overrides = append(d.Overrides, Change{a, from, terr})
	st.refresh(a, d)
}

// refresh recomputes the territory of account a and records a change.
func (st *State) refresh(a int32, d *Delta) {
	if t, old := st.resolve(a), st.AccountTerr[a]; t != old {
		st.AccountTerr[a] = t
		d.Accounts = append(d.Accounts, Change{a, old, t})
	}
}

// SetPolygon replaces the free-drawn polygon of territory terr (an empty
// polygon removes it) and returns what changed. Only accounts inside the
// bounds of the old or new polygon are re-examined (see SetPolygons).
func (st *State) SetPolygon(terr int32, poly orb.Polygon) (Delta, error) {
	if terr == engine.NoIndex {
		return Delta{}, fmt.Errorf("assign: a polygon needs a territory")
	}
	if err := st.checkTerr(terr); err != nil {
		return Delta{}, err
	}
	return st.setPolygons(map[int32]orb.Polygon{terr: poly}, nil), nil
}

// Revert undoes the edit that produced d (which must be the latest edit not
// yet reverted) and returns the delta of the undo. Polygon edits are undone
// by SetPolygon with the previous polygon instead.
func (st *State) Revert(d Delta) (Delta, error) {
	for _, c := range d.Units {
		if c.Index < 0 || int(c.Index) >= len(st.UnitTerr) {
			return Delta{}, fmt.Errorf("assign: unit index %d out of range 0..%d", c.Index, len(st.UnitTerr)-1)
		}
		if err := st.checkTerr(c.From); err != nil {
			return Delta{}, err
		}
	}
	for _, c := range d.Overrides {
		if c.Index < 0 || int(c.Index) >= len(st.AccountTerr) {
			return Delta{}, fmt.Errorf("assign: account index %d out of range 0..%d", c.Index, len(st.AccountTerr)-1)
		}
		if err := st.checkTerr(c.From); err != nil {
			return Delta{}, err
		}
	}
	var r Delta
	for i := len(d.Units) - 1; i >= 0; i-- {
		st.setUnit(d.Units[i].Index, d.Units[i].From, &r)
	}
	for i := len(d.Overrides) - 1; i >= 0; i-- {
		st.setOverride(d.Overrides[i].Index, d.Overrides[i].From, &r)
	}
	return r, nil
}

// Scenario writes the alignment back into s: its territories (with any
// polygons changed by SetPolygon), unit assignments, account overrides and locks.
// Other fields of s are kept.
func (st *State) Scenario(s *engine.Scenario) {
	s.Territories = slices.Clone(st.Nodes)
	s.UnitTerritory = make(map[string]string)
	for u, t := range st.UnitTerr {
		if t != engine.NoIndex {
			s.UnitTerritory[st.plan.Units[u].ID] = st.Nodes[t].ID
		}
	}
	s.AccountTerritory = make(map[string]string)
	for a, t := range st.override {
		if t != engine.NoIndex {
			s.AccountTerritory[st.plan.Accounts[a].ID] = st.Nodes[t].ID
		}
	}
	s.LockedUnits, s.LockedAccounts = nil, nil
	for u, l := range st.lockedUnit {
		if l {
			if s.LockedUnits == nil {
				s.LockedUnits = map[string]bool{}
			}
			s.LockedUnits[st.plan.Units[u].ID] = true
		}
	}
	for a, l := range st.lockedAccount {
		if l {
			if s.LockedAccounts == nil {
				s.LockedAccounts = map[string]bool{}
			}
			s.LockedAccounts[st.plan.Accounts[a].ID] = true
		}
	}
}

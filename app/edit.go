package app

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/session"
	"territoria/engine/topo"
	"territoria/storage/planfile"
)

// EditService is the bound service for changing the active scenario: every
// method is one edit (one transaction, one undo step) or reads what editing
// needs. Reachable from the page as window.go.app.EditService.
type EditService struct{ p *PlanService }

// NewEditService returns the editing service over the plan service p.
func NewEditService(p *PlanService) *EditService { return &EditService{p: p} }

func init() { registerBinding(func(p *PlanService) any { return NewEditService(p) }) }

// editing returns the open plan, its view and active scenario for an edit,
// with the service lock held by the caller.
func (s *PlanService) editing() (*engine.Plan, *view, *engine.Scenario, error) {
	if err := s.writableLocked(); err != nil {
		return nil, nil, nil, err
	}
	p, v, err := s.current()
	if err != nil {
		return nil, nil, nil, err
	}
	sc := p.Scenario(s.active)
	if sc == nil {
		return nil, nil, nil, errors.New("the plan has no scenario to edit; create one first")
	}
	if v.sess.Dragging() != nil {
		return nil, nil, nil, session.ErrDragging
	}
	return p, v, sc, nil
}

// commitLocked applies e to the session, then records it in the plan file;
// when the file refuses, the session takes the edit back. The lock is held.
func (s *PlanService) commitLocked(e edit.Edit) (EditResult, error) {
	_, v, sc, err := s.editing()
	if err != nil {
		return EditResult{}, err
	}
	if e.Empty() {
		return s.resultLocked(e.Kind, session.Change{})
	}
	ch, err := v.sess.Apply(e)
	if err != nil {
		return EditResult{}, err
	}
	if _, err := s.file.ApplyEdit(sc.ID, e, s.cfg.now()); err != nil {
		if _, rerr := v.sess.Replay(e.Inverse()); rerr != nil {
			s.reloadLocked()
		}
		return EditResult{}, fmt.Errorf("cannot save the edit: %w", err)
	}
	s.changedLocked(ch)
	s.editedLocked(e.Kind)
	r, err := s.resultLocked(e.Kind, ch)
	r.UnitsChanged = unitsIn(e)
	return r, err
}

func (s *PlanService) editedLocked(kind string) {
	if f := s.wiring.OnEdit; f != nil {
		f(kind)
	}
}

// unitsIn counts the distinct units an edit moves.
func unitsIn(e edit.Edit) int {
	seen := map[string]bool{}
	for _, m := range e.Units {
		seen[m.ID] = true
	}
	return len(seen)
}

// changedLocked gives the alignment a new version after a change.
func (s *PlanService) changedLocked(ch session.Change) {
	d := ch.Delta
	if ch.Structural || ch.Settings || len(d.Units) > 0 || len(d.Accounts) > 0 || len(d.Polygons) > 0 || len(d.Nodes) > 0 {
		s.version++
		s.view.version = s.version
	}
}

// resultLocked describes the state after an edit of the given kind.
func (s *PlanService) resultLocked(kind string, ch session.Change) (EditResult, error) {
	v := s.view
	d := ch.Delta
	r := EditResult{Kind: kind, Version: v.version, Structure: ch.Structural || len(d.Nodes) > 0,
		Drawn: ch.Structural || len(d.Polygons) > 0, Settings: ch.Settings, Units: []UnitChange{}}
	if ch.Settings {
		v.baseline = nil // the baseline's figures follow the new assumptions
	}
	st := v.st()
	if ch.Structural {
		// Node indexes may have changed: send every unit.
		for u, t := range st.UnitTerr {
			r.Units = append(r.Units, UnitChange{Unit: u, Territory: t})
		}
	}
	seen := map[int32]bool{}
	for i := len(d.Units) - 1; i >= 0; i-- {
		c := d.Units[i]
		if !seen[c.Index] {
			seen[c.Index] = true
			r.Units = append(r.Units, UnitChange{Unit: int(c.Index), Territory: st.UnitTerr[c.Index]})
		}
	}
	moved := map[int32]bool{}
	for _, c := range d.Accounts {
		moved[c.Index] = true
	}
	r.AccountsMoved = len(moved)
	r.Rows = territoryRows(s.plan, v, s.baselineLocked())
	r.Balance = balanceView(v)
	r.Undo = s.undoStateLocked()
	return r, nil
}

func (s *PlanService) undoStateLocked() UndoState {
	h, err := s.file.HistoryState(s.active)
	if err != nil {
		return UndoState{}
	}
	return UndoState{CanUndo: h.Applied > 0, CanRedo: h.Undone > 0, UndoKind: h.UndoKind, RedoKind: h.RedoKind,
		UndoCount: h.Applied, RedoCount: h.Undone}
}

// ---- the edits -------------------------------------------------------------

func (e *EditService) commit(build func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error)) (EditResult, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, sc, err := s.editing()
	if err != nil {
		return EditResult{}, err
	}
	ed, err := build(p, v, sc)
	if err != nil {
		return EditResult{}, err
	}
	return s.commitLocked(ed)
}

// territoryIndex checks that id names a territory (not a district or
// region) of the state; "" is allowed when allowNone.
func territoryIndex(st *assign.State, id string, allowNone bool) (int32, error) {
	if id == "" {
		if allowNone {
			return engine.NoIndex, nil
		}
		return 0, errors.New("no territory given")
	}
	t := st.Node(id)
	if t == engine.NoIndex {
		return 0, fmt.Errorf("unknown territory %q", id)
	}
	if k := st.Nodes[t].Kind; k != engine.KindTerritory {
		return 0, fmt.Errorf("%q is a %s; only territories hold units and accounts", st.Nodes[t].Name, k)
	}
	return t, nil
}

func nodeID(st *assign.State, t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return st.Nodes[t].ID
}

// PaintUnits assigns units (by id) to a territory; "" unassigns them.
func (e *EditService) PaintUnits(unitIDs []string, territoryID string) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		if _, err := territoryIndex(v.st(), territoryID, true); err != nil {
			return edit.Edit{}, err
		}
		ed := edit.Edit{Kind: edit.KindPaint}
		seen := map[string]bool{}
		for _, id := range unitIDs {
			u := v.st().UnitIndex(id)
			if u == engine.NoIndex {
				return edit.Edit{}, fmt.Errorf("unknown unit %q", id)
			}
			if from := nodeID(v.st(), v.st().UnitTerr[u]); from != territoryID && !seen[id] {
				seen[id] = true
				ed.Units = append(ed.Units, edit.Move{ID: id, From: from, To: territoryID})
			}
		}
		return ed, nil
	})
}

// MoveAccounts overrides accounts into a territory regardless of geography;
// "" sends them back to their drawn area or unit.
func (e *EditService) MoveAccounts(accountIDs []string, territoryID string) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		if _, err := territoryIndex(v.st(), territoryID, true); err != nil {
			return edit.Edit{}, err
		}
		ed := edit.Edit{Kind: edit.KindMoveAccounts}
		seen := map[string]bool{}
		for _, id := range accountIDs {
			a := v.st().AccountIndex(id)
			if a == engine.NoIndex {
				return edit.Edit{}, fmt.Errorf("unknown account %q", id)
			}
			if from := nodeID(v.st(), v.st().Override(a)); from != territoryID && !seen[id] {
				seen[id] = true
				ed.Overrides = append(ed.Overrides, edit.Move{ID: id, From: from, To: territoryID})
			}
		}
		return ed, nil
	})
}

var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
	"#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#a0cbe8", "#ffbe7d", "#8cd17d", "#f1ce63"}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	_, err := strconv.ParseUint(c[1:], 16, 32)
	return err == nil
}

// nextNodeID returns an unused node id with the given prefix.
func nextNodeID(st *assign.State, prefix string) string {
	for n := len(st.Nodes) + 1; ; n++ {
		id := prefix + strconv.Itoa(n)
		if st.Node(id) == engine.NoIndex {
			return id
		}
	}
}

func unusedColor(st *assign.State) string {
	used := map[string]int{}
	for _, n := range st.Nodes {
		used[strings.ToLower(n.Color)]++
	}
	best := palette[0]
	for _, c := range palette {
		if used[c] < used[best] {
			best = c
		}
	}
	return best
}

func ringOf(pts [][2]float64) (orb.Ring, error) {
	var r orb.Ring
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return nil, fmt.Errorf("point %d (%v, %v) is not a longitude/latitude", i+1, p[0], p[1])
		}
		r = append(r, orb.Point{p[0], p[1]})
	}
	r = slices.CompactFunc(r, func(a, b orb.Point) bool { return a == b })
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	if len(r) < 3 {
		return nil, errors.New("an area needs at least three distinct points")
	}
	return append(r, r[0]), nil
}

// snapArea snaps a drawn ring onto the borders of the existing drawn areas
// so that a border traced along a neighbour is shared exactly.
func snapArea(v *view, ring orb.Ring) orb.Polygon {
	tp, _ := v.sess.Topology()
	b := ring.Bound()
	tol := 0.01 * math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	pts := tp.Snap([]orb.Point(ring), tol)
	if len(pts) < 3 {
		return orb.Polygon{ring}
	}
	return orb.Polygon{append(orb.Ring(pts), pts[0])}
}

// CreateTerritory creates a territory, district or region.
func (e *EditService) CreateTerritory(in NewTerritory) (EditResult, error) {
	s := e.p
	var created string
	res, err := e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		kind := engine.Kind(in.Kind)
		if kind == "" {
			kind = engine.KindTerritory
		}
		if kind != engine.KindTerritory && kind != engine.KindDistrict && kind != engine.KindRegion {
			return edit.Edit{}, fmt.Errorf("unknown kind %q (want territory, district or region)", in.Kind)
		}
		name := strings.TrimSpace(in.Name)
		if name == "" {
			return edit.Edit{}, errors.New("a name is needed")
		}
		if in.Parent != "" {
			pi := v.st().Node(in.Parent)
			if pi == engine.NoIndex {
				return edit.Edit{}, fmt.Errorf("unknown parent %q", in.Parent)
			}
			if v.st().Nodes[pi].Kind == engine.KindTerritory {
				return edit.Edit{}, fmt.Errorf("%q is a territory and cannot hold other nodes", v.st().Nodes[pi].Name)
			}
		}
		color := in.Color
		if color == "" {
			color = unusedColor(v.st())
		} else if !validColor(color) {
			return edit.Edit{}, fmt.Errorf("colour %q is not #rrggbb", color)
		}
		if in.RepID != "" && !hasRep(p, in.RepID) {
			return edit.Edit{}, fmt.Errorf("unknown rep %q", in.RepID)
		}
		prefix := map[engine.Kind]string{engine.KindTerritory: "T", engine.KindDistrict: "D", engine.KindRegion: "R"}[kind]
		t := engine.Territory{ID: nextNodeID(v.st(), prefix), Name: name, Kind: kind, Parent: in.Parent, RepID: in.RepID, Color: color}
		if len(in.Ring) > 0 {
			if kind != engine.KindTerritory {
				return edit.Edit{}, errors.New("only territories can have a drawn area")
			}
			r, err := ringOf(in.Ring)
			if err != nil {
				return edit.Edit{}, err
			}
			t.Polygon = snapArea(v, r)
		}
		created = t.ID
		return edit.Edit{Kind: edit.KindCreate, Nodes: []edit.NodeChange{{ID: t.ID, At: len(v.st().Nodes), After: &t}}}, nil
	})
	if err != nil {
		return res, err
	}
	res.Created = created
	_ = s
	return res, nil
}

func hasRep(p *engine.Plan, id string) bool {
	for _, r := range p.Reps {
		if r.ID == id {
			return true
		}
	}
	return false
}

// UpdateTerritory renames, recolours, assigns a rep, moves a node under
// another parent, or locks/unlocks it.
func (e *EditService) UpdateTerritory(id string, ch TerritoryUpdate) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		t := v.st().Node(id)
		if t == engine.NoIndex {
			return edit.Edit{}, fmt.Errorf("unknown territory %q", id)
		}
		before := v.st().Nodes[t]
		after := before
		kind := edit.KindUpdate
		if ch.Name != nil {
			n := strings.TrimSpace(*ch.Name)
			if n == "" {
				return edit.Edit{}, errors.New("a name is needed")
			}
			after.Name = n
		}
		if ch.Color != nil {
			if !validColor(*ch.Color) {
				return edit.Edit{}, fmt.Errorf("colour %q is not #rrggbb", *ch.Color)
			}
			after.Color = *ch.Color
		}
		if ch.RepID != nil {
			if *ch.RepID != "" && !hasRep(p, *ch.RepID) {
				return edit.Edit{}, fmt.Errorf("unknown rep %q", *ch.RepID)
			}
			after.RepID = *ch.RepID
		}
		if ch.Parent != nil {
			if *ch.Parent != "" {
				pi := v.st().Node(*ch.Parent)
				if pi == engine.NoIndex {
					return edit.Edit{}, fmt.Errorf("unknown parent %q", *ch.Parent)
				}
				if v.st().Nodes[pi].Kind == engine.KindTerritory {
					return edit.Edit{}, fmt.Errorf("%q is a territory and cannot hold other nodes", v.st().Nodes[pi].Name)
				}
			}
			after.Parent = *ch.Parent
		}
		if ch.Locked != nil {
			after.Locked = *ch.Locked
			if *ch.Locked {
				kind = edit.KindLock
			} else {
				kind = edit.KindUnlock
			}
		}
		return edit.Edit{Kind: kind, Nodes: []edit.NodeChange{{ID: id, At: int(t), Before: &before, After: &after}}}, nil
	})
}

// DeleteTerritory deletes a node: its units and account overrides go to
// moveTo (or become unassigned), its children move to its parent.
func (e *EditService) DeleteTerritory(id, moveTo string) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		t := v.st().Node(id)
		if t == engine.NoIndex {
			return edit.Edit{}, fmt.Errorf("unknown territory %q", id)
		}
		if moveTo == id {
			return edit.Edit{}, errors.New("a territory cannot be merged into itself")
		}
		if _, err := territoryIndex(v.st(), moveTo, true); err != nil {
			return edit.Edit{}, err
		}
		ed := edit.Edit{Kind: edit.KindDelete}
		emptyInto(v, t, moveTo, &ed)
		before := v.st().Nodes[t]
		ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: id, At: int(t), Before: &before})
		return ed, nil
	})
}

// emptyInto adds to ed the moves that empty node t into territory into
// ("" = unassigned) and re-parent its children to its parent. Child
// re-parenting comes first in ed.Nodes, so that the deletion that follows
// finds no children.
func emptyInto(v *view, t int32, into string, ed *edit.Edit) {
	id := v.st().Nodes[t].ID
	for u, ut := range v.st().UnitTerr {
		if ut == t {
			ed.Units = append(ed.Units, edit.Move{ID: v.st().Plan().Units[u].ID, From: id, To: into})
		}
	}
	for a := range v.st().AccountTerr {
		if v.st().Override(int32(a)) == t {
			ed.Overrides = append(ed.Overrides, edit.Move{ID: v.st().Plan().Accounts[a].ID, From: id, To: into})
		}
	}
	for c := range v.st().Nodes {
		if v.st().Parent[c] == t {
			before := v.st().Nodes[c]
			after := before
			after.Parent = v.st().Nodes[t].Parent
			ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: before.ID, At: c, Before: &before, After: &after})
		}
	}
}

// MergeTerritories moves the units, accounts and drawn areas of others into
// territory into and deletes the others.
func (e *EditService) MergeTerritories(into string, others []string) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		ti, err := territoryIndex(v.st(), into, false)
		if err != nil {
			return edit.Edit{}, err
		}
		ed := edit.Edit{Kind: edit.KindMerge}
		var idx []int32
		for _, o := range others {
			oi, err := territoryIndex(v.st(), o, false)
			if err != nil {
				return edit.Edit{}, err
			}
			if oi == ti || slices.Contains(idx, oi) {
				continue
			}
			idx = append(idx, oi)
		}
		if len(idx) == 0 {
			return edit.Edit{}, errors.New("choose at least one other territory to merge")
		}
		// Drawn areas: the union of the areas of all merged territories.
		tp, faceNode := v.sess.Topology()
		var faces []int
		for f, n := range faceNode {
			if n == ti || slices.Contains(idx, n) {
				faces = append(faces, f)
			}
		}
		before := v.st().Nodes[ti]
		after := before
		switch len(faces) {
		case 0:
		case 1:
			after.Polygon = tp.Polygon(faces[0]).Clone()
		default:
			poly, err := tp.Merge(faces)
			if err != nil {
				return edit.Edit{}, fmt.Errorf("cannot merge the drawn areas: %w", err)
			}
			after.Polygon = poly
		}
		if !engine.PolygonEqual(before.Polygon, after.Polygon) {
			ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: into, At: int(ti), Before: &before, After: &after})
		}
		for _, oi := range idx {
			emptyInto(v, oi, into, &ed)
			b := v.st().Nodes[oi]
			b.Polygon = b.Polygon.Clone()
			ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: b.ID, At: int(oi), Before: &b})
		}
		return ed, nil
	})
}

// DrawArea sets a territory's free-drawn area (an empty ring removes it).
// Points close to the border of another drawn area snap onto it.
func (e *EditService) DrawArea(territoryID string, ring [][2]float64) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		t, err := territoryIndex(v.st(), territoryID, false)
		if err != nil {
			return edit.Edit{}, err
		}
		before := v.st().Nodes[t]
		after := before
		after.Polygon = nil
		if len(ring) > 0 {
			r, err := ringOf(ring)
			if err != nil {
				return edit.Edit{}, err
			}
			after.Polygon = snapArea(v, r)
		}
		return edit.Edit{Kind: edit.KindDraw, Nodes: []edit.NodeChange{{ID: territoryID, At: int(t), Before: &before, After: &after}}}, nil
	})
}

// SplitTerritory cuts a territory's drawn area along a line; the part right
// of the line (walking from its first point) becomes a new territory named
// name under the same parent.
func (e *EditService) SplitTerritory(id string, line [][2]float64, name string) (EditResult, error) {
	var created string
	res, err := e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		t, err := territoryIndex(v.st(), id, false)
		if err != nil {
			return edit.Edit{}, err
		}
		name = strings.TrimSpace(name)
		if name == "" {
			return edit.Edit{}, errors.New("a name is needed for the new territory")
		}
		var ls orb.LineString
		for _, pt := range line {
			ls = append(ls, orb.Point{pt[0], pt[1]})
		}
		// Work on a copy: Split inserts the crossing points into the arcs.
		polys := []orb.Polygon{}
		var faceNode []int32
		for i, n := range v.st().Nodes {
			if len(n.Polygon) > 0 {
				polys = append(polys, n.Polygon)
				faceNode = append(faceNode, int32(i))
			}
		}
		tp := topo.Build(polys)
		face := slices.Index(faceNode, t)
		if face < 0 {
			return edit.Edit{}, fmt.Errorf("%q has no drawn area to split; paint its units into a new territory instead", v.st().Nodes[t].Name)
		}
		right, left, err := tp.Split(face, ls)
		if err != nil {
			return edit.Edit{}, err
		}
		ed := edit.Edit{Kind: edit.KindSplit}
		nt := engine.Territory{ID: nextNodeID(v.st(), "T"), Name: name, Kind: engine.KindTerritory,
			Parent: v.st().Nodes[t].Parent, Color: unusedColor(v.st()), Polygon: right}
		created = nt.ID
		ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: nt.ID, At: len(v.st().Nodes), After: &nt})
		for f, n := range faceNode {
			before := v.st().Nodes[n]
			after := before
			if f == face {
				after.Polygon = left
			} else {
				after.Polygon = tp.Polygon(f)
			}
			if !engine.PolygonEqual(before.Polygon, after.Polygon) {
				ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: before.ID, At: int(n), Before: &before, After: &after})
			}
		}
		return ed, nil
	})
	if err == nil {
		res.Created = created
	}
	return res, err
}

// InsertVertex adds a vertex to an arc after vertex after; both sides of a
// shared border get it.
func (e *EditService) InsertVertex(arc, after int, lon, lat float64) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		tp, _ := v.sess.CloneTopology()
		faces, err := tp.InsertVertex(arc, after, orb.Point{lon, lat})
		if err != nil {
			return edit.Edit{}, err
		}
		return v.sess.Reshape(tp, faces), nil
	})
}

// RemoveVertex removes an inner vertex of an arc.
func (e *EditService) RemoveVertex(ref VertexRef) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		tp, _ := v.sess.CloneTopology()
		faces, err := tp.RemoveVertex(ref.Arc, ref.Index)
		if err != nil {
			return edit.Edit{}, err
		}
		return v.sess.Reshape(tp, faces), nil
	})
}

// SetUnitLocks locks or unlocks units: a locked unit keeps its territory.
func (e *EditService) SetUnitLocks(unitIDs []string, locked bool) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		ed := edit.Edit{Kind: lockKind(locked)}
		for _, id := range unitIDs {
			u := v.st().UnitIndex(id)
			if u == engine.NoIndex {
				return edit.Edit{}, fmt.Errorf("unknown unit %q", id)
			}
			if v.st().UnitLocked(u) != locked {
				ed.UnitLocks = append(ed.UnitLocks, edit.LockChange{ID: id, Locked: locked})
			}
		}
		return ed, nil
	})
}

// SetAccountLocks locks or unlocks accounts. Locking pins an account to the
// territory it is in now (as an override), so no edit can move it.
func (e *EditService) SetAccountLocks(accountIDs []string, locked bool) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		ed := edit.Edit{Kind: lockKind(locked)}
		for _, id := range accountIDs {
			a := v.st().AccountIndex(id)
			if a == engine.NoIndex {
				return edit.Edit{}, fmt.Errorf("unknown account %q", id)
			}
			if v.st().AccountLocked(a) == locked {
				continue
			}
			if locked && v.st().Override(a) == engine.NoIndex && v.st().AccountTerr[a] != engine.NoIndex {
				ed.Overrides = append(ed.Overrides, edit.Move{ID: id, From: "", To: v.st().Nodes[v.st().AccountTerr[a]].ID})
			}
			ed.AccountLocks = append(ed.AccountLocks, edit.LockChange{ID: id, Locked: locked})
		}
		return ed, nil
	})
}

func lockKind(locked bool) string {
	if locked {
		return edit.KindLock
	}
	return edit.KindUnlock
}

// ---- undo and redo ------------------------------------------------------------

// Undo takes back the latest edit of the active scenario.
func (e *EditService) Undo() (EditResult, error) { return e.p.step(false) }

// Redo plays the next undone edit again.
func (e *EditService) Redo() (EditResult, error) { return e.p.step(true) }

func (s *PlanService) step(redo bool) (EditResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, sc, err := s.editing()
	if err != nil {
		return EditResult{}, err
	}
	var en planfile.Entry
	if redo {
		en, err = s.file.Redo(sc.ID)
	} else {
		en, err = s.file.Undo(sc.ID)
	}
	switch {
	case errors.Is(err, planfile.ErrNothingToUndo), errors.Is(err, planfile.ErrNothingToRedo):
		return EditResult{}, err
	case err != nil:
		return EditResult{}, fmt.Errorf("cannot change the plan file: %w", err)
	}
	played := en.Edit
	if !redo {
		played = en.Edit.Inverse()
	}
	ch, err := v.sess.Replay(played)
	if err != nil {
		s.reloadLocked()
		return EditResult{}, fmt.Errorf("the history does not match the scenario; the plan was reloaded: %w", err)
	}
	s.changedLocked(ch)
	if redo {
		s.editedLocked("redo:" + en.Edit.Kind)
	} else {
		s.editedLocked("undo:" + en.Edit.Kind)
	}
	r, err := s.resultLocked(en.Edit.Kind, ch)
	r.UnitsChanged = unitsIn(en.Edit)
	return r, err
}

// reloadLocked re-reads the plan from its file after memory and file disagreed.
func (s *PlanService) reloadLocked() {
	p, err := s.file.Load()
	if err != nil {
		return
	}
	if nv, err := buildView(p, p.Scenario(s.active), nil); err == nil {
		s.plan = p
		s.version++
		nv.version = s.version
		s.view = nv
	}
}

// History returns the active scenario's edits, oldest first.
func (e *EditService) History() ([]HistoryEntry, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.file == nil {
		return nil, ErrNoPlan
	}
	es, cur, err := s.file.History(s.active)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, 0, len(es))
	for _, en := range es {
		out = append(out, HistoryEntry{Seq: int(en.Seq), Kind: en.Edit.Kind, Summary: edit.Summary(en.Edit),
			At: en.At.Format("2006-01-02T15:04:05Z07:00"), Undone: en.Seq > cur})
	}
	return out, nil
}

// ---- vertex drag ----------------------------------------------------------------

// BeginDrag starts dragging a vertex of the drawn topology.
func (e *EditService) BeginDrag(ref VertexRef) (DragInfo, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, _, err := s.editing()
	if err != nil {
		return DragInfo{}, err
	}
	d, err := v.sess.BeginDrag(ref.Arc, ref.Index)
	if err != nil {
		return DragInfo{}, err
	}
	info := DragInfo{Vertex: ref, Territories: []string{}, Point: [2]float64{d.Start[0], d.Start[1]}}
	for _, n := range d.Nodes {
		info.Territories = append(info.Territories, v.st().Nodes[n].ID)
	}
	return info, nil
}

// DragTo moves the dragged vertex to lon, lat and returns the figures at
// this step. A move that would make a border cross another, or change a
// locked territory, is not made: the vertex stays where it was and Blocked
// is set.
func (e *EditService) DragTo(lon, lat float64) (LiveUpdate, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, err := s.current()
	if err != nil {
		return LiveUpdate{}, err
	}
	d := v.sess.Dragging()
	if d == nil {
		return LiveUpdate{}, errors.New("no drag in progress")
	}
	step, err := v.sess.DragTo(orb.Point{lon, lat})
	if err != nil {
		return LiveUpdate{}, err
	}
	out := LiveUpdate{Blocked: step.Blocked, AccountsMoved: d.Moved()}
	out.Rows = territoryRows(s.plan, v, s.baselineLocked())
	out.Balance = balanceView(v)
	fc := geojson.NewFeatureCollection()
	for _, n := range d.Nodes {
		t := v.st().Nodes[n]
		feat := geojson.NewFeature(t.Polygon)
		feat.Properties = geojson.Properties{"id": t.ID, "color": t.Color}
		fc.Append(feat)
	}
	out.Areas = fc
	return out, nil
}

// EndDrag finishes a drag: commit saves it as one edit, otherwise the
// vertex goes back where it was.
func (e *EditService) EndDrag(commit bool) (EditResult, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, err := s.current()
	if err != nil {
		return EditResult{}, err
	}
	d := v.sess.Dragging()
	if d == nil {
		return EditResult{}, errors.New("no drag in progress")
	}
	moved := d.Moved()
	if !commit {
		ch, err := v.sess.CancelDrag()
		if err != nil {
			s.reloadLocked()
			return EditResult{}, err
		}
		s.changedLocked(ch)
		return s.resultLocked(edit.KindReshape, ch)
	}
	nodes := slices.Clone(d.Nodes)
	ed, err := v.sess.EndDrag()
	if err != nil {
		s.reloadLocked()
		return EditResult{}, err
	}
	if !ed.Empty() {
		if _, err := s.file.ApplyEdit(v.scenario, ed, s.cfg.now()); err != nil {
			s.reloadLocked()
			return EditResult{}, fmt.Errorf("cannot save the edit: %w", err)
		}
	}
	ch := session.Change{Delta: assign.Delta{Polygons: nodes}}
	s.changedLocked(ch)
	if !ed.Empty() {
		s.editedLocked(ed.Kind)
	}
	res, err := s.resultLocked(edit.KindReshape, ch)
	res.AccountsMoved = moved
	return res, err
}

// ---- reading ------------------------------------------------------------------

// Drawn returns the free-drawn areas of the active scenario and their arcs.
func (e *EditService) Drawn() (DrawnView, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	_, v, err := s.current()
	if err != nil {
		return DrawnView{}, err
	}
	tp, faceNode := v.sess.Topology()
	fc := geojson.NewFeatureCollection()
	for f, n := range faceNode {
		t := v.st().Nodes[n]
		feat := geojson.NewFeature(tp.Polygon(f))
		feat.Properties = geojson.Properties{"id": t.ID, "name": t.Name, "color": t.Color, "locked": t.Locked}
		fc.Append(feat)
	}
	out := DrawnView{Areas: fc, Arcs: make([]DrawnArc, 0, len(tp.Arcs))}
	for a, line := range tp.Arcs {
		da := DrawnArc{ID: a, Coords: make([][2]float64, len(line)), Territories: []string{}}
		for i, p := range line {
			da.Coords[i] = [2]float64{p[0], p[1]}
		}
		for _, f := range tp.ArcFaces(a) {
			t := v.st().Nodes[faceNode[f]]
			da.Territories = append(da.Territories, t.ID)
			da.Locked = da.Locked || t.Locked
		}
		out.Arcs = append(out.Arcs, da)
	}
	return out, nil
}

// SelectUnits returns the ids of the units whose label point lies inside ring.
func (e *EditService) SelectUnits(ring [][2]float64) ([]string, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	r, err := ringOf(ring)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, u := range v.st().UnitsIn(r) {
		out = append(out, p.Units[u].ID)
	}
	return out, nil
}

// SelectAccounts returns the accounts inside ring: ids up to limit (1,000
// when limit ≤ 0) and the total count.
func (e *EditService) SelectAccounts(ring [][2]float64, limit int) (AccountSelection, error) {
	s := e.p
	s.mu.Lock() // the account grid is built on first use
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return AccountSelection{}, err
	}
	r, err := ringOf(ring)
	if err != nil {
		return AccountSelection{}, err
	}
	if limit <= 0 {
		limit = 1000
	}
	in := v.st().AccountsIn(r)
	out := AccountSelection{IDs: []string{}, Count: len(in)}
	for _, a := range in[:min(len(in), limit)] {
		out.IDs = append(out.IDs, p.Accounts[a].ID)
	}
	return out, nil
}

package assign_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/topo"
)

// tiledPlan is smallPlan with a 3×2 block of free-drawn areas sharing
// borders (4 vertices per side) given to the first six territories.
func tiledPlan(seed uint64) *engine.Plan {
	p := smallPlan(seed)
	s := p.Scenarios[0]
	var b orb.Bound
	for i, a := range p.Accounts {
		if i == 0 {
			b = orb.Bound{Min: a.Loc, Max: a.Loc}
		}
		b = b.Extend(a.Loc)
	}
	w, h := (b.Max[0]-b.Min[0])/6, (b.Max[1]-b.Min[1])/4
	x0, y0 := b.Min[0]+w*1.5, b.Min[1]+h
	pt := func(i, j int) orb.Point { return orb.Point{x0 + float64(i)*w/4, y0 + float64(j)*h/4} }
	k := 0
	for ty := 0; ty < 2; ty++ {
		for tx := 0; tx < 3; tx++ {
			var r orb.Ring
			for i := 0; i < 4; i++ {
				r = append(r, pt(tx*4+i, ty*4))
			}
			for j := 0; j < 4; j++ {
				r = append(r, pt(tx*4+4, ty*4+j))
			}
			for i := 4; i > 0; i-- {
				r = append(r, pt(tx*4+i, ty*4+4))
			}
			for j := 4; j > 0; j-- {
				r = append(r, pt(tx*4, ty*4+j))
			}
			r = append(r, r[0])
			for k < len(s.Territories) && s.Territories[k].Kind != engine.KindTerritory {
				k++
			}
			s.Territories[k].Polygon = orb.Polygon{r}
			k++
		}
	}
	return p
}

// session plays edits on a State and, side by side, on the scenario data
// (what the plan file keeps), with an undo stack.
type session struct {
	t    testing.TB
	p    *engine.Plan
	sc   *engine.Scenario
	st   *assign.State
	undo []edit.Edit
	rng  *rand.Rand
	// refused counts edits refused by a lock.
	refused int
}

func newSession(t testing.TB, p *engine.Plan, seed uint64) *session {
	sc := p.Scenarios[0].Clone("s", "s")
	st, err := assign.Compute(p, sc)
	if err != nil {
		t.Fatal(err)
	}
	return &session{t: t, p: p, sc: sc, st: st, rng: rand.New(rand.NewPCG(seed, 7))}
}

func (s *session) terrID(k int) string {
	var ids []string
	for _, n := range s.st.Nodes {
		if n.Kind == engine.KindTerritory {
			ids = append(ids, n.ID)
		}
	}
	if k%(len(ids)+1) == len(ids) {
		return ""
	}
	return ids[k%(len(ids)+1)]
}

func (s *session) curTerr(t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return s.st.Nodes[t].ID
}

// apply plays e; a lock refusal must leave everything unchanged.
func (s *session) apply(e edit.Edit) {
	s.t.Helper()
	before := slices.Clone(s.st.AccountTerr)
	beforeUnits := slices.Clone(s.st.UnitTerr)
	_, err := s.st.ApplyChecked(e)
	var le *assign.LockError
	if errors.As(err, &le) {
		s.refused++
		if !slices.Equal(before, s.st.AccountTerr) || !slices.Equal(beforeUnits, s.st.UnitTerr) {
			s.t.Fatalf("a refused edit (%v) changed the alignment", err)
		}
		return
	}
	if err != nil {
		s.t.Fatalf("%s: %v", edit.Summary(e), err)
	}
	if err := edit.ApplyTo(s.sc, e); err != nil {
		s.t.Fatalf("scenario data: %v", err)
	}
	s.undo = append(s.undo, e)
}

func (s *session) step(op int) {
	s.t.Helper()
	rng := s.rng
	switch op {
	case 0: // paint units
		to := s.terrID(rng.IntN(1000))
		var e edit.Edit
		e.Kind = edit.KindPaint
		for i := 0; i < 1+rng.IntN(4); i++ {
			u := int32(rng.IntN(len(s.p.Units)))
			e.Units = append(e.Units, edit.Move{ID: s.p.Units[u].ID, From: s.curTerr(s.st.UnitTerr[u]), To: to})
		}
		e.Units = dedupMoves(e.Units)
		s.apply(e)
	case 1: // override accounts
		to := s.terrID(rng.IntN(1000))
		var e edit.Edit
		e.Kind = edit.KindMoveAccounts
		for i := 0; i < 1+rng.IntN(6); i++ {
			a := int32(rng.IntN(len(s.p.Accounts)))
			e.Overrides = append(e.Overrides, edit.Move{ID: s.p.Accounts[a].ID, From: s.curTerr(s.st.Override(a)), To: to})
		}
		e.Overrides = dedupMoves(e.Overrides)
		s.apply(e)
	case 2: // drag a vertex of the drawn topology, as a recorded edit
		s.dragEdit()
	case 3: // lock or unlock a territory, a unit or an account
		var e edit.Edit
		switch rng.IntN(3) {
		case 0:
			id := s.terrID(rng.IntN(1000))
			if id == "" {
				return
			}
			t := s.st.Node(id)
			before, after := s.st.Nodes[t], s.st.Nodes[t]
			after.Locked = !before.Locked
			e = edit.Edit{Kind: edit.KindLock, Nodes: []edit.NodeChange{{ID: id, At: int(t), Before: &before, After: &after}}}
		case 1:
			u := int32(rng.IntN(len(s.p.Units)))
			e = edit.Edit{Kind: edit.KindLock, UnitLocks: []edit.LockChange{{ID: s.p.Units[u].ID, Locked: !s.st.UnitLocked(u)}}}
		default:
			a := int32(rng.IntN(len(s.p.Accounts)))
			e = edit.Edit{Kind: edit.KindLock, AccountLocks: []edit.LockChange{{ID: s.p.Accounts[a].ID, Locked: !s.st.AccountLocked(a)}}}
		}
		s.apply(e)
	case 4: // undo
		if len(s.undo) == 0 {
			return
		}
		e := s.undo[len(s.undo)-1]
		s.undo = s.undo[:len(s.undo)-1]
		inv := e.Inverse()
		if _, err := s.st.Apply(inv); err != nil {
			s.t.Fatalf("undo %s: %v", edit.Summary(e), err)
		}
		if err := edit.ApplyTo(s.sc, inv); err != nil {
			s.t.Fatalf("undo on scenario data: %v", err)
		}
	case 5: // a live drag: several SetPolygons steps over swept boxes, then recorded
		s.liveDrag()
	}
}

func dedupMoves(ms []edit.Move) []edit.Move {
	seen := map[string]bool{}
	return slices.DeleteFunc(ms, func(m edit.Move) bool {
		if seen[m.ID] {
			return true
		}
		seen[m.ID] = true
		return false
	})
}

// drawn returns the topology of the drawn areas and the node index of each face.
func (s *session) drawn() (*topo.Topology, []int32) {
	var polys []orb.Polygon
	var nodes []int32
	for i, n := range s.st.Nodes {
		if len(n.Polygon) > 0 {
			polys = append(polys, n.Polygon)
			nodes = append(nodes, int32(i))
		}
	}
	return topo.Build(polys), nodes
}

func (s *session) pickVertex(tp *topo.Topology) (int, int, bool) {
	if len(tp.Arcs) == 0 {
		return 0, 0, false
	}
	a := s.rng.IntN(len(tp.Arcs))
	return a, s.rng.IntN(len(tp.Arcs[a])), true
}

func (s *session) dragEdit() {
	tp, nodes := s.drawn()
	a, i, ok := s.pickVertex(tp)
	if !ok {
		return
	}
	p := tp.Arcs[a][i]
	to := orb.Point{p[0] + (s.rng.Float64()-0.5)*0.8, p[1] + (s.rng.Float64()-0.5)*0.8}
	faces, err := tp.MoveVertex(a, i, to)
	if err != nil {
		return // would cross a border
	}
	e := edit.Edit{Kind: edit.KindReshape}
	for _, f := range faces {
		t := nodes[f]
		before, after := s.st.Nodes[t], s.st.Nodes[t]
		after.Polygon = tp.Polygon(f)
		e.Nodes = append(e.Nodes, edit.NodeChange{ID: before.ID, At: int(t), Before: &before, After: &after})
	}
	s.apply(e)
}

func (s *session) liveDrag() {
	s.t.Helper()
	tp, nodes := s.drawn()
	a, i, ok := s.pickVertex(tp)
	if !ok {
		return
	}
	sites, _ := tp.Sites(a, i)
	start := tp.Arcs[a][i]
	faces := tp.FacesOf(sites)
	for _, f := range faces {
		if s.st.Nodes[nodes[f]].Locked {
			return // the app refuses to begin this drag
		}
	}
	before := map[int]engine.Territory{}
	for _, f := range faces {
		before[f] = s.st.Nodes[nodes[f]]
	}
	cur := start
	for k := 0; k < 6; k++ {
		to := orb.Point{cur[0] + (s.rng.Float64()-0.5)*0.3, cur[1] + (s.rng.Float64()-0.5)*0.3}
		swept := tp.Swept(sites, cur, to)
		if _, err := tp.MoveVertex(a, i, to); err != nil {
			continue
		}
		polys := map[int32]orb.Polygon{}
		for _, f := range faces {
			polys[nodes[f]] = tp.Polygon(f)
		}
		if _, err := s.st.SetPolygons(polys, swept); err != nil {
			s.t.Fatal(err)
		}
		cur = to
	}
	if cur == start {
		return
	}
	e := edit.Edit{Kind: edit.KindReshape}
	for _, f := range faces {
		b := before[f]
		after := s.st.Nodes[nodes[f]]
		e.Nodes = append(e.Nodes, edit.NodeChange{ID: b.ID, At: int(nodes[f]), Before: &b, After: &after})
	}
	// The state already shows the drag; the edit is recorded for the data and the history.
	if err := edit.ApplyTo(s.sc, e); err != nil {
		s.t.Fatal(err)
	}
	s.undo = append(s.undo, e)
}

// verify compares the state with a from-scratch computation over the
// scenario data, and with its own write-back.
func (s *session) verify() {
	s.t.Helper()
	fresh, err := assign.Compute(s.p, s.sc)
	if err != nil {
		s.t.Fatalf("recompute: %v", err)
	}
	if !slices.Equal(fresh.UnitTerr, s.st.UnitTerr) {
		s.t.Fatal("unit territories differ from a recomputation")
	}
	for a := range fresh.AccountTerr {
		if fresh.AccountTerr[a] != s.st.AccountTerr[a] {
			s.t.Fatalf("account %d at %v: incremental %d, recomputed %d (drawn %d vs %d)", a, s.p.Accounts[a].Loc,
				s.st.AccountTerr[a], fresh.AccountTerr[a], s.st.Drawn(int32(a)), fresh.Drawn(int32(a)))
		}
	}
	for u := range s.p.Units {
		if fresh.UnitLocked(int32(u)) != s.st.UnitLocked(int32(u)) {
			s.t.Fatalf("unit %d lock differs", u)
		}
	}
}

func TestRandomEditsAndUndosEqualRecompute(t *testing.T) {
	for _, seed := range []uint64{11, 12, 13, 14} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			s := newSession(t, tiledPlan(seed), seed)
			for i := 0; i < 250; i++ {
				s.step(s.rng.IntN(6))
				if i%20 == 0 {
					s.verify()
				}
			}
			s.verify()
			for len(s.undo) > 0 {
				s.step(4)
			}
			s.verify()
			orig, _ := assign.Compute(s.p, s.p.Scenarios[0])
			if !slices.Equal(orig.AccountTerr, s.st.AccountTerr) {
				t.Fatal("undoing every edit does not restore the original alignment")
			}
			t.Logf("%d edits refused by locks", s.refused)
		})
	}
}

func FuzzEdits(f *testing.F) {
	p := tiledPlan(21)
	f.Add([]byte{0, 1, 2, 5, 3, 4, 2, 5, 0, 4, 4, 4})
	f.Add([]byte{3, 3, 0, 1, 2, 2, 5, 5, 4, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 200 {
			ops = ops[:200]
		}
		seed := uint64(len(ops))
		for _, b := range ops {
			seed = seed*31 + uint64(b)
		}
		s := newSession(t, p, seed)
		for _, op := range ops {
			s.step(int(op) % 6)
		}
		s.verify()
	})
}

func TestLocksRefuseEdits(t *testing.T) {
	p := tiledPlan(31)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	var terrA, terrB int32 = -1, -1
	for i, n := range st.Nodes {
		if n.Kind == engine.KindTerritory {
			if terrA < 0 {
				terrA = int32(i)
			} else if terrB < 0 {
				terrB = int32(i)
			}
		}
	}
	var unitInA int32 = -1
	for u, t := range st.UnitTerr {
		if t == terrA {
			unitInA = int32(u)
			break
		}
	}
	lockA := func() {
		before, after := st.Nodes[terrA], st.Nodes[terrA]
		after.Locked = true
		if _, err := st.ApplyChecked(edit.Edit{Kind: edit.KindLock, Nodes: []edit.NodeChange{{ID: before.ID, Before: &before, After: &after}}}); err != nil {
			t.Fatalf("locking: %v", err)
		}
	}
	lockA()
	idA, idB := st.Nodes[terrA].ID, st.Nodes[terrB].ID
	tests := []struct {
		name string
		e    edit.Edit
	}{
		{"paint a unit out of a locked territory", edit.Edit{Units: []edit.Move{{ID: p.Units[unitInA].ID, From: idA, To: idB}}}},
		{"move an account into a locked territory", edit.Edit{Overrides: []edit.Move{{ID: p.Accounts[0].ID, From: "", To: idA}}}},
		{"rename a locked territory", func() edit.Edit {
			b, a := st.Nodes[terrA], st.Nodes[terrA]
			a.Name = "x"
			return edit.Edit{Nodes: []edit.NodeChange{{ID: idA, Before: &b, After: &a}}}
		}()},
		{"reshape a locked territory", func() edit.Edit {
			b, a := st.Nodes[terrA], st.Nodes[terrA]
			a.Polygon = nil
			return edit.Edit{Nodes: []edit.NodeChange{{ID: idA, Before: &b, After: &a}}}
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(st.AccountTerr)
			_, err := st.ApplyChecked(tc.e)
			var le *assign.LockError
			if !errors.As(err, &le) || le.ID != idA {
				t.Fatalf("err = %v, want territory %s is locked", err, idA)
			}
			if !slices.Equal(before, st.AccountTerr) {
				t.Fatal("the refused edit changed accounts")
			}
		})
	}
	// Unlocking is allowed, and then the paint goes through.
	b, a := st.Nodes[terrA], st.Nodes[terrA]
	a.Locked = false
	if _, err := st.ApplyChecked(edit.Edit{Nodes: []edit.NodeChange{{ID: idA, Before: &b, After: &a}}}); err != nil {
		t.Fatalf("unlocking: %v", err)
	}
	if _, err := st.ApplyChecked(tests[0].e); err != nil {
		t.Fatalf("paint after unlocking: %v", err)
	}
}

package session_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
	"territoria/engine/session"
)

// testPlan is a small synthetic plan with reps and a 4×3 block of drawn
// areas that share borders.
func testPlan(seed uint64) *engine.Plan {
	p := synth.Plan(synth.Config{Seed: seed, Cols: 12, Rows: 9, Accounts: 4000, Territories: 16, Unassigned: 0.1, Overrides: 30})
	assign.LocateAccounts(p)
	s := p.Scenarios[0]
	synth.Reps(p, s, seed)
	b := orb.Bound{Min: orb.Point{-110, 32}, Max: orb.Point{-90, 44}}
	synth.Tiles(s, b, 4, 3, 5, seed)
	return p
}

func newSession(t testing.TB, p *engine.Plan) *session.Session {
	t.Helper()
	base, err := metrics.NewBase(p, metrics.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.New(p, p.Scenarios[0].Clone("s", "s"), base)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// driver makes random edits, drags and undos on a session.
type driver struct {
	t       testing.TB
	s       *session.Session
	rng     *rand.Rand
	history []edit.Edit
}

func (d *driver) terr() string {
	var ids []string
	for _, n := range d.s.State.Nodes {
		if n.Kind == engine.KindTerritory {
			ids = append(ids, n.ID)
		}
	}
	if k := d.rng.IntN(len(ids) + 1); k < len(ids) {
		return ids[k]
	}
	return ""
}

func (d *driver) id(t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return d.s.State.Nodes[t].ID
}

func (d *driver) apply(e edit.Edit) {
	d.t.Helper()
	_, err := d.s.Apply(e)
	var le *assign.LockError
	switch {
	case errors.As(err, &le):
	case err != nil:
		d.t.Fatalf("%s: %v", edit.Summary(e), err)
	default:
		d.history = append(d.history, e)
	}
}

func (d *driver) step() {
	d.t.Helper()
	p, st, rng := d.s.Plan(), d.s.State, d.rng
	switch rng.IntN(8) {
	case 0, 1: // paint
		e := edit.Edit{Kind: edit.KindPaint}
		to := d.terr()
		seen := map[int32]bool{}
		for i := 0; i < 1+rng.IntN(5); i++ {
			u := int32(rng.IntN(len(p.Units)))
			if !seen[u] && d.id(st.UnitTerr[u]) != to {
				seen[u] = true
				e.Units = append(e.Units, edit.Move{ID: p.Units[u].ID, From: d.id(st.UnitTerr[u]), To: to})
			}
		}
		d.apply(e)
	case 2: // override accounts
		e := edit.Edit{Kind: edit.KindMoveAccounts}
		to := d.terr()
		a := int32(rng.IntN(len(p.Accounts)))
		if d.id(st.Override(a)) != to {
			e.Overrides = append(e.Overrides, edit.Move{ID: p.Accounts[a].ID, From: d.id(st.Override(a)), To: to})
		}
		d.apply(e)
	case 3: // rep, parent or lock of a node
		n := int32(rng.IntN(len(st.Nodes)))
		before, after := st.Nodes[n], st.Nodes[n]
		switch rng.IntN(3) {
		case 0:
			if len(p.Reps) > 0 {
				after.RepID = p.Reps[rng.IntN(len(p.Reps))].ID
			}
		case 1:
			var parents []string
			for _, m := range st.Nodes {
				if m.Kind != engine.KindTerritory && m.ID != before.ID && before.Kind == engine.KindTerritory {
					parents = append(parents, m.ID)
				}
			}
			if len(parents) > 0 {
				after.Parent = parents[rng.IntN(len(parents))]
			}
		default:
			after.Locked = !before.Locked
		}
		d.apply(edit.Edit{Kind: edit.KindUpdate, Nodes: []edit.NodeChange{{ID: before.ID, At: int(n), Before: &before, After: &after}}})
	case 4: // create a territory with a unit, or delete an empty-ish one
		if rng.IntN(2) == 0 {
			id := fmt.Sprintf("N%d", rng.IntN(1_000_000))
			if st.Node(id) != engine.NoIndex {
				return
			}
			t := engine.Territory{ID: id, Name: id, Kind: engine.KindTerritory, Color: "#336699"}
			u := int32(rng.IntN(len(p.Units)))
			d.apply(edit.Edit{Kind: edit.KindCreate, Nodes: []edit.NodeChange{{ID: id, At: len(st.Nodes), After: &t}},
				Units: []edit.Move{{ID: p.Units[u].ID, From: d.id(st.UnitTerr[u]), To: id}}})
			return
		}
		n := int32(rng.IntN(len(st.Nodes)))
		if st.Nodes[n].Kind != engine.KindTerritory {
			return
		}
		e := edit.Edit{Kind: edit.KindDelete}
		for u, t := range st.UnitTerr {
			if t == n {
				e.Units = append(e.Units, edit.Move{ID: p.Units[u].ID, From: st.Nodes[n].ID})
			}
		}
		for a := range p.Accounts {
			if st.Override(int32(a)) == n {
				e.Overrides = append(e.Overrides, edit.Move{ID: p.Accounts[a].ID, From: st.Nodes[n].ID})
			}
		}
		before := st.Nodes[n]
		e.Nodes = []edit.NodeChange{{ID: before.ID, At: int(n), Before: &before}}
		d.apply(e)
	case 5, 6: // drag a vertex
		tp, _ := d.s.Topology()
		if len(tp.Arcs) == 0 {
			return
		}
		a := rng.IntN(len(tp.Arcs))
		i := rng.IntN(len(tp.Arcs[a]))
		dr, err := d.s.BeginDrag(a, i)
		if err != nil {
			return // a locked territory
		}
		at := dr.Start
		for k := 0; k < 5; k++ {
			at = orb.Point{at[0] + (rng.Float64()-0.5)*0.6, at[1] + (rng.Float64()-0.5)*0.6}
			if _, err := d.s.DragTo(at); err != nil {
				d.t.Fatal(err)
			}
		}
		if rng.IntN(4) == 0 {
			if _, err := d.s.CancelDrag(); err != nil {
				d.t.Fatal(err)
			}
			return
		}
		e, err := d.s.EndDrag()
		if err != nil {
			d.t.Fatal(err)
		}
		if !e.Empty() {
			d.history = append(d.history, e)
		}
	case 7: // undo
		if len(d.history) == 0 {
			return
		}
		e := d.history[len(d.history)-1]
		d.history = d.history[:len(d.history)-1]
		if _, err := d.s.Replay(e.Inverse()); err != nil {
			d.t.Fatalf("undo %s: %v", edit.Summary(e), err)
		}
	}
}

// verify compares the session with a session computed from scratch from
// its scenario data.
func (d *driver) verify() {
	d.t.Helper()
	p := d.s.Plan()
	fresh, err := session.New(p, d.s.Scenario.Clone("f", "f"), d.s.Base())
	if err != nil {
		d.t.Fatalf("recompute: %v", err)
	}
	for a := range p.Accounts {
		if x, y := d.s.State.AccountTerr[a], fresh.State.AccountTerr[a]; x != y {
			d.t.Fatalf("account %d: incremental %d, recomputed %d", a, x, y)
		}
	}
	got, want := d.s.Live.Report(), fresh.Live.Report()
	if len(got.Rows) != len(want.Rows) {
		d.t.Fatalf("%d rows, recomputed %d", len(got.Rows), len(want.Rows))
	}
	for i := range want.Rows {
		for m, w := range want.Rows[i].Values {
			g := got.Rows[i].Values[m]
			if (math.IsNaN(w) != math.IsNaN(g)) || (!math.IsNaN(w) && math.Abs(g-w) > 1e-6*math.Max(1, math.Abs(w))) {
				d.t.Fatalf("row %s %s: incremental %v, recomputed %v", want.Rows[i].ID, got.Metrics[m].Name, g, w)
			}
		}
	}
	// Territories and the unassigned remainder add up to the plan.
	plan := got.Rows[len(got.Rows)-1]
	for _, m := range []metrics.Metric{metrics.Accounts, metrics.Potential, metrics.Revenue, metrics.WorkloadHours} {
		var sum float64
		for _, r := range got.Rows {
			if r.Kind == string(engine.KindTerritory) || r.Kind == metrics.KindUnassigned {
				sum += r.Values[m]
			}
		}
		if math.Abs(sum-plan.Values[m]) > 1e-6*math.Max(1, plan.Values[m]) {
			d.t.Fatalf("%s: territories + unassigned = %v, plan = %v", got.Metrics[m].Name, sum, plan.Values[m])
		}
	}
}

func TestRandomEditsDragsAndUndosEqualRecompute(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			p := testPlan(seed)
			d := &driver{t: t, s: newSession(t, p), rng: rand.New(rand.NewPCG(seed, 42))}
			for i := 0; i < 200; i++ {
				d.step()
				if i%25 == 0 {
					d.verify()
				}
			}
			d.verify()
			for len(d.history) > 0 {
				e := d.history[len(d.history)-1]
				d.history = d.history[:len(d.history)-1]
				if _, err := d.s.Replay(e.Inverse()); err != nil {
					t.Fatal(err)
				}
			}
			d.verify()
			orig := newSession(t, p)
			for a := range p.Accounts {
				if d.s.State.AccountTerr[a] != orig.State.AccountTerr[a] {
					t.Fatalf("after undoing everything account %d is in %d, was %d", a, d.s.State.AccountTerr[a], orig.State.AccountTerr[a])
				}
			}
		})
	}
}

func FuzzSession(f *testing.F) {
	p := testPlan(9)
	f.Add(uint64(1), uint8(20))
	f.Add(uint64(77), uint8(60))
	f.Fuzz(func(t *testing.T, seed uint64, steps uint8) {
		d := &driver{t: t, s: newSession(t, p), rng: rand.New(rand.NewPCG(seed, 1))}
		for i := 0; i < int(steps)%80; i++ {
			d.step()
		}
		d.verify()
	})
}

func TestDragMovesBothSidesAndRefusesLocked(t *testing.T) {
	p := testPlan(5)
	s := newSession(t, p)
	tp, _ := s.Topology()
	shared := -1
	for a := range tp.Arcs {
		if len(tp.ArcFaces(a)) == 2 && len(tp.Arcs[a]) > 2 {
			shared = a
			break
		}
	}
	if shared < 0 {
		t.Fatal("no shared arc")
	}
	dr, err := s.BeginDrag(shared, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(dr.Nodes) != 2 {
		t.Fatalf("drag moves %d territories, want 2", len(dr.Nodes))
	}
	if _, err := s.Apply(edit.Edit{Kind: edit.KindPaint, Units: []edit.Move{{ID: p.Units[0].ID}}}); !errors.Is(err, session.ErrDragging) {
		t.Fatalf("an edit during a drag: %v", err)
	}
	step, err := s.DragTo(orb.Point{dr.Start[0] + 0.3, dr.Start[1]})
	if err != nil || step.Blocked {
		t.Fatalf("step: %+v, %v", step, err)
	}
	e, err := s.EndDrag()
	if err != nil || len(e.Nodes) != 2 {
		t.Fatalf("drag edit %+v, %v", e, err)
	}
	// Lock one side: the shared vertex can no longer be dragged.
	n := dr.Nodes[0]
	before, after := s.State.Nodes[n], s.State.Nodes[n]
	after.Locked = true
	if _, err := s.Apply(edit.Edit{Kind: edit.KindLock, Nodes: []edit.NodeChange{{ID: before.ID, At: int(n), Before: &before, After: &after}}}); err != nil {
		t.Fatal(err)
	}
	var le *assign.LockError
	if _, err := s.BeginDrag(shared, 1); !errors.As(err, &le) || le.ID != before.ID {
		t.Fatalf("dragging a locked border: %v", err)
	}
}

package assign_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
	"territoria/engine/internal/synth"
)

func smallPlan(seed uint64) *engine.Plan {
	p := synth.Plan(synth.Config{
		Seed: seed, Cols: 12, Rows: 9, Accounts: 3000, Territories: 14,
		Unassigned: 0.1, Overrides: 40, Polygons: 3,
	})
	assign.LocateAccounts(p)
	return p
}

func TestLocateMatchesBruteForce(t *testing.T) {
	p := smallPlan(1)
	l := assign.NewLocator(p.Units)
	check := func(t *testing.T, pt orb.Point, got int32, wantInside bool) {
		t.Helper()
		var in []int32
		for u := range p.Units {
			if geo.Contains(p.Units[u].Geom, pt) {
				in = append(in, int32(u))
			}
		}
		if len(in) > 1 {
			t.Fatalf("%v is inside units %v", pt, in)
		}
		want := engine.NoIndex
		if len(in) == 1 {
			want = in[0]
		}
		if got != want {
			t.Fatalf("%v located in %d, brute force says %d", pt, got, want)
		}
		if wantInside && got == engine.NoIndex {
			t.Fatalf("%v on an interior border is in no unit", pt)
		}
	}
	t.Run("accounts", func(t *testing.T) {
		outside := 0
		for _, a := range p.Accounts {
			check(t, a.Loc, a.Unit, false)
			if a.Unit == engine.NoIndex {
				outside++
			}
		}
		if outside == 0 || outside == len(p.Accounts) {
			t.Errorf("%d of %d accounts outside: the test data should have some of both", outside, len(p.Accounts))
		}
	})
	t.Run("points on shared borders", func(t *testing.T) {
		n := 0
		for _, b := range p.Borders {
			if b.Right == engine.NoIndex {
				continue
			}
			for i, pt := range b.Line {
				check(t, pt, l.Locate(pt), i > 0 && i < len(b.Line)-1)
				if i > 0 {
					mid := orb.Point{(pt[0] + b.Line[i-1][0]) / 2, (pt[1] + b.Line[i-1][1]) / 2}
					check(t, mid, l.Locate(mid), false)
				}
				n++
			}
		}
		if n == 0 {
			t.Fatal("no interior border")
		}
	})
	t.Run("bad points", func(t *testing.T) {
		for _, pt := range []orb.Point{{200, 100}, {nan(), 30}, {-100, nan()}} {
			if u := l.Locate(pt); u != engine.NoIndex {
				t.Errorf("Locate(%v) = %d, want NoIndex", pt, u)
			}
		}
	})
	t.Run("no units", func(t *testing.T) {
		if u := assign.NewLocator(nil).Locate(orb.Point{0, 0}); u != engine.NoIndex {
			t.Errorf("Locate without units = %d", u)
		}
	})
}

func nan() float64 { var z float64; return z / z }

// twoUnits is a plan of two unit squares side by side, west (0) and east (1),
// with accounts: 0 in the west, 1 in the east, 2 in the east inside a drawn
// polygon, 3 outside every unit.
func twoUnits() (*engine.Plan, *engine.Scenario) {
	sq := func(x0 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, 0}, {x0 + 1, 0}, {x0 + 1, 1}, {x0, 1}, {x0, 0}}}}
	}
	p := &engine.Plan{
		Units: []engine.Unit{{ID: "w", Geom: sq(0)}, {ID: "e", Geom: sq(1)}},
		Accounts: []engine.Account{
			{ID: "a0", Loc: orb.Point{0.5, 0.5}},
			{ID: "a1", Loc: orb.Point{1.5, 0.5}},
			{ID: "a2", Loc: orb.Point{1.8, 0.8}},
			{ID: "a3", Loc: orb.Point{5, 5}},
		},
	}
	s := &engine.Scenario{
		ID: "s",
		Territories: []engine.Territory{
			{ID: "R", Kind: engine.KindRegion},
			{ID: "T1", Kind: engine.KindTerritory, Parent: "R"},
			{ID: "T2", Kind: engine.KindTerritory, Parent: "R",
				Polygon: orb.Polygon{{{1.7, 0.7}, {1.9, 0.7}, {1.9, 0.9}, {1.7, 0.9}, {1.7, 0.7}}}},
		},
		UnitTerritory:    map[string]string{"w": "T1", "e": "T1"},
		AccountTerritory: map[string]string{"a0": "T2"},
	}
	assign.LocateAccounts(p)
	return p, s
}

func TestComputePrecedence(t *testing.T) {
	p, s := twoUnits()
	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	want := []int32{2, 1, 2, engine.NoIndex}
	if !slices.Equal(st.AccountTerr, want) {
		t.Errorf("AccountTerr = %v, want %v (override, unit, polygon, outside)", st.AccountTerr, want)
	}
	if !slices.Equal(st.UnitTerr, []int32{1, 1}) {
		t.Errorf("UnitTerr = %v", st.UnitTerr)
	}
	if !slices.Equal(st.Parent, []int32{engine.NoIndex, 0, 0}) {
		t.Errorf("Parent = %v", st.Parent)
	}
	t.Run("moving a unit skips overridden and drawn accounts", func(t *testing.T) {
		st, _ := assign.Compute(p, s)
		d, err := st.MoveUnits([]int32{0, 1}, engine.NoIndex)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Units) != 2 || len(d.Accounts) != 1 || d.Accounts[0] != (assign.Change{Index: 1, From: 1, To: engine.NoIndex}) {
			t.Errorf("delta = %+v", d)
		}
	})
	t.Run("clearing an override falls back to the unit", func(t *testing.T) {
		st, _ := assign.Compute(p, s)
		d, err := st.MoveAccounts([]int32{0}, engine.NoIndex)
		if err != nil {
			t.Fatal(err)
		}
		if st.AccountTerr[0] != 1 || len(d.Accounts) != 1 || len(d.Overrides) != 1 {
			t.Errorf("AccountTerr[0] = %d, delta %+v", st.AccountTerr[0], d)
		}
	})
	t.Run("removing the polygon", func(t *testing.T) {
		st, _ := assign.Compute(p, s)
		d, err := st.SetPolygon(2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.AccountTerr[2] != 1 || len(d.Accounts) != 1 {
			t.Errorf("AccountTerr[2] = %d, delta %+v", st.AccountTerr[2], d)
		}
		if len(s.Territories[2].Polygon) == 0 {
			t.Error("SetPolygon changed the scenario it was computed from")
		}
	})
}

func TestComputeErrors(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(p *engine.Plan, s *engine.Scenario)
		substr string
	}{
		{"unknown territory for a unit", func(p *engine.Plan, s *engine.Scenario) { s.UnitTerritory["w"] = "nope" }, `"nope"`},
		{"unknown territory for an account", func(p *engine.Plan, s *engine.Scenario) { s.AccountTerritory["a1"] = "gone" }, `"gone"`},
		{"unknown unit", func(p *engine.Plan, s *engine.Scenario) { s.UnitTerritory["zz"] = "T1" }, `"zz"`},
		{"unknown account", func(p *engine.Plan, s *engine.Scenario) { s.AccountTerritory["a9"] = "T1" }, `"a9"`},
		{"unit in a region", func(p *engine.Plan, s *engine.Scenario) { s.UnitTerritory["w"] = "R" }, "not territories"},
		{"account in a region", func(p *engine.Plan, s *engine.Scenario) { s.AccountTerritory["a1"] = "R" }, "not territories"},
		{"duplicate id", func(p *engine.Plan, s *engine.Scenario) { s.Territories[2].ID = "T1" }, `duplicate territory id "T1"`},
		{"empty id", func(p *engine.Plan, s *engine.Scenario) { s.Territories[0].ID = "" }, "empty id"},
		{"unknown parent", func(p *engine.Plan, s *engine.Scenario) { s.Territories[1].Parent = "X" }, `unknown parent "X"`},
		{"cycle", func(p *engine.Plan, s *engine.Scenario) { s.Territories[0].Parent = "T1" }, "own ancestor"},
		{"bad kind", func(p *engine.Plan, s *engine.Scenario) { s.Territories[0].Kind = "zone" }, `unknown kind "zone"`},
		{"polygon on a region", func(p *engine.Plan, s *engine.Scenario) { s.Territories[0].Polygon = s.Territories[2].Polygon }, "has a polygon"},
		{"stale unit index", func(p *engine.Plan, s *engine.Scenario) { p.Accounts[1].Unit = 7 }, "unit index 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, s := twoUnits()
			c.edit(p, s)
			_, err := assign.Compute(p, s)
			if err == nil || !strings.Contains(err.Error(), c.substr) {
				t.Errorf("error = %v, want one containing %s", err, c.substr)
			}
		})
	}
}

func TestMoveErrors(t *testing.T) {
	p, s := twoUnits()
	st, _ := assign.Compute(p, s)
	before := slices.Clone(st.AccountTerr)
	cases := []struct {
		name string
		do   func() error
	}{
		{"unit out of range", func() error { _, err := st.MoveUnits([]int32{0, 5}, 1); return err }},
		{"negative unit", func() error { _, err := st.MoveUnits([]int32{-3}, 1); return err }},
		{"territory out of range", func() error { _, err := st.MoveUnits([]int32{0}, 9); return err }},
		{"unit into a region", func() error { _, err := st.MoveUnits([]int32{0}, 0); return err }},
		{"account out of range", func() error { _, err := st.MoveAccounts([]int32{1, 4}, 1); return err }},
		{"account into a region", func() error { _, err := st.MoveAccounts([]int32{1}, 0); return err }},
		{"polygon without territory", func() error { _, err := st.SetPolygon(engine.NoIndex, nil); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.do(); err == nil {
				t.Error("no error")
			}
			if !slices.Equal(st.AccountTerr, before) || !slices.Equal(st.UnitTerr, []int32{1, 1}) {
				t.Error("a failed edit changed the state")
			}
		})
	}
}

// editor drives random edits on a state and checks them against a
// from-scratch Compute.
type editor struct {
	t       testing.TB
	p       *engine.Plan
	st      *assign.State
	terrs   []int32 // indexes of KindTerritory nodes
	history []assign.Delta
}

func newEditor(t testing.TB, p *engine.Plan) *editor {
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{t: t, p: p, st: st}
	for i, n := range st.Nodes {
		if n.Kind == engine.KindTerritory {
			e.terrs = append(e.terrs, int32(i))
		}
	}
	return e
}

// step performs one edit chosen by op and the argument r.
func (e *editor) step(op byte, r uint32) {
	before := slices.Clone(e.st.AccountTerr)
	terr := engine.NoIndex
	if k := int(r>>8) % (len(e.terrs) + 1); k < len(e.terrs) {
		terr = e.terrs[k]
	}
	var d assign.Delta
	var err error
	switch op % 4 {
	case 0: // a block of units
		n := 1 + int(r%5)
		start := int(r>>16) % len(e.p.Units)
		var units []int32
		for i := 0; i < n; i++ {
			units = append(units, int32((start+i*7)%len(e.p.Units)))
		}
		d, err = e.st.MoveUnits(units, terr)
	case 1: // some accounts
		n := 1 + int(r%9)
		start := int(r>>16) % len(e.p.Accounts)
		var accs []int32
		for i := 0; i < n; i++ {
			accs = append(accs, int32((start+i*131)%len(e.p.Accounts)))
		}
		d, err = e.st.MoveAccounts(accs, terr)
	case 2: // redraw a polygon
		if terr == engine.NoIndex {
			terr = e.terrs[0]
		}
		var poly orb.Polygon
		if r%3 != 0 {
			c := e.p.Accounts[int(r>>16)%len(e.p.Accounts)].Loc
			w := 0.2 + float64(r%7)/5
			poly = orb.Polygon{{{c[0] - w, c[1] - w}, {c[0] + w, c[1] - w}, {c[0], c[1] + w}, {c[0] - w, c[1] - w}}}
		}
		d, err = e.st.SetPolygon(terr, poly)
		e.history = e.history[:0] // polygon edits are not reverted by Revert
	case 3: // undo
		if len(e.history) == 0 {
			return
		}
		last := e.history[len(e.history)-1]
		e.history = e.history[:len(e.history)-1]
		d, err = e.st.Revert(last)
		if err != nil {
			e.t.Fatalf("revert: %v", err)
		}
		e.checkDelta(before, d)
		return
	}
	if err != nil {
		e.t.Fatalf("op %d: %v", op%4, err)
	}
	if op%4 != 2 {
		e.history = append(e.history, d)
	}
	e.checkDelta(before, d)
}

// checkDelta verifies that replaying d's account changes over before gives
// the current account territories.
func (e *editor) checkDelta(before []int32, d assign.Delta) {
	e.t.Helper()
	for _, c := range d.Accounts {
		if before[c.Index] != c.From {
			e.t.Fatalf("delta says account %d moves from %d but it was in %d", c.Index, c.From, before[c.Index])
		}
		before[c.Index] = c.To
	}
	if !slices.Equal(before, e.st.AccountTerr) {
		e.t.Fatal("replaying the delta does not give the new account territories")
	}
}

// verify compares the state with a from-scratch Compute of its scenario.
func (e *editor) verify() {
	e.t.Helper()
	s := &engine.Scenario{ID: "check"}
	e.st.Scenario(s)
	fresh, err := assign.Compute(e.p, s)
	if err != nil {
		e.t.Fatalf("recompute: %v", err)
	}
	if !slices.Equal(fresh.UnitTerr, e.st.UnitTerr) {
		e.t.Fatal("unit territories differ from a recomputation")
	}
	for a := range fresh.AccountTerr {
		if fresh.AccountTerr[a] != e.st.AccountTerr[a] {
			e.t.Fatalf("account %d: incremental %d, recomputed %d", a, e.st.AccountTerr[a], fresh.AccountTerr[a])
		}
	}
}

func TestRandomMovesEqualRecompute(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed "+string(rune('0'+seed)), func(t *testing.T) {
			t.Logf("seed %d", seed)
			p := smallPlan(seed)
			e := newEditor(t, p)
			rng := rand.New(rand.NewPCG(seed, 99))
			for i := 0; i < 300; i++ {
				e.step(byte(rng.IntN(4)), rng.Uint32())
				if i%25 == 0 {
					e.verify()
				}
			}
			e.verify()
		})
	}
}

func TestRevertRestores(t *testing.T) {
	p := smallPlan(4)
	e := newEditor(t, p)
	orig := slices.Clone(e.st.AccountTerr)
	origUnits := slices.Clone(e.st.UnitTerr)
	rng := rand.New(rand.NewPCG(4, 4))
	for i := 0; i < 50; i++ {
		e.step(byte(rng.IntN(2)), rng.Uint32()) // units and accounts only
	}
	for len(e.history) > 0 {
		e.step(3, 0)
	}
	if !slices.Equal(orig, e.st.AccountTerr) || !slices.Equal(origUnits, e.st.UnitTerr) {
		t.Fatal("undoing every edit does not restore the alignment")
	}
}

func FuzzMoves(f *testing.F) {
	p := smallPlan(5)
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{1, 200, 17, 3, 0, 0, 0, 0, 2, 9, 9, 9, 3, 1, 1, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 400 {
			ops = ops[:400]
		}
		e := newEditor(t, p)
		for i := 0; i+4 <= len(ops); i += 4 {
			r := uint32(ops[i+1]) | uint32(ops[i+2])<<8 | uint32(ops[i+3])<<16 | uint32(ops[i+1]^ops[i+3])<<24
			e.step(ops[i], r)
		}
		e.verify()
	})
}

package metrics_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
)

func plan(seed uint64, accounts, territories int) *engine.Plan {
	p := synth.Plan(synth.Config{
		Seed: seed, Cols: 16, Rows: 12, Accounts: accounts, Territories: territories,
		Unassigned: 0.1, Overrides: 30, Polygons: 2,
	})
	assign.LocateAccounts(p)
	return p
}

func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func sameTally(a, b metrics.Tally) bool {
	return a.Accounts == b.Accounts && a.Units == b.Units && closeTo(a.Potential, b.Potential) &&
		closeTo(a.Revenue, b.Revenue) && closeTo(a.LifetimeValue, b.LifetimeValue)
}

// bruteTally sums the figures of the accounts and units of p directly.
func bruteTally(p *engine.Plan) metrics.Tally {
	var t metrics.Tally
	t.Units = len(p.Units)
	t.Accounts = len(p.Accounts)
	for i := range p.Accounts {
		a := &p.Accounts[i]
		t.Potential += a.Potential
		t.LifetimeValue += a.LifetimeValue
		h := a.History
		if len(h) > 12 {
			h = h[len(h)-12:]
		}
		for _, v := range h {
			t.Revenue += float64(v)
		}
	}
	return t
}

func checkConserved(t *testing.T, tl *metrics.Tallies, want metrics.Tally) {
	t.Helper()
	sum := tl.Unassigned
	for _, n := range tl.Nodes {
		sum.Add(n)
	}
	if !sameTally(sum, want) || !sameTally(tl.Plan, want) {
		t.Fatalf("territories + unassigned = %+v, plan = %+v, want %+v", sum, tl.Plan, want)
	}
}

func TestApplyEqualsRecompute(t *testing.T) {
	const seed = 11
	t.Logf("seed %d", seed)
	p := plan(seed, 5000, 20)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	want := bruteTally(p)
	tl := metrics.Compute(p, st)
	checkConserved(t, tl, want)
	if tl.Unassigned.Accounts == 0 || tl.Unassigned.Units == 0 {
		t.Fatal("test data should leave some accounts and units unassigned")
	}
	var terrs []int32
	for i, n := range st.Nodes {
		if n.Kind == engine.KindTerritory {
			terrs = append(terrs, int32(i))
		}
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	var undo []assign.Delta
	for i := 0; i < 400; i++ {
		terr := engine.NoIndex
		if k := rng.IntN(len(terrs) + 1); k < len(terrs) {
			terr = terrs[k]
		}
		var d assign.Delta
		switch rng.IntN(3) {
		case 0:
			d, err = st.MoveUnits([]int32{int32(rng.IntN(len(p.Units))), int32(rng.IntN(len(p.Units)))}, terr)
		case 1:
			d, err = st.MoveAccounts([]int32{int32(rng.IntN(len(p.Accounts)))}, terr)
		case 2:
			if len(undo) == 0 {
				continue
			}
			d, err = st.Revert(undo[len(undo)-1])
			undo = undo[:len(undo)-1]
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Units)+len(d.Overrides) > 0 && rng.IntN(2) == 0 {
			undo = append(undo, d)
		}
		tl.Apply(p, d)
		if i%50 == 0 {
			checkConserved(t, tl, want)
		}
	}
	fresh := metrics.Compute(p, st)
	for i := range fresh.Nodes {
		if !sameTally(fresh.Nodes[i], tl.Nodes[i]) {
			t.Fatalf("node %s: applied %+v, recomputed %+v", st.Nodes[i].ID, tl.Nodes[i], fresh.Nodes[i])
		}
	}
	if !sameTally(fresh.Unassigned, tl.Unassigned) {
		t.Fatalf("unassigned: applied %+v, recomputed %+v", tl.Unassigned, fresh.Unassigned)
	}
	checkConserved(t, tl, want)
}

func TestRollup(t *testing.T) {
	p := plan(12, 3000, 30)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	tl := metrics.Compute(p, st)
	r := metrics.Rollup(st, tl)
	if len(r.Rows) != len(st.Nodes) {
		t.Fatalf("%d rows for %d nodes", len(r.Rows), len(st.Nodes))
	}
	pos := make(map[int32]int)
	for i, row := range r.Rows {
		if _, dup := pos[row.Node]; dup {
			t.Fatalf("node %d appears twice", row.Node)
		}
		pos[row.Node] = i
	}
	var roots metrics.Tally
	for i, row := range r.Rows {
		par := st.Parent[row.Node]
		if par == engine.NoIndex {
			if row.Depth != 0 {
				t.Errorf("top-level %s has depth %d", st.Nodes[row.Node].ID, row.Depth)
			}
			roots.Add(row.Tally)
			continue
		}
		pi, ok := pos[par]
		if !ok || pi >= i {
			t.Fatalf("%s comes before its parent", st.Nodes[row.Node].ID)
		}
		if row.Depth != r.Rows[pi].Depth+1 {
			t.Errorf("%s depth %d, parent depth %d", st.Nodes[row.Node].ID, row.Depth, r.Rows[pi].Depth)
		}
		// Rows between the parent and this row are the parent's descendants,
		// so depth-first order means every row between has depth > parent's.
		for j := pi + 1; j < i; j++ {
			if r.Rows[j].Depth <= r.Rows[pi].Depth {
				t.Fatalf("%s is not contiguous with its parent", st.Nodes[row.Node].ID)
			}
		}
	}
	// Each parent equals the sum of its children (only territories hold figures).
	for _, row := range r.Rows {
		if st.Nodes[row.Node].Kind == engine.KindTerritory {
			if !sameTally(row.Tally, tl.Nodes[row.Node]) {
				t.Errorf("territory %s rolled up to %+v, own %+v", st.Nodes[row.Node].ID, row.Tally, tl.Nodes[row.Node])
			}
			continue
		}
		var sum metrics.Tally
		prevName := ""
		for _, c := range r.Rows {
			if st.Parent[c.Node] == row.Node {
				sum.Add(c.Tally)
				if name := st.Nodes[c.Node].Name; name < prevName {
					t.Errorf("children of %s not sorted by name: %q after %q", st.Nodes[row.Node].ID, name, prevName)
				} else {
					prevName = name
				}
			}
		}
		if !sameTally(sum, row.Tally) {
			t.Errorf("%s = %+v, children sum to %+v", st.Nodes[row.Node].ID, row.Tally, sum)
		}
	}
	roots.Add(r.Unassigned)
	if !sameTally(roots, r.Plan) || !sameTally(r.Plan, bruteTally(p)) {
		t.Errorf("top-level + unassigned = %+v, plan %+v", roots, r.Plan)
	}
}

func TestBalanceOf(t *testing.T) {
	cases := []struct {
		name                 string
		values               []float64
		mean, cv, maxDev, gi float64
	}{
		{"empty", nil, 0, 0, 0, 0},
		{"all zero", []float64{0, 0, 0}, 0, 0, 0, 0},
		{"equal", []float64{5, 5, 5, 5}, 5, 0, 0, 0},
		// one of four holds everything: std = mean·√3, Gini = (n−1)/n.
		{"one holds all", []float64{0, 10, 0, 0}, 2.5, math.Sqrt(3), 3, 0.75},
		// 1,3: mean 2, std 1, deviations ±0.5, Gini = |1−3|/(2·2·2)·2 = 0.25.
		{"pair", []float64{3, 1}, 2, 0.5, 0.5, 0.25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := metrics.BalanceOf(c.values)
			if b.N != len(c.values) || !closeTo(b.Mean, c.mean) || !closeTo(b.CV, c.cv) ||
				!closeTo(b.MaxAbsDeviation, c.maxDev) || !closeTo(b.Gini, c.gi) {
				t.Errorf("BalanceOf(%v) = %+v, want mean %v cv %v maxDev %v gini %v", c.values, b, c.mean, c.cv, c.maxDev, c.gi)
			}
		})
	}
	t.Run("input unchanged", func(t *testing.T) {
		v := []float64{3, 1, 2}
		metrics.BalanceOf(v)
		if v[0] != 3 || v[1] != 1 || v[2] != 2 {
			t.Errorf("values reordered: %v", v)
		}
	})
}

func TestDeviation(t *testing.T) {
	cases := []struct {
		name       string
		v, mean, w float64
	}{
		{"above", 150, 100, 0.5},
		{"below", 50, 100, -0.5},
		{"zero mean", 3, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := metrics.Deviation(c.v, c.mean); !closeTo(got, c.w) {
				t.Errorf("Deviation(%v, %v) = %v, want %v", c.v, c.mean, got, c.w)
			}
		})
	}
}

func TestTerritoryBalance(t *testing.T) {
	p := plan(13, 2000, 10)
	st, _ := assign.Compute(p, p.Scenarios[0])
	tl := metrics.Compute(p, st)
	v := metrics.TerritoryValues(st, tl, metrics.Potential)
	if len(v) != 10 {
		t.Fatalf("%d territory values, want 10", len(v))
	}
	b := metrics.TerritoryBalance(st, tl, metrics.Potential)
	var sum float64
	for _, x := range v {
		sum += x
	}
	if !closeTo(b.Mean*10, sum) {
		t.Errorf("mean %v for sum %v over 10", b.Mean, sum)
	}
	if b.Gini <= 0 || b.Gini >= 1 || b.CV <= 0 {
		t.Errorf("uneven random territories give %+v", b)
	}
}

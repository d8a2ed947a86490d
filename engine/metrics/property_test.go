package metrics_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
)

// withReps gives p reps of 30 to 45 hours a week and staffs two territories
// in three, one rep covering two territories now and then.
func withReps(p *engine.Plan, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := 0; i < 40; i++ {
		p.Reps = append(p.Reps, engine.Rep{ID: fmt.Sprintf("rep%d", i), CapacityHours: 30 + float64(rng.IntN(16))})
	}
	for _, s := range p.Scenarios {
		for i := range s.Territories {
			if s.Territories[i].Kind == engine.KindTerritory && rng.IntN(3) > 0 {
				s.Territories[i].RepID = p.Reps[rng.IntN(len(p.Reps))].ID
			}
		}
	}
}

// smallPlan is a synthetic plan of 16×12 units and a few thousand accounts,
// with unassigned units, overrides, drawn polygons, reps and unit data.
func smallPlan(seed uint64, accounts, territories int) *engine.Plan {
	p := synth.Plan(synth.Config{
		Seed: seed, Cols: 16, Rows: 12, Accounts: accounts, Territories: territories,
		Unassigned: 0.1, Overrides: 30, Polygons: 2,
	})
	for u := range p.Units {
		p.Units[u].Data = map[string]float64{"population": float64(1000 + 37*u%500)}
	}
	withReps(p, seed)
	assign.LocateAccounts(p)
	return p
}

func testConfig(p *engine.Plan) metrics.Config {
	cfg := metrics.DefaultConfig()
	col := make([]float64, len(p.Accounts))
	for i := range col {
		col[i] = float64(i%7) * 10
	}
	cfg.Columns = []metrics.Column{{Name: "projectedRevenue", Values: col}}
	cfg.Weights["projectedRevenue"] = 5
	cfg.Weights["utilisation"] = 5
	return cfg
}

// tol is the tolerance for figure m: relative to the plan's total, since
// incremental sums carry rounding from every edit.
func tol(ref float64) float64 { return 1e-9 * math.Max(1, math.Abs(ref)) }

func sameNum(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// sameAsFresh checks l against live figures computed from scratch and
// against a brute-force computation.
func sameAsFresh(t testing.TB, p *engine.Plan, st *assign.State, l *metrics.Live, cfg metrics.Config) {
	t.Helper()
	fresh, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := compareReports(l.Report(), fresh.Report()); err != nil {
		t.Fatalf("incremental vs from scratch: %v", err)
	}
	if err := bruteCheck(p, st, cfg, fresh); err != nil {
		t.Fatalf("from scratch vs brute force: %v", err)
	}
}

// nearEdge reports whether deviation d lies on a default band edge, where
// rounding may legitimately put it on either side.
func nearEdge(d float64) bool {
	for _, e := range metrics.DefaultConfig().Bands {
		if math.Abs(math.Abs(d)-e) < 1e-9 {
			return true
		}
	}
	return false
}

func compareReports(got, want metrics.Report) error {
	if len(got.Rows) != len(want.Rows) {
		return fmt.Errorf("%d rows, want %d", len(got.Rows), len(want.Rows))
	}
	plan := want.Rows[len(want.Rows)-1]
	for i := range want.Rows {
		g, w := got.Rows[i], want.Rows[i]
		if g.ID != w.ID || g.Kind != w.Kind || g.Depth != w.Depth {
			return fmt.Errorf("row %d is %s %q depth %d, want %s %q depth %d", i, g.Kind, g.ID, g.Depth, w.Kind, w.ID, w.Depth)
		}
		for m, wv := range w.Values {
			if !sameNum(g.Values[m], wv, tol(plan.Values[m])) {
				return fmt.Errorf("%s %q: %s = %v, want %v", w.Kind, w.ID, want.Metrics[m].Name, g.Values[m], wv)
			}
			if w.Deviation != nil && (!sameNum(g.Deviation[m], w.Deviation[m], 1e-9) || g.Band[m] != w.Band[m] && !nearEdge(w.Deviation[m])) {
				return fmt.Errorf("%s %q: %s deviation %v band %d, want %v band %d", w.Kind, w.ID, want.Metrics[m].Name, g.Deviation[m], g.Band[m], w.Deviation[m], w.Band[m])
			}
		}
		if !sameNum(g.Composite, w.Composite, 1e-9) {
			return fmt.Errorf("%q composite %v, want %v", w.ID, g.Composite, w.Composite)
		}
	}
	gb, wb := got.Balance, want.Balance
	if gb.HasIndex != wb.HasIndex || !sameNum(gb.Index, wb.Index, 1e-7) || len(gb.Metrics) != len(wb.Metrics) {
		return fmt.Errorf("balance index %v (%v), want %v (%v)", gb.Index, gb.HasIndex, wb.Index, wb.HasIndex)
	}
	for i, w := range wb.Metrics {
		g := gb.Metrics[i]
		if g.Name != w.Name || g.N != w.N || g.Defined != w.Defined ||
			!sameNum(g.Mean, w.Mean, tol(w.Mean)) || !sameNum(g.Total, w.Total, tol(w.Total)) ||
			!sameNum(g.CV, w.CV, 1e-9) || !sameNum(g.Gini, w.Gini, 1e-9) ||
			!sameNum(g.MaxAbsDeviation, w.MaxAbsDeviation, 1e-9) || !sameNum(g.MeanAbsDeviation, w.MeanAbsDeviation, 1e-9) {
			return fmt.Errorf("balance of %s: %+v, want %+v", w.Name, g, w)
		}
	}
	return nil
}

// bruteCheck recomputes the figures of every group of st directly from the
// plan, with none of the Live's machinery, and compares them with l. It also
// checks that territories plus unassigned add up to the plan.
func bruteCheck(p *engine.Plan, st *assign.State, cfg metrics.Config, l *metrics.Live) error {
	n := len(st.Nodes)
	un, pl := n, n+1
	in := func(t int32, g int) bool { // does what territory t (or NoIndex) holds belong to group g?
		if g == pl {
			return true
		}
		if t == engine.NoIndex {
			return g == un
		}
		for ; t != engine.NoIndex; t = st.Parent[t] {
			if int(t) == g {
				return true
			}
		}
		return false
	}
	type fig struct {
		acc, units                                      int
		pot, rev, ltv, visits, work, col, area, pop, km float64
		capacity                                        float64
		parts                                           int
	}
	figs := make([]fig, n+2)
	colM, hasCol := l.Base().Metric("projectedRevenue")
	popM, hasPop := l.Base().Metric("population")
	if !hasCol {
		colM = metrics.Accounts
	}
	if !hasPop {
		popM = metrics.Accounts
	}
	plans := map[string]metrics.CallPlan{}
	for k, v := range cfg.CallPlans {
		plans[strings.ToUpper(strings.TrimSpace(k))] = v
	}
	for a := range p.Accounts {
		acc := &p.Accounts[a]
		cp, ok := plans[strings.ToUpper(strings.TrimSpace(acc.Tier))]
		if !ok {
			cp = cfg.DefaultCallPlan
		}
		for g := range figs {
			if in(st.AccountTerr[a], g) {
				f := &figs[g]
				f.acc++
				f.pot += acc.Potential
				f.rev += acc.Revenue12()
				f.ltv += acc.LifetimeValue
				f.visits += cp.VisitsPerYear
				f.work += cp.VisitsPerYear * (cp.VisitMinutes + cp.TravelMinutes) / 60
				if len(cfg.Columns) > 0 {
					f.col += cfg.Columns[0].Values[a]
				}
			}
		}
	}
	for u := range p.Units {
		for g := range figs {
			if in(st.UnitTerr[u], g) {
				figs[g].units++
				figs[g].area += p.Units[u].AreaKm2
				figs[g].pop += p.Units[u].Data["population"]
			}
		}
	}
	repTerrs := map[string]int{}
	for i := range st.Nodes {
		if st.Nodes[i].Kind == engine.KindTerritory && st.Nodes[i].RepID != "" {
			repTerrs[st.Nodes[i].RepID]++
		}
	}
	weekly := map[string]float64{}
	for _, r := range p.Reps {
		weekly[r.ID] = r.CapacityHours
	}
	for i := range st.Nodes {
		nd := &st.Nodes[i]
		if nd.Kind != engine.KindTerritory {
			continue
		}
		c := 0.0
		if nd.RepID != "" {
			c = weekly[nd.RepID] * cfg.WeeksPerYear / float64(repTerrs[nd.RepID])
		}
		var pa, pk float64
		var pp int
		if len(nd.Polygon) > 0 {
			pa, pk, pp = geo.AreaKm2(nd.Polygon), geo.PerimeterKm(nd.Polygon), 1
		}
		for g := range figs {
			if in(int32(i), g) {
				figs[g].capacity += c
				figs[g].area += pa
				figs[g].km += pk
				figs[g].parts += pp
			}
		}
	}
	// Outline: an arc counts for a group holding exactly one of its sides.
	for _, b := range p.Borders {
		if b.Left == b.Right {
			continue
		}
		km := orbgeo.Length(b.Line) / 1000
		for g := range figs {
			l := b.Left != engine.NoIndex && in(st.UnitTerr[b.Left], g)
			r := b.Right != engine.NoIndex && in(st.UnitTerr[b.Right], g)
			if l != r {
				figs[g].km += km
			}
		}
	}
	// Parts: union-find over the neighbour lists.
	for g := range figs {
		root := make([]int, len(p.Units))
		for i := range root {
			root[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			if root[i] != i {
				root[i] = find(root[i])
			}
			return root[i]
		}
		comps := 0
		for u := range p.Units {
			if in(st.UnitTerr[u], g) {
				comps++
			}
		}
		for u := range p.Units {
			if !in(st.UnitTerr[u], g) {
				continue
			}
			for _, v := range p.Units[u].Neighbors {
				if in(st.UnitTerr[v], g) {
					if a, b := find(u), find(int(v)); a != b {
						root[a] = b
						comps--
					}
				}
			}
		}
		figs[g].parts += comps
	}
	var sumTerr fig
	for g := range figs {
		f := figs[g]
		if g < n && st.Nodes[g].Kind == engine.KindTerritory || g == un {
			sumTerr.acc += f.acc
			sumTerr.units += f.units
			sumTerr.pot += f.pot
			sumTerr.work += f.work
		}
		node := int32(g)
		get := func(m metrics.Metric) float64 {
			if g == un {
				return l.Value(engine.NoIndex, m)
			}
			if g == pl {
				return l.PlanValue(m)
			}
			return l.Value(node, m)
		}
		util := math.NaN()
		if f.capacity > 0 {
			util = f.work / f.capacity
		}
		tot := figs[pl]
		for _, c := range []struct {
			m         metrics.Metric
			want, tol float64
		}{
			{metrics.Accounts, float64(f.acc), 0},
			{metrics.Units, float64(f.units), 0},
			{metrics.Potential, f.pot, tol(tot.pot)},
			{metrics.Revenue, f.rev, tol(tot.rev)},
			{metrics.LifetimeValue, f.ltv, tol(tot.ltv)},
			{metrics.Visits, f.visits, tol(tot.visits)},
			{metrics.WorkloadHours, f.work, tol(tot.work)},
			{metrics.CapacityHours, f.capacity, tol(tot.capacity)},
			{metrics.Utilisation, util, 1e-9},
			{metrics.AreaKm2, f.area, tol(tot.area)},
			{metrics.PerimeterKm, f.km, 1e-3},
			{metrics.Parts, float64(f.parts), 0},
			{colM, pick(hasCol, f.col, float64(f.acc)), tol(tot.col)},
			{popM, pick(hasPop, f.pop, float64(f.acc)), tol(tot.pop)},
		} {
			if got := get(c.m); !sameNum(got, c.want, c.tol) {
				return fmt.Errorf("group %d: %s = %v, brute force %v", g, l.Base().Name(c.m), got, c.want)
			}
		}
	}
	if tot := figs[pl]; sumTerr.acc != tot.acc || sumTerr.units != tot.units || !sameNum(sumTerr.pot, tot.pot, tol(tot.pot)) || !sameNum(sumTerr.work, tot.work, tol(tot.work)) {
		return fmt.Errorf("territories + unassigned = %+v, plan %+v", sumTerr, tot)
	}
	// Balance without targets equals BalanceOf over the territories' values.
	if len(cfg.Targets) == 0 {
		for _, mb := range l.Balance().Metrics {
			if mb.Metric == metrics.Utilisation {
				continue
			}
			var vals []float64
			for i := range st.Nodes {
				if st.Nodes[i].Kind == engine.KindTerritory {
					vals = append(vals, l.Value(int32(i), mb.Metric))
				}
			}
			ref := metrics.BalanceOf(vals)
			if mb.Defined && (!sameNum(ref.CV, mb.CV, 1e-9) || !sameNum(ref.Gini, mb.Gini, 1e-9) || !sameNum(ref.MaxAbsDeviation, mb.MaxAbsDeviation, 1e-9)) {
				return fmt.Errorf("balance of %s: %+v, BalanceOf %+v", mb.Name, mb.Balance, ref)
			}
		}
	}
	return nil
}

func pick(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

// editor makes random edits of an alignment and hands their deltas on.
type editor struct {
	p     *engine.Plan
	st    *assign.State
	terrs []int32
	dists []int32
	undo  []assign.Delta
}

func newEditor(p *engine.Plan, st *assign.State) *editor {
	e := &editor{p: p, st: st}
	for i, n := range st.Nodes {
		switch n.Kind {
		case engine.KindTerritory:
			e.terrs = append(e.terrs, int32(i))
		case engine.KindDistrict:
			e.dists = append(e.dists, int32(i))
		}
	}
	return e
}

// edit performs edit number op (mod 7) with arguments x and y, and returns
// its delta and a description.
func (e *editor) edit(op, x, y int) (assign.Delta, string, error) {
	st, p := e.st, e.p
	terr := engine.NoIndex
	if k := y % (len(e.terrs) + 1); k < len(e.terrs) {
		terr = e.terrs[k]
	}
	var d assign.Delta
	var err error
	var what string
	switch op % 7 {
	case 0, 1: // paint one or a few units
		us := []int32{int32(x % len(p.Units))}
		if op%7 == 1 {
			us = append(us, int32((x*7+3)%len(p.Units)), int32((x*13+1)%len(p.Units)))
		}
		what = fmt.Sprintf("MoveUnits(%v, %d)", us, terr)
		d, err = st.MoveUnits(us, terr)
	case 2:
		a := int32(x % len(p.Accounts))
		what = fmt.Sprintf("MoveAccounts(%d, %d)", a, terr)
		d, err = st.MoveAccounts([]int32{a}, terr)
	case 3:
		t := e.terrs[x%len(e.terrs)]
		var poly orb.Polygon
		if y%4 != 0 {
			at := p.Accounts[(x*31+y)%len(p.Accounts)].Loc
			r := 0.2 + float64(y%5)*0.2
			poly = orb.Polygon{{{at[0] - r, at[1] - r}, {at[0] + r, at[1] - r}, {at[0] + r, at[1] + r}, {at[0] - r, at[1] + r}, {at[0] - r, at[1] - r}}}
		}
		what = fmt.Sprintf("SetPolygon(%d, %d points)", t, len(poly))
		d, err = st.SetPolygon(t, poly)
	case 4:
		if len(e.undo) == 0 {
			return assign.Delta{}, "nothing to undo", nil
		}
		what = "Revert"
		d, err = st.Revert(e.undo[len(e.undo)-1])
		e.undo = e.undo[:len(e.undo)-1]
	case 5: // the rep of a territory
		t := e.terrs[x%len(e.terrs)]
		rep := ""
		if y%5 != 0 {
			rep = p.Reps[y%len(p.Reps)].ID
		}
		what = fmt.Sprintf("rep of %d = %q", t, rep)
		st.Nodes[t].RepID = rep
		d.Nodes = []int32{t}
	case 6: // a territory to another district
		if len(e.dists) == 0 {
			return assign.Delta{}, "no districts", nil
		}
		t := e.terrs[x%len(e.terrs)]
		dd := e.dists[y%len(e.dists)]
		what = fmt.Sprintf("parent of %d = %d", t, dd)
		st.Parent[t] = dd
		st.Nodes[t].Parent = st.Nodes[dd].ID
		d.Nodes = []int32{t}
	}
	if err == nil && len(d.Units)+len(d.Overrides) > 0 && (x+y)%2 == 0 {
		e.undo = append(e.undo, d)
	}
	return d, what, err
}

// snapshot holds every group's figures, to see which a step changed.
func snapshot(l *metrics.Live, n int) [][]float64 {
	var s [][]float64
	for g := -1; g <= n; g++ {
		var row []float64
		for m := range l.Metrics() {
			switch {
			case g == n:
				row = append(row, l.PlanValue(metrics.Metric(m)))
			default:
				row = append(row, l.Value(int32(g), metrics.Metric(m)))
			}
		}
		s = append(s, row)
	}
	return s
}

// checkStepRows checks that every group whose figures changed is in the step.
func checkStepRows(t testing.TB, before, after [][]float64, s metrics.Step, n int) {
	t.Helper()
	in := map[int]bool{}
	for _, r := range s.Rows {
		switch r.Kind {
		case metrics.KindUnassigned:
			in[-1] = true
		case metrics.KindPlan:
			in[n] = true
		default:
			in[int(r.Node)] = true
		}
	}
	for i := range before {
		g := i - 1
		if in[g] {
			continue
		}
		for m := range before[i] {
			if !sameNum(before[i][m], after[i][m], 0) {
				t.Fatalf("group %d metric %d changed from %v to %v but is not in the step's rows", g, m, before[i][m], after[i][m])
			}
		}
	}
}

// bands holds every territory's band per metric.
func bands(l *metrics.Live, st *assign.State) map[int32][]int {
	out := map[int32][]int{}
	for i := range st.Nodes {
		if st.Nodes[i].Kind == engine.KindTerritory {
			for m := range l.Metrics() {
				out[int32(i)] = append(out[int32(i)], l.Band(int32(i), metrics.Metric(m)))
			}
		}
	}
	return out
}

// checkRebanded checks that every territory whose band changed is in the
// step's rows or listed as rebanded.
func checkRebanded(t testing.TB, before, after map[int32][]int, s metrics.Step) {
	t.Helper()
	listed := map[int32]bool{}
	for _, r := range s.Rows {
		listed[r.Node] = true
	}
	for _, n := range s.Rebanded {
		if listed[n] {
			t.Fatalf("territory %d both in rows and rebanded", n)
		}
		listed[n] = true
	}
	for n, b := range before {
		if !slices.Equal(b, after[n]) && !listed[n] {
			t.Fatalf("territory %d: bands %v → %v, not in the step", n, b, after[n])
		}
	}
}

func TestLiveRandomEdits(t *testing.T) {
	for _, seed := range []uint64{21, 22, 23} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			p := smallPlan(seed, 4000, 24)
			st, err := assign.Compute(p, p.Scenarios[0])
			if err != nil {
				t.Fatal(err)
			}
			cfg := testConfig(p)
			if seed == 23 {
				cfg.Targets = map[string]float64{"T0": 0.1, "T1": 0.02, "T5": 0.05}
			}
			l, err := metrics.NewLive(p, st, cfg)
			if err != nil {
				t.Fatal(err)
			}
			sameAsFresh(t, p, st, l, cfg)
			e := newEditor(p, st)
			rng := rand.New(rand.NewPCG(seed, 3))
			n := len(st.Nodes)
			for i := 0; i < 600; i++ {
				d, what, err := e.edit(rng.IntN(7), rng.IntN(1<<20), rng.IntN(1<<20))
				if err != nil {
					t.Fatalf("edit %d %s: %v", i, what, err)
				}
				before, bandsBefore := snapshot(l, n), bands(l, st)
				s, err := l.Apply(d)
				if err != nil {
					t.Fatalf("edit %d %s: %v", i, what, err)
				}
				checkStepRows(t, before, snapshot(l, n), s, n)
				checkRebanded(t, bandsBefore, bands(l, st), s)
				if i%60 == 59 {
					sameAsFresh(t, p, st, l, cfg)
				}
			}
			sameAsFresh(t, p, st, l, cfg)
		})
	}
}

var (
	fuzzOnce sync.Once
	fuzzP    *engine.Plan
)

// FuzzLive drives random edits from the fuzz input (three bytes an edit)
// and checks the incremental figures against a computation from scratch and
// a brute-force one, and the totals against the plan.
func FuzzLive(f *testing.F) {
	f.Add([]byte{0, 1, 2, 1, 5, 9, 2, 7, 3, 3, 1, 1, 4, 0, 0})
	f.Add([]byte{6, 1, 1, 5, 2, 3, 0, 9, 4, 1, 3, 2, 4, 4, 4})
	f.Add([]byte{3, 0, 1, 3, 0, 4, 1, 200, 17, 0, 13, 24})
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOnce.Do(func() {
			fuzzP = synth.Plan(synth.Config{Seed: 5, Cols: 8, Rows: 6, Accounts: 400, Territories: 10, Unassigned: 0.15, Overrides: 5, Polygons: 1})
			withReps(fuzzP, 5)
			assign.LocateAccounts(fuzzP)
		})
		p := fuzzP
		st, err := assign.Compute(p, p.Scenarios[0])
		if err != nil {
			t.Fatal(err)
		}
		cfg := testConfig(p)
		l, err := metrics.NewLive(p, st, cfg)
		if err != nil {
			t.Fatal(err)
		}
		e := newEditor(p, st)
		for i := 0; i+2 < len(data) && i < 3*64; i += 3 {
			d, what, err := e.edit(int(data[i]), int(data[i+1])*7+int(data[i]), int(data[i+2]))
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if _, err := l.Apply(d); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		sameAsFresh(t, p, st, l, cfg)
	})
}

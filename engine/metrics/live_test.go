package metrics_test

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
	"territoria/engine/metrics"
)

// figuresPlan is one row of four units: a a b . (the last unassigned),
// territories a, b and c (c holds nothing) in district d of region r.
func figuresPlan() tinyPlan {
	return tinyPlan{
		layout: []string{"aab."},
		nodes: []engine.Territory{
			node("r", engine.KindRegion, "", ""),
			node("d", engine.KindDistrict, "r", ""),
			node("a", engine.KindTerritory, "d", "r1"),
			node("b", engine.KindTerritory, "d", "r2"),
			node("c", engine.KindTerritory, "d", ""),
		},
		reps: []engine.Rep{{ID: "r1", CapacityHours: 40}, {ID: "r2", CapacityHours: 20}},
		accounts: []tinyAcc{
			{x: 0, tier: "A", potential: 1000, ltv: 5000, history: hist(14, 10)}, // revenue: last 12 months = 120
			{x: 1, tier: "B", potential: 500, ltv: 800, history: hist(3, 5)},     // 15
			{x: 2, tier: "C", potential: 200, ltv: 100},
			{x: 2, tier: " a ", potential: 300}, // tier matched ignoring case and spaces
			{x: 3, tier: "Z", potential: 50},    // unknown tier: default call plan
		},
	}
}

func TestLiveFigures(t *testing.T) {
	p, st := figuresPlan().build(t)
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	// Edges: h0 along the equator, h1 along latitude −1°, v along a meridian.
	h0, h1, v := edgeH0, edgeH1, edgeV
	// Workload per account: A 24×(60+30)/60 = 36 h, B 12×(45+30)/60 = 15 h,
	// C and others 4×(30+30)/60 = 4 h. Capacity: 40 h × 46 weeks = 1840 h.
	perimA := 2*h0 + 2*h1 + 2*v
	cases := []struct {
		name string
		node string // "" unassigned, "plan" the plan
		m    metrics.Metric
		want float64
	}{
		{"a accounts", "a", metrics.Accounts, 2},
		{"a units", "a", metrics.Units, 2},
		{"a potential", "a", metrics.Potential, 1500},
		{"a revenue is the last 12 months", "a", metrics.Revenue, 120 + 15},
		{"a lifetime value", "a", metrics.LifetimeValue, 5800},
		{"a visits", "a", metrics.Visits, 24 + 12},
		{"a workload", "a", metrics.WorkloadHours, 36 + 15},
		{"a capacity", "a", metrics.CapacityHours, 40 * 46},
		{"a utilisation", "a", metrics.Utilisation, 51.0 / 1840},
		{"a area", "a", metrics.AreaKm2, 200},
		{"a perimeter", "a", metrics.PerimeterKm, perimA},
		{"a compactness", "a", metrics.Compactness, 4 * math.Pi * 200 / (perimA * perimA)},
		{"a parts", "a", metrics.Parts, 1},
		{"b workload: C and lower-case a", "b", metrics.WorkloadHours, 4 + 36},
		{"b capacity", "b", metrics.CapacityHours, 20 * 46},
		{"b utilisation", "b", metrics.Utilisation, 40.0 / 920},
		{"b perimeter", "b", metrics.PerimeterKm, h0 + h1 + 2*v},
		{"c vacant: utilisation undefined", "c", metrics.Utilisation, math.NaN()},
		{"c empty: compactness undefined", "c", metrics.Compactness, math.NaN()},
		{"c parts", "c", metrics.Parts, 0},
		{"district potential", "d", metrics.Potential, 2000},
		{"district capacity", "d", metrics.CapacityHours, 60 * 46},
		{"district utilisation of sums", "d", metrics.Utilisation, 91.0 / 2760},
		{"district dissolved outline", "d", metrics.PerimeterKm, 3*h0 + 3*h1 + 2*v},
		{"region parts", "r", metrics.Parts, 1},
		{"unassigned accounts", "", metrics.Accounts, 1},
		{"unassigned workload", "", metrics.WorkloadHours, 4},
		{"unassigned utilisation undefined", "", metrics.Utilisation, math.NaN()},
		{"unassigned perimeter", "", metrics.PerimeterKm, h0 + h1 + 2*v},
		{"plan potential", "plan", metrics.Potential, 2050},
		{"plan units", "plan", metrics.Units, 4},
		{"plan utilisation", "plan", metrics.Utilisation, 95.0 / 2760},
		{"plan outline", "plan", metrics.PerimeterKm, 4*h0 + 4*h1 + 2*v},
		{"plan parts", "plan", metrics.Parts, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got float64
			switch c.node {
			case "plan":
				got = l.PlanValue(c.m)
			case "":
				got = l.Value(engine.NoIndex, c.m)
			default:
				got = l.Value(st.Node(c.node), c.m)
			}
			if !near(got, c.want) {
				t.Errorf("%s of %q = %v, want %v", c.m, c.node, got, c.want)
			}
		})
	}
}

func TestLiveShape(t *testing.T) {
	h0, h1, v := edgeH0, edgeH1, edgeV
	square := orb.Polygon{{{10, 10}, {11, 10}, {11, 11}, {10, 11}, {10, 10}}}
	cases := []struct {
		name    string
		layout  []string
		polygon orb.Polygon // of territory a
		parts   float64
		area    float64
		perim   func() float64
	}{
		{"one unit", []string{"a"}, nil, 1, 100, func() float64 {
			return h0 + h1 + 2*v
		}},
		{"split by an unassigned unit", []string{"a.a"}, nil, 2, 200, func() float64 {
			return 2 * (h0 + h1 + 2*v)
		}},
		{"joined below", []string{"a.a", "aaa"}, nil, 1, 500, nil},
		{"diagonal cells are not neighbours", []string{"a.", ".a"}, nil, 2, 200, nil},
		{"drawn polygon is a part", []string{"a.a"}, square, 3, 200 + geo.AreaKm2(square), func() float64 {
			return 2*(h0+h1+2*v) + geo.PerimeterKm(square)
		}},
		{"polygon alone", []string{"."}, square, 1, geo.AreaKm2(square), func() float64 { return geo.PerimeterKm(square) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nodes := []engine.Territory{node("a", engine.KindTerritory, "", "")}
			nodes[0].Polygon = c.polygon
			p, st := tinyPlan{layout: c.layout, nodes: nodes}.build(t)
			l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			a := st.Node("a")
			if got := l.Value(a, metrics.Parts); got != c.parts {
				t.Errorf("parts %v, want %v", got, c.parts)
			}
			if got := l.Value(a, metrics.AreaKm2); !near(got, c.area) {
				t.Errorf("area %v, want %v", got, c.area)
			}
			if c.perim != nil {
				want := c.perim()
				if got := l.Value(a, metrics.PerimeterKm); math.Abs(got-want) > 1e-5 {
					t.Errorf("perimeter %v, want %v", got, want)
				}
				if got := l.Value(a, metrics.Compactness); !near(got, 4*math.Pi*c.area/(want*want)) && math.Abs(got-4*math.Pi*c.area/(want*want)) > 1e-9 {
					t.Errorf("compactness %v, want 4π·%v/%v²", got, c.area, want)
				}
			}
		})
	}
}

// balancePlan has one unit per territory t1..tN with the given potentials
// (one tier-C account each) under no district.
func balancePlan(t *testing.T, potentials ...float64) (*engine.Plan, *assign.State) {
	t.Helper()
	var tp tinyPlan
	row := ""
	for i, v := range potentials {
		id := string(rune('a' + i))
		row += id
		tp.nodes = append(tp.nodes, node(id, engine.KindTerritory, "", ""))
		tp.accounts = append(tp.accounts, tinyAcc{x: i, tier: "C", potential: v})
	}
	tp.layout = []string{row}
	return tp.build(t)
}

func TestLiveBalance(t *testing.T) {
	dev := func(v, mean float64) float64 { return v/mean - 1 }
	cases := []struct {
		name       string
		potentials []float64
		targets    map[string]float64
		devs       []float64
		bands      []int
		maxDev     float64
		mad        float64
		cv         float64
		gini       float64
	}{
		{
			// mean 110: −9.1 %, −9.1 %, +18.2 %.
			name: "three territories", potentials: []float64{100, 100, 130},
			devs: []float64{dev(100, 110), dev(100, 110), dev(130, 110)}, bands: []int{1, 1, 2},
			maxDev: 20.0 / 110, mad: 40.0 / 330, cv: math.Sqrt((2*100.0 + 400) / 3 / (110 * 110)),
			// Σ(2i−n−1)x = −2·100 + 0·100 + 2·130 = 60; /(3·330)
			gini: 60.0 / 990,
		},
		{
			name: "band edges are inclusive", potentials: []float64{105, 95, 110, 90, 120, 80, 121, 79},
			devs:  []float64{0.05, -0.05, 0.10, -0.10, 0.20, -0.20, 0.21, -0.21},
			bands: []int{0, 0, 1, 1, 2, 2, 3, 3}, maxDev: 0.21, mad: (0.05 + 0.10 + 0.20 + 0.21) / 4,
			cv: math.Sqrt((0.05*0.05 + 0.01 + 0.04 + 0.21*0.21) / 4), gini: -1,
		},
		{
			// targets: a 25 %, b 25 %, c 50 % of 400 → a, b 100, c 200.
			name: "target shares", potentials: []float64{100, 110, 190},
			targets: map[string]float64{"a": 0.25, "b": 0.25, "c": 0.5},
			devs:    []float64{0, 0.1, -0.05}, bands: []int{0, 1, 0}, maxDev: 0.1, mad: 0.05,
			cv: math.Sqrt((0.01 + 0.0025) / 3),
			// ratios to share: 400, 440, 380 → Σ(2i−n−1)x = −2·380 + 0 + 2·440 = 120; /(3·1220)
			gini: 120.0 / 3660,
		},
		{
			name: "absent target is the plan average", potentials: []float64{100, 200},
			targets: map[string]float64{"b": 0.6}, devs: []float64{100.0/150 - 1, 200.0/180 - 1},
			bands: []int{3, 2}, maxDev: 1.0 / 3, mad: (1.0/3 + 1.0/9) / 2, cv: math.Sqrt((1.0/9 + 1.0/81) / 2),
			gini: -1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, st := balancePlan(t, c.potentials...)
			cfg := metrics.DefaultConfig()
			cfg.Targets = c.targets
			cfg.Weights = map[string]float64{"potential": 1}
			l, err := metrics.NewLive(p, st, cfg)
			if err != nil {
				t.Fatal(err)
			}
			for i := range c.potentials {
				n := st.Node(string(rune('a' + i)))
				if got := l.Deviation(n, metrics.Potential); !near(got, c.devs[i]) {
					t.Errorf("territory %d deviation %v, want %v", i, got, c.devs[i])
				}
				if got := l.Band(n, metrics.Potential); got != c.bands[i] {
					t.Errorf("territory %d band %d, want %d", i, got, c.bands[i])
				}
			}
			var mb metrics.MetricBalance
			sum := l.Balance()
			for _, b := range sum.Metrics {
				if b.Metric == metrics.Potential {
					mb = b
				}
			}
			if !mb.Defined || mb.N != len(c.potentials) || !near(mb.MaxAbsDeviation, c.maxDev) || !near(mb.MeanAbsDeviation, c.mad) || !near(mb.CV, c.cv) {
				t.Errorf("balance %+v, want max %v mean abs %v cv %v", mb, c.maxDev, c.mad, c.cv)
			}
			if c.gini >= 0 && !near(mb.Gini, c.gini) {
				t.Errorf("gini %v, want %v", mb.Gini, c.gini)
			}
			if want := 100 * (1 - c.mad); !sum.HasIndex || !near(sum.Index, want) || !near(mb.Score, want) {
				t.Errorf("index %v (has %v), score %v, want %v", sum.Index, sum.HasIndex, mb.Score, want)
			}
			if c.targets == nil {
				// Without targets the figures are those of BalanceOf.
				ref := metrics.BalanceOf(c.potentials)
				if !near(ref.CV, mb.CV) || !near(ref.Gini, mb.Gini) || !near(ref.MaxAbsDeviation, mb.MaxAbsDeviation) || !near(ref.Mean, mb.Mean) {
					t.Errorf("balance %+v, BalanceOf %+v", mb.Balance, ref)
				}
			}
		})
	}
}

func TestCompositeIndex(t *testing.T) {
	// Potentials 100 and 300 (mean 200, deviations −50 % and +50 %): score 50.
	// Workload: one C account each, 4 h: deviations 0, score 100.
	p, st := balancePlan(t, 100, 300)
	cases := []struct {
		name    string
		weights map[string]float64
		index   float64
		has     bool
		comp    float64 // composite deviation of territory a
	}{
		{"workload and potential", map[string]float64{"workloadHours": 3, "potential": 1}, (3*100 + 50) / 4.0, true, -0.5 / 4},
		{"potential only", map[string]float64{"potential": 2}, 50, true, -0.5},
		{"zero weights", map[string]float64{"potential": 0}, 0, false, math.NaN()},
		{"undefined metric dropped", map[string]float64{"revenue": 5, "potential": 1}, 50, true, -0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := metrics.DefaultConfig()
			cfg.Weights = c.weights
			l, err := metrics.NewLive(p, st, cfg)
			if err != nil {
				t.Fatal(err)
			}
			sum := l.Balance()
			if sum.HasIndex != c.has || !near(sum.Index, c.index) {
				t.Errorf("index %v (has %v), want %v (%v)", sum.Index, sum.HasIndex, c.index, c.has)
			}
			rep := l.Report()
			for _, r := range rep.Rows {
				if r.ID == "a" && !near(r.Composite, c.comp) {
					t.Errorf("composite of a %v, want %v", r.Composite, c.comp)
				}
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	p, _ := figuresPlan().build(t)
	cases := []struct {
		name   string
		change func(*metrics.Config)
		want   string
	}{
		{"negative visits", func(c *metrics.Config) { c.CallPlans["A"] = metrics.CallPlan{VisitsPerYear: -1} }, `tier "A": visits per year`},
		{"NaN travel", func(c *metrics.Config) { c.DefaultCallPlan.TravelMinutes = math.NaN() }, "other tiers: travel minutes"},
		{"no weeks", func(c *metrics.Config) { c.WeeksPerYear = 0 }, "weeks per year"},
		{"bands not ascending", func(c *metrics.Config) { c.Bands = []float64{0.1, 0.05} }, "not ascending"},
		{"zero band", func(c *metrics.Config) { c.Bands = []float64{0} }, "deviation band 1"},
		{"zero target", func(c *metrics.Config) { c.Targets = map[string]float64{"a": 0} }, `territory "a"`},
		{"negative weight", func(c *metrics.Config) { c.Weights["potential"] = -1 }, `weight of "potential"`},
		{"unknown weight", func(c *metrics.Config) { c.Weights["potental"] = 1 }, `unknown metric "potental"`},
		{"weight on shape", func(c *metrics.Config) { c.Weights["parts"] = 1 }, `"parts", whose balance`},
		{"short column", func(c *metrics.Config) { c.Columns = []metrics.Column{{Name: "x", Values: []float64{1}}} }, `column "x" has 1 values, want one per account (5)`},
		{"column named like a metric", func(c *metrics.Config) {
			c.Columns = []metrics.Column{{Name: "revenue", Values: make([]float64, 5)}}
		}, `column "revenue"`},
		{"unnamed column", func(c *metrics.Config) { c.Columns = []metrics.Column{{Values: make([]float64, 5)}} }, "column 1 has no name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := metrics.DefaultConfig()
			c.change(&cfg)
			_, err := metrics.NewBase(p, cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	t.Run("bad border", func(t *testing.T) {
		q := *p
		q.Borders = append([]engine.Border{{Line: orb.LineString{{0, 0}, {1, 0}}, Left: 0, Right: 99}}, p.Borders...)
		if _, err := metrics.NewBase(&q, metrics.DefaultConfig()); err == nil || !strings.Contains(err.Error(), "border 0 refers to units 0 and 99") {
			t.Errorf("error %v", err)
		}
	})
}

func TestExtraMetrics(t *testing.T) {
	tp := figuresPlan()
	tp.data = map[string]float64{"population": 1000, "potential": 7}
	p, st := tp.build(t)
	cfg := metrics.DefaultConfig()
	cfg.Columns = []metrics.Column{{Name: "projectedRevenue", Values: []float64{1, 2, 4, 8, math.NaN()}}}
	cfg.Weights["projectedRevenue"] = 10
	l, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := l.Base()
	cases := []struct {
		name, metric, node string
		want               float64
	}{
		{"column summed", "projectedRevenue", "a", 3},
		{"column in the district", "projectedRevenue", "d", 15},
		{"non-finite counts as 0", "projectedRevenue", "", 0},
		{"unit data summed", "population", "a", 2000},
		{"unit data unassigned", "population", "", 1000},
		{"clashing key renamed", "unit.potential", "d", 21},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := b.Metric(c.metric)
			if !ok {
				t.Fatalf("no metric %q among %v", c.metric, b.Metrics())
			}
			n := engine.NoIndex
			if c.node != "" {
				n = st.Node(c.node)
			}
			if got := l.Value(n, m); !near(got, c.want) {
				t.Errorf("%s of %q = %v, want %v", c.metric, c.node, got, c.want)
			}
		})
	}
	if m, _ := b.Metric("projectedRevenue"); !b.Metrics()[m].Balanced || l.Deviation(st.Node("a"), m) == 0 {
		t.Errorf("column not balanced: %+v", b.Metrics()[m])
	}
}

func TestCallPlanHook(t *testing.T) {
	p, st := figuresPlan().build(t)
	cfg := metrics.DefaultConfig()
	cfg.AccountCallPlan = func(i int, a *engine.Account) (metrics.CallPlan, bool) {
		if a.ID == "A0" {
			return metrics.CallPlan{VisitsPerYear: 52, VisitMinutes: 30, TravelMinutes: 15}, true
		}
		return metrics.CallPlan{}, false
	}
	l, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A0: 52 × 45 min = 39 h instead of 36; A1 (tier B) keeps 15 h.
	if got := l.Value(st.Node("a"), metrics.WorkloadHours); !near(got, 39+15) {
		t.Errorf("workload %v, want 54", got)
	}
}

func TestLiveEdits(t *testing.T) {
	h0, h1, v := edgeH0, edgeH1, edgeV
	tp := figuresPlan()
	tp.nodes = append(tp.nodes, node("d2", engine.KindDistrict, "r", ""))
	cases := []struct {
		name  string
		edit  func(t *testing.T, st *assign.State) assign.Delta
		check func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step)
		rows  []string // ids of the rows the step must report ("" unassigned, "plan")
	}{
		{
			name: "unit to another territory of the district",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				d, err := st.MoveUnits([]int32{1}, st.Node("b"))
				must(t, err)
				return d
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				expect(t, l, st.Node("a"), metrics.Potential, 1000)
				expect(t, l, st.Node("b"), metrics.Potential, 1000)
				expect(t, l, st.Node("b"), metrics.WorkloadHours, 40+15)
				expect(t, l, st.Node("a"), metrics.PerimeterKm, h0+h1+2*v)
				expect(t, l, st.Node("b"), metrics.PerimeterKm, 2*h0+2*h1+2*v)
				expect(t, l, st.Node("d"), metrics.PerimeterKm, 3*h0+3*h1+2*v)
			},
			rows: []string{"a", "b", "plan"},
		},
		{
			name: "unassign the middle unit: a splits in two",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				d, err := st.MoveUnits([]int32{1}, st.Node("b"))
				must(t, err)
				d2, err := st.MoveUnits([]int32{0, 2}, st.Node("a"))
				must(t, err)
				d3, err := st.MoveUnits([]int32{1}, engine.NoIndex)
				must(t, err)
				return concat(d, d2, d3)
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				expect(t, l, st.Node("a"), metrics.Parts, 2)
				expect(t, l, st.Node("d"), metrics.Parts, 2)
				expect(t, l, engine.NoIndex, metrics.Parts, 2)
				expect(t, l, st.Node("b"), metrics.Parts, 0)
				expect(t, l, engine.NoIndex, metrics.Potential, 50+500)
				if !slices.Contains(s.Retargeted, metrics.Potential) {
					t.Errorf("assigned potential changed but the step retargets only %v", s.Retargeted)
				}
			},
			rows: []string{"r", "d", "a", "b", "", "plan"},
		},
		{
			name: "account override",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				d, err := st.MoveAccounts([]int32{0}, st.Node("c"))
				must(t, err)
				return d
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				expect(t, l, st.Node("c"), metrics.Potential, 1000)
				expect(t, l, st.Node("c"), metrics.WorkloadHours, 36)
				expect(t, l, st.Node("c"), metrics.Utilisation, math.NaN())
				expect(t, l, st.Node("a"), metrics.Utilisation, 15.0/1840)
				if slices.Contains(s.Retargeted, metrics.Potential) || !slices.Contains(s.Retargeted, metrics.Utilisation) {
					t.Errorf("a move between territories moves the target of utilisation only, not %v", s.Retargeted)
				}
			},
			rows: []string{"a", "c", "plan"},
		},
		{
			name: "rep shared by two territories",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				st.Nodes[st.Node("b")].RepID = "r1"
				return assign.Delta{Nodes: []int32{st.Node("b")}}
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				expect(t, l, st.Node("a"), metrics.CapacityHours, 920)
				expect(t, l, st.Node("b"), metrics.CapacityHours, 920)
				expect(t, l, st.Node("d"), metrics.CapacityHours, 1840)
				expect(t, l, -2, metrics.CapacityHours, 1840)
			},
			rows: []string{"r", "d", "a", "b", "plan"},
		},
		{
			name: "territory to another district",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				b := st.Node("b")
				st.Nodes[b].Parent = "d2"
				st.Parent[b] = st.Node("d2")
				return assign.Delta{Nodes: []int32{b}}
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				expect(t, l, st.Node("d"), metrics.Potential, 1500)
				expect(t, l, st.Node("d2"), metrics.Potential, 500)
				expect(t, l, st.Node("d2"), metrics.CapacityHours, 920)
				expect(t, l, st.Node("d"), metrics.PerimeterKm, 2*h0+2*h1+2*v)
				expect(t, l, st.Node("d2"), metrics.PerimeterKm, h0+h1+2*v)
				expect(t, l, st.Node("d2"), metrics.Parts, 1)
				expect(t, l, st.Node("r"), metrics.Potential, 2000)
				rep := l.Report()
				if got := strings.Join(ids(rep), ","); got != "r,d,a,c,d2,b,," || rep.Rows[5].Depth != 2 {
					t.Errorf("report order after the move: %v", ids(rep))
				}
			},
			rows: []string{"d", "b", "d2", "plan"},
		},
		{
			name: "drawn polygon",
			edit: func(t *testing.T, st *assign.State) assign.Delta {
				d, err := st.SetPolygon(st.Node("c"), orb.Polygon{{{3, -1}, {4, -1}, {4, 0}, {3, 0}, {3, -1}}})
				must(t, err)
				return d
			},
			check: func(t *testing.T, l *metrics.Live, st *assign.State, s metrics.Step) {
				sq := orb.Polygon{{{3, -1}, {4, -1}, {4, 0}, {3, 0}, {3, -1}}}
				expect(t, l, st.Node("c"), metrics.Accounts, 1)
				expect(t, l, st.Node("c"), metrics.Parts, 1)
				expect(t, l, st.Node("c"), metrics.AreaKm2, geo.AreaKm2(sq))
				expect(t, l, engine.NoIndex, metrics.Accounts, 0)
				expect(t, l, engine.NoIndex, metrics.Potential, 0)
				expect(t, l, -2, metrics.Parts, 2)
			},
			rows: []string{"r", "d", "c", "", "plan"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, st := tp.build(t)
			l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			s, err := l.Apply(c.edit(t, st))
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, l, st, s)
			var got []string
			for _, r := range s.Rows {
				switch r.Kind {
				case metrics.KindPlan:
					got = append(got, "plan")
				default:
					got = append(got, r.ID)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.rows, ",") {
				t.Errorf("step rows %q, want %q", got, c.rows)
			}
			sameAsFresh(t, p, st, l, metrics.DefaultConfig())
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func concat(ds ...assign.Delta) assign.Delta {
	var d assign.Delta
	for _, x := range ds {
		d.Units = append(d.Units, x.Units...)
		d.Accounts = append(d.Accounts, x.Accounts...)
		d.Overrides = append(d.Overrides, x.Overrides...)
		d.Polygons = append(d.Polygons, x.Polygons...)
		d.Nodes = append(d.Nodes, x.Nodes...)
	}
	return d
}

// expect checks one figure; node −2 is the plan, NoIndex the unassigned.
func expect(t *testing.T, l *metrics.Live, node int32, m metrics.Metric, want float64) {
	t.Helper()
	got := l.PlanValue(m)
	if node != -2 {
		got = l.Value(node, m)
	}
	if !near(got, want) {
		t.Errorf("%s of node %d = %v, want %v", m, node, got, want)
	}
}

func ids(r metrics.Report) []string {
	var s []string
	for _, row := range r.Rows {
		s = append(s, row.ID)
	}
	return s
}

func TestRebuildAndBadDeltas(t *testing.T) {
	p, st := figuresPlan().build(t)
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		d    assign.Delta
		want string
	}{
		{"unit out of range", assign.Delta{Units: []assign.Change{{Index: 4, From: -1, To: 2}}}, "unit index 4"},
		{"account to a district", assign.Delta{Accounts: []assign.Change{{Index: 0, From: 2, To: 1}}}, "both must be territories"},
		{"unit to a district", assign.Delta{Units: []assign.Change{{Index: 0, From: 2, To: 1}}}, "not a territory"},
		{"polygon of no node", assign.Delta{Polygons: []int32{9}}, "polygon of node 9"},
		{"negative node", assign.Delta{Nodes: []int32{-1}}, "node -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := l.Apply(c.d); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	t.Run("cycle", func(t *testing.T) {
		r, d := st.Node("r"), st.Node("d")
		st.Parent[r] = d
		_, err := l.Apply(assign.Delta{Nodes: []int32{r}})
		if err == nil || !strings.Contains(err.Error(), `node "r" has an invalid chain of parents`) {
			t.Errorf("error %v", err)
		}
		st.Parent[r] = engine.NoIndex
	})
	sameAsFresh(t, p, st, l, metrics.DefaultConfig())
	t.Run("node added", func(t *testing.T) {
		st.Nodes = append(st.Nodes, node("e", engine.KindTerritory, "", ""))
		st.Parent = append(st.Parent, engine.NoIndex)
		if _, err := l.Apply(assign.Delta{Nodes: []int32{5}}); !errors.Is(err, metrics.ErrRebuild) {
			t.Errorf("error %v, want ErrRebuild", err)
		}
		st.Nodes, st.Parent = st.Nodes[:5], st.Parent[:5]
	})
	t.Run("kind changed", func(t *testing.T) {
		st.Nodes[4].Kind = engine.KindDistrict
		if _, err := l.Apply(assign.Delta{}); !errors.Is(err, metrics.ErrRebuild) {
			t.Errorf("error %v, want ErrRebuild", err)
		}
		st.Nodes[4].Kind = engine.KindTerritory
	})
}

func TestReportJSON(t *testing.T) {
	p, st := figuresPlan().build(t)
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(l.Report())
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Metrics []struct{ Name string }
		Rows    []struct {
			ID        string
			Kind      string
			Depth     int
			Figures   map[string]*float64
			Deviation map[string]*float64
			Band      map[string]*int
			Composite *float64
		}
		Balance struct {
			Index   float64
			Metrics []struct {
				Name  string
				Bands []int
			}
		}
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(out.Rows) != 7 || out.Rows[0].ID != "r" || out.Rows[5].Kind != "unassigned" || out.Rows[6].Kind != "plan" {
		t.Fatalf("rows %+v", out.Rows)
	}
	byID := map[string]int{}
	for i, r := range out.Rows {
		byID[r.ID] = i
	}
	c := out.Rows[byID["c"]]
	if c.Figures["utilisation"] != nil || c.Figures["potential"] == nil || *c.Figures["potential"] != 0 {
		t.Errorf("vacant territory figures %v", c.Figures)
	}
	a := out.Rows[byID["a"]]
	if a.Figures["workloadHours"] == nil || *a.Figures["workloadHours"] != 51 || a.Deviation["potential"] == nil || a.Band["potential"] == nil || a.Composite == nil {
		t.Errorf("territory a: %+v", a)
	}
	if _, ok := a.Deviation["parts"]; ok {
		t.Error("deviation of an unbalanced metric")
	}
	if out.Rows[byID["d"]].Deviation != nil {
		t.Error("deviation on a district row")
	}
	if len(out.Balance.Metrics) == 0 || len(out.Balance.Metrics[0].Bands) != 4 {
		t.Errorf("balance %+v", out.Balance)
	}
}

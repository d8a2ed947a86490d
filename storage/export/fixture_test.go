package export

import (
	"fmt"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
)

// fixture is a plan of 3 × 2 unit squares (1° each, near Beijing) with
// borders, three territories under one district and one region, reps with
// English and Chinese names, and accounts whose names look like formulas.
// Territory T3 also has a free-drawn area and account A9 is overridden.
func fixture(t testing.TB, lang string) *Data {
	t.Helper()
	const cols, rows = 3, 2
	x0, y0 := 116.0, 39.0
	cell := func(i, j int) int32 {
		if i < 0 || j < 0 || i >= cols || j >= rows {
			return engine.NoIndex
		}
		return int32(j*cols + i)
	}
	pt := func(i, j int) orb.Point { return orb.Point{x0 + float64(i), y0 + float64(j)} }
	p := &engine.Plan{Name: "测试 plan", Currency: "CNY", HistoryStart: engine.MonthOf(2025, 1), HistoryMonths: 12}
	add := func(a, b orb.Point, left, right int32) {
		ls := orb.LineString{a, b}
		if left == engine.NoIndex {
			ls, left, right = orb.LineString{b, a}, right, engine.NoIndex
		}
		p.Borders = append(p.Borders, engine.Border{Line: ls, Left: left, Right: right})
	}
	for j := 0; j <= rows; j++ {
		for i := 0; i < cols; i++ {
			add(pt(i, j), pt(i+1, j), cell(i, j), cell(i, j-1))
		}
	}
	for i := 0; i <= cols; i++ {
		for j := 0; j < rows; j++ {
			add(pt(i, j), pt(i, j+1), cell(i-1, j), cell(i, j))
		}
	}
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			u := engine.Unit{ID: fmt.Sprintf("11%02d%02d", i, j), Name: fmt.Sprintf("区%d-%d", i, j), Level: "district",
				Geom:  orb.MultiPolygon{{{pt(i, j), pt(i+1, j), pt(i+1, j+1), pt(i, j+1), pt(i, j)}}},
				Label: orb.Point{x0 + float64(i) + 0.5, y0 + float64(j) + 0.5}, AreaKm2: 9000}
			p.Units = append(p.Units, u)
		}
	}
	p.Reps = []engine.Rep{{ID: "R1", Name: "Ann Lee", CapacityHours: 40}, {ID: "R2", Name: "王伟", CapacityHours: 40}, {ID: "R3", Name: "=HYPERLINK(\"x\")", CapacityHours: 40}}
	names := []string{"=SUM(A1:A9)", "+86 Trading", "-minus Co", "@mention Ltd", "北京协和医院", "Plain & <Co>", "Tab\tName", "Quote \"Q\"", "Last"}
	tiers := []string{"A", "B", "C", "A", "B", "", "C", "A", "B"}
	for k, n := range names {
		i, j := k%3, (k/3)%2
		a := engine.Account{ID: fmt.Sprintf("A%d", k+1), Name: n, Tier: tiers[k], Industry: "医疗", Size: "L",
			Loc: orb.Point{x0 + float64(i) + 0.25 + 0.05*float64(k%2), y0 + float64(j) + 0.3}, Potential: float64(1000 * (k + 1)),
			LifetimeValue: 500, History: make([]float32, 12)}
		for m := range a.History {
			a.History[m] = float32(10 * (k + 1))
		}
		p.Accounts = append(p.Accounts, a)
	}
	sc := &engine.Scenario{ID: "s1", Name: "方案一",
		Territories: []engine.Territory{
			{ID: "RG", Name: "华北", Kind: engine.KindRegion, Color: "#336699"},
			{ID: "D1", Name: "北京片区", Kind: engine.KindDistrict, Parent: "RG", Color: "#446688"},
			{ID: "T1", Name: "West", Kind: engine.KindTerritory, Parent: "D1", RepID: "R1", Color: "#e41a1c"},
			{ID: "T2", Name: "东区", Kind: engine.KindTerritory, Parent: "D1", RepID: "R2", Color: "#377eb8"},
			{ID: "T3", Name: "=Formula", Kind: engine.KindTerritory, Parent: "D1", RepID: "R3", Color: "#4daf4a",
				Polygon: orb.Polygon{{{118.2, 40.2}, {118.6, 40.2}, {118.6, 40.6}, {118.2, 40.6}, {118.2, 40.2}}}},
		},
		UnitTerritory:    map[string]string{"110000": "T1", "110001": "T1", "110100": "T2", "110101": "T2", "110200": "T3"},
		AccountTerritory: map[string]string{"A9": "T1"},
	}
	base := sc.Clone("s0", "基准")
	base.UnitTerritory = map[string]string{"110000": "T1", "110001": "T1", "110100": "T1", "110101": "T2", "110200": "T3", "110201": "T3"}
	base.AccountTerritory = nil
	p.Scenarios = []*engine.Scenario{sc, base}
	assign.LocateAccounts(p)
	cur := side(t, p, sc)
	bs := side(t, p, base)
	return &Data{Plan: p, Current: cur, Baseline: &bs, BaselineName: "基准", Lang: lang,
		Now:     time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
		Metrics: []Metric{{Name: "accounts", Unit: "count", Summed: true, Balanced: true}, {Name: "potential", Unit: "currency", Summed: true, Balanced: true}, {Name: "revenue", Unit: "currency", Summed: true, Balanced: true}, {Name: "utilisation", Unit: "fraction"}}}
}

// side computes simple figures of a scenario: accounts, potential and
// revenue per node, rolled up.
func side(t testing.TB, p *engine.Plan, sc *engine.Scenario) Side {
	st, err := assign.Compute(p, sc)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]map[string]float64, len(st.Nodes)+2) // nodes, unassigned, plan
	for i := range vals {
		vals[i] = map[string]float64{"accounts": 0, "potential": 0, "revenue": 0}
	}
	un, plan := len(st.Nodes), len(st.Nodes)+1
	for a := range p.Accounts {
		acc := &p.Accounts[a]
		g := un
		if t := st.AccountTerr[a]; t != engine.NoIndex {
			g = int(t)
		}
		for _, k := range []int{g, plan} {
			vals[k]["accounts"]++
			vals[k]["potential"] += acc.Potential
			vals[k]["revenue"] += acc.Revenue12()
		}
		if g != un {
			for n := st.Parent[g]; n != engine.NoIndex; n = st.Parent[n] {
				vals[n]["accounts"]++
				vals[n]["potential"] += acc.Potential
				vals[n]["revenue"] += acc.Revenue12()
			}
		}
	}
	var rows []Row
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for i, n := range st.Nodes {
			if n.Parent != parent {
				continue
			}
			r := Row{ID: n.ID, Name: n.Name, Kind: string(n.Kind), Parent: n.Parent, RepID: n.RepID, Color: n.Color, Depth: depth, Values: vals[i]}
			if n.Kind == engine.KindTerritory {
				r.Values["utilisation"] = 0.5
				r.Deviation = map[string]float64{"potential": 0.1 * float64(i-3), "accounts": -0.1 * float64(i-3)}
			}
			for _, rp := range p.Reps {
				if rp.ID == n.RepID {
					r.Rep = rp.Name
				}
			}
			rows = append(rows, r)
			walk(n.ID, depth+1)
		}
	}
	walk("", 0)
	rows = append(rows, Row{Kind: "unassigned", Values: vals[un]}, Row{Kind: "plan", Name: p.Name, Values: vals[plan]})
	return Side{Scenario: sc, State: st, Rows: rows, Balance: Balance{Index: 71.5, Metrics: map[string]MetricBalance{
		"potential": {Mean: 5000, CV: 0.3, Gini: 0.2, MaxAbsDeviation: 0.4, Weight: 0.6},
		"accounts":  {Mean: 3, CV: 0.2, Gini: 0.1, MaxAbsDeviation: 0.3, Weight: 0.4},
	}}}
}

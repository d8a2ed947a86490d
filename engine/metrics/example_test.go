package metrics_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
)

// Two square units side by side, one account in each, and two territories.
// Repainting the east unit into the west territory moves its account, its
// workload and its area, and the balance follows.
func ExampleLive() {
	cell := func(x float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, -1}, {x + 1, -1}, {x + 1, 0}, {x, 0}, {x, -1}}}}
	}
	p := &engine.Plan{
		Units: []engine.Unit{
			{ID: "W", Geom: cell(0), AreaKm2: 100, Neighbors: []int32{1}},
			{ID: "E", Geom: cell(1), AreaKm2: 100, Neighbors: []int32{0}},
		},
		Accounts: []engine.Account{
			{ID: "a1", Loc: orb.Point{0.5, -0.5}, Tier: "A", Potential: 30000},
			{ID: "a2", Loc: orb.Point{1.5, -0.5}, Tier: "B", Potential: 10000},
		},
		Reps: []engine.Rep{{ID: "r1", CapacityHours: 40}},
		Scenarios: []*engine.Scenario{{
			ID: "base",
			Territories: []engine.Territory{
				{ID: "west", Kind: engine.KindTerritory, RepID: "r1"},
				{ID: "east", Kind: engine.KindTerritory},
			},
			UnitTerritory: map[string]string{"W": "west", "E": "east"},
		}},
	}
	assign.LocateAccounts(p)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		panic(err)
	}
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		panic(err)
	}
	show := func() {
		for _, id := range []string{"west", "east"} {
			n := st.Node(id)
			fmt.Printf("%s: potential %.0f (%+.0f %%), workload %.0f h, utilisation %.1f %%, area %.0f km², parts %.0f\n", id,
				l.Value(n, metrics.Potential), 100*l.Deviation(n, metrics.Potential), l.Value(n, metrics.WorkloadHours),
				100*l.Value(n, metrics.Utilisation), l.Value(n, metrics.AreaKm2), l.Value(n, metrics.Parts))
		}
	}
	show()
	d, err := st.MoveUnits([]int32{1}, st.Node("west"))
	if err != nil {
		panic(err)
	}
	step, err := l.Apply(d)
	if err != nil {
		panic(err)
	}
	fmt.Println("changed rows:", len(step.Rows))
	show()
	fmt.Printf("balance index %.0f\n", step.Balance.Index)
	// Output:
	// west: potential 30000 (+50 %), workload 36 h, utilisation 2.0 %, area 100 km², parts 1
	// east: potential 10000 (-50 %), workload 15 h, utilisation NaN %, area 100 km², parts 1
	// changed rows: 3
	// west: potential 40000 (+100 %), workload 51 h, utilisation 2.8 %, area 200 km², parts 1
	// east: potential 0 (-100 %), workload 0 h, utilisation NaN %, area 0 km², parts 0
	// balance index 0
}

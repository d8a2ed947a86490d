package metrics_test

import (
	"slices"
	"sync"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
)

var (
	bigOnce sync.Once
	bigPlan *engine.Plan
)

// big is a plan of 1,000,000 accounts over 3,000 units with 1,000 territories.
func big() *engine.Plan {
	bigOnce.Do(func() {
		bigPlan = synth.Plan(synth.Config{Seed: 1, Accounts: 1_000_000, Territories: 1000})
		assign.LocateAccounts(bigPlan)
	})
	return bigPlan
}

func bigState(b *testing.B) (*engine.Plan, *assign.State) {
	p := big()
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		b.Fatal(err)
	}
	return p, st
}

func BenchmarkCompute1M(b *testing.B) {
	p, st := bigState(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		metrics.Compute(p, st)
	}
}

// BenchmarkMoveUnitWithTallies1M is one live edit: move a unit to another
// territory and update the tallies, for the unit with the median number of
// accounts (among units holding any) and for the unit holding the most.
func BenchmarkMoveUnitWithTallies1M(b *testing.B) {
	p, st := bigState(b)
	tl := metrics.Compute(p, st)
	var held []int32
	for u := range p.Units {
		if len(st.UnitAccounts(int32(u))) > 0 {
			held = append(held, int32(u))
		}
	}
	slices.SortFunc(held, func(a, b int32) int { return len(st.UnitAccounts(a)) - len(st.UnitAccounts(b)) })
	for _, c := range []struct {
		name string
		unit int32
	}{{"median", held[len(held)/2]}, {"busiest", held[len(held)-1]}} {
		b.Run(c.name, func(b *testing.B) {
			ta, tb := st.Node("T1"), st.Node("T2")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := ta
				if i%2 == 1 {
					t = tb
				}
				d, err := st.MoveUnits([]int32{c.unit}, t)
				if err != nil {
					b.Fatal(err)
				}
				tl.Apply(p, d)
			}
			b.ReportMetric(float64(len(st.UnitAccounts(c.unit))), "accounts/unit")
		})
	}
}

// BenchmarkRollup1000 rolls 1,000 territories up to districts, regions and
// the plan, and measures potential balance.
func BenchmarkRollup1000(b *testing.B) {
	p, st := bigState(b)
	tl := metrics.Compute(p, st)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		metrics.Rollup(st, tl)
		metrics.TerritoryBalance(st, tl, metrics.Potential)
	}
}

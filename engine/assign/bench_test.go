package assign_test

import (
	"slices"
	"sync"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
)

var (
	bigOnce sync.Once
	bigPlan *engine.Plan
)

// big is a plan of 1,000,000 clustered accounts over 60×50 = 3,000 units of
// 36 vertices each, with 1,000 territories.
func big() *engine.Plan {
	bigOnce.Do(func() {
		bigPlan = synth.Plan(synth.Config{Seed: 1, Accounts: 1_000_000, Territories: 1000, Overrides: 1000, Polygons: 5})
		assign.LocateAccounts(bigPlan)
	})
	return bigPlan
}

func BenchmarkLocateAccounts1M(b *testing.B) {
	p := big()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		assign.LocateAccounts(p)
	}
}

func BenchmarkCompute1M(b *testing.B) {
	p := big()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := assign.Compute(p, p.Scenarios[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMoveUnit1M moves one unit back and forth between two
// territories: the unit with the median number of accounts among units
// holding any, and the unit holding the most.
func BenchmarkMoveUnit1M(b *testing.B) {
	p := big()
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		b.Fatal(err)
	}
	median, busiest := pickUnits(st, len(p.Units))
	for _, c := range []struct {
		name string
		unit int32
	}{{"median", median}, {"busiest", busiest}} {
		b.Run(c.name, func(b *testing.B) {
			ta, tb := st.Node("T1"), st.Node("T2")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := ta
				if i%2 == 1 {
					t = tb
				}
				if _, err := st.MoveUnits([]int32{c.unit}, t); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(st.UnitAccounts(c.unit))), "accounts/unit")
		})
	}
}

// pickUnits returns the unit with the median number of accounts (among
// units holding any) and the unit with the most.
func pickUnits(st *assign.State, units int) (median, busiest int32) {
	var held []int32
	for u := int32(0); u < int32(units); u++ {
		if len(st.UnitAccounts(u)) > 0 {
			held = append(held, u)
		}
	}
	slices.SortFunc(held, func(a, b int32) int { return len(st.UnitAccounts(a)) - len(st.UnitAccounts(b)) })
	return held[len(held)/2], held[len(held)-1]
}

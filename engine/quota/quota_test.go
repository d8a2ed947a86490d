package quota_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"territoria/engine"
	"territoria/engine/quota"
)

func TestCalendar(t *testing.T) {
	for _, tc := range []struct {
		y, m, d     int
		day         int32
		weekday     int
		isoY, isoW  int
		description string
	}{
		{1970, 1, 1, 0, 3, 1970, 1, "the epoch, a Thursday"},
		{2000, 3, 1, 11017, 2, 2000, 9, "after a leap day in a century leap year"},
		{2024, 12, 30, 20087, 0, 2025, 1, "a Monday in week 1 of the next ISO year"},
		{2021, 1, 3, 18630, 6, 2020, 53, "a Sunday in week 53 of the previous ISO year"},
		{1969, 12, 31, -1, 2, 1970, 1, "before the epoch"},
		{2027, 1, 1, 20819, 4, 2026, 53, "1 January 2027, a Friday of ISO week 2026-W53"},
	} {
		t.Run(tc.description, func(t *testing.T) {
			z := quota.DaysFromCivil(tc.y, tc.m, tc.d)
			if z != tc.day {
				t.Fatalf("day %d, want %d", z, tc.day)
			}
			if y, m, d := quota.CivilFromDays(z); y != tc.y || m != tc.m || d != tc.d {
				t.Fatalf("back to %d-%d-%d", y, m, d)
			}
			if w := quota.Weekday(z); w != tc.weekday {
				t.Fatalf("weekday %d, want %d", w, tc.weekday)
			}
			if y, w := quota.ISOWeek(z); y != tc.isoY || w != tc.isoW {
				t.Fatalf("ISO week %d-W%02d, want %d-W%02d", y, w, tc.isoY, tc.isoW)
			}
		})
	}
	if n := quota.MonthWorkingDays(2027, 2); n != 20 {
		t.Fatalf("February 2027 has %d working days, want 20", n)
	}
	if n := quota.DaysIn(2024, 2); n != 29 {
		t.Fatalf("February 2024 has %d days", n)
	}
	// Round trip over four centuries.
	for z := int32(-150000); z < 150000; z += 97 {
		y, m, d := quota.CivilFromDays(z)
		if quota.DaysFromCivil(y, m, d) != z {
			t.Fatalf("day %d → %d-%d-%d does not come back", z, y, m, d)
		}
	}
}

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   int64
		weights []float64
		want    []int64
	}{
		{"thirds: the remainder to the first", 10, []float64{1, 1, 1}, []int64{4, 3, 3}},
		{"largest remainders", 100, []float64{0.505, 0.3, 0.195}, []int64{51, 30, 19}},
		// 7 × (0.45, 0.35, 0.2) = 3.15, 2.45, 1.4: floors 3, 2, 1 and one
		// unit left for the largest remainder (0.45).
		{"remainders, not shares, decide", 7, []float64{0.45, 0.35, 0.2}, []int64{3, 3, 1}},
		{"zero weight gets nothing", 5, []float64{0, 1, 1}, []int64{0, 3, 2}},
		{"no weights: even", 5, []float64{0, 0}, []int64{3, 2}},
		{"non-finite weights count as 0", 4, []float64{math.NaN(), 1, math.Inf(1)}, []int64{0, 4, 0}},
		{"nothing to share", 0, []float64{1, 2}, []int64{0, 0}},
		{"huge total", 1e15 + 1, []float64{1, 2}, []int64{333333333333334, 666666666666667}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := quota.Apportion(tc.total, tc.weights)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
		})
	}
}

func TestShares(t *testing.T) {
	ts := []quota.Territory{
		{ID: "a", History: 300, Potential: 100},
		{ID: "b", History: 100, Potential: 300},
		{ID: "c", History: 0, Potential: 0, Ramp: true},
	}
	// Weights 0.5, 0.4, 0.1: a = 0.5·0.75 + 0.4·0.25 + 0.1/3, b = 0.5·0.25 +
	// 0.4·0.75 + 0.1/3, c = 0.1/3 × ramp 0.5; then normalised.
	a, b, c := 0.5*0.75+0.4*0.25+0.1/3, 0.5*0.25+0.4*0.75+0.1/3, 0.1/3*0.5
	sum := a + b + c
	got := quota.Shares(ts, 0.5, 0.4, 0.1, 0.5)
	for i, want := range []float64{a / sum, b / sum, c / sum} {
		if math.Abs(got[i]-want) > 1e-15 {
			t.Fatalf("share %d = %v, want %v", i, got[i], want)
		}
	}
	// Without history the history weight is dropped.
	got = quota.Shares([]quota.Territory{{Potential: 1}, {Potential: 3}}, 0.5, 0.5, 0, 1)
	if math.Abs(got[0]-0.25) > 1e-15 {
		t.Fatalf("shares without history %v", got)
	}
}

func TestSeasonality(t *testing.T) {
	// Revenue per working day follows known indices exactly for 36 months.
	want := [12]float64{0.8, 0.85, 0.95, 1.05, 1.1, 1.2, 1.15, 1.0, 1.0, 0.95, 0.95, 1.0}
	var mean float64
	for _, v := range want {
		mean += v / 12
	}
	start := engine.MonthOf(2023, 5)
	monthly := make([]float64, 36)
	for i := range monthly {
		m := start + engine.Month(i)
		monthly[i] = 1000 * want[m.MonthNumber()-1] * float64(quota.MonthWorkingDays(m.Year(), m.MonthNumber()))
	}
	got, ok := quota.Seasonality(monthly, start)
	if !ok {
		t.Fatal("no seasonality from 36 months")
	}
	for c := range got {
		// A ratio to a moving average of a pure seasonal series is the
		// index over the mean index.
		if math.Abs(got[c]-want[c]/mean) > 1e-9 {
			t.Fatalf("month %d: index %v, want %v", c+1, got[c], want[c]/mean)
		}
	}
	if _, ok := quota.Seasonality(monthly[:23], start); ok {
		t.Fatal("seasonality from 23 months")
	}
	if s, ok := quota.Seasonality(make([]float64, 30), start); ok || s[0] != 1 {
		t.Fatal("seasonality without revenue")
	}
}

// TestSplitHandComputed checks a small split by hand.
func TestSplitHandComputed(t *testing.T) {
	ts := []quota.Territory{{ID: "a", History: 1, Potential: 1}, {ID: "b", History: 1, Potential: 1}}
	r, err := quota.Split(ts, quota.Config{Total: 1001, History: 1, Ramp: 1, Year: 2027})
	if err != nil {
		t.Fatal(err)
	}
	if r.Territories[0].Year != 501 || r.Territories[1].Year != 500 {
		t.Fatalf("years %d and %d", r.Territories[0].Year, r.Territories[1].Year)
	}
	// 2027 has 261 working days: Q1 64, Q2 65, Q3 66, Q4 66 (flat
	// seasonality): 501 × (64, 65, 66, 66)/261 = 122.85, 124.77, 126.69,
	// 126.69; floors 122, 124, 126, 126 and 3 units to the largest
	// remainders: 123, 125, 127, 126.
	q := r.Territories[0].Quarters
	if want := [4]int64{123, 125, 127, 126}; q != want {
		t.Fatalf("quarters %v, want %v", q, want)
	}
	// January 2027: 21 working days over ISO weeks 2026-W53 (Fri 1st),
	// W01–W04 and W05 (25–29): pieces of 1, 5, 5, 5, 5 days.
	var jan []quota.Week
	for _, w := range r.Territories[0].Weeks {
		if w.Month == 1 {
			jan = append(jan, w)
		}
	}
	if len(jan) != 5 || jan[0].ISOYear != 2026 || jan[0].ISOWeek != 53 || jan[0].WorkingDays != 1 || jan[1].Start != "2027-01-04" {
		t.Fatalf("January pieces %+v", jan)
	}
}

// TestQuotasReconcile checks on random inputs that every level sums
// exactly to its parent: territories to the total, quarters to the year,
// months to their quarter, week parts to their month, and the roll-up of
// territories to districts and regions.
func TestQuotasReconcile(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 77))
			n := 1 + rng.IntN(60)
			ts := make([]quota.Territory, n)
			var nodes []quota.Node
			for i := range ts {
				ts[i] = quota.Territory{ID: fmt.Sprint("T", i), History: float64(rng.IntN(3)) * rng.Float64() * 1e6,
					Potential: rng.Float64() * 1e6, Ramp: rng.IntN(5) == 0}
				nodes = append(nodes, quota.Node{ID: ts[i].ID, Parent: fmt.Sprint("D", i%4)})
			}
			for d := 0; d < 4; d++ {
				nodes = append(nodes, quota.Node{ID: fmt.Sprint("D", d), Parent: fmt.Sprint("R", d%2)})
			}
			var season [12]float64
			for c := range season {
				season[c] = 0.5 + rng.Float64()
			}
			c := quota.Config{Total: math.Floor(rng.Float64() * math.Pow(10, float64(rng.IntN(12)))), History: rng.Float64(), Potential: rng.Float64(),
				Even: rng.Float64(), Ramp: 0.1 + 0.9*rng.Float64(), Year: 1990 + rng.IntN(60), Seasonality: season}
			r, err := quota.Split(ts, c)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, q := range r.Territories {
				sum += q.Year
				checkQuota(t, q)
			}
			if sum != r.Total || r.Total != int64(c.Total) {
				t.Fatalf("territories sum to %d, total %d (%v)", sum, r.Total, c.Total)
			}
			up := quota.Rollup(r, nodes)
			for _, id := range []string{"R0", "R1"} {
				var want int64
				for d := 0; d < 4; d++ {
					if fmt.Sprint("R", d%2) == id && up[fmt.Sprint("D", d)] != nil {
						want += up[fmt.Sprint("D", d)].Year
					}
				}
				if up[id] != nil {
					if up[id].Year != want {
						t.Fatalf("%s: %d, districts %d", id, up[id].Year, want)
					}
					checkQuota(t, *up[id])
				}
			}
			if up["R0"] != nil && up["R1"] != nil && up["R0"].Year+up["R1"].Year != r.Total {
				t.Fatalf("regions %d + %d, total %d", up["R0"].Year, up["R1"].Year, r.Total)
			}
		})
	}
}

func checkQuota(t *testing.T, q quota.Quota) {
	t.Helper()
	var qs int64
	for k, v := range q.Quarters {
		qs += v
		if v < 0 || q.Months[3*k]+q.Months[3*k+1]+q.Months[3*k+2] != v {
			t.Fatalf("%s: quarter %d = %d, months %v", q.ID, k+1, v, q.Months[3*k:3*k+3])
		}
	}
	if qs != q.Year {
		t.Fatalf("%s: quarters %v sum to %d, year %d", q.ID, q.Quarters, qs, q.Year)
	}
	var weeks [12]int64
	for _, w := range q.Weeks {
		weeks[w.Month-1] += w.Quota
	}
	if weeks != q.Months {
		t.Fatalf("%s: weeks %v, months %v", q.ID, weeks, q.Months)
	}
}

func TestSplitErrors(t *testing.T) {
	ts := []quota.Territory{{ID: "a"}}
	ok := quota.Config{Total: 10, Even: 1, Ramp: 1, Year: 2027}
	for _, tc := range []struct {
		name string
		edit func(*quota.Config)
		ts   []quota.Territory
	}{
		{"negative total", func(c *quota.Config) { c.Total = -1 }, ts},
		{"NaN total", func(c *quota.Config) { c.Total = math.NaN() }, ts},
		{"year", func(c *quota.Config) { c.Year = 0 }, ts},
		{"ramp", func(c *quota.Config) { c.Ramp = 0 }, ts},
		{"weight", func(c *quota.Config) { c.History = -1 }, ts},
		{"no territories", func(c *quota.Config) {}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if _, err := quota.Split(tc.ts, c); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func FuzzApportion(f *testing.F) {
	f.Add(int64(10), 1.0, 1.0, 1.0)
	f.Add(int64(7), 0.45, 0.35, 0.2)
	f.Add(int64(1<<40), 1e-300, 1e300, 0.0)
	f.Fuzz(func(t *testing.T, total int64, a, b, c float64) {
		if total < 0 || total > 1e15 {
			return
		}
		out := quota.Apportion(total, []float64{a, b, c})
		var s int64
		for _, v := range out {
			if v < 0 {
				t.Fatalf("negative part %v", out)
			}
			s += v
		}
		if s != total {
			t.Fatalf("%v sums to %d, want %d", out, s, total)
		}
	})
}

// BenchmarkQuotas1M is the whole quota computation for 1,000,000 accounts
// in 1,000 territories: the plan's monthly revenue (24 months), the
// seasonality, the split and the breakdown to ISO weeks.
func BenchmarkQuotas1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := &engine.Plan{HistoryStart: engine.MonthOf(2024, 11), HistoryMonths: 24, Accounts: make([]engine.Account, 1_000_000)}
	hist := make([]float32, 24*len(p.Accounts))
	for i := range hist {
		hist[i] = float32(rng.IntN(1000))
	}
	for i := range p.Accounts {
		p.Accounts[i].History = hist[i*24 : (i+1)*24]
	}
	ts := make([]quota.Territory, 1000)
	for i := range ts {
		ts[i] = quota.Territory{ID: fmt.Sprint(i), History: rng.Float64() * 1e6, Potential: rng.Float64() * 1e6, Ramp: i%17 == 0}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		season, _ := quota.Seasonality(quota.PlanMonthly(p), p.HistoryStart)
		if _, err := quota.Split(ts, quota.Config{Total: 1e9, History: 0.5, Potential: 0.4, Even: 0.1, Ramp: 0.5, Year: quota.NextYear(p), Seasonality: season}); err != nil {
			b.Fatal(err)
		}
	}
}

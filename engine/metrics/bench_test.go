package metrics_test

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/paulmach/orb"

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

// The live figures on plans of 1,000,000 accounts and 1,000 territories
// (with reps, 1,000 overrides and 5 drawn polygons), over 60×50 = 3,000 or
// 200×200 = 40,000 units.
var liveSizes = []struct {
	name       string
	cols, rows int
}{{"3k-units", 60, 50}, {"40k-units", 200, 200}}

var (
	livePlansMu sync.Mutex
	livePlans   = map[string]*engine.Plan{}
)

func livePlan(name string, cols, rows int) *engine.Plan {
	livePlansMu.Lock()
	defer livePlansMu.Unlock()
	if p := livePlans[name]; p != nil {
		return p
	}
	p := synth.Plan(synth.Config{Seed: 1, Cols: cols, Rows: rows, Accounts: 1_000_000, Territories: 1000, Overrides: 1000, Polygons: 5})
	withReps(p, 1)
	assign.LocateAccounts(p)
	livePlans[name] = p
	return p
}

func heapBytes() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkLiveFromScratch1M is the full computation: the alignment
// (assign.Compute), the base and the live figures. It reports the heap held
// by the base and by the live figures (the alignment and plan excluded).
func BenchmarkLiveFromScratch1M(b *testing.B) {
	for _, sz := range liveSizes {
		b.Run(sz.name, func(b *testing.B) {
			p := livePlan(sz.name, sz.cols, sz.rows)
			cfg := metrics.DefaultConfig()
			st, err := assign.Compute(p, p.Scenarios[0])
			if err != nil {
				b.Fatal(err)
			}
			h0 := heapBytes()
			base, err := metrics.NewBase(p, cfg)
			if err != nil {
				b.Fatal(err)
			}
			h1 := heapBytes()
			l, err := base.Live(st)
			if err != nil {
				b.Fatal(err)
			}
			h2 := heapBytes()
			runtime.KeepAlive(l)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				st, err := assign.Compute(p, p.Scenarios[0])
				if err != nil {
					b.Fatal(err)
				}
				if _, err := metrics.NewLive(p, st, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(h1-h0)/1e6, "base-MB")
			b.ReportMetric(float64(h2-h1)/1e6, "live-MB")
		})
	}
}

// BenchmarkLiveRebuild1M is the live figures alone from an existing base
// and alignment: the cost of a rebuild after a structural edit.
func BenchmarkLiveRebuild1M(b *testing.B) {
	for _, sz := range liveSizes {
		b.Run(sz.name, func(b *testing.B) {
			p := livePlan(sz.name, sz.cols, sz.rows)
			st, err := assign.Compute(p, p.Scenarios[0])
			if err != nil {
				b.Fatal(err)
			}
			base, err := metrics.NewBase(p, metrics.DefaultConfig())
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := base.Live(st); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// repaintCase is a unit and the territory of a neighbouring unit it is
// repainted into, back and forth.
type repaintCase struct {
	name     string
	unit     int32
	from, to int32
}

func repaintCases(p *engine.Plan, st *assign.State) []repaintCase {
	var held []int32
	for u := range p.Units {
		if len(st.UnitAccounts(int32(u))) > 0 && st.UnitTerr[u] != engine.NoIndex {
			held = append(held, int32(u))
		}
	}
	slices.SortFunc(held, func(a, b int32) int { return len(st.UnitAccounts(a)) - len(st.UnitAccounts(b)) })
	var out []repaintCase
	for _, c := range []struct {
		name string
		at   int
	}{{"median", len(held) / 2}, {"busiest", len(held) - 1}} {
		// The nearest unit (by accounts) with a neighbour in another territory.
		for k := c.at; k >= 0; k-- {
			u := held[k]
			for _, n := range p.Units[u].Neighbors {
				if t := st.UnitTerr[n]; t != engine.NoIndex && t != st.UnitTerr[u] {
					out = append(out, repaintCase{c.name, u, st.UnitTerr[u], t})
					break
				}
			}
			if len(out) > 0 && out[len(out)-1].name == c.name {
				break
			}
		}
	}
	return out
}

// BenchmarkLiveUnitRepaint1M is one unit repaint as the app does it: the
// alignment edit (State.MoveUnits) and every figure, roll-up, shape and
// balance brought up to date (Live.Apply), for the unit with the median
// number of accounts and the unit holding the most, moved into the
// territory of a neighbour and back.
func BenchmarkLiveUnitRepaint1M(b *testing.B) {
	for _, sz := range liveSizes {
		p := livePlan(sz.name, sz.cols, sz.rows)
		st, err := assign.Compute(p, p.Scenarios[0])
		if err != nil {
			b.Fatal(err)
		}
		l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range repaintCases(p, st) {
			b.Run(sz.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t := c.to
					if i%2 == 1 {
						t = c.from
					}
					d, err := st.MoveUnits([]int32{c.unit}, t)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := l.Apply(d); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(st.UnitAccounts(c.unit))), "accounts/unit")
			})
		}
	}
}

// BenchmarkLiveApply1M is the figures' share of a unit repaint: Live.Apply
// of the two deltas of a repaint and its undo, the alignment edit excluded.
func BenchmarkLiveApply1M(b *testing.B) {
	for _, sz := range liveSizes {
		p := livePlan(sz.name, sz.cols, sz.rows)
		st, err := assign.Compute(p, p.Scenarios[0])
		if err != nil {
			b.Fatal(err)
		}
		l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range repaintCases(p, st) {
			there, err := st.MoveUnits([]int32{c.unit}, c.to)
			if err != nil {
				b.Fatal(err)
			}
			back, err := st.MoveUnits([]int32{c.unit}, c.from)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(sz.name+"/"+c.name, func(b *testing.B) {
				var rows int
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					d := there
					if i%2 == 1 {
						d = back
					}
					s, err := l.Apply(d)
					if err != nil {
						b.Fatal(err)
					}
					rows += len(s.Rows)
				}
				b.ReportMetric(float64(rows)/float64(b.N), "rows/step")
			})
			if _, err := l.Apply(concatDeltas(there, back)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func concatDeltas(ds ...assign.Delta) assign.Delta {
	var d assign.Delta
	for _, x := range ds {
		d.Units = append(d.Units, x.Units...)
		d.Accounts = append(d.Accounts, x.Accounts...)
	}
	return d
}

// BenchmarkLivePolygonDrag1M is one step of dragging a vertex of a drawn
// polygon (a 12-gon of about 0.3° radius): the alignment edit
// (State.SetPolygon) and the figures, then the figures' share alone.
func BenchmarkLivePolygonDrag1M(b *testing.B) {
	p := livePlan(liveSizes[0].name, liveSizes[0].cols, liveSizes[0].rows)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		b.Fatal(err)
	}
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	t := st.Node("T7")
	at := p.Accounts[0].Loc
	poly := func(i int) orb.Polygon {
		var r orb.Ring
		for k := 0; k < 12; k++ {
			a := 2 * math.Pi * float64(k) / 12
			rad := 0.3
			if k == 0 {
				rad += 0.05 * float64(i%20) // the dragged vertex
			}
			r = append(r, orb.Point{at[0] + rad*math.Cos(a), at[1] + 0.8*rad*math.Sin(a)})
		}
		return orb.Polygon{append(r, r[0])}
	}
	b.Run("edit+figures", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			d, err := st.SetPolygon(t, poly(i))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := l.Apply(d); err != nil {
				b.Fatal(err)
			}
		}
	})
	var ds []assign.Delta
	for i := 0; i < 20; i++ {
		d, err := st.SetPolygon(t, poly(i))
		if err != nil {
			b.Fatal(err)
		}
		ds = append(ds, d)
		if _, err := l.Apply(d); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("figures", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			// Replaying the cycle of deltas: step i%20 follows step i%20−1.
			if _, err := l.Apply(ds[i%20]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLiveReport1M is the full report (every row, deviation and the
// balance), as read after a rebuild or when the whole panel is shown.
func BenchmarkLiveReport1M(b *testing.B) {
	p := livePlan(liveSizes[0].name, liveSizes[0].cols, liveSizes[0].rows)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		b.Fatal(err)
	}
	l, err := metrics.NewLive(p, st, metrics.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Report()
	}
}

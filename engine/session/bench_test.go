package session_test

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/engine/session"
)

var (
	bigOnce sync.Once
	bigP    *engine.Plan
)

// bigPlan is the size: 1,000,000 clustered accounts, 3,000 units,
// 1,000 territories with reps, each territory also holding a free-drawn
// area from a 40×25 tiling of the accounts' region (10 vertices a side).
func bigPlan() *engine.Plan {
	bigOnce.Do(func() {
		p := synth.Plan(synth.Config{Seed: 1, Accounts: 1_000_000, Territories: 1000, Overrides: 1000})
		assign.LocateAccounts(p)
		s := p.Scenarios[0]
		synth.Reps(p, s, 1)
		synth.Tiles(s, orb.Bound{Min: orb.Point{-124, 25}, Max: orb.Point{-67, 49}}, 40, 25, 10, 1)
		bigP = p
	})
	return bigP
}

func bigSession(b *testing.B) *session.Session {
	p := bigPlan()
	base, err := metrics.NewBase(p, metrics.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	s, err := session.New(p, p.Scenarios[0].Clone("s", "s"), base)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// percentiles reports p50, p95 and p99 of the durations, in µs.
func percentiles(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(q float64) float64 { return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.95), "p95-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkFullRecompute1M is everything from scratch: alignment and every
// figure (the plan-level base is built once per plan and not counted).
func BenchmarkFullRecompute1M(b *testing.B) {
	p := bigPlan()
	base, err := metrics.NewBase(p, metrics.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	sc := p.Scenarios[0]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := session.New(p, sc, base); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDragStep1M drags shared vertices of the drawn tiling in steps
// of up to 0.05° (a few pixels at state zoom), each step re-examining the
// swept accounts and updating every figure and the balance.
func BenchmarkDragStep1M(b *testing.B) { benchDragSteps(b, bigSession(b)) }

// benchDragSteps drags random shared vertices of s's drawn tiling, 20
// steps a drag, and reports the percentiles of one step.
func benchDragSteps(b *testing.B, s *session.Session) {
	tp, _ := s.Topology()
	var shared []int
	for a := range tp.Arcs {
		if len(tp.ArcFaces(a)) == 2 && len(tp.Arcs[a]) > 2 {
			shared = append(shared, a)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var ds []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		a := shared[rng.IntN(len(shared))]
		dr, err := s.BeginDrag(a, 1+rng.IntN(len(tp.Arcs[a])-2))
		if err != nil {
			b.Fatal(err)
		}
		at := dr.Start
		for k := 0; k < 20 && i < b.N; k, i = k+1, i+1 {
			at = orb.Point{at[0] + (rng.Float64()-0.5)*0.1, at[1] + (rng.Float64()-0.5)*0.1}
			t0 := time.Now()
			if _, err := s.DragTo(at); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
		if _, err := s.CancelDrag(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	percentiles(b, ds)
}

// BenchmarkRepaintUnit1M paints one unit into a neighbouring territory and
// back, with every figure updated: units chosen at random (weighted by
// nothing), so the percentiles show the spread of unit sizes.
func BenchmarkRepaintUnit1M(b *testing.B) { benchRepaints(b, bigSession(b)) }

// benchRepaints paints random units of s into a neighbouring territory and
// back, and reports the percentiles of one paint.
func benchRepaints(b *testing.B, s *session.Session) {
	p := s.Plan()
	rng := rand.New(rand.NewPCG(3, 4))
	var ds []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		u := int32(rng.IntN(len(p.Units)))
		from := s.State.UnitTerr[u]
		var to int32 = engine.NoIndex
		for _, nb := range p.Units[u].Neighbors {
			if t := s.State.UnitTerr[nb]; t != from && t != engine.NoIndex {
				to = t
				break
			}
		}
		if to == engine.NoIndex || from == engine.NoIndex {
			continue
		}
		e := edit.Edit{Kind: edit.KindPaint, Units: []edit.Move{{ID: p.Units[u].ID, From: s.State.Nodes[from].ID, To: s.State.Nodes[to].ID}}}
		t0 := time.Now()
		if _, err := s.Apply(e); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
		if _, err := s.Replay(e.Inverse()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	percentiles(b, ds)
}

// BenchmarkUndo1M undoes a committed vertex drag of the tiling (the edit
// that touches the most accounts among everyday edits) and a unit paint,
// alternately: one undo is one Replay of the inverse edit.
func BenchmarkUndo1M(b *testing.B) {
	s := bigSession(b)
	p := s.Plan()
	tp, _ := s.Topology()
	var shared []int
	for a := range tp.Arcs {
		if len(tp.ArcFaces(a)) == 2 && len(tp.Arcs[a]) > 2 {
			shared = append(shared, a)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	var ds []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var e edit.Edit
		if i%2 == 0 {
			a := shared[rng.IntN(len(shared))]
			dr, err := s.BeginDrag(a, 1+rng.IntN(len(tp.Arcs[a])-2))
			if err != nil {
				b.Fatal(err)
			}
			s.DragTo(orb.Point{dr.Start[0] + 0.2, dr.Start[1] + 0.1})
			if e, err = s.EndDrag(); err != nil {
				b.Fatal(err)
			}
			tp, _ = s.Topology()
		} else {
			u := int32(rng.IntN(len(p.Units)))
			from := s.State.UnitTerr[u]
			to := s.State.UnitTerr[p.Units[u].Neighbors[0]]
			if from == to || from == engine.NoIndex || to == engine.NoIndex {
				b.StartTimer()
				continue
			}
			e = edit.Edit{Kind: edit.KindPaint, Units: []edit.Move{{ID: p.Units[u].ID, From: s.State.Nodes[from].ID, To: s.State.Nodes[to].ID}}}
			if _, err := s.Apply(e); err != nil {
				b.Fatal(err)
			}
		}
		if e.Empty() {
			b.StartTimer()
			continue
		}
		b.StartTimer()
		t0 := time.Now()
		if _, err := s.Replay(e.Inverse()); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	b.StopTimer()
	percentiles(b, ds)
}

// BenchmarkMemory1M reports the heap held by the engine for a session on
// the plan (alignment, figures, indexes), beyond the plan data itself.
func BenchmarkMemory1M(b *testing.B) {
	p := bigPlan()
	var s *session.Session
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		base, err := metrics.NewBase(p, metrics.DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		s, err = session.New(p, p.Scenarios[0].Clone("s", "s"), base)
		if err != nil {
			b.Fatal(err)
		}
		s.Topology()
		s.State.AccountsIn(orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}) // builds the account grid
		runtime.GC()
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "engine-MB")
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.HeapAlloc)/(1<<20), "total-heap-MB")
	}
	runtime.KeepAlive(s)
}

// modelSession is bigSession with the planning model switched on
// (engine/model.ConfigFor): segments, travel per territory from the reps'
// homes, admin, response curves, the capacity cut and the revenue at risk
// against the starting alignment. The call plans are scaled to the synthetic
// plan's 1,000 accounts a rep (A 2, B 1, C 0.5 visits a year), so that
// utilisation is around 100 % and the capacity cut has work to do without
// dominating.
func modelSession(b *testing.B) *session.Session {
	p := bigPlan()
	s0 := p.Scenarios[0]
	home := map[string]orb.Point{}
	for u, t := range s0.UnitTerritory {
		if _, ok := home[t]; !ok {
			for i := range p.Units {
				if p.Units[i].ID == u {
					home[t] = p.Units[i].Label
					break
				}
			}
		}
	}
	for _, t := range s0.Territories {
		for i := range p.Reps {
			if p.Reps[i].ID == t.RepID {
				p.Reps[i].Home = home[t.ID]
			}
		}
	}
	admin := 0.1
	settings := &engine.Settings{
		CallPlans: map[string]engine.CallPlan{"A": {VisitsPerYear: 2, VisitMinutes: 60}, "B": {VisitsPerYear: 1, VisitMinutes: 45}, "C": {VisitsPerYear: 0.5, VisitMinutes: 30}},
		Model:     &engine.ModelSettings{AdminShare: &admin},
	}
	cfg, _, err := model.ConfigFor(p, settings)
	if err != nil {
		b.Fatal(err)
	}
	base, err := metrics.NewBase(p, cfg)
	if err != nil {
		b.Fatal(err)
	}
	s, err := session.New(p, s0.Clone("s", "s"), base)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SetBaseline(base.BaselineReps(s.State.AccountTerr, s.State.Nodes)); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkModelDragStep1M is BenchmarkDragStep1M with the planning model on.
func BenchmarkModelDragStep1M(b *testing.B) {
	s := modelSession(b)
	rn, _ := s.Base().Metric("repsNeeded")
	b.ReportMetric(s.Live.PlanValue(metrics.Utilisation), "plan-utilisation")
	b.ReportMetric(s.Live.PlanValue(rn), "reps-needed")
	benchDragSteps(b, s)
}

// BenchmarkModelRepaintUnit1M is BenchmarkRepaintUnit1M with the planning
// model on.
func BenchmarkModelRepaintUnit1M(b *testing.B) { benchRepaints(b, modelSession(b)) }

// BenchmarkModelProjectedRevenue1M recomputes the projected revenue of
// 1,000,000 accounts: each account's revenue at its planned visits on its
// class's response curve (what the plan-level base does), then every
// territory's capacity cut and revenue at risk against the baseline, and
// the roll-up to districts, regions and the plan (what Live.SetBaseline
// does, with the balance).
func BenchmarkModelProjectedRevenue1M(b *testing.B) {
	s := modelSession(b)
	p := s.Plan()
	cfg, _, err := model.ConfigFor(p, s.Plan().Settings)
	if err != nil {
		b.Fatal(err)
	}
	base := s.Base()
	reps := base.BaselineReps(s.State.AccountTerr, s.State.Nodes)
	proj, _ := base.Metric("projectedRevenue")
	lost, _ := base.Metric("revenueLost")
	visits := make([]float64, len(p.Accounts))
	for i := range visits {
		visits[i] = base.AccountValue(i, metrics.Visits)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var sum float64
		m := cfg.Model
		for a := range p.Accounts {
			sum += m.Curves[m.AccountCurve[a]].Revenue(p.Accounts[a].Revenue12(), visits[a])
		}
		if err := s.Live.SetBaseline(reps); err != nil {
			b.Fatal(err)
		}
		if !(sum > 0) || !(s.Live.PlanValue(proj) > 0) {
			b.Fatal("no projected revenue")
		}
	}
	b.StopTimer()
	b.ReportMetric(s.Live.PlanValue(lost)/s.Live.PlanValue(proj), "lost/projected")
	b.ReportMetric(s.Live.PlanValue(metrics.Utilisation), "plan-utilisation")
}

// BenchmarkModelBase1M builds the plan-level part with the model on:
// segmentation (a sort of 1M accounts), call plans, curves and the
// per-account figures.
func BenchmarkModelBase1M(b *testing.B) {
	p := bigPlan()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cfg, _, err := model.ConfigFor(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := metrics.NewBase(p, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModelMemory1M is BenchmarkMemory1M with the planning model on:
// the heap held for the base (with the segments, call plans and curves) and
// a session on the plan.
func BenchmarkModelMemory1M(b *testing.B) {
	p := bigPlan()
	var s *session.Session
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		cfg, _, err := model.ConfigFor(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		base, err := metrics.NewBase(p, cfg)
		if err != nil {
			b.Fatal(err)
		}
		s, err = session.New(p, p.Scenarios[0].Clone("s", "s"), base)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetBaseline(base.BaselineReps(s.State.AccountTerr, s.State.Nodes)); err != nil {
			b.Fatal(err)
		}
		s.Topology()
		s.State.AccountsIn(orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}})
		runtime.GC()
		runtime.ReadMemStats(&m1)
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "engine-MB")
	}
	runtime.KeepAlive(s)
}

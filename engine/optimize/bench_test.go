package optimize_test

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
	"territoria/engine/metrics"
	"territoria/engine/optimize"
)

// lazy builds a synthetic plan once per process.
type lazy struct {
	once sync.Once
	p    *engine.Plan
	cfg  synth.Config
	pop  bool // give every unit a population
}

func (l *lazy) plan() *engine.Plan {
	l.once.Do(func() {
		l.p = synth.Plan(l.cfg)
		assign.LocateAccounts(l.p)
		if l.pop {
			addPopulation(l.p, l.cfg.Seed)
		}
	})
	return l.p
}

// addPopulation gives every unit a log-normally distributed population
// (median 20,000; a few units ten times that), like counties or ZIP codes.
func addPopulation(p *engine.Plan, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 77))
	for u := range p.Units {
		p.Units[u].Data = map[string]float64{"population": math.Round(20000 * math.Exp(0.8*rng.NormFloat64()))}
	}
}

var (
	// counties: about the size of the US county map (62 × 50 = 3,100
	// units) with 50,000 accounts and 50 territories.
	counties = &lazy{cfg: synth.Config{Seed: 3, Cols: 62, Rows: 50, Accounts: 50_000, Territories: 50}}
	// fine: 200 × 200 = 40,000 units (ZIP-code sized) with 200,000 accounts.
	// balanced on population.
	fine = &lazy{cfg: synth.Config{Seed: 4, Cols: 200, Rows: 200, ArcPoints: 2, Territories: 1000}, pop: true}
	// million: 1,000,000 accounts over a coarse unit grid, aligned at account level.
	million = &lazy{cfg: synth.Config{Seed: 5, Cols: 20, Rows: 20, ArcPoints: 1, Accounts: 1_000_000, Territories: 1000}}
)

func runBench(b *testing.B, p *engine.Plan, from *engine.Scenario, opts optimize.Options) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	var rep optimize.Report
	for i := 0; i < b.N; i++ {
		res, err := optimize.Run(nil, p, from, opts, nil)
		if err != nil {
			b.Fatal(err)
		}
		rep = res.Report
	}
	b.StopTimer()
	b.ReportMetric(float64(rep.WithinAfter), "within")
	b.ReportMetric(float64(rep.Territories), "territories")
	b.ReportMetric(rep.Metrics[0].After.MaxAbsDeviation*100, "maxdev%")
	b.ReportMetric(float64(rep.NonContiguousAfter), "noncontiguous")
}

// BenchmarkBuildCounties draws 50 contiguous territories over 3,100 units
// (the size of the US county map) balanced on workload, potential and
// revenue within ±5 %.
func BenchmarkBuildCounties(b *testing.B) {
	runBench(b, counties.plan(), nil, optimize.Options{K: 50, Tolerance: 0.05, Contiguous: true, Compactness: 50, Seed: 1})
}

// BenchmarkBuild40kUnits draws 1,000 contiguous territories over 40,000
// units balanced on population within ±5 %.
func BenchmarkBuild40kUnits(b *testing.B) {
	runBench(b, fine.plan(), nil, optimize.Options{K: 1000, Balance: map[string]float64{"population": 1}, Tolerance: 0.05, Contiguous: true, Compactness: 50, Seed: 1})
}

// BenchmarkBuild1MAccounts aligns 1,000,000 accounts into 1,000
// account-level territories.
func BenchmarkBuild1MAccounts(b *testing.B) {
	runBench(b, million.plan(), nil, optimize.Options{K: 1000, Level: optimize.LevelAccounts, Tolerance: 0.05, Compactness: 50, Seed: 1})
}

// BenchmarkLocalRebalance rebalances after a manual edit on the
// county-sized plan: the plan is first optimized (50 balanced territories),
// then three units of one territory are painted into a neighbouring one;
// the rebalance touches the two edited territories and their neighbours
// and reuses the plan's prepared metrics base, as the app does.
func BenchmarkLocalRebalance(b *testing.B) {
	p := counties.plan()
	base, err := metrics.NewBase(p, metrics.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	built, err := optimize.Run(nil, p, nil, optimize.Options{K: 50, Tolerance: 0.05, Contiguous: true, Compactness: 50, Seed: 1, Base: base}, nil)
	if err != nil {
		b.Fatal(err)
	}
	edited, from, to := paintEdge(p, built.Scenario, 3)
	runBench(b, p, edited, optimize.Options{Mode: optimize.Rebalance, Focus: []string{from, to}, Tolerance: 0.05,
		Contiguous: true, Compactness: 50, Seed: 1, Base: base, Effort: 0.3})
}

// paintEdge moves n units of the first territory that borders another
// into that neighbour, as a planner painting on the map would, and returns
// the edited scenario and the two territories.
func paintEdge(p *engine.Plan, s *engine.Scenario, n int) (*engine.Scenario, string, string) {
	e := s.Clone("edited", "Edited")
	for u := range p.Units {
		from := e.UnitTerritory[p.Units[u].ID]
		for _, v := range p.Units[u].Neighbors {
			to := e.UnitTerritory[p.Units[v].ID]
			if to == from {
				continue
			}
			moved := 0
			for w := range p.Units {
				if moved == n {
					break
				}
				if e.UnitTerritory[p.Units[w].ID] != from {
					continue
				}
				for _, x := range p.Units[w].Neighbors {
					if e.UnitTerritory[p.Units[x].ID] == to {
						e.UnitTerritory[p.Units[w].ID] = to
						moved++
						break
					}
				}
			}
			return e, from, to
		}
	}
	return e, "", ""
}

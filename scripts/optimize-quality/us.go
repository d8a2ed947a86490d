package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/engine/optimize"
	"territoria/storage/demo"
)

// apportionment is the number of House seats per state after the 2010
// Census (states with one seat left out), by state FIPS code.
var apportionment = map[string]struct {
	name string
	k    int
}{
	"01": {"Alabama", 7}, "04": {"Arizona", 9}, "05": {"Arkansas", 4}, "06": {"California", 53},
	"08": {"Colorado", 7}, "09": {"Connecticut", 5}, "12": {"Florida", 27}, "13": {"Georgia", 14},
	"15": {"Hawaii", 2}, "16": {"Idaho", 2}, "17": {"Illinois", 18}, "18": {"Indiana", 9},
	"19": {"Iowa", 4}, "20": {"Kansas", 4}, "21": {"Kentucky", 6}, "22": {"Louisiana", 6},
	"23": {"Maine", 2}, "24": {"Maryland", 8}, "25": {"Massachusetts", 9}, "26": {"Michigan", 14},
	"27": {"Minnesota", 8}, "28": {"Mississippi", 4}, "29": {"Missouri", 8}, "31": {"Nebraska", 3},
	"32": {"Nevada", 4}, "33": {"New Hampshire", 2}, "34": {"New Jersey", 12}, "35": {"New Mexico", 3},
	"36": {"New York", 27}, "37": {"North Carolina", 13}, "39": {"Ohio", 16}, "40": {"Oklahoma", 5},
	"41": {"Oregon", 5}, "42": {"Pennsylvania", 18}, "44": {"Rhode Island", 2}, "45": {"South Carolina", 7},
	"47": {"Tennessee", 9}, "48": {"Texas", 36}, "49": {"Utah", 4}, "51": {"Virginia", 11},
	"53": {"Washington", 10}, "54": {"West Virginia", 3}, "55": {"Wisconsin", 8},
}

// subPlan keeps the units for which keep is true, with their borders
// (borders with dropped units become outer borders) and population.
func subPlan(p *engine.Plan, keep func(*engine.Unit) bool) *engine.Plan {
	idx := make([]int32, len(p.Units))
	sp := &engine.Plan{Name: p.Name}
	for u := range p.Units {
		idx[u] = engine.NoIndex
		if keep(&p.Units[u]) {
			idx[u] = int32(len(sp.Units))
			un := p.Units[u]
			un.Neighbors = nil
			sp.Units = append(sp.Units, un)
		}
	}
	for u := range p.Units {
		if idx[u] == engine.NoIndex {
			continue
		}
		for _, v := range p.Units[u].Neighbors {
			if idx[v] != engine.NoIndex {
				sp.Units[idx[u]].Neighbors = append(sp.Units[idx[u]].Neighbors, idx[v])
			}
		}
	}
	for _, b := range p.Borders {
		l, r := engine.NoIndex, engine.NoIndex
		if b.Left != engine.NoIndex {
			l = idx[b.Left]
		}
		if b.Right != engine.NoIndex {
			r = idx[b.Right]
		}
		if l == engine.NoIndex && r == engine.NoIndex {
			continue
		}
		sp.Borders = append(sp.Borders, engine.Border{Line: b.Line, Left: l, Right: r})
	}
	return sp
}

func states(args []string) error {
	fs := newFlags("states")
	tol := fs.Float64("tolerance", 0.005, "population tolerance (fraction)")
	seed := fs.Uint64("seed", 1, "seed")
	effort := fs.Float64("effort", 1, "search effort")
	only := fs.String("only", "", "state FIPS code to run alone")
	fs.Parse(args)
	p, err := demo.Plan()
	if err != nil {
		return err
	}
	var codes []string
	for c := range apportionment {
		if *only == "" || c == *only {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	fmt.Printf("%-15s %3s %6s %9s %9s %8s %10s %9s %8s %7s %s\n", "state", "k", "units", "feasible", "max dev", "bound", "cut edges", "non-cont", "compact", "time", "note")
	nFeas, nPossible := 0, 0
	for _, c := range codes {
		st := apportionment[c]
		sp := subPlan(p, func(u *engine.Unit) bool { return u.Parent == c })
		start := time.Now()
		res, err := optimize.Run(nil, sp, nil, optimize.Options{
			K: st.k, Balance: map[string]float64{"population": 1}, Tolerance: *tol,
			Contiguous: true, Compactness: 100, Seed: *seed, Effort: *effort,
		}, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		r := res.Report
		note := ""
		for _, n := range r.Notes {
			switch n.Code {
			case "item-too-large":
				note = fmt.Sprintf("%s holds %.0f%% of a district", n.Item, 100*n.Value)
			case "unit-cannot-combine":
				note = fmt.Sprintf("%s too small alone, too big with any neighbour", n.Item)
			}
		}
		bound := r.Metrics[0].Bound
		if bound <= *tol {
			nPossible++
			if r.Feasible && r.NonContiguousAfter == 0 {
				nFeas++
			}
		}
		fmt.Printf("%-15s %3d %6d %9v %8.2f%% %7.1f%% %10d %9d %8.3f %6.2fs %s\n", st.name, st.k, len(sp.Units), r.Feasible,
			100*r.Metrics[0].After.MaxAbsDeviation, 100*bound, r.CutEdgesAfter, r.NonContiguousAfter, r.CompactnessAfter,
			time.Since(start).Seconds(), note)
	}
	fmt.Printf("\nfeasible and contiguous: %d of the %d states whose counties allow ±%g %%\n", nFeas, nPossible, 100**tol)
	return nil
}

func us(args []string) error {
	fs := newFlags("us")
	k := fs.Int("k", 50, "territories")
	tol := fs.Float64("tolerance", 0.03, "population tolerance (fraction)")
	seed := fs.Uint64("seed", 1, "seed")
	effort := fs.Float64("effort", 1, "search effort")
	compact := fs.Float64("compactness", 50, "compactness 0..100")
	fs.Parse(args)
	p, err := demo.Plan()
	if err != nil {
		return err
	}
	start, cpu0 := time.Now(), cpuTime()
	res, err := optimize.Run(nil, p, nil, optimize.Options{
		K: *k, Balance: map[string]float64{"population": 1}, Tolerance: *tol,
		Contiguous: true, Compactness: *compact, Seed: *seed, Effort: *effort,
	}, nil)
	if err != nil {
		return err
	}
	el, cpu := time.Since(start), cpuTime()-cpu0
	r := res.Report
	var devs []float64
	for _, row := range r.Rows {
		devs = append(devs, row.Deviation[0])
	}
	slices.Sort(devs)
	fmt.Printf("US counties: %d units into %d territories on population, ±%g %%, contiguous, compactness %g, seed %d\n",
		len(p.Units), *k, 100**tol, *compact, *seed)
	fmt.Printf("time %.2fs, CPU %.2fs (%d moves tried)\n", el.Seconds(), cpu.Seconds(), r.Iterations)
	fmt.Printf("feasible %v: %d of %d territories within ±%g %%; deviation min %+.2f%% max %+.2f%%, mean |dev| %.2f%%\n",
		r.Feasible, r.WithinAfter, r.Territories, 100**tol, 100*devs[0], 100*devs[len(devs)-1], 100*r.Metrics[0].After.MeanAbsDeviation)
	fmt.Printf("non-contiguous %d, with islands forced by geography %d; cut edges %d, border %.0f km, mean Polsby-Popper %.3f\n",
		r.NonContiguousAfter, r.ForcedIslands, r.CutEdgesAfter, r.BorderKmAfter, r.CompactnessAfter)
	fmt.Printf("outside ±%g %%: %s\n", 100**tol, outside(r, *tol))
	fmt.Printf("largest county %s: %.1f%% of a territory's target\n", r.Metrics[0].Largest, 100*r.Metrics[0].LargestShare)
	for _, n := range r.Notes {
		fmt.Println("note:", n.Text)
	}
	return nil
}

// outside lists the territories outside the tolerance with their deviations.
func outside(r optimize.Report, tol float64) string {
	var out []string
	for _, row := range r.Rows {
		if d := row.Deviation[0]; d > tol || d < -tol {
			out = append(out, fmt.Sprintf("%s %+.2f%%", row.ID, 100*d))
		}
	}
	return strings.Join(out, ", ")
}

// local measures a local rebalance after a manual edit on the demo plan:
// three counties of one territory are painted into a neighbouring one,
// then the two territories and their neighbours are rebalanced, reusing
// the plan's metrics base as the app does.
func local(args []string) error {
	fs := newFlags("local")
	runs := fs.Int("runs", 5, "repetitions")
	fs.Parse(args)
	p, err := demo.Plan()
	if err != nil {
		return err
	}
	assign.LocateAccounts(p)
	cfg, _, err := model.ConfigFor(p, p.Settings) // as the app: the planning model on
	if err != nil {
		return err
	}
	base, err := metrics.NewBase(p, cfg)
	if err != nil {
		return err
	}
	from := p.Scenarios[0]
	built, err := optimize.Run(nil, p, from, optimize.Options{Mode: optimize.Rebalance, Tolerance: 0.05, Contiguous: true, Seed: 1, Base: base}, nil)
	if err != nil {
		return err
	}
	edited, a, b := paintEdge(p, built.Scenario, 3)
	var times []time.Duration
	var rep optimize.Report
	for i := 0; i < *runs; i++ {
		start := time.Now()
		res, err := optimize.Run(nil, p, edited, optimize.Options{Mode: optimize.Rebalance, Focus: []string{a, b}, Tolerance: 0.05,
			Contiguous: true, Compactness: 50, Seed: 1, Base: base, Effort: 0.3}, nil)
		if err != nil {
			return err
		}
		times = append(times, time.Since(start))
		rep = res.Report
	}
	slices.Sort(times)
	fmt.Printf("local rebalance of %s and %s (after painting 3 counties) with their neighbours on the demo plan (%d units, %d accounts):\n", a, b, len(p.Units), len(p.Accounts))
	fmt.Printf("median %v, fastest %v over %d runs; %d units movable, %d moved, balance index %.1f → %.1f\n",
		times[len(times)/2].Round(time.Millisecond), times[0].Round(time.Millisecond), *runs, rep.Movable, rep.UnitsMoved, rep.IndexBefore, rep.IndexAfter)
	return nil
}

// paintEdge moves n units of the first territory bordering another into
// that neighbour, as a planner painting on the map would.
func paintEdge(p *engine.Plan, s *engine.Scenario, n int) (*engine.Scenario, string, string) {
	e := s.Clone("edited", "Edited")
	for u := range p.Units {
		from := e.UnitTerritory[p.Units[u].ID]
		for _, v := range p.Units[u].Neighbors {
			to := e.UnitTerritory[p.Units[v].ID]
			if to == from || to == "" || from == "" {
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

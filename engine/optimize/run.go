package optimize

import (
	"math"
	"math/rand/v2"
	"slices"

	"territoria/engine"
)

// Progress is what a running optimization reports, about a hundred times
// per run.
type Progress struct {
	// Phase is "build", "search", "polish" or "report".
	Phase string
	// Fraction of the planned work done, 0 to 1.
	Fraction float64
	// Restart counts the fresh starts tried (1-based) of Restarts.
	Restart, Restarts int
	// Objective is the value of the best alignment so far (smaller is
	// better); Feasible tells whether it keeps every territory within the
	// tolerance and its limits; MaxDeviation is its largest |deviation|
	// of a balanced metric.
	Objective    float64
	Feasible     bool
	MaxDeviation float64
	// Scenario builds the best scenario so far. It may be called during
	// the callback or later; each call builds a new scenario.
	Scenario func() *engine.Scenario
}

// Result is what Run returns.
type Result struct {
	// Scenario is the new scenario; the starting scenario is never changed.
	Scenario *engine.Scenario
	// Report explains the result.
	Report Report
}

// Run optimizes territories of plan p, starting from scenario from (nil
// builds from nothing), and returns a new scenario with its report.
//
// cancel, when not nil, is polled often; once it returns true the search
// stops and Run returns the best alignment found so far, with
// Report.Cancelled set. progress, when not nil, is called from Run's
// goroutine. The same plan, scenario, options and seed always give the
// same result: nothing depends on map order or the clock.
//
// Accounts must be located in their units (engine/assign.LocateAccounts).
func Run(cancel func() bool, p *engine.Plan, from *engine.Scenario, opts Options, progress func(Progress)) (Result, error) {
	pr, err := prepare(p, from, opts)
	if err != nil {
		return Result{}, err
	}
	r := &runner{pr: pr, cancel: cancel, progress: progress,
		rng: rand.New(rand.NewPCG(opts.Seed, 0x7e1e)),
	}
	r.wt = pr.weights()
	var a []int32
	if pr.level == LevelUnits {
		a = r.runUnits()
	} else {
		a = r.runAccounts()
	}
	r.report("report", nil)
	sc := pr.scenario(a)
	rep, err := pr.makeReport(sc, a)
	if err != nil {
		return Result{}, err
	}
	rep.Cancelled = r.cancelled
	rep.Iterations = r.iters
	rep.Restarts = r.restarts
	rep.Objective = r.bestObj
	rep.clean()
	return Result{Scenario: sc, Report: rep}, nil
}

// weights sets the terms of the objective from the options.
func (pr *problem) weights() weights {
	c := pr.opts.Compactness / 100
	w := weights{bal: 1 - c, shape: c, home: pr.opts.HomeDistanceWeight / 100}
	if pr.level == LevelAccounts {
		// Accounts have no borders: compactness is closeness to the
		// territory's centre (see runAccounts).
		w.shape = 0
	}
	if pr.opts.Mode == Rebalance {
		w.stay = 2
	}
	if w.bal == 0 && w.shape == 0 {
		w.bal = 1e-3
	}
	return w
}

// plan of the search length.
func (r *runner) lengths(movable int) (perRun int64, restarts int) {
	eff := r.pr.opts.Effort
	if eff == 0 {
		eff = 1
	}
	if r.pr.opts.Mode == Rebalance {
		if len(r.pr.opts.Focus) > 0 {
			// A local rebalance after an edit: a short search.
			return int64(math.Sqrt(eff) * float64(max(20_000, 100*movable))), 1
		}
		return int64(math.Sqrt(eff) * float64(max(30_000, 300*movable))), 1
	}
	// Effort lengthens the runs and adds restarts alike.
	base := float64(max(100_000, 300*movable))
	perRun = int64(math.Sqrt(eff) * base)
	restarts = int(math.Round(math.Sqrt(eff) * 2_000_000 / base))
	return perRun, min(max(restarts, 1), 40)
}

// runUnits is the unit-level search; it returns the best assignment.
func (r *runner) runUnits() []int32 {
	pr := r.pr
	movable := 0
	for _, m := range pr.movable {
		if m {
			movable++
		}
	}
	perRun, restarts := r.lengths(movable)
	r.restarts = restarts
	r.budget = perRun * int64(restarts)
	if movable == 0 {
		r.best = slices.Clone(pr.init)
		return r.best
	}
	var cut0 float64
	if pr.opts.Mode == Rebalance {
		s := newState(pr, pr.init, r.wt)
		r.absDev0, r.guard = s.absDev, true
		cut0 = s.cut0
		r.keep(s)
		if pr.opts.Contiguous {
			r.mendPieces(s)
			pr.init = slices.Clone(s.a)
		}
	}
	// Fresh starts, then (small instances) starts from the best so far at a
	// third of the temperature.
	fresh := restarts
	if restarts > 2 {
		fresh = restarts * 2 / 3
	}
	for rs := 0; rs < restarts; rs++ {
		r.restart = rs
		a := slices.Clone(pr.init)
		heat := 1.0
		if pr.opts.Mode == Build {
			r.report("build", nil)
			switch {
			case rs >= fresh && r.bestFeas:
				a, heat = slices.Clone(r.best), 0.3
			case rs == 0:
				pr.bisect(r.rng, a, 0)
			case rs%2 == 1 && movable <= 400:
				pr.grow(r.rng, a)
			default:
				pr.bisect(r.rng, a, 0.35)
			}
			if heat == 1 {
				pr.repair(a)
			}
		}
		s := newState(pr, a, r.wt)
		if cut0 == 0 {
			cut0 = s.cut0
		}
		s.cut0 = cut0
		if r.stop() {
			r.keep(s)
			break
		}
		t0 := heat * r.calibrate(s) / math.Ln2
		if pr.opts.Mode == Rebalance {
			t0 *= 0.3
		}
		dbg("restart %d: start cut %.0f exc %.3g lam %.3g t0 %.3g", rs, s.cut, s.sumExc, s.lam, t0)
		r.search(s, perRun, t0, movable)
		r.keep(s)
		if r.cancelled {
			break
		}
	}
	return r.best
}

// search runs one start: annealing with the oscillating price, a squeeze
// into the tolerance, greedy and paired polishing, a search for any
// alignment within the tolerance (small instances), and annealing inside it.
func (r *runner) search(s *state, perRun int64, t0 float64, movable int) {
	pr := r.pr
	r.anneal(s, perRun, t0, t0*1e-4, false)
	if !s.feasible() {
		dbg("  squeeze from: cut %.0f exc %.3g lam %.3g", s.cut, s.sumExc, s.lam)
		r.anneal(s, perRun/4, t0/20, t0*1e-4, true)
	}
	dbg("  annealed: cut %.0f exc %.3g lam %.3g feasible %v best %.4g", s.cut, s.sumExc, s.lam, s.feasible(), r.bestObj)
	if !s.feasible() {
		r.descend(s, true, 50)
	}
	if !s.feasible() {
		r.pairPolish(s, 20)
	}
	if !s.feasible() && movable <= 400 && r.findFeasible(s, perRun/4) {
		r.annealInside(s, perRun/4, t0/4, t0*1e-4)
	} else if s.feasible() {
		r.annealInside(s, perRun/10, t0/20, t0*1e-4)
	}
	r.descend(s, false, 20)
	dbg("  polished: cut %.0f exc %.3g feasible %v absDev %.6g (start %.6g) obj %.6g best %.6g", s.cut, s.sumExc, s.feasible(), s.absDev, r.absDev0, s.objective(), r.bestObj)
	if debugf != nil {
		for t := 0; t < pr.K; t++ {
			if s.exc[t] > 0 {
				dbg("    %s: exc %.3g dev %.4f units %d", pr.terrs[t].id, s.exc[t], s.load[t*pr.M]/pr.target[t*pr.M]-1, s.cnt[t])
			}
		}
	}
}

// repair makes every active territory of a one connected group of units:
// pieces cut off from a territory's main piece are released and handed,
// wave by wave, to the adjacent territory furthest below its target. An
// empty territory first takes a unit from the territory most over target.
func (pr *problem) repair(a []int32) {
	K := pr.K
	load := make([]float64, K)
	cnt := make([]int, K)
	recount := func() {
		clear(load)
		clear(cnt)
		for i, t := range a {
			if t >= 0 {
				load[t] += pr.comp[i]
				cnt[t]++
			}
		}
		for t := 0; t < K; t++ {
			for m := 0; m < pr.M; m++ {
				load[t] += pr.w[m] * pr.extra[t*pr.M+m] / pr.total[m]
			}
		}
	}
	comp := make([]int32, pr.n)
	var stack []int32
	for round := 0; round < 20; round++ {
		recount()
		changed := false
		// Empty territories take a unit.
		cs := pr.centroids(a)
		for t := 0; t < K; t++ {
			if cnt[t] > 0 || !pr.terrs[t].active {
				continue
			}
			donor, ratio := -1, -1.0
			for d := 0; d < K; d++ {
				if pr.terrs[d].active && cnt[d] >= 2 && load[d]/pr.terrs[d].share > ratio {
					donor, ratio = d, load[d]/pr.terrs[d].share
				}
			}
			if donor < 0 {
				break
			}
			far, fd := -1, -1.0
			for i, tt := range a {
				if int(tt) == donor && pr.movable[i] {
					if d := sq(pr.pt[i], cs[donor]); d > fd {
						far, fd = i, d
					}
				}
			}
			if far < 0 {
				continue
			}
			a[far] = int32(t)
			cnt[donor]--
			cnt[t]++
			changed = true
		}
		// Release the pieces cut off from each territory's main piece.
		for i := range comp {
			comp[i] = -1
		}
		type piece struct {
			load   float64
			fixed  bool
			size   int
			member int32
		}
		pieces := map[int32][]piece{}
		var order []int32
		for s := int32(0); s < int32(pr.n); s++ {
			t := a[s]
			if t < 0 || comp[s] >= 0 || !pr.terrs[t].active {
				continue
			}
			id := int32(len(pieces[t]))
			if id == 0 {
				order = append(order, t)
			}
			pc := piece{member: s}
			comp[s] = id
			stack = append(stack[:0], s)
			for len(stack) > 0 {
				v := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				pc.load += pr.comp[v]
				pc.size++
				if !pr.movable[v] {
					pc.fixed = true
				}
				for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
					if w := pr.adj[j]; a[w] == t && comp[w] < 0 {
						comp[w] = id
						stack = append(stack, w)
					}
				}
			}
			pieces[t] = append(pieces[t], pc)
		}
		release := map[int32][]bool{}
		for _, t := range order {
			ps := pieces[t]
			if len(ps) <= 1 {
				continue
			}
			main := 0
			for i, pc := range ps {
				m := ps[main]
				if (pc.fixed && !m.fixed) || (pc.fixed == m.fixed && (pc.load > m.load || (pc.load == m.load && pc.size > m.size))) {
					main = i
				}
			}
			rel := make([]bool, len(ps))
			for i, pc := range ps {
				rel[i] = i != main && !pc.fixed
			}
			release[t] = rel
		}
		var queue []int32
		for i := range a {
			t := a[i]
			if t < 0 || !pr.movable[i] {
				continue
			}
			if rel, ok := release[t]; ok && rel[comp[i]] {
				a[i] = -1
				changed = true
			}
		}
		recount()
		// Fill released (and never assigned) movable units wave by wave.
		for i := range a {
			if a[i] < 0 && pr.movable[i] {
				for j := pr.adjStart[i]; j < pr.adjStart[i+1]; j++ {
					if t := a[pr.adj[j]]; t >= 0 && pr.terrs[t].active {
						queue = append(queue, int32(i))
						break
					}
				}
			}
		}
		for len(queue) > 0 {
			var next []int32
			for _, u := range queue {
				if a[u] >= 0 {
					continue
				}
				best, bv := int32(-1), math.Inf(1)
				for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
					t := a[pr.adj[j]]
					if t < 0 || !pr.terrs[t].active {
						continue
					}
					if v := load[t] / pr.terrs[t].share; v < bv {
						best, bv = t, v
					}
				}
				if best < 0 {
					continue
				}
				a[u] = best
				load[best] += pr.comp[u]
				for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
					if w := pr.adj[j]; a[w] < 0 && pr.movable[w] {
						next = append(next, w)
					}
				}
			}
			queue = next
		}
		// Whatever no active territory reaches goes to the nearest one.
		cs = pr.centroids(a)
		for i := range a {
			if a[i] >= 0 || !pr.movable[i] {
				continue
			}
			best, bd := int32(-1), math.Inf(1)
			for t := 0; t < K; t++ {
				if pr.terrs[t].active && cnt[t] > 0 {
					if d := sq(pr.pt[i], cs[t]); d < bd {
						best, bd = int32(t), d
					}
				}
			}
			a[i] = best
		}
		if !changed {
			return
		}
	}
}

// debugf, when set (by tests), receives a trace of the search.
var debugf func(string, ...any)

func dbg(f string, a ...any) {
	if debugf != nil {
		debugf(f, a...)
	}
}

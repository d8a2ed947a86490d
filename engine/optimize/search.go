package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
	"territoria/engine"
)

// runner drives one Run: construction, search, polishing, progress and
// cancellation, and keeps the best assignment found.
type runner struct {
	pr       *problem
	rng      *rand.Rand
	cancel   func() bool
	progress func(Progress)
	wt       weights

	cancelled bool
	iters     int64 // moves tried, all restarts together
	budget    int64 // moves planned, all restarts together
	restart   int
	restarts  int

	best      []int32
	bestObj   float64
	bestFeas  bool
	bestExc   float64
	bestSet   bool
	bestState *state // state the best came from (for progress figures)
	absDev0   float64
	lam0      float64 // the calibrated price of the excess
	guard     bool    // a rebalance may not make the balance index worse
	sinceTick int64
}

func (r *runner) stop() bool {
	if r.cancelled {
		return true
	}
	if r.cancel != nil && r.cancel() {
		r.cancelled = true
	}
	return r.cancelled
}

// better reports whether state s beats the best so far: within the
// tolerance first, then the smaller objective.
func (r *runner) better(s *state) bool {
	if !r.bestSet {
		return true
	}
	if r.guard && s.absDev > r.absDev0+1e-9 {
		return false
	}
	f := s.feasible()
	if f != r.bestFeas {
		return f
	}
	if !f && math.Abs(s.sumExc-r.bestExc) > 1e-12 {
		return s.sumExc < r.bestExc
	}
	return s.objective() < r.bestObj-1e-12
}

// guarded reports whether a move changing the balance measure by dAbs is
// refused by the rebalance guard: it would leave the balance index below
// the start, or lower it further while below (after mending exclaves).
func (r *runner) guarded(s *state, dAbs float64) bool {
	return r.guard && dAbs > 0 && s.absDev+dAbs > r.absDev0+1e-9
}

func (r *runner) keep(s *state) {
	if !r.better(s) {
		return
	}
	r.best = append(r.best[:0], s.a...)
	r.bestObj, r.bestFeas, r.bestExc, r.bestSet = s.objective(), s.feasible(), s.sumExc, true
	r.bestState = s
}

// tick reports progress (at most about a hundred times a run) and checks
// for cancellation; it returns true when the run must stop.
func (r *runner) tick(phase string, s *state, n int64) bool {
	r.iters += n
	r.sinceTick += n
	if r.stop() {
		return true
	}
	if r.progress != nil && (r.sinceTick >= r.budget/100 || n == 0) {
		r.sinceTick = 0
		r.report(phase, s)
	}
	return false
}

func (r *runner) report(phase string, s *state) {
	if r.progress == nil {
		return
	}
	f := 1.0
	if r.budget > 0 {
		f = math.Min(1, float64(r.iters)/float64(r.budget))
	}
	pg := Progress{Phase: phase, Fraction: f, Restart: r.restart + 1, Restarts: r.restarts}
	if r.bestSet {
		pg.Objective, pg.Feasible = r.bestObj, r.bestFeas
		pg.MaxDeviation = r.maxDev(r.best)
		best := slices.Clone(r.best)
		pg.Scenario = func() *engine.Scenario { return r.pr.scenario(best) }
	} else if s != nil {
		pg.Objective, pg.Feasible = s.objective(), s.feasible()
	}
	r.progress(pg)
}

// maxDev is the largest |deviation| of a balanced metric under a.
func (r *runner) maxDev(a []int32) float64 {
	pr := r.pr
	load := slices.Clone(pr.extra)
	for i, t := range a {
		if t >= 0 {
			for m := 0; m < pr.M; m++ {
				load[int(t)*pr.M+m] += pr.x[i*pr.M+m]
			}
		}
	}
	var md float64
	for t := 0; t < pr.K; t++ {
		for m := 0; m < pr.M; m++ {
			if tg := pr.target[t*pr.M+m]; tg > 0 {
				md = math.Max(md, math.Abs(load[t*pr.M+m]/tg-1))
			}
		}
	}
	return md
}

// pickTarget chooses a territory for boundary unit u to move to: the
// territory of a random neighbour in another active territory.
func (r *runner) pickTarget(s *state, u int32) int32 {
	pr := s.pr
	lo, hi := pr.adjStart[u], pr.adjStart[u+1]
	deg := hi - lo
	if deg == 0 {
		return -1
	}
	A := s.a[u]
	off := r.rng.Int32N(deg)
	for k := int32(0); k < deg; k++ {
		v := pr.adj[lo+(off+k)%deg]
		if B := s.a[v]; B != A && B >= 0 && pr.terrs[B].active {
			return B
		}
	}
	return -1
}

// tryMove checks the hard constraints of moving unit u from its territory
// to B and, if they hold and the move passes the acceptance test, makes it.
func (r *runner) tryMove(s *state, u int32, B int32, temp float64, needExc bool) bool {
	A := s.a[u]
	if s.cnt[A] <= 1 || !s.capsOK(int(u), A, B) {
		return false
	}
	d := s.delta(int(u), A, B)
	if r.guarded(s, d.absDev) {
		return false
	}
	if needExc {
		if d.exc > 1e-12 || (d.exc >= -1e-12 && d.obj >= -1e-12) {
			return false
		}
	} else if d.obj > 0 {
		if temp <= 0 || r.rng.Float64() >= math.Exp(-d.obj/temp) {
			return false
		}
	}
	if r.pr.opts.Contiguous && !s.canLeave(u) {
		return false
	}
	s.apply(int(u), A, B, d)
	return true
}

// calibrate sets the price of the excess so that leaving the tolerance by
// one tolerance in one territory costs about as much as a typical move
// changes the rest of the objective.
func (r *runner) calibrate(s *state) (typical float64) {
	s.lam = 0
	s.recompute()
	var ds []float64
	for k := 0; k < 400 && len(s.bset) > 0; k++ {
		u := s.bset[r.rng.IntN(len(s.bset))]
		B := r.pickTarget(s, u)
		if B < 0 {
			continue
		}
		if d := s.delta(int(u), s.a[u], B); d.obj != 0 {
			ds = append(ds, math.Abs(d.obj))
		}
	}
	typical = 1e-3
	if len(ds) > 0 {
		slices.Sort(ds)
		typical = math.Max(ds[len(ds)/2], 1e-12)
	}
	s.lam = typical * float64(s.pr.K)
	r.lam0 = s.lam
	s.recompute()
	return typical
}

// startTemperature estimates a temperature at which a typical uphill move
// is accepted half the time.
func (r *runner) startTemperature(s *state) float64 {
	var ups []float64
	for k := 0; k < 400 && len(s.bset) > 0; k++ {
		u := s.bset[r.rng.IntN(len(s.bset))]
		B := r.pickTarget(s, u)
		if B < 0 {
			continue
		}
		if d := s.delta(int(u), s.a[u], B); d.obj > 0 {
			ups = append(ups, d.obj)
		}
	}
	if len(ups) == 0 {
		return 1e-6
	}
	slices.Sort(ups)
	return ups[len(ups)/2] / math.Ln2
}

// anneal runs simulated annealing over boundary moves for iters moves,
// cooling geometrically from t0 to t1.
//
// With squeeze the price of the excess only rises while the state is
// outside the tolerance (by 5 % a chunk, without bound), driving a cold
// search into the tolerance while it keeps improving shape.
func (r *runner) anneal(s *state, iters int64, t0, t1 float64, squeeze bool) {
	// Temperature and penalty price change once per chunk of moves, about
	// four moves per unit; small instances also keep every improvement.
	chunk := int64(min(max(4*s.pr.n, 64), 2048))
	eager := s.pr.n <= 20000
	temp := t0
	cool := math.Pow(t1/t0, 1/math.Max(1, float64(iters)/float64(chunk)))
	r.keep(s)
	lam0 := s.lam
	for done := int64(0); done < iters; done += chunk {
		for k := int64(0); k < chunk && len(s.bset) > 0; k++ {
			u := s.bset[r.rng.IntN(len(s.bset))]
			B := r.pickTarget(s, u)
			if B < 0 {
				continue
			}
			if r.tryMove(s, u, B, temp, false) && eager && s.feasible() && (!r.bestFeas || s.objective() < r.bestObj-1e-12) {
				r.keep(s)
			}
		}
		temp *= cool
		if s.objective() < r.bestObj || (!r.bestFeas && s.feasible()) {
			r.keep(s)
		}
		// Strategic oscillation: the price of leaving the tolerance rises
		// while the search is outside it and falls while inside.
		switch {
		case squeeze && !s.feasible():
			s.lam *= 1.05
		case squeeze:
		case s.feasible():
			s.lam = math.Max(lam0/10, s.lam/1.03)
		default:
			s.lam = math.Min(lam0*20, s.lam*1.03)
		}
		s.recompute()
		if r.tick("search", s, chunk) {
			return
		}
	}
	s.recompute()
	r.keep(s)
}

// descend makes improving moves until none is left (or a pass limit):
// with needExc, only moves that reduce the excess over the tolerance.
func (r *runner) descend(s *state, needExc bool, passes int) {
	for p := 0; p < passes; p++ {
		if r.stop() {
			return
		}
		order := slices.Clone(s.bset)
		r.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		moved := 0
		pr := s.pr
		for _, u := range order {
			if s.bpos[u] < 0 {
				continue
			}
			A := s.a[u]
			if needExc && s.exc[A] == 0 {
				// Pull into territories under target as well.
				under := false
				for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
					if B := s.a[pr.adj[j]]; B >= 0 && B != A && s.exc[B] > 0 {
						under = true
						break
					}
				}
				if !under {
					continue
				}
			}
			// Best move of u.
			bestB, bestV := int32(-1), 0.0
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				B := s.a[pr.adj[j]]
				if B < 0 || B == A || !pr.terrs[B].active || B == bestB {
					continue
				}
				if s.cnt[A] <= 1 || !s.capsOK(int(u), A, B) {
					continue
				}
				d := s.delta(int(u), A, B)
				if r.guarded(s, d.absDev) {
					continue
				}
				v := d.obj
				if needExc {
					if d.exc > -1e-12 {
						continue
					}
					v = d.obj
				} else if d.exc > 1e-12 {
					continue
				}
				if v < bestV-1e-12 {
					bestB, bestV = B, v
				}
			}
			if bestB >= 0 && (!pr.opts.Contiguous || s.canLeave(u)) {
				s.apply(int(u), A, bestB, s.delta(int(u), A, bestB))
				moved++
			}
		}
		s.recompute()
		r.keep(s)
		if r.tick("polish", s, int64(len(order))) || moved == 0 {
			return
		}
	}
}

// allowed reports whether unit u may move from its territory to B under
// the hard constraints (size, caps, the balance guard, contiguity).
func (r *runner) allowed(s *state, u, B int32, d moveDelta) bool {
	A := s.a[u]
	if B < 0 || B == A || !s.pr.terrs[B].active || s.cnt[A] <= 1 || !s.capsOK(int(u), A, B) {
		return false
	}
	if r.guarded(s, d.absDev) {
		return false
	}
	return !s.pr.opts.Contiguous || s.canLeave(u)
}

// pairPolish brings territories within the tolerance with pairs of moves
// where no single move does: a unit moves from A to B, then another unit
// of A or B, or next to them, moves so that the excess falls overall.
func (r *runner) pairPolish(s *state, passes int) {
	pr := s.pr
	var terrs, near, extra []int32
	bnd := make([][]int32, pr.K) // boundary units by territory, per pass
	touches := func(v int32, A, B int32) bool {
		if s.a[v] == A || s.a[v] == B {
			return true
		}
		for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
			if t := s.a[pr.adj[j]]; t == A || t == B {
				return true
			}
		}
		return false
	}
	for p := 0; p < passes && !s.feasible(); p++ {
		if r.stop() {
			return
		}
		improved, stale := false, true
		order := slices.Clone(s.bset)
		r.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, u := range order {
			if s.feasible() {
				break
			}
			A := s.a[u]
			if s.bpos[u] < 0 {
				continue
			}
			terrs = terrs[:0]
			hot := s.exc[A] > 0
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				if B := s.a[pr.adj[j]]; B >= 0 && B != A && !slices.Contains(terrs, B) {
					terrs = append(terrs, B)
					hot = hot || s.exc[B] > 0
				}
			}
			if !hot {
				continue
			}
			for _, B := range terrs {
				d1 := s.delta(int(u), A, B)
				if !r.allowed(s, u, B, d1) {
					continue
				}
				exc0 := s.sumExc
				s.apply(int(u), A, B, d1)
				if s.sumExc < exc0-1e-12 {
					improved, stale = true, true
					break
				}
				// Second moves: boundary units of A, B and the territories
				// next to them that touch A or B (lists as at the start of
				// the pass; a unit that changed territory since is checked).
				if stale {
					for t := range bnd {
						bnd[t] = bnd[t][:0]
					}
					for _, v := range s.bset {
						bnd[s.a[v]] = append(bnd[s.a[v]], v)
					}
					stale = false
				}
				near = append(near[:0], A, B)
				for _, v := range bnd[A] {
					for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
						if C := s.a[pr.adj[j]]; C >= 0 && !slices.Contains(near, C) {
							near = append(near, C)
						}
					}
				}
				for _, v := range bnd[B] {
					for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
						if C := s.a[pr.adj[j]]; C >= 0 && !slices.Contains(near, C) {
							near = append(near, C)
						}
					}
				}
				bv, bB, bestV := int32(-1), int32(-1), math.Inf(1)
				// The first move changed the boundary around u: its
				// neighbours are candidates too.
				extra = extra[:0]
				for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
					extra = append(extra, pr.adj[j])
				}
				for ci := 0; ci <= len(near); ci++ {
					list := extra
					if ci < len(near) {
						list = bnd[near[ci]]
					}
					for _, v := range list {
						C := s.a[v]
						if v == u || C < 0 || s.bpos[v] < 0 || (ci < len(near) && C != near[ci]) || (C != A && C != B && !touches(v, A, B)) {
							continue
						}
						for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
							D := s.a[pr.adj[j]]
							if D < 0 || D == C || !pr.terrs[D].active {
								continue
							}
							d2 := s.delta(int(v), C, D)
							if s.sumExc+d2.exc >= exc0-1e-12 {
								continue
							}
							val := s.objective() + d2.obj
							if val < bestV && s.cnt[C] > 1 && s.capsOK(int(v), C, D) && !r.guarded(s, d2.absDev) {
								if !pr.opts.Contiguous || s.canLeave(v) {
									bv, bB, bestV = v, D, val
								}
							}
						}
					}
				}
				if bv >= 0 {
					s.apply(int(bv), s.a[bv], bB, s.delta(int(bv), s.a[bv], bB))
					improved, stale = true, true
					break
				}
				// Undo the first move.
				s.apply(int(u), B, A, s.delta(int(u), B, A))
			}
		}
		s.recompute()
		r.keep(s)
		if r.tick("polish", s, int64(len(order))) || !improved {
			return
		}
	}
}

// findFeasible anneals on the excess alone (balance within the tolerance
// and limits, nothing else) until the state is within them or iters moves
// were tried. It returns whether the state is feasible.
func (r *runner) findFeasible(s *state, iters int64) bool {
	if s.feasible() {
		return true
	}
	wt, lam := s.wt, s.lam
	s.wt, s.lam, s.quad = weights{}, 1, 0
	s.recompute()
	defer func() {
		s.wt, s.lam, s.quad = wt, lam, penQuad
		s.recompute()
	}()
	chunk := int64(min(max(4*s.pr.n, 64), 2048))
	t0 := 2.0 / float64(s.pr.K)
	temp := t0
	cool := math.Pow(1e-3, 1/math.Max(1, float64(iters)/float64(chunk)))
	for done := int64(0); done < iters; done += chunk {
		for k := int64(0); k < chunk && len(s.bset) > 0; k++ {
			u := s.bset[r.rng.IntN(len(s.bset))]
			B := r.pickTarget(s, u)
			if B < 0 {
				continue
			}
			if r.tryMove(s, u, B, temp, false) {
				if s.feasible() {
					return true
				}
				if s.sumExc < r.bestExc-1e-12 && !r.bestFeas {
					r.keep(s)
				}
			}
		}
		temp *= cool
		s.recompute()
		if r.tick("polish", s, chunk) {
			break
		}
	}
	return s.feasible()
}

// annealInside anneals without ever leaving the tolerance and limits: it
// improves shape, distance and balance of a feasible state.
func (r *runner) annealInside(s *state, iters int64, t0, t1 float64) {
	if !s.feasible() {
		return
	}
	chunk := int64(min(max(4*s.pr.n, 64), 2048))
	temp := t0
	cool := math.Pow(t1/t0, 1/math.Max(1, float64(iters)/float64(chunk)))
	pr := s.pr
	eager := pr.n <= 20000
	for done := int64(0); done < iters; done += chunk {
		for k := int64(0); k < chunk && len(s.bset) > 0; k++ {
			u := s.bset[r.rng.IntN(len(s.bset))]
			B := r.pickTarget(s, u)
			if B < 0 {
				continue
			}
			A := s.a[u]
			if s.cnt[A] <= 1 || !s.capsOK(int(u), A, B) {
				continue
			}
			d := s.delta(int(u), A, B)
			if d.exc > 1e-12 || (r.guarded(s, d.absDev)) {
				continue
			}
			if d.obj > 0 && (temp <= 0 || r.rng.Float64() >= math.Exp(-d.obj/temp)) {
				continue
			}
			if pr.opts.Contiguous && !s.canLeave(u) {
				continue
			}
			s.apply(int(u), A, B, d)
			if eager && s.objective() < r.bestObj-1e-12 {
				r.keep(s)
			}
		}
		temp *= cool
		s.recompute()
		r.keep(s)
		if r.tick("polish", s, chunk) {
			return
		}
	}
}

// mendPieces hands the pieces cut off from a territory (exclaves present
// at the start of a rebalance) to the neighbouring territory sharing most
// of their border, as far as locks, caps and the balance guard allow.
func (r *runner) mendPieces(s *state) {
	pr := s.pr
	piece := make([]int32, pr.n)
	for i := range piece {
		piece[i] = -1
	}
	type pc struct {
		t      int32
		units  []int32
		load   float64
		locked bool
	}
	var pcs []pc
	var stack []int32
	for u := int32(0); u < int32(pr.n); u++ {
		t := s.a[u]
		if t < 0 || piece[u] >= 0 || !pr.terrs[t].active {
			continue
		}
		id := int32(len(pcs))
		p := pc{t: t}
		piece[u] = id
		stack = append(stack[:0], u)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			p.units = append(p.units, v)
			p.load += pr.comp[v]
			p.locked = p.locked || !pr.movable[v]
			for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
				if w := pr.adj[j]; s.a[w] == t && piece[w] < 0 {
					piece[w] = id
					stack = append(stack, w)
				}
			}
		}
		pcs = append(pcs, p)
	}
	main := map[int32]int{}
	for i, p := range pcs {
		m, ok := main[p.t]
		if !ok || (p.locked && !pcs[m].locked) || (p.locked == pcs[m].locked && p.load > pcs[m].load) {
			main[p.t] = i
		}
	}
	for i, p := range pcs {
		if main[p.t] == i || p.locked {
			continue
		}
		// The neighbour sharing most border with the piece.
		border := map[int32]float64{}
		for _, v := range p.units {
			for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
				if B := s.a[pr.adj[j]]; B >= 0 && B != p.t && pr.terrs[B].active {
					border[B] += pr.adjW[j]
				}
			}
		}
		best, bw := int32(-1), 0.0
		for B, w := range border {
			if w > bw || (w == bw && B < best) {
				best, bw = B, w
			}
		}
		if best < 0 {
			continue
		}
		ok := true
		for _, v := range p.units {
			if !s.capsOK(int(v), p.t, best) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		for _, v := range p.units {
			s.apply(int(v), p.t, best, s.delta(int(v), p.t, best))
		}
		if r.guard && s.absDev > r.absDev0+1e-9 {
			// Mending this piece would lower the balance index below the
			// start: keep it where it was.
			for _, v := range p.units {
				s.apply(int(v), best, p.t, s.delta(int(v), best, p.t))
			}
		}
	}
	s.recompute()
}

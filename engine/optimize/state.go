package optimize

import (
	"math"
	"slices"
)

// penQuad is the weight of the squared excess beyond the tolerance (or a
// limit) against the plain excess in the penalty; the penalty's price,
// state.lam, adapts during the search.
const penQuad = 0

// weights are the terms of the objective.
type weights struct {
	bal   float64 // squared deviations (1 − compactness)
	shape float64 // length of borders between territories
	home  float64 // distance of items from their territory's anchor
	stay  float64 // share of load moved away from the starting territory
}

// state is an assignment of the items with everything the objective needs,
// kept up to date move by move.
type state struct {
	pr  *problem
	wt  weights
	lam float64 // price of the excess beyond the tolerance and limits
	// trackAbs keeps absDev (the balance index's measure) move by move,
	// for the rebalance guard.
	trackAbs bool
	quad     float64 // weight of the squared excess (penQuad, or 0)
	a        []int32
	// bigIn lists, per territory, the items it holds that are bigger than
	// a target (nil when there are none).
	bigIn [][]int32
	// ctr are the centres distances are measured from (anchors; at account
	// level also the centres of territories without an anchor).
	ctr    []xy
	hasCtr []bool
	// per territory
	load []float64 // K*M
	cnt  []int32
	cost []float64 // balance, excess and limit cost
	exc  []float64 // excess beyond the tolerance and limits (0 when within)
	// objective pieces
	sumCost float64
	sumExc  float64
	cut     float64 // weighted border between different territories
	home    float64
	moved   float64 // composite load away from its starting territory
	absDev  float64 // Σ_t Σ_m w |dev|: the balance index's measure
	// disruption
	movedRev, movedAcc float64
	outRev, outAcc     []float64 // per starting territory: given away
	// normalization
	cut0, home0 float64
	// boundary: items with a neighbour in another territory (units level)
	foreign []int32
	bpos    []int32
	bset    []int32
	// scratch for connectivity checks
	mark    []uint32
	lab     []int32
	epoch   uint32
	queues  [][]int32
	heads   []int
	uf      []int
	seeds   []int32
	devBuf  []float64
	devBuf2 []float64
}

func newState(pr *problem, a []int32, wt weights) *state {
	s := &state{pr: pr, wt: wt, a: slices.Clone(a), lam: 1, quad: penQuad, trackAbs: pr.opts.Mode == Rebalance}
	K, M := pr.K, pr.M
	s.ctr = make([]xy, K)
	s.hasCtr = make([]bool, K)
	for t := range pr.terrs {
		s.ctr[t], s.hasCtr[t] = pr.terrs[t].anchor, pr.terrs[t].anchored
	}
	s.load = make([]float64, K*M)
	copy(s.load, pr.extra)
	s.cnt = make([]int32, K)
	s.cost = make([]float64, K)
	s.exc = make([]float64, K)
	s.outRev = make([]float64, K)
	s.outAcc = make([]float64, K)
	s.devBuf = make([]float64, M)
	s.devBuf2 = make([]float64, M)
	if len(pr.big) > 0 {
		s.bigIn = make([][]int32, K)
		for _, i := range pr.big {
			if t := s.a[i]; t >= 0 {
				s.bigIn[t] = append(s.bigIn[t], i)
			}
		}
	}
	for i, t := range s.a {
		if t < 0 {
			continue
		}
		s.cnt[t]++
		for m := 0; m < M; m++ {
			s.load[int(t)*M+m] += pr.x[i*M+m]
		}
		s.trackMove(i, -2, t, 1)
	}
	for t := 0; t < K; t++ {
		s.cost[t], s.exc[t] = s.terrCost(t, s.load[t*M:(t+1)*M], -1, -1)
		s.sumCost += s.cost[t]
		s.sumExc += s.exc[t]
		s.absDev += s.terrAbsDev(t, s.load[t*M:(t+1)*M])
	}
	if pr.level == LevelUnits {
		n := pr.n
		s.foreign = make([]int32, n)
		s.bpos = make([]int32, n)
		for i := range s.bpos {
			s.bpos[i] = -1
		}
		for u := 0; u < n; u++ {
			au := s.a[u]
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				v := pr.adj[j]
				if s.a[v] != au {
					s.foreign[u]++
					if int32(u) < v {
						s.cut += pr.adjW[j]
					}
				}
			}
			s.updBoundary(int32(u))
		}
		s.mark = make([]uint32, n)
		s.lab = make([]int32, n)
	}
	s.cut0 = max(s.cut, 1e-9)
	s.home0 = 1
	return s
}

// setCentres replaces the centres and recomputes the distance term.
func (s *state) setCentres(ctr []xy, has []bool) {
	pr := s.pr
	copy(s.ctr, ctr)
	copy(s.hasCtr, has)
	s.home = 0
	if s.wt.home == 0 {
		return
	}
	for i, t := range s.a {
		if t >= 0 && s.hasCtr[t] {
			s.home += pr.comp[i] * dist(pr.pt[i], s.ctr[t]) / pr.d0
		}
	}
}

// trackMove updates home distance and disruption for item i moving from
// territory `from` to `to` (from −2: the item is being added).
func (s *state) trackMove(i int, from, to int32, sign float64) {
	pr := s.pr
	if s.wt.home > 0 {
		if from >= 0 && s.hasCtr[from] {
			s.home -= pr.comp[i] * dist(pr.pt[i], s.ctr[from]) / pr.d0
		}
		if to >= 0 && s.hasCtr[to] {
			s.home += pr.comp[i] * dist(pr.pt[i], s.ctr[to]) / pr.d0
		}
	}
	o := pr.orig[i]
	if o < 0 {
		return
	}
	was := from >= 0 && from != o
	now := to >= 0 && to != o
	if from == -2 {
		was = false
	}
	if was == now {
		return
	}
	d := 1.0
	if was {
		d = -1
	}
	_ = sign
	s.movedRev += d * pr.rev[i]
	s.movedAcc += d * pr.nacc[i]
	s.outRev[o] += d * pr.rev[i]
	s.outAcc[o] += d * pr.nacc[i]
	s.moved += d * pr.comp[i]
}

// terrCost is territory t's balance cost and excess at loads l, with item
// skip left out of it and item add put in it (−1: none) as far as the
// items too big for a target are concerned: a territory holding such an
// item may exceed its target by as much as the item alone does.
func (s *state) terrCost(t int, l []float64, skip, add int32) (cost, exc float64) {
	pr := s.pr
	M := pr.M
	tg := pr.target[t*M : (t+1)*M]
	for m := 0; m < M; m++ {
		if tg[m] <= 0 {
			continue
		}
		d := l[m]/tg[m] - 1
		sd := d / pr.tolN
		up := pr.tol
		if s.bigIn != nil {
			for _, j := range s.bigIn[t] {
				if j != skip {
					up = math.Max(up, pr.x[int(j)*M+m]/tg[m]-1)
				}
			}
			if add >= 0 && pr.isBig[add] {
				up = math.Max(up, pr.x[int(add)*M+m]/tg[m]-1)
			}
		}
		e := math.Max(0, math.Max(d-up, -d-pr.lowTol[m])) / pr.tolN
		cost += pr.w[m] * (s.wt.bal*sd*sd + s.lam*(e+s.quad*e*e))
		exc += pr.w[m] * e
	}
	if pr.limits {
		lim := pr.limit[t*M : (t+1)*M]
		for m := 0; m < M; m++ {
			if l[m] > lim[m] {
				r := (l[m] - lim[m]) / math.Max(lim[m], 1e-9)
				cost += s.lam * (r + s.quad*r*r)
				exc += r
			}
		}
	}
	return cost, exc
}

// terrAbsDev is Σ_m w |dev| of territory t at loads l.
func (s *state) terrAbsDev(t int, l []float64) float64 {
	pr := s.pr
	M := pr.M
	var v float64
	for m := 0; m < M; m++ {
		if tg := pr.target[t*M+m]; tg > 0 {
			v += pr.w[m] * math.Abs(l[m]/tg-1)
		}
	}
	return v
}

// objective is the value the search minimizes.
func (s *state) objective() float64 {
	f := s.sumCost / float64(s.pr.K)
	if s.wt.shape > 0 {
		f += s.wt.shape * s.cut / s.cut0
	}
	f += s.wt.home*s.home + s.wt.stay*s.moved
	return f
}

// feasible reports whether every territory is within the tolerance and its limits.
func (s *state) feasible() bool { return s.sumExc <= 1e-12 }

// capsOK reports whether moving item i from `from` to `to` keeps the
// disruption caps.
func (s *state) capsOK(i int, from, to int32) bool {
	pr := s.pr
	o := pr.orig[i]
	if o < 0 || pr.opts.Mode != Rebalance {
		return true
	}
	now := to != o
	was := from != o
	if !now || was {
		return true // returning home or moving between foreign territories
	}
	op := &pr.opts
	const eps = 1e-9
	if op.MaxMovedRevenueShare > 0 && s.movedRev+pr.rev[i] > op.MaxMovedRevenueShare*pr.totRev+eps {
		return false
	}
	if op.MaxMovedAccountsShare > 0 && s.movedAcc+pr.nacc[i] > op.MaxMovedAccountsShare*pr.totAcc+eps {
		return false
	}
	if op.MaxMovedRevenueShareTerritory > 0 && s.outRev[o]+pr.rev[i] > op.MaxMovedRevenueShareTerritory*pr.origRev[o]+eps {
		return false
	}
	if op.MaxMovedAccountsShareTerritory > 0 && s.outAcc[o]+pr.nacc[i] > op.MaxMovedAccountsShareTerritory*pr.origAcc[o]+eps {
		return false
	}
	return true
}

// moveDelta is the change of the objective, of Σ cost and of Σ excess if
// item i moved from territory A to B (both ≥ 0).
type moveDelta struct {
	obj, exc, absDev float64
	costA, costB     float64
	excA, excB       float64
	cut              float64
}

func (s *state) delta(i int, A, B int32) moveDelta {
	pr := s.pr
	M := pr.M
	x := pr.x[i*M : (i+1)*M]
	la, lb := s.devBuf, s.devBuf2
	for m := 0; m < M; m++ {
		la[m] = s.load[int(A)*M+m] - x[m]
		lb[m] = s.load[int(B)*M+m] + x[m]
	}
	var d moveDelta
	d.costA, d.excA = s.terrCost(int(A), la, int32(i), -1)
	d.costB, d.excB = s.terrCost(int(B), lb, -1, int32(i))
	d.exc = d.excA + d.excB - s.exc[A] - s.exc[B]
	dc := d.costA + d.costB - s.cost[A] - s.cost[B]
	d.obj = dc / float64(pr.K)
	if s.trackAbs {
		d.absDev = s.terrAbsDev(int(A), la) + s.terrAbsDev(int(B), lb) -
			s.terrAbsDev(int(A), s.load[int(A)*M:int(A+1)*M]) - s.terrAbsDev(int(B), s.load[int(B)*M:int(B+1)*M])
	}
	if pr.level == LevelUnits && s.wt.shape > 0 {
		for j := pr.adjStart[i]; j < pr.adjStart[i+1]; j++ {
			at := s.a[pr.adj[j]]
			if at == A {
				d.cut += pr.adjW[j]
			} else if at == B {
				d.cut -= pr.adjW[j]
			}
		}
		d.obj += s.wt.shape * d.cut / s.cut0
	}
	if s.wt.home > 0 {
		var h float64
		if s.hasCtr[A] {
			h -= dist(pr.pt[i], s.ctr[A])
		}
		if s.hasCtr[B] {
			h += dist(pr.pt[i], s.ctr[B])
		}
		d.obj += s.wt.home * pr.comp[i] * h / pr.d0
	}
	if s.wt.stay > 0 {
		if o := pr.orig[i]; o >= 0 {
			if A == o {
				d.obj += s.wt.stay * pr.comp[i]
			} else if B == o {
				d.obj -= s.wt.stay * pr.comp[i]
			}
		}
	}
	return d
}

// apply moves item i from A to B given its delta.
func (s *state) apply(i int, A, B int32, d moveDelta) {
	pr := s.pr
	M := pr.M
	for m := 0; m < M; m++ {
		v := pr.x[i*M+m]
		s.load[int(A)*M+m] -= v
		s.load[int(B)*M+m] += v
	}
	s.cnt[A]--
	s.cnt[B]++
	s.sumCost += d.costA + d.costB - s.cost[A] - s.cost[B]
	s.sumExc += d.exc
	if s.trackAbs {
		s.absDev += d.absDev
	}
	s.cost[A], s.cost[B] = d.costA, d.costB
	s.exc[A], s.exc[B] = d.excA, d.excB
	s.trackMove(i, A, B, 1)
	s.a[i] = B
	if s.bigIn != nil && pr.isBig[i] {
		s.bigIn[A] = slices.DeleteFunc(s.bigIn[A], func(j int32) bool { return j == int32(i) })
		s.bigIn[B] = append(s.bigIn[B], int32(i))
	}
	if pr.level == LevelUnits {
		s.cut += d.cut
		if s.wt.shape == 0 {
			// d.cut was not computed
			for j := pr.adjStart[i]; j < pr.adjStart[i+1]; j++ {
				at := s.a[pr.adj[j]]
				if at == A {
					s.cut += pr.adjW[j]
				} else if at == B {
					s.cut -= pr.adjW[j]
				}
			}
		}
		var f int32
		for j := pr.adjStart[i]; j < pr.adjStart[i+1]; j++ {
			v := pr.adj[j]
			av := s.a[v]
			if av != B {
				f++
			}
			if av == A {
				s.foreign[v]++
				s.updBoundary(v)
			} else if av == B {
				s.foreign[v]--
				s.updBoundary(v)
			}
		}
		s.foreign[i] = f
		s.updBoundary(int32(i))
	}
}

// recompute refreshes the sums from the per-territory figures, removing
// the drift of long runs of incremental updates.
func (s *state) recompute() {
	pr := s.pr
	s.sumCost, s.sumExc, s.absDev = 0, 0, 0
	for t := 0; t < pr.K; t++ {
		s.cost[t], s.exc[t] = s.terrCost(t, s.load[t*pr.M:(t+1)*pr.M], -1, -1)
		s.sumCost += s.cost[t]
		s.sumExc += s.exc[t]
		s.absDev += s.terrAbsDev(t, s.load[t*pr.M:(t+1)*pr.M])
	}
}

func (s *state) updBoundary(u int32) {
	in := s.foreign[u] > 0 && s.pr.movable[u] && s.a[u] >= 0
	if in && s.bpos[u] < 0 {
		s.bpos[u] = int32(len(s.bset))
		s.bset = append(s.bset, u)
	} else if !in && s.bpos[u] >= 0 {
		p := s.bpos[u]
		last := s.bset[len(s.bset)-1]
		s.bset[p] = last
		s.bpos[last] = p
		s.bset = s.bset[:len(s.bset)-1]
		s.bpos[u] = -1
	}
}

// canLeave reports whether unit u can leave its territory without
// splitting it: the neighbours of u in its territory stay connected
// without u. The cost is bounded by the smaller pieces, not the territory.
func (s *state) canLeave(u int32) bool {
	pr := s.pr
	A := s.a[u]
	seeds := s.seeds[:0]
	for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
		if v := pr.adj[j]; s.a[v] == A {
			seeds = append(seeds, v)
		}
	}
	s.seeds = seeds
	k := len(seeds)
	if k <= 1 {
		return true
	}
	// Quick test: seeds joined by edges among themselves.
	if k <= 8 {
		var uf [8]int
		for i := range k {
			uf[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for uf[i] != i {
				i = uf[i]
			}
			return i
		}
		classes := k
		for i := 0; i < k && classes > 1; i++ {
			v := seeds[i]
			for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
				w := pr.adj[j]
				for l := i + 1; l < k; l++ {
					if seeds[l] == w {
						if ri, rl := find(i), find(l); ri != rl {
							uf[rl] = ri
							classes--
						}
					}
				}
			}
		}
		if classes == 1 {
			return true
		}
	}
	s.epoch++
	if s.epoch == 0 {
		clear(s.mark)
		s.epoch = 1
	}
	ep := s.epoch
	for len(s.queues) < k {
		s.queues = append(s.queues, nil)
	}
	s.heads = slices.Grow(s.heads[:0], k)[:k]
	s.uf = slices.Grow(s.uf[:0], k)[:k]
	for i, v := range seeds {
		s.queues[i] = append(s.queues[i][:0], v)
		s.heads[i] = 0
		s.uf[i] = i
		s.mark[v] = ep
		s.lab[v] = int32(i)
	}
	s.mark[u] = ep
	s.lab[u] = -1
	find := func(i int) int {
		for s.uf[i] != i {
			s.uf[i] = s.uf[s.uf[i]]
			i = s.uf[i]
		}
		return i
	}
	classes := k
	for {
		for i := 0; i < k; i++ {
			q := s.queues[i]
			if s.heads[i] >= len(q) {
				continue
			}
			v := q[s.heads[i]]
			s.heads[i]++
			for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
				w := pr.adj[j]
				if s.a[w] != A {
					continue
				}
				if s.mark[w] == ep {
					lw := s.lab[w]
					if lw < 0 {
						continue
					}
					if ri, rw := find(i), find(int(lw)); ri != rw {
						s.uf[rw] = ri
						classes--
						if classes == 1 {
							return true
						}
					}
					continue
				}
				s.mark[w] = ep
				s.lab[w] = int32(i)
				s.queues[i] = append(s.queues[i], w)
			}
		}
		// A class whose searches have all finished is a separate piece.
		for i := 0; i < k; i++ {
			r := find(i)
			done := true
			for j := 0; j < k; j++ {
				if find(j) == r && s.heads[j] < len(s.queues[j]) {
					done = false
					break
				}
			}
			if done {
				return false
			}
		}
	}
}

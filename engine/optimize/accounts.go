package optimize

import (
	"math"
	"slices"
)

// runAccounts is the account-level search: a balanced k-means draws
// round territories of about equal load (Build), then passes over the
// accounts move single accounts to one of the nearest other territories
// when that lowers the objective, first to bring every territory within
// the tolerance, then to balance and tighten further.
func (r *runner) runAccounts() []int32 {
	pr := r.pr
	movable := 0
	for _, m := range pr.movable {
		if m {
			movable++
		}
	}
	r.restarts = 1
	eff := pr.opts.Effort
	if eff == 0 {
		eff = 1
	}
	passes := int(math.Ceil(8 * eff))
	r.budget = int64(movable) * int64(passes+20)
	a := slices.Clone(pr.init)
	if movable == 0 {
		r.best = a
		return a
	}
	// Distances are measured from the centres of the territories: their
	// anchors, or where their accounts lie.
	wt := r.wt
	wt.home = math.Max(wt.home, math.Max(0.05, pr.opts.Compactness/100))
	if pr.opts.Mode == Build {
		r.report("build", nil)
		pr.bisect(r.rng, a, 0)
		r.tick("build", nil, int64(movable)*15)
	}
	ctr := pr.centroids(a)
	has := make([]bool, pr.K)
	for t := range pr.terrs {
		if pr.terrs[t].anchored {
			ctr[t] = pr.terrs[t].anchor
		}
		has[t] = true
	}
	s := newState(pr, a, wt)
	s.setCentres(ctr, has)
	if pr.opts.Mode == Rebalance {
		r.absDev0, r.guard = s.absDev, true
	}
	r.keep(s)
	// Candidate territories of each account: the nearest active centres.
	var act []int32
	for t := range pr.terrs {
		if pr.terrs[t].active {
			act = append(act, int32(t))
		}
	}
	if len(act) < 2 {
		return r.best
	}
	cpts := make([]xy, len(act))
	for j, t := range act {
		cpts[j] = ctr[t]
	}
	cg := newGrid(cpts, nil, 0)
	const nc = 6
	ig := newGrid(pr.pt, pr.movable, 4*pr.K)
	cellCand := make([][]int32, ig.nx*ig.ny)
	for c := range cellCand {
		if ig.start[c] == ig.start[c+1] {
			continue
		}
		cc := xy{ig.minX + (float64(c%ig.nx)+0.5)*ig.cell, ig.minY + (float64(c/ig.nx)+0.5)*ig.cell}
		for _, j := range cg.nearest(cc, min(nc+2, len(act)), nil) {
			cellCand[c] = append(cellCand[c], act[j])
		}
	}
	order := make([]int32, 0, movable)
	for i := range pr.movable {
		if pr.movable[i] {
			order = append(order, int32(i))
		}
	}
	sweep := func(needExc bool) int {
		r.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		moved := 0
		for k, i := range order {
			if k%65536 == 65535 && r.tick("search", s, 65536) {
				return moved
			}
			A := s.a[i]
			if A < 0 {
				continue
			}
			cands := cellCand[ig.cellOf(pr.pt[i])]
			if needExc && s.exc[A] == 0 {
				short := false
				for _, B := range cands {
					short = short || s.exc[B] > 0
				}
				if !short {
					continue
				}
			}
			bestB, bestV := int32(-1), 0.0
			for _, B := range cands {
				if B == A || !s.capsOK(int(i), A, B) {
					continue
				}
				d := s.delta(int(i), A, B)
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
				if v < bestV-1e-15 {
					bestB, bestV = B, v
				}
			}
			if bestB >= 0 {
				s.apply(int(i), A, bestB, s.delta(int(i), A, bestB))
				moved++
			}
		}
		s.recompute()
		return moved
	}
	for p := 0; p < passes && !r.stop(); p++ {
		if !s.feasible() {
			sweep(true)
		}
		moved := sweep(false)
		r.keep(s)
		if s.feasible() && moved <= len(order)/1000 {
			break
		}
	}
	r.keep(s)
	return r.best
}

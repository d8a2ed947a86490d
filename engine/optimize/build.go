package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
)

// bisect draws the first alignment of a build by recursive bisection: the
// movable items are split along the longer axis of their extent at the
// point where the load on one side matches the target shares of the
// territories that side will hold, and each side is split again until
// one territory remains. The parts are as balanced as the items allow
// and roughly rectangular. Parts then go to territories: those with an
// anchor or with units they keep (locked) take the part nearest to them.
// a holds the items that do not move (−1 for the others) and receives
// the result. jitter (0..1) perturbs the split axes for fresh restarts.
func (pr *problem) bisect(rng *rand.Rand, a []int32, jitter float64) {
	var act []int32
	for t := range pr.terrs {
		if pr.terrs[t].active {
			act = append(act, int32(t))
		}
	}
	var items []int32
	for i := 0; i < pr.n; i++ {
		if pr.movable[i] {
			items = append(items, int32(i))
		}
	}
	if len(act) == 0 || len(items) == 0 {
		return
	}
	// Shares available to the movable items: a territory's share less what
	// it holds already.
	held := make([]float64, pr.K)
	for t := 0; t < pr.K; t++ {
		for m := 0; m < pr.M; m++ {
			held[t] += pr.w[m] * pr.extra[t*pr.M+m] / pr.total[m]
		}
	}
	for i, t := range a {
		if t >= 0 && !pr.movable[i] {
			held[t] += pr.comp[i]
		}
	}
	need := make([]float64, len(act))
	for j, t := range act {
		need[j] = math.Max(pr.terrs[t].share-held[t], 1e-6*pr.terrs[t].share)
	}
	part := make([]int32, pr.n) // item → part index (into act order)
	var split func(items []int32, lo, hi int)
	split = func(items []int32, lo, hi int) {
		if hi-lo == 1 || len(items) <= 1 {
			for _, i := range items {
				part[i] = int32(lo)
			}
			return
		}
		mid := (lo + hi) / 2
		var want, all float64
		for j := lo; j < hi; j++ {
			all += need[j]
			if j < mid {
				want += need[j]
			}
		}
		// Axis: the longer extent, or at random with probability jitter.
		minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, i := range items {
			p := pr.pt[i]
			minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
			minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
		}
		byX := maxX-minX >= maxY-minY
		if jitter > 0 && rng.Float64() < jitter {
			byX = rng.IntN(2) == 0
		}
		key := func(i int32) float64 {
			if byX {
				return pr.pt[i].x
			}
			return pr.pt[i].y
		}
		slices.SortFunc(items, func(x, y int32) int {
			kx, ky := key(x), key(y)
			switch {
			case kx < ky:
				return -1
			case kx > ky:
				return 1
			}
			return int(x - y)
		})
		var total float64
		for _, i := range items {
			total += pr.comp[i]
		}
		goal := total * want / all
		cut, acc := 0, 0.0
		for cut < len(items) {
			c := pr.comp[items[cut]]
			if acc+c > goal {
				if goal-acc > acc+c-goal {
					acc += c
					cut++
				}
				break
			}
			acc += c
			cut++
		}
		// Each side keeps at least as many items as it has territories.
		cut = min(max(cut, mid-lo), len(items)-(hi-mid))
		if cut < 0 {
			cut = 0
		}
		split(items[:cut], lo, mid)
		split(items[cut:], mid, hi)
	}
	// Territories holding something or anchored come first in act order?
	// No: parts are matched to them afterwards.
	split(items, 0, len(act))
	// Centres of the parts.
	ctr := make([]xy, len(act))
	wsum := make([]float64, len(act))
	for _, i := range items {
		p := part[i]
		w := pr.comp[i] + 1e-12
		ctr[p].x += w * pr.pt[i].x
		ctr[p].y += w * pr.pt[i].y
		wsum[p] += w
	}
	for p := range ctr {
		if wsum[p] > 0 {
			ctr[p].x /= wsum[p]
			ctr[p].y /= wsum[p]
		}
	}
	// Match parts to territories: those with an anchor or held units
	// choose the nearest free part first; the others take the rest in order.
	heldCtr := pr.centroids(a)
	owner := make([]int32, len(act))
	for p := range owner {
		owner[p] = -1
	}
	taken := make([]bool, len(act))
	var pinned, rest []int
	for j, t := range act {
		if pr.terrs[t].anchored || held[t] > 0 {
			pinned = append(pinned, j)
		} else {
			rest = append(rest, j)
		}
	}
	for _, j := range pinned {
		t := act[j]
		at := heldCtr[t]
		if pr.terrs[t].anchored {
			at = pr.terrs[t].anchor
		}
		best, bd := -1, math.Inf(1)
		for p := range ctr {
			if !taken[p] {
				if d := sq(ctr[p], at); d < bd {
					best, bd = p, d
				}
			}
		}
		taken[best] = true
		owner[best] = t
	}
	next := 0
	for p := range owner {
		if owner[p] < 0 {
			owner[p] = act[rest[next]]
			next++
		}
	}
	for _, i := range items {
		a[i] = owner[part[i]]
	}
}

func sq(a, b xy) float64 {
	dx, dy := a.x-b.x, a.y-b.y
	return dx*dx + dy*dy
}

// grow draws a random first alignment: seeds at random movable units,
// then territories grow one random neighbouring unit at a time, the
// territory furthest below its share first. It gives restarts of small
// instances starting points far from the bisection's.
func (pr *problem) grow(rng *rand.Rand, a []int32) {
	load := make([]float64, pr.K)
	for t := 0; t < pr.K; t++ {
		for m := 0; m < pr.M; m++ {
			load[t] += pr.w[m] * pr.extra[t*pr.M+m] / pr.total[m]
		}
	}
	var free []int32
	for i := 0; i < pr.n; i++ {
		if pr.movable[i] {
			free = append(free, int32(i))
		} else if t := a[i]; t >= 0 {
			load[t] += pr.comp[i]
		}
	}
	rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	frontier := make([][]int32, pr.K)
	next := 0
	for t := range pr.terrs {
		if !pr.terrs[t].active {
			continue
		}
		for next < len(free) && a[free[next]] >= 0 {
			next++
		}
		if next == len(free) {
			break
		}
		u := free[next]
		a[u] = int32(t)
		load[t] += pr.comp[u]
		frontier[t] = append(frontier[t], u)
	}
	for {
		best := -1
		for t := range frontier {
			if len(frontier[t]) > 0 && (best < 0 || load[t]/pr.terrs[t].share < load[best]/pr.terrs[best].share) {
				best = t
			}
		}
		if best < 0 {
			break
		}
		// A random frontier unit with a free neighbour.
		f := frontier[best]
		took := false
		for len(f) > 0 && !took {
			k := rng.IntN(len(f))
			u := f[k]
			var opts []int32
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				if v := pr.adj[j]; a[v] < 0 && pr.movable[v] {
					opts = append(opts, v)
				}
			}
			if len(opts) == 0 {
				f[k] = f[len(f)-1]
				f = f[:len(f)-1]
				continue
			}
			v := opts[rng.IntN(len(opts))]
			a[v] = int32(best)
			load[best] += pr.comp[v]
			f = append(f, v)
			took = true
		}
		frontier[best] = f
	}
}

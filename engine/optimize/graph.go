package optimize

import (
	"fmt"
	"math"
	"slices"

	orbgeo "github.com/paulmach/orb/geo"

	"territoria/engine"
)

// graph builds the unit adjacency: the units' neighbours (and the pairs
// sharing a border), each edge weighted by the length of the shared
// border, plus virtual edges tying islands and separate land masses to the
// nearest units so that every territory can be grown and kept contiguous
// over the whole map.
func (pr *problem) graph() error {
	p := pr.plan
	n := len(p.Units)
	nu := int32(n)
	type pair struct{ a, b int32 }
	key := func(a, b int32) pair {
		if a > b {
			a, b = b, a
		}
		return pair{a, b}
	}
	length := map[pair]float64{}
	pr.outerKm = make([]float64, n)
	pr.areaKm2 = make([]float64, n)
	for u := range p.Units {
		pr.areaKm2[u] = finite0(p.Units[u].AreaKm2)
	}
	for i, br := range p.Borders {
		l, r := br.Left, br.Right
		if l < engine.NoIndex || l >= nu || r < engine.NoIndex || r >= nu {
			return fmt.Errorf("optimize: border %d refers to units %d and %d, want NoIndex or 0..%d", i, l, r, nu-1)
		}
		if len(br.Line) < 2 || l == r {
			continue
		}
		km := finite0(orbgeo.Length(br.Line) / 1000)
		switch {
		case l == engine.NoIndex && r == engine.NoIndex:
		case r == engine.NoIndex:
			pr.outerKm[l] += km
		case l == engine.NoIndex:
			pr.outerKm[r] += km
		default:
			length[key(l, r)] += km
		}
	}
	adj := make([][]int32, n)
	for u := range p.Units {
		for _, v := range p.Units[u].Neighbors {
			if v < 0 || v >= nu {
				return fmt.Errorf("optimize: unit %q lists neighbour index %d, want 0..%d", p.Units[u].ID, v, nu-1)
			}
			if v != int32(u) {
				adj[u] = append(adj[u], v)
				adj[v] = append(adj[v], int32(u))
			}
		}
	}
	for _, k := range sortedPairs(length, func(p pair) (int32, int32) { return p.a, p.b }) {
		adj[k[0]] = append(adj[k[0]], k[1])
		adj[k[1]] = append(adj[k[1]], k[0])
	}
	real := make([]int, n)
	for u := range adj {
		slices.Sort(adj[u])
		adj[u] = slices.Compact(adj[u])
		real[u] = len(adj[u])
	}
	// Fallback weight: the median border length, or 1 without borders.
	var lens []float64
	for _, v := range length {
		if v > 0 {
			lens = append(lens, v)
		}
	}
	fallback := 1.0
	if len(lens) > 0 {
		slices.Sort(lens)
		fallback = lens[len(lens)/2]
	}
	// Virtual edges: units without any neighbour to their nearest units,
	// then every separate part of the map to the part nearest.
	g := newGrid(pr.pt, nil, 0)
	isVirt := map[pair]bool{}
	link := func(a, b int32) {
		k := key(a, b)
		if a == b || slices.Contains(adj[a], b) {
			return
		}
		isVirt[k] = true
		adj[a] = append(adj[a], b)
		adj[b] = append(adj[b], a)
	}
	for u := int32(0); u < nu; u++ {
		if real[u] == 0 && n > 1 {
			for _, v := range g.nearest(pr.pt[u], 4, func(i int32) bool { return i == u }) {
				link(u, v)
			}
		}
	}
	comp := make([]int32, n)
	for {
		nc := components(adj, comp)
		if nc <= 1 {
			break
		}
		size := make([]int, nc)
		for _, c := range comp {
			size[c]++
		}
		largest := int32(0)
		for c := range size {
			if size[c] > size[largest] {
				largest = int32(c)
			}
		}
		best := make([]struct {
			d    float64
			a, b int32
		}, nc)
		for c := range best {
			best[c].d, best[c].a = math.Inf(1), -1
		}
		for u := int32(0); u < nu; u++ {
			c := comp[u]
			if c == largest {
				continue
			}
			near := g.nearest(pr.pt[u], 1, func(i int32) bool { return comp[i] == c })
			if len(near) == 0 {
				continue
			}
			if d := dist(pr.pt[u], pr.pt[near[0]]); d < best[c].d {
				best[c].d, best[c].a, best[c].b = d, u, near[0]
			}
		}
		linked := false
		for c := range best {
			if best[c].a >= 0 {
				link(best[c].a, best[c].b)
				linked = true
			}
		}
		if !linked {
			break
		}
	}
	pr.adjStart = make([]int32, n+1)
	for u := range adj {
		slices.Sort(adj[u])
		pr.adjStart[u+1] = pr.adjStart[u] + int32(len(adj[u]))
	}
	m := pr.adjStart[n]
	pr.adj = make([]int32, 0, m)
	pr.adjW = make([]float64, 0, m)
	pr.virt = make([]bool, 0, m)
	for u := range adj {
		for _, v := range adj[u] {
			k := key(int32(u), v)
			w := length[k]
			if w <= 0 {
				w = fallback
			}
			pr.adj = append(pr.adj, v)
			pr.adjW = append(pr.adjW, w)
			pr.virt = append(pr.virt, isVirt[k])
			if !isVirt[k] && int32(u) < v {
				pr.realEdge++
			}
		}
	}
	return nil
}

func finite0(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// sortedPairs lists the keys of m as ordered pairs, sorted.
func sortedPairs[K comparable, V any](m map[K]V, f func(K) (int32, int32)) [][2]int32 {
	out := make([][2]int32, 0, len(m))
	for k := range m {
		a, b := f(k)
		out = append(out, [2]int32{a, b})
	}
	slices.SortFunc(out, func(x, y [2]int32) int {
		if x[0] != y[0] {
			return int(x[0] - y[0])
		}
		return int(x[1] - y[1])
	})
	return out
}

// components labels the connected components of adj in comp and returns
// their number.
func components(adj [][]int32, comp []int32) int {
	for i := range comp {
		comp[i] = -1
	}
	var stack []int32
	nc := int32(0)
	for s := range adj {
		if comp[s] >= 0 {
			continue
		}
		comp[s] = nc
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range adj[v] {
				if comp[w] < 0 {
					comp[w] = nc
					stack = append(stack, w)
				}
			}
		}
		nc++
	}
	return int(nc)
}

// grid is a uniform bucket grid over points for nearest-point queries.
type grid struct {
	pts        []xy
	minX, minY float64
	cell       float64
	nx, ny     int
	start      []int32
	idx        []int32
}

// newGrid indexes pts (only those with keep[i], when keep is not nil) in
// about `cells` cells (0: one cell per two points).
func newGrid(pts []xy, keep []bool, cells int) *grid {
	g := &grid{pts: pts}
	first := true
	var maxX, maxY float64
	cnt := 0
	for i, p := range pts {
		if keep != nil && !keep[i] {
			continue
		}
		cnt++
		if first {
			g.minX, g.minY, maxX, maxY, first = p.x, p.y, p.x, p.y, false
			continue
		}
		g.minX, g.minY = min(g.minX, p.x), min(g.minY, p.y)
		maxX, maxY = max(maxX, p.x), max(maxY, p.y)
	}
	w, h := max(maxX-g.minX, 1e-6), max(maxY-g.minY, 1e-6)
	if cells <= 0 {
		cells = max(1, cnt/2)
	}
	g.cell = math.Sqrt(w * h / float64(cells))
	if g.cell <= 0 || math.IsNaN(g.cell) {
		g.cell = max(w, h)
	}
	g.nx = min(int(w/g.cell)+1, 1<<12)
	g.ny = min(int(h/g.cell)+1, 1<<12)
	g.cell = max(w/float64(g.nx), h/float64(g.ny)) * 1.000001
	g.nx = int(w/g.cell) + 1
	g.ny = int(h/g.cell) + 1
	g.start = make([]int32, g.nx*g.ny+1)
	for i, p := range pts {
		if keep == nil || keep[i] {
			g.start[g.cellOf(p)+1]++
		}
	}
	for c := 0; c < g.nx*g.ny; c++ {
		g.start[c+1] += g.start[c]
	}
	g.idx = make([]int32, g.start[g.nx*g.ny])
	next := slices.Clone(g.start[:g.nx*g.ny])
	for i, p := range pts {
		if keep == nil || keep[i] {
			c := g.cellOf(p)
			g.idx[next[c]] = int32(i)
			next[c]++
		}
	}
	return g
}

func (g *grid) cxy(p xy) (int, int) {
	cx := int((p.x - g.minX) / g.cell)
	cy := int((p.y - g.minY) / g.cell)
	return min(max(cx, 0), g.nx-1), min(max(cy, 0), g.ny-1)
}

func (g *grid) cellOf(p xy) int {
	cx, cy := g.cxy(p)
	return cy*g.nx + cx
}

// nearest returns up to k indexed points nearest p, nearest first, leaving
// out those skip reports (skip may be nil).
func (g *grid) nearest(p xy, k int, skip func(int32) bool) []int32 {
	type cand struct {
		i int32
		d float64
	}
	var best []cand
	cx, cy := g.cxy(p)
	maxR := max(g.nx, g.ny)
	for r := 0; r <= maxR; r++ {
		// Points in ring r are at least (r-1)·cell away.
		if len(best) == k && float64(r-1)*g.cell > best[k-1].d {
			break
		}
		for y := cy - r; y <= cy+r; y++ {
			if y < 0 || y >= g.ny {
				continue
			}
			step := 1
			if y != cy-r && y != cy+r {
				step = 2 * r
			}
			for x := cx - r; x <= cx+r; x += max(step, 1) {
				if x < 0 || x >= g.nx {
					continue
				}
				c := y*g.nx + x
				for _, i := range g.idx[g.start[c]:g.start[c+1]] {
					if skip != nil && skip(i) {
						continue
					}
					d := dist(p, g.pts[i])
					if len(best) < k {
						best = append(best, cand{i, d})
					} else if d < best[k-1].d || (d == best[k-1].d && i < best[k-1].i) {
						best[k-1] = cand{i, d}
					} else {
						continue
					}
					for j := len(best) - 1; j > 0 && (best[j].d < best[j-1].d || (best[j].d == best[j-1].d && best[j].i < best[j-1].i)); j-- {
						best[j], best[j-1] = best[j-1], best[j]
					}
				}
			}
		}
	}
	out := make([]int32, len(best))
	for j, c := range best {
		out[j] = c.i
	}
	return out
}

package assign

import (
	"math"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// pointGrid indexes account locations on a regular grid of about 16
// accounts per cell, to find the accounts in a small box quickly.
type pointGrid struct {
	bound  orb.Bound
	nx, ny int
	cw, ch float64
	start  []int32 // CSR: cell c holds ids[start[c]:start[c+1]]
	ids    []int32
}

func newPointGrid(accts []engine.Account) *pointGrid {
	g := &pointGrid{}
	first := true
	for i := range accts {
		p := accts[i].Loc
		if !finite(p) {
			continue
		}
		if first {
			g.bound, first = orb.Bound{Min: p, Max: p}, false
		} else {
			g.bound = g.bound.Extend(p)
		}
	}
	n := len(accts)
	cells := max(1, n/16)
	w, h := g.bound.Max[0]-g.bound.Min[0], g.bound.Max[1]-g.bound.Min[1]
	side := math.Sqrt(w * h / float64(cells))
	if !(side > 0) {
		side = math.Max(math.Max(w, h), 1e-9)
	}
	g.nx = max(1, min(8192, int(math.Ceil(w/side))))
	g.ny = max(1, min(8192, int(math.Ceil(h/side))))
	g.cw, g.ch = math.Max(w/float64(g.nx), 1e-12), math.Max(h/float64(g.ny), 1e-12)
	g.start = make([]int32, g.nx*g.ny+1)
	cell := make([]int32, n)
	for i := range accts {
		if !finite(accts[i].Loc) {
			cell[i] = -1
			continue
		}
		c := g.cell(accts[i].Loc)
		cell[i] = c
		g.start[c+1]++
	}
	for c := 0; c+1 < len(g.start); c++ {
		g.start[c+1] += g.start[c]
	}
	g.ids = make([]int32, g.start[len(g.start)-1])
	next := append([]int32(nil), g.start[:len(g.start)-1]...)
	for i, c := range cell {
		if c >= 0 {
			g.ids[next[c]] = int32(i)
			next[c]++
		}
	}
	return g
}

func (g *pointGrid) xy(p orb.Point) (int, int) {
	x := int((p[0] - g.bound.Min[0]) / g.cw)
	y := int((p[1] - g.bound.Min[1]) / g.ch)
	return min(max(x, 0), g.nx-1), min(max(y, 0), g.ny-1)
}

func (g *pointGrid) cell(p orb.Point) int32 {
	x, y := g.xy(p)
	return int32(y*g.nx + x)
}

// each calls f for every account whose location lies in b.
func (g *pointGrid) each(accts []engine.Account, b orb.Bound, f func(a int32)) {
	if len(g.ids) == 0 || !b.Intersects(g.bound) {
		return
	}
	x0, y0 := g.xy(b.Min)
	x1, y1 := g.xy(b.Max)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			c := y*g.nx + x
			for _, a := range g.ids[g.start[c]:g.start[c+1]] {
				p := accts[a].Loc
				if p[0] >= b.Min[0] && p[0] <= b.Max[0] && p[1] >= b.Min[1] && p[1] <= b.Max[1] {
					f(a)
				}
			}
		}
	}
}

package assign

import (
	"math"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/geo"
)

// areaGrid indexes free-drawn areas on a regular grid of about four cells
// per area, as Locator does for units, so that a point is tested only
// against the areas whose bounds overlap its cell. Each cell lists its
// areas in the order given (territory order), so the first area found to
// contain a point is the first in territory order to contain it.
type areaGrid struct {
	areas  []drawnArea
	scan   bool // an area's bounds are not finite: test every area in order
	bound  orb.Bound
	nx, ny int
	cw, ch float64 // cell width and height in degrees
	start  []int32 // CSR: cell c holds cells[start[c]:start[c+1]]
	cells  []int32 // indexes into areas, ascending
}

// newAreaGrid indexes areas, which must be in territory order. Areas with
// empty bounds (an empty outer ring) are left out: no point is inside
// them. When some area's bounds are not finite numbers, the grid falls back
// to testing every area in order.
func newAreaGrid(areas []drawnArea) *areaGrid {
	g := &areaGrid{}
	for _, a := range areas {
		b := a.bound
		if !finite(b.Min) || !finite(b.Max) {
			return &areaGrid{areas: areas, scan: true}
		}
		if b.Min[0] > b.Max[0] || b.Min[1] > b.Max[1] {
			continue
		}
		if len(g.areas) == 0 {
			g.bound = b
		} else {
			g.bound = g.bound.Union(b)
		}
		g.areas = append(g.areas, a)
	}
	if len(g.areas) == 0 {
		return g
	}
	w := g.bound.Max[0] - g.bound.Min[0]
	h := g.bound.Max[1] - g.bound.Min[1]
	target := 4 * float64(len(g.areas))
	side := math.Sqrt(w * h / target)
	if !(side > 0) {
		side = math.Max(w, h) / math.Sqrt(target)
	}
	if !(side > 0) {
		side = 1
	}
	g.nx = max(1, min(4096, int(math.Ceil(w/side))))
	g.ny = max(1, min(4096, int(math.Ceil(h/side))))
	g.cw = w / float64(g.nx)
	g.ch = h / float64(g.ny)
	n := g.nx * g.ny
	count := make([]int32, n+1)
	g.each(func(c, _ int) { count[c+1]++ })
	for c := 0; c < n; c++ {
		count[c+1] += count[c]
	}
	g.start = append([]int32(nil), count...)
	g.cells = make([]int32, count[n])
	g.each(func(c, i int) {
		g.cells[count[c]] = int32(i)
		count[c]++
	})
	return g
}

// each calls f for every (cell, area) pair whose bounds overlap, in
// ascending area order.
func (g *areaGrid) each(f func(c, i int)) {
	for i := range g.areas {
		x0, y0 := g.cell(g.areas[i].bound.Min)
		x1, y1 := g.cell(g.areas[i].bound.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*g.nx+x, i)
			}
		}
	}
}

// cell returns the column and row of the cell holding pt, clamped to the
// grid. It is monotonic in each coordinate, so a point inside an area's
// bounds falls in one of the cells the area is listed in.
func (g *areaGrid) cell(pt orb.Point) (int, int) {
	x := 0
	if g.cw > 0 {
		x = int((pt[0] - g.bound.Min[0]) / g.cw)
	}
	y := 0
	if g.ch > 0 {
		y = int((pt[1] - g.bound.Min[1]) / g.ch)
	}
	return min(max(x, 0), g.nx-1), min(max(y, 0), g.ny-1)
}

// first returns the territory of the first area (in territory order)
// whose bounds hold pt and whose polygon contains it, or NoIndex.
func (g *areaGrid) first(pt orb.Point) int32 {
	if g.scan {
		for i := range g.areas {
			if a := &g.areas[i]; a.holds(pt) {
				return a.t
			}
		}
		return engine.NoIndex
	}
	// The comparisons fail for NaN, and for infinite points since the
	// grid's bounds are finite.
	if len(g.areas) == 0 ||
		!(pt[0] >= g.bound.Min[0] && pt[0] <= g.bound.Max[0] && pt[1] >= g.bound.Min[1] && pt[1] <= g.bound.Max[1]) {
		return engine.NoIndex
	}
	x, y := g.cell(pt)
	c := y*g.nx + x
	for _, i := range g.cells[g.start[c]:g.start[c+1]] {
		if a := &g.areas[i]; a.holds(pt) {
			return a.t
		}
	}
	return engine.NoIndex
}

// holds reports whether pt is inside a's bounds and polygon.
func (a *drawnArea) holds(pt orb.Point) bool {
	b := &a.bound
	if pt[0] < b.Min[0] || pt[0] > b.Max[0] || pt[1] < b.Min[1] || pt[1] > b.Max[1] {
		return false
	}
	return geo.PolygonContains(a.poly, pt)
}

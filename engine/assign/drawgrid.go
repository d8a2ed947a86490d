package assign

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/geo"
)

// areaGrid indexes free-drawn areas on a regular grid, so that a point is
// tested only against the areas whose bounds overlap its cell. Each cell
// lists its areas in the order given (territory order), so the first area
// found to contain a point is the first in territory order to contain it.
//
// A cell that no edge of an area comes near lies wholly inside or wholly
// outside that area. Such cells are classified when the grid is built: an
// area wholly outside is left out of the cell's list, and an area wholly
// inside ends the list, marked so that a point in the cell is placed in it
// without a point-in-polygon test. With cells about a thirtieth of an area
// across, most points fall in such cells.
type areaGrid struct {
	areas  []drawnArea
	scan   bool // an area's bounds are not finite: test every area in order
	bound  orb.Bound
	nx, ny int
	cw, ch float64 // cell width and height in degrees
	start  []int32 // CSR: cell c holds entries[start[c]:start[c+1]]
	// entries are indexes into areas, ascending within a cell; ^i (negative)
	// marks area i as holding the whole cell.
	entries []int32
}

const (
	// cellsPerArea is the number of grid cells aimed at per area, when
	// there are as many points to place.
	cellsPerArea = 1024
	// maxCells and maxSpanned bound the grid's memory; the grid is made
	// coarser until both hold.
	maxCells   = 1 << 20
	maxSpanned = 1 << 22
)

// Codes of a (cell, area) pair, from classifying the cell.
const (
	pairOutside byte = iota // the cell lies wholly outside the area
	pairTest                // an edge comes near the cell: test the point
	pairInside              // the cell lies wholly inside the area and its bounds
)

// newAreaGrid indexes areas, which must be in territory order, for about
// points lookups (the grid is finer when there are more points to place).
// Areas with empty bounds (an empty outer ring) are left out: no point is
// inside them. When some area's bounds are not finite numbers, the grid
// falls back to testing every area in order.
func newAreaGrid(areas []drawnArea, points int) *areaGrid {
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
	na := float64(len(g.areas))
	target := min(cellsPerArea*na, max(4*na, float64(points)), maxCells/2)
	side := math.Sqrt(w * h / target)
	if !(side > 0) {
		side = math.Max(w, h) / target
	}
	if !(side > 0) {
		side = 1
	}
	g.nx = max(1, min(4096, int(math.Ceil(w/side))))
	g.ny = max(1, min(4096, int(math.Ceil(h/side))))
	for {
		g.cw = w / float64(g.nx)
		g.ch = h / float64(g.ny)
		if g.nx*g.ny <= maxCells && g.spanned() <= maxSpanned || g.nx == 1 && g.ny == 1 {
			break
		}
		g.nx, g.ny = (g.nx+1)/2, (g.ny+1)/2
	}
	g.build()
	return g
}

// span returns the range of cells area i's bounds overlap.
func (g *areaGrid) span(i int) (x0, y0, x1, y1 int) {
	x0, y0 = g.cell(g.areas[i].bound.Min)
	x1, y1 = g.cell(g.areas[i].bound.Max)
	return x0, y0, x1, y1
}

// spanned is the number of (cell, area) pairs whose bounds overlap.
func (g *areaGrid) spanned() int {
	n := 0
	for i := range g.areas {
		x0, y0, x1, y1 := g.span(i)
		n += (x1 - x0 + 1) * (y1 - y0 + 1)
	}
	return n
}

// build fills start and entries.
func (g *areaGrid) build() {
	// Cells can be classified when a point's cell is accurate to far less
	// than a cell, and a cell's centre can be computed inside it.
	mx := math.Max(math.Abs(g.bound.Min[0]), math.Abs(g.bound.Max[0]))
	my := math.Max(math.Abs(g.bound.Min[1]), math.Abs(g.bound.Max[1]))
	classify := g.cw > 1e-7*mx && g.ch > 1e-7*my
	// codes holds the code of every (cell, area) pair: area by area, then
	// row by row over the cells of the area's bounds.
	codes := make([]byte, g.spanned())
	var near []bool
	k := 0
	for i := range g.areas {
		a := &g.areas[i]
		x0, y0, x1, y1 := g.span(i)
		bw, bh := x1-x0+1, y1-y0+1
		near = slices.Grow(near[:0], bw*bh)[:bw*bh]
		clear(near)
		ok := classify && g.markNear(a.poly, x0, y0, x1, y1, near)
		for y := y0; y <= y1; y++ {
			run, in := false, false // in a run of cells no edge comes near, and whether it is inside
			for x := x0; x <= x1; x++ {
				code := pairTest
				switch {
				case !ok || near[(y-y0)*bw+x-x0]:
					run = false
				default:
					if !run {
						// The cells of the run form a connected region no
						// edge crosses: its centre tells inside from
						// outside for all of it.
						centre := orb.Point{g.bound.Min[0] + (float64(x)+0.5)*g.cw, g.bound.Min[1] + (float64(y)+0.5)*g.ch}
						run, in = true, geo.PolygonContains(a.poly, centre)
					}
					switch {
					case !in:
						code = pairOutside
					case x >= x0+2 && x <= x1-2 && y >= y0+2 && y <= y1-2:
						// Two cells in from the cells of the area's bounds,
						// the cell lies within the bounds as well.
						code = pairInside
					}
				}
				codes[k] = code
				k++
			}
		}
	}
	// Counting sort by cell, in area order; pairs after one whose area holds
	// the whole cell are dropped.
	n := g.nx * g.ny
	count := make([]int32, n+1)
	full := make([]bool, n)
	g.pairs(codes, func(c, _ int, code byte) {
		if code != pairOutside && !full[c] {
			count[c+1]++
			full[c] = code == pairInside
		}
	})
	for c := 0; c < n; c++ {
		count[c+1] += count[c]
	}
	g.start = slices.Clone(count)
	g.entries = make([]int32, count[n])
	clear(full)
	g.pairs(codes, func(c, i int, code byte) {
		if code != pairOutside && !full[c] {
			e := int32(i)
			if code == pairInside {
				e = ^e
			}
			g.entries[count[c]] = e
			count[c]++
			full[c] = code == pairInside
		}
	})
}

// pairs calls f for every (cell, area) pair whose bounds overlap, in the
// order of codes, with the pair's code.
func (g *areaGrid) pairs(codes []byte, f func(c, i int, code byte)) {
	k := 0
	for i := range g.areas {
		x0, y0, x1, y1 := g.span(i)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*g.nx+x, i, codes[k])
				k++
			}
		}
	}
}

// markNear sets near[(y−y0)·(x1−x0+1) + x−x0] for the cells (x, y) of the
// range x0..x1, y0..y1 that an edge of poly may touch: the cells of the
// edge's bounds widened by a millionth of a cell, which is far more than
// the rounding error of cell, so that a point the edge comes near is in a
// marked cell whichever way the point's cell is rounded. It reports false,
// leaving the cells unclassified, when a vertex is not a finite number.
func (g *areaGrid) markNear(poly orb.Polygon, x0, y0, x1, y1 int, near []bool) bool {
	bw := x1 - x0 + 1
	dx, dy := 1e-6*g.cw, 1e-6*g.ch
	for _, r := range poly {
		n := len(r)
		if n < 3 {
			continue // no crossings (see geo.RingContains)
		}
		a := r[n-1]
		for _, b := range r {
			if !finite(b) {
				return false
			}
			ex0, ey0 := g.cell(orb.Point{math.Min(a[0], b[0]) - dx, math.Min(a[1], b[1]) - dy})
			ex1, ey1 := g.cell(orb.Point{math.Max(a[0], b[0]) + dx, math.Max(a[1], b[1]) + dy})
			ex0, ey0 = max(ex0, x0), max(ey0, y0)
			ex1, ey1 = min(ex1, x1), min(ey1, y1)
			for y := ey0; y <= ey1; y++ {
				row := near[(y-y0)*bw:]
				for x := ex0; x <= ex1; x++ {
					row[x-x0] = true
				}
			}
			a = b
		}
	}
	return true
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
	for _, e := range g.entries[g.start[c]:g.start[c+1]] {
		if e < 0 {
			return g.areas[^e].t
		}
		if a := &g.areas[e]; a.holds(pt) {
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

// Package assign decides which unit and which territory every account
// belongs to, and keeps that alignment up to date under live edits.
//
// LocateAccounts places accounts in units (a spatial join). State is the
// alignment of one scenario: the territory of every unit and account, with
// MoveUnits, MoveAccounts and SetPolygon changing it incrementally and
// reporting the changes as a Delta for engine/metrics to apply.
package assign

import (
	"math"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/geo"
)

// Locator finds the unit containing a point. It is immutable after
// NewLocator and safe for concurrent use.
//
// A point on a border shared by two units belongs to exactly one of them, by
// the boundary rule of engine/geo (the unit east of, or north of, the
// shared edge). Where units overlap (bad data) the lowest unit index wins.
type Locator struct {
	polys  []prepared
	bound  orb.Bound
	nx, ny int
	cw, ch float64 // cell width and height in degrees
	start  []int32 // CSR: cell c holds cells[start[c]:start[c+1]]
	cells  []int32 // indexes into polys, ascending
}

type prepared struct {
	unit  int32
	bound orb.Bound
	poly  orb.Polygon
}

// NewLocator indexes the polygons of units on a regular grid of about four
// cells per polygon.
func NewLocator(units []engine.Unit) *Locator {
	l := &Locator{}
	first := true
	for u := range units {
		for _, poly := range units[u].Geom {
			if len(poly) == 0 || len(poly[0]) < 3 {
				continue
			}
			b := poly[0].Bound()
			if !finite(b.Min) || !finite(b.Max) {
				continue
			}
			l.polys = append(l.polys, prepared{unit: int32(u), bound: b, poly: poly})
			if first {
				l.bound, first = b, false
			} else {
				l.bound = l.bound.Union(b)
			}
		}
	}
	if len(l.polys) == 0 {
		return l
	}
	w := l.bound.Max[0] - l.bound.Min[0]
	h := l.bound.Max[1] - l.bound.Min[1]
	target := 4 * float64(len(l.polys))
	side := math.Sqrt(w * h / target)
	if !(side > 0) {
		side = math.Max(w, h) / math.Sqrt(target)
	}
	if !(side > 0) {
		side = 1
	}
	l.nx = max(1, min(4096, int(math.Ceil(w/side))))
	l.ny = max(1, min(4096, int(math.Ceil(h/side))))
	l.cw = w / float64(l.nx)
	l.ch = h / float64(l.ny)
	n := l.nx * l.ny
	count := make([]int32, n+1)
	l.each(func(c, _ int) { count[c+1]++ })
	for c := 0; c < n; c++ {
		count[c+1] += count[c]
	}
	l.start = append([]int32(nil), count...)
	l.cells = make([]int32, count[n])
	l.each(func(c, i int) {
		l.cells[count[c]] = int32(i)
		count[c]++
	})
	return l
}

// each calls f for every (cell, polygon) pair whose bounds overlap, in
// ascending polygon order.
func (l *Locator) each(f func(c, i int)) {
	for i, pp := range l.polys {
		x0, y0 := l.cell(pp.bound.Min)
		x1, y1 := l.cell(pp.bound.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*l.nx+x, i)
			}
		}
	}
}

func (l *Locator) cell(pt orb.Point) (int, int) {
	x := 0
	if l.cw > 0 {
		x = int((pt[0] - l.bound.Min[0]) / l.cw)
	}
	y := 0
	if l.ch > 0 {
		y = int((pt[1] - l.bound.Min[1]) / l.ch)
	}
	return min(max(x, 0), l.nx-1), min(max(y, 0), l.ny-1)
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// Locate returns the index of the unit containing pt, or NoIndex.
func (l *Locator) Locate(pt orb.Point) int32 {
	if len(l.polys) == 0 || !finite(pt) ||
		pt[0] < l.bound.Min[0] || pt[0] > l.bound.Max[0] || pt[1] < l.bound.Min[1] || pt[1] > l.bound.Max[1] {
		return engine.NoIndex
	}
	x, y := l.cell(pt)
	c := y*l.nx + x
	for _, i := range l.cells[l.start[c]:l.start[c+1]] {
		pp := &l.polys[i]
		if pt[0] < pp.bound.Min[0] || pt[0] > pp.bound.Max[0] || pt[1] < pp.bound.Min[1] || pt[1] > pp.bound.Max[1] {
			continue
		}
		if geo.PolygonContains(pp.poly, pt) {
			return pp.unit
		}
	}
	return engine.NoIndex
}

// LocateAccounts sets Account.Unit of every account of p to the index of the
// unit containing its location, or NoIndex when no unit contains it (or the
// location is not a finite number).
func LocateAccounts(p *engine.Plan) {
	l := NewLocator(p.Units)
	for i := range p.Accounts {
		p.Accounts[i].Unit = l.Locate(p.Accounts[i].Loc)
	}
}

package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// labelScanlines is the number of horizontal scanlines tried by LabelPoint.
const labelScanlines = 24

// LabelPoint returns a point inside g suitable for a label. For polygons it
// is the best of a set of candidates: the midpoints of the widest interior
// interval on evenly spaced horizontal scanlines (and one through the
// centroid) across the largest polygon, scored by the distance to the
// boundary along both axes, with longitudes scaled by cos(latitude). The
// result is inside g by Contains unless g has no area. A point gives itself,
// lines and points give the centre of their bound, and empty geometries give
// the zero point and false.
func LabelPoint(g orb.Geometry) (orb.Point, bool) {
	switch g := g.(type) {
	case nil:
		return orb.Point{}, false
	case orb.Point:
		return g, true
	case orb.Ring:
		return LabelPoint(orb.Polygon{g})
	case orb.Bound:
		return g.Center(), true
	case orb.Polygon:
		return LabelPoint(orb.MultiPolygon{g})
	case orb.MultiPolygon:
		best, bestArea := -1, 0.0
		for i, p := range g {
			a := planar.Area(p)
			if best < 0 || a > bestArea {
				best, bestArea = i, a
			}
		}
		if best < 0 || len(g[best]) == 0 || len(g[best][0]) == 0 {
			return orb.Point{}, false
		}
		if pt, ok := polygonLabel(g[best]); ok {
			return pt, true
		}
		return g[best][0][0], true
	}
	if isEmpty(g) {
		return orb.Point{}, false
	}
	return g.Bound().Center(), true
}

func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
		return true
	case orb.Collection:
		for _, c := range g {
			if !isEmpty(c) {
				return false
			}
		}
		return true
	}
	return false
}

// polygonLabel searches the scanlines of p; false when p has no interior.
func polygonLabel(p orb.Polygon) (orb.Point, bool) {
	b := p[0].Bound()
	h := b.Max[1] - b.Min[1]
	if !(h > 0) || !(b.Max[0] > b.Min[0]) {
		return orb.Point{}, false
	}
	kx := math.Cos(b.Center()[1] * math.Pi / 180)
	ys := make([]float64, 0, labelScanlines+1)
	for i := 0; i < labelScanlines; i++ {
		ys = append(ys, b.Min[1]+h*(float64(i)+0.5)/labelScanlines)
	}
	if c, a := planar.CentroidArea(p); a != 0 && c[1] > b.Min[1] && c[1] < b.Max[1] {
		ys = append(ys, c[1])
	}
	var xs []float64
	var best orb.Point
	bestScore := -1.0
	for _, y := range ys {
		xs = crossings(p, y, 1, xs[:0])
		for i := 0; i+1 < len(xs); i += 2 {
			x0, x1 := xs[i], xs[i+1]
			if !(x1 > x0) {
				continue
			}
			mx := (x0 + x1) / 2
			pt := orb.Point{mx, y}
			score := (x1 - x0) / 2 * kx
			if v := verticalRoom(p, pt); v < score {
				score = v
			}
			if score > bestScore && PolygonContains(p, pt) {
				best, bestScore = pt, score
			}
		}
	}
	return best, bestScore >= 0
}

// crossings appends the sorted coordinates (along the other axis) where the
// rings of p cross the line coordinate[axis] == v, with edges half-open as in
// ringCrossings. axis 1 is a horizontal line (result: x values), axis 0 a
// vertical line (result: y values).
func crossings(p orb.Polygon, v float64, axis int, out []float64) []float64 {
	o := 1 - axis
	for _, r := range p {
		n := len(r)
		if n < 3 {
			continue
		}
		a := r[n-1]
		for i := 0; i < n; i++ {
			b := r[i]
			lo, hi := a, b
			if lo[axis] > hi[axis] {
				lo, hi = hi, lo
			}
			if lo[axis] <= v && v < hi[axis] {
				out = append(out, lo[o]+(v-lo[axis])*(hi[o]-lo[o])/(hi[axis]-lo[axis]))
			}
			a = b
		}
	}
	slices.Sort(out)
	return out
}

// verticalRoom is the distance from pt to the nearest boundary crossing
// straight north or south of it.
func verticalRoom(p orb.Polygon, pt orb.Point) float64 {
	ys := crossings(p, pt[0], 0, nil)
	room := math.Inf(1)
	for i := 0; i+1 < len(ys); i += 2 {
		if ys[i] <= pt[1] && pt[1] <= ys[i+1] {
			room = math.Min(pt[1]-ys[i], ys[i+1]-pt[1])
			break
		}
	}
	if math.IsInf(room, 1) {
		return 0
	}
	return room
}

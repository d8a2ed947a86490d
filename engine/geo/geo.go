// Package geo provides geometry helpers over paulmach/orb values in
// WGS-84 longitude/latitude: geodesic areas and perimeters, compactness,
// point in (multi)polygon with a deterministic boundary rule, and label points.
//
// # Points on a boundary
//
// Contains, PolygonContains and RingContains use a crossing-number test with
// half-open edges: a point is tested as if it were moved east by an
// infinitely small distance d and north by d², smaller still. Concretely, a
// point lying exactly on a boundary is inside when the polygon's interior
// lies east of it (for a non-horizontal edge) or north of it (for a
// horizontal edge). A point on an edge or vertex shared by several polygons
// that tile the plane without overlap is therefore inside exactly one of
// them, provided they store the shared coordinates identically (as units
// built from shared arcs do).
//
// The side of an edge a point lies on is decided exactly, as if the
// coordinates were real numbers: a floating-point test with an error bound
// settles almost every point, and the few within rounding distance of an
// edge are settled in exact arithmetic. A point 1e-15 degrees off an edge is
// on the side it is on, whatever the edge's direction or length.
package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// AreaKm2 returns the geodesic area of g in square kilometres. Geometries
// without area (points, lines) and nil give 0.
func AreaKm2(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Ring, orb.Polygon, orb.MultiPolygon, orb.Bound:
		return orbgeo.Area(g) / 1e6
	case orb.Collection:
		var s float64
		for _, c := range g {
			s += AreaKm2(c)
		}
		return s
	}
	return 0
}

// Bound returns the bounding box of g; nil gives an empty bound at the origin.
func Bound(g orb.Geometry) orb.Bound {
	if g == nil {
		return orb.Bound{}
	}
	return g.Bound()
}

// PerimeterKm returns the geodesic length of every ring of g (outer rings and
// holes) in kilometres. Rings are closed implicitly. Points and lines give 0.
func PerimeterKm(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Ring:
		return ringLengthKm(g)
	case orb.Polygon:
		var s float64
		for _, r := range g {
			s += ringLengthKm(r)
		}
		return s
	case orb.MultiPolygon:
		var s float64
		for _, p := range g {
			s += PerimeterKm(p)
		}
		return s
	case orb.Bound:
		return ringLengthKm(g.ToRing())
	case orb.Collection:
		var s float64
		for _, c := range g {
			s += PerimeterKm(c)
		}
		return s
	}
	return 0
}

func ringLengthKm(r orb.Ring) float64 {
	if len(r) < 2 {
		return 0
	}
	var s float64
	for i := 1; i < len(r); i++ {
		s += orbgeo.Distance(r[i-1], r[i])
	}
	if r[0] != r[len(r)-1] {
		s += orbgeo.Distance(r[len(r)-1], r[0])
	}
	return s / 1000
}

// Compactness returns the Polsby–Popper score 4πA/P² of g, using the geodesic
// area and perimeter: 1 for a disc, close to 0 for long thin shapes. A
// geometry without perimeter gives 0.
func Compactness(g orb.Geometry) float64 {
	p := PerimeterKm(g)
	if p == 0 {
		return 0
	}
	return 4 * math.Pi * AreaKm2(g) / (p * p)
}

// RingContains reports whether pt is inside ring r (closed implicitly), using
// the boundary rule in the package documentation.
func RingContains(r orb.Ring, pt orb.Point) bool {
	return ringCrossings(r, pt)%2 == 1
}

// ringCrossings counts the edges of r crossed by the ray from pt towards +x,
// with edges half-open in y (lower end included) and a crossing counted only
// when pt lies strictly west of the edge, decided exactly by westOf, so
// that a segment gives the same result in both directions and in every
// polygon that uses it.
func ringCrossings(r orb.Ring, pt orb.Point) int {
	n := len(r)
	if n < 3 {
		return 0
	}
	x, y := pt[0], pt[1]
	c := 0
	a := r[n-1]
	for i := 0; i < n; i++ {
		b := r[i]
		lo, hi := a, b
		if lo[1] > hi[1] {
			lo, hi = hi, lo
		}
		if lo[1] <= y && y < hi[1] {
			if x < lo[0] && x < hi[0] {
				c++
			} else if !(x >= lo[0] && x >= hi[0]) && westOf(lo, hi, x, y) {
				c++
			}
		}
		a = b
	}
	return c
}

// PolygonContains reports whether pt is inside p: inside the outer ring and
// outside every hole, with the boundary rule in the package documentation
// (the crossings of all rings are counted together, so a point on a hole's
// edge belongs to exactly one of the polygon and the hole).
func PolygonContains(p orb.Polygon, pt orb.Point) bool {
	if len(p) == 0 {
		return false
	}
	c := 0
	for _, r := range p {
		c += ringCrossings(r, pt)
	}
	return c%2 == 1
}

// Contains reports whether pt is inside any polygon of mp, using the boundary
// rule in the package documentation.
func Contains(mp orb.MultiPolygon, pt orb.Point) bool {
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		if !inBound(p[0].Bound(), pt) {
			continue
		}
		if PolygonContains(p, pt) {
			return true
		}
	}
	return false
}

func inBound(b orb.Bound, pt orb.Point) bool {
	return pt[0] >= b.Min[0] && pt[0] <= b.Max[0] && pt[1] >= b.Min[1] && pt[1] <= b.Max[1]
}

// Package borders draws the outline of an alignment: the shared unit
// borders that separate territories (and districts and regions), the outer
// edges of assigned land, and a label point per territory.
package borders

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
)

// Set holds the borders of an alignment by kind. An arc appears in every
// kind that applies: an arc between two districts is also in Territory.
type Set struct {
	// Territory: arcs whose two sides are in different territories.
	Territory orb.MultiLineString
	// District: arcs whose two sides are in territories of different
	// districts (the nearest district ancestor; none counts as different
	// from any district).
	District orb.MultiLineString
	// Region: the same for the nearest region ancestor.
	Region orb.MultiLineString
	// Edge: arcs with an assigned unit on one side and the outside or an
	// unassigned unit on the other.
	Edge orb.MultiLineString
}

// Compute returns the borders of alignment st over p.Borders. The line
// strings share memory with p.Borders. It fails when an arc refers to a
// unit index out of range.
func Compute(p *engine.Plan, st *assign.State) (Set, error) {
	nu := int32(len(st.UnitTerr))
	district := ancestors(st, engine.KindDistrict)
	region := ancestors(st, engine.KindRegion)
	var s Set
	side := func(u int32) int32 {
		if u == engine.NoIndex {
			return engine.NoIndex
		}
		return st.UnitTerr[u]
	}
	for i, b := range p.Borders {
		for _, u := range [2]int32{b.Left, b.Right} {
			if u != engine.NoIndex && (u < 0 || u >= nu) {
				return Set{}, fmt.Errorf("borders: arc %d refers to unit %d, want NoIndex or 0..%d", i, u, nu-1)
			}
		}
		if len(b.Line) < 2 {
			continue
		}
		l, r := side(b.Left), side(b.Right)
		switch {
		case l == r:
		case l == engine.NoIndex || r == engine.NoIndex:
			s.Edge = append(s.Edge, b.Line)
		default:
			s.Territory = append(s.Territory, b.Line)
			if district[l] != district[r] || district[l] == engine.NoIndex {
				s.District = append(s.District, b.Line)
			}
			if region[l] != region[r] || region[l] == engine.NoIndex {
				s.Region = append(s.Region, b.Line)
			}
		}
	}
	return s, nil
}

// ancestors returns for every node the nearest node of the given kind among
// itself and its ancestors, or NoIndex.
func ancestors(st *assign.State, kind engine.Kind) []int32 {
	out := make([]int32, len(st.Nodes))
	for i := range st.Nodes {
		out[i] = engine.NoIndex
		for n := int32(i); n != engine.NoIndex; n = st.Parent[n] {
			if st.Nodes[n].Kind == kind {
				out[i] = n
				break
			}
		}
	}
	return out
}

// Label is the label position of one node.
type Label struct {
	Point orb.Point
	// OK is false for a node with nothing to label: regions, districts, and
	// territories with neither units nor a drawn polygon.
	OK bool
}

// Labels returns a label point per node of st: for a territory with units,
// the label point of its unit nearest the area-weighted centroid of its
// units (so the label lies inside the territory even when the territory is
// not convex); for a territory with only a drawn polygon, the polygon's
// label point.
func Labels(p *engine.Plan, st *assign.State) []Label {
	n := len(st.Nodes)
	type acc struct{ x, y, w float64 }
	sums := make([]acc, n)
	centroids := make([]orb.Point, len(p.Units))
	for u, t := range st.UnitTerr {
		if t == engine.NoIndex || len(p.Units[u].Geom) == 0 {
			continue
		}
		c, a := planar.CentroidArea(p.Units[u].Geom)
		w := p.Units[u].AreaKm2
		if !(w > 0) {
			w = a
		}
		if !(w > 0) || math.IsNaN(c[0]) {
			continue
		}
		centroids[u] = c
		sums[t].x += c[0] * w
		sums[t].y += c[1] * w
		sums[t].w += w
	}
	best := make([]int32, n)
	bestD := make([]float64, n)
	for i := range best {
		best[i] = engine.NoIndex
	}
	for u, t := range st.UnitTerr {
		if t == engine.NoIndex || sums[t].w == 0 || len(p.Units[u].Geom) == 0 {
			continue
		}
		cx, cy := sums[t].x/sums[t].w, sums[t].y/sums[t].w
		k := math.Cos(cy * math.Pi / 180)
		pt := unitLabel(&p.Units[u])
		d := math.Hypot((pt[0]-cx)*k, pt[1]-cy)
		if best[t] == engine.NoIndex || d < bestD[t] {
			best[t], bestD[t] = int32(u), d
		}
	}
	out := make([]Label, n)
	for t := range out {
		switch {
		case st.Nodes[t].Kind != engine.KindTerritory:
		case best[t] != engine.NoIndex:
			out[t] = Label{unitLabel(&p.Units[best[t]]), true}
		case len(st.Nodes[t].Polygon) > 0:
			pt, ok := geo.LabelPoint(st.Nodes[t].Polygon)
			out[t] = Label{pt, ok}
		}
	}
	return out
}

// unitLabel is the unit's stored label point, or one computed when the
// stored one is missing (zero).
func unitLabel(u *engine.Unit) orb.Point {
	if u.Label != (orb.Point{}) {
		return u.Label
	}
	pt, _ := geo.LabelPoint(u.Geom)
	return pt
}

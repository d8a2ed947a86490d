// Package dissolve merges units into the outlines of the groups they form
// (territories, districts, regions): the unit borders whose two sides lie
// in different groups, and the outer edges, stitched into rings.
//
// Outlines are built from the plan's border arcs (engine.Border), which
// store every shared boundary once with a unit on its left, so no sliver or
// gap can appear between neighbouring groups. Rings follow the right-hand
// rule of RFC 7946: outer rings counterclockwise, holes clockwise (in the
// longitude/latitude plane).
package dissolve

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"territoria/engine"
)

// Problem tells why a group's outline could not be dissolved from the
// border arcs. Its outline is then the union of its units' own polygons
// (not merged), which covers the same ground.
//
// Open ends of arcs that miss each other by less than about 100 m are
// joined by a straight segment.
type Problem struct {
	Group  int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("group %d: %s", p.Group, p.Reason) }

// relTol is the largest relative difference allowed between the area of a
// dissolved outline and the summed area of its units. Boundary data often
// has units whose polygons overlap their neighbours' by a sliver that the
// shared arcs do not have; such outlines are still made from the arcs.
const relTol = 1e-3

// snapTol is the largest gap, in degrees (about 100 m), bridged between the
// end of one arc and the start of the next when no arc starts exactly there.
const snapTol = 1e-3

// Outlines returns for each group g in [0, n) the outline of the units u
// with group[u] == g (group[u] == engine.NoIndex leaves a unit out), as a
// MultiPolygon with closed rings, outer rings counterclockwise and holes
// clockwise. A group without units has a nil outline.
//
// A group is dissolved from borders when every one of its units has at
// least one arc there, every chain of arcs closes into rings, and the
// rings enclose the same area as the units (to within one part in a
// million). Otherwise its outline falls back to its units' polygons and a
// Problem says why. Outlines fails only when group has the wrong length or
// refers to groups outside [0, n), or an arc refers to a unit out of range.
func Outlines(units []engine.Unit, borders []engine.Border, group []int32, n int) ([]orb.MultiPolygon, []Problem, error) {
	if len(group) != len(units) {
		return nil, nil, fmt.Errorf("dissolve: %d group entries for %d units", len(group), len(units))
	}
	for u, g := range group {
		if g != engine.NoIndex && (g < 0 || int(g) >= n) {
			return nil, nil, fmt.Errorf("dissolve: unit %d is in group %d, want NoIndex or 0..%d", u, g, n-1)
		}
	}
	nu := int32(len(units))
	side := func(u int32) int32 {
		if u == engine.NoIndex {
			return engine.NoIndex
		}
		return group[u]
	}
	hasArc := make([]bool, len(units))
	lines := make([][]orb.LineString, n) // per group, directed with the group on the left
	for i, b := range borders {
		for _, u := range [2]int32{b.Left, b.Right} {
			if u != engine.NoIndex && (u < 0 || u >= nu) {
				return nil, nil, fmt.Errorf("dissolve: arc %d refers to unit %d, want NoIndex or 0..%d", i, u, nu-1)
			}
		}
		if len(b.Line) < 2 {
			continue
		}
		if b.Left != engine.NoIndex {
			hasArc[b.Left] = true
		}
		if b.Right != engine.NoIndex {
			hasArc[b.Right] = true
		}
		l, r := side(b.Left), side(b.Right)
		if l == r {
			continue
		}
		if l != engine.NoIndex {
			lines[l] = append(lines[l], b.Line)
		}
		if r != engine.NoIndex {
			rev := slices.Clone(b.Line)
			rev.Reverse()
			lines[r] = append(lines[r], rev)
		}
	}
	members := make([][]int32, n)
	for u, g := range group {
		if g != engine.NoIndex {
			members[g] = append(members[g], int32(u))
		}
	}
	out := make([]orb.MultiPolygon, n)
	var problems []Problem
	for g := 0; g < n; g++ {
		if len(members[g]) == 0 {
			continue
		}
		var want float64
		missing := -1
		for _, u := range members[g] {
			want += planar.Area(units[u].Geom)
			if !hasArc[u] && len(units[u].Geom) > 0 && missing < 0 {
				missing = int(u)
			}
		}
		var reason string
		if missing >= 0 {
			reason = fmt.Sprintf("unit %s has no border arcs", units[missing].ID)
		} else {
			mp, err := Stitch(lines[g])
			if err == nil {
				got := SignedArea(mp)
				if math.Abs(got-want) <= relTol*math.Max(math.Abs(want), 1e-12) {
					out[g] = mp
					continue
				}
				reason = fmt.Sprintf("the stitched rings enclose %.9g square degrees, the units %.9g", got, want)
			} else {
				reason = err.Error()
			}
		}
		problems = append(problems, Problem{Group: g, Reason: reason})
		out[g] = unitPolygons(units, members[g])
	}
	return out, problems, nil
}

// unitPolygons is the fallback outline: the units' polygons, rewound to
// the right-hand rule.
func unitPolygons(units []engine.Unit, members []int32) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for _, u := range members {
		for _, poly := range units[u].Geom {
			var p orb.Polygon
			for k, r := range poly {
				r = closed(r)
				if len(r) < 4 {
					continue
				}
				a := ringArea(r)
				if a == 0 {
					continue
				}
				if (a > 0) != (k == 0) {
					r.Reverse()
				}
				p = append(p, r)
			}
			if len(p) > 0 {
				mp = append(mp, p)
			}
		}
	}
	return mp
}

func closed(r orb.Ring) orb.Ring {
	r = slices.Clone(r)
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// ringArea is the signed planar area of a ring (positive when counterclockwise).
func ringArea(r orb.Ring) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	if n := len(r); n > 0 && r[0] != r[n-1] {
		s += r[n-1][0]*r[0][1] - r[0][0]*r[n-1][1]
	}
	return s / 2
}

// SignedArea is the planar area of mp in square degrees, counting outer
// rings wound counterclockwise and holes clockwise as the right-hand rule
// wants (a ring wound the other way subtracts).
func SignedArea(mp orb.MultiPolygon) float64 {
	var s float64
	for _, p := range mp {
		for _, r := range p {
			s += ringArea(r)
		}
	}
	return s
}

// Stitch joins directed line strings, each with the area to outline on
// its left, into closed rings, and those into polygons: counterclockwise
// rings are outer rings, clockwise rings are holes put into the smallest
// outer ring around them. Where several lines leave the point a line
// arrives at, the one turning most to the left is taken, so parts that
// touch at a single point become separate rings. It fails when a chain
// does not close.
func Stitch(lines []orb.LineString) (orb.MultiPolygon, error) {
	type key = orb.Point
	starts := make(map[key][]int, len(lines))
	for i, l := range lines {
		if len(l) < 2 {
			continue
		}
		starts[l[0]] = append(starts[l[0]], i)
	}
	used := make([]bool, len(lines))
	var rings []orb.Ring
	for first := range lines {
		if used[first] || len(lines[first]) < 2 {
			continue
		}
		used[first] = true
		ring := orb.Ring(slices.Clone(lines[first]))
		origin := lines[first][0]
		cur := first
		for {
			end := ring[len(ring)-1]
			in := direction(lines[cur], true)
			best, bestTurn := -1, math.Inf(-1)
			consider := func(i int) {
				t := turn(in, direction(lines[i], false))
				if t > bestTurn {
					best, bestTurn = i, t
				}
			}
			for _, i := range starts[end] {
				if !used[i] {
					consider(i)
				}
			}
			if end == origin {
				consider(first)
			}
			if best < 0 {
				// No arc starts exactly here: bridge the nearest start
				// within snapTol (the ring's own start included).
				bestD := snapTol * snapTol
				for i, l := range lines {
					if (used[i] && i != first) || len(l) < 2 {
						continue
					}
					dx, dy := l[0][0]-end[0], l[0][1]-end[1]
					if d := dx*dx + dy*dy; d <= bestD {
						best, bestD = i, d
					}
				}
				if best < 0 {
					return nil, fmt.Errorf("the outline is open at %v", end)
				}
			}
			if best == first {
				break
			}
			used[best] = true
			if lines[best][0] != end {
				ring = append(ring, lines[best]...)
			} else {
				ring = append(ring, lines[best][1:]...)
			}
			cur = best
		}
		if ring[0] != ring[len(ring)-1] {
			ring = append(ring, ring[0]) // a bridged gap at the start
		}
		for _, r := range splitRing(ring) {
			if len(r) >= 4 && ringArea(r) != 0 {
				rings = append(rings, r)
			}
		}
	}
	return assemble(rings), nil
}

// splitRing cuts a closed ring that passes a vertex more than once into
// loops that pass each vertex once (a ring around a hole that touches the
// outside at a point becomes an outer ring and a hole).
func splitRing(r orb.Ring) []orb.Ring {
	var out []orb.Ring
	stack := make([]orb.Point, 0, len(r))
	at := make(map[orb.Point]int, len(r))
	for _, p := range r[:len(r)-1] {
		if i, seen := at[p]; seen {
			loop := append(orb.Ring(nil), stack[i:]...)
			loop = append(loop, p)
			out = append(out, loop)
			for _, q := range stack[i+1:] {
				delete(at, q)
			}
			stack = stack[:i+1]
			continue
		}
		at[p] = len(stack)
		stack = append(stack, p)
	}
	if len(stack) >= 3 {
		out = append(out, append(orb.Ring(stack), stack[0]))
	}
	return out
}

// direction returns the direction of the last segment of l (into its end)
// when last, else of its first segment, skipping repeated points.
func direction(l orb.LineString, last bool) orb.Point {
	if last {
		e := l[len(l)-1]
		for i := len(l) - 2; i >= 0; i-- {
			if l[i] != e {
				return orb.Point{e[0] - l[i][0], e[1] - l[i][1]}
			}
		}
		return orb.Point{}
	}
	s := l[0]
	for i := 1; i < len(l); i++ {
		if l[i] != s {
			return orb.Point{l[i][0] - s[0], l[i][1] - s[1]}
		}
	}
	return orb.Point{}
}

// turn is the signed angle from direction a to direction b, in (−π, π]:
// positive to the left.
func turn(a, b orb.Point) float64 {
	return math.Atan2(a[0]*b[1]-a[1]*b[0], a[0]*b[0]+a[1]*b[1])
}

// assemble makes polygons of rings: each counterclockwise ring an outer
// ring, each clockwise ring a hole of the smallest outer ring containing it.
func assemble(rings []orb.Ring) orb.MultiPolygon {
	type outer struct {
		ring  orb.Ring
		area  float64
		bound orb.Bound
		holes []orb.Ring
	}
	var outers []*outer
	var holes []orb.Ring
	for _, r := range rings {
		if a := ringArea(r); a > 0 {
			outers = append(outers, &outer{ring: r, area: a, bound: r.Bound()})
		} else {
			holes = append(holes, r)
		}
	}
	var orphans []orb.Ring
	for _, h := range holes {
		hb := h.Bound()
		var best *outer
		for _, o := range outers {
			if !o.bound.Contains(hb.Min) || !o.bound.Contains(hb.Max) {
				continue
			}
			if (best == nil || o.area < best.area) && holeInside(h, o.ring) {
				best = o
			}
		}
		if best == nil {
			orphans = append(orphans, h)
			continue
		}
		best.holes = append(best.holes, h)
	}
	mp := make(orb.MultiPolygon, 0, len(outers)+len(orphans))
	for _, o := range outers {
		mp = append(mp, append(orb.Polygon{o.ring}, o.holes...))
	}
	// A hole with no ring around it cannot happen in a consistent set of
	// arcs; keep its ground as an outer ring rather than lose it.
	for _, h := range orphans {
		r := slices.Clone(h)
		r.Reverse()
		mp = append(mp, orb.Polygon{r})
	}
	return mp
}

// holeInside tells whether hole h lies inside ring r, by the vertices of h
// that are not on r (a hole may touch its outer ring at single points).
func holeInside(h, r orb.Ring) bool {
	on := make(map[orb.Point]bool, len(r))
	for _, p := range r {
		on[p] = true
	}
	in, out := 0, 0
	for _, p := range h {
		if on[p] {
			continue
		}
		if planar.RingContains(r, p) {
			in++
		} else {
			out++
		}
	}
	return in > out
}

package topo

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine/geo"
)

// crossing is where a cutting line meets a ring edge.
type crossing struct {
	seg  int     // index of the line segment
	t    float64 // position along the line segment, 0..1
	edge int     // ring edge index (from vertex edge to edge+1)
	pt   orb.Point
}

// Split cuts the outer ring of face f along line, which must cross the
// outline exactly twice, and returns the part right of the line (walking
// from its first point to its last) and the part left of it. The crossing
// points are added to the arcs they fall on, so a neighbour sharing that
// border gains them too and stays joined. Holes go with the part that holds them.
func (t *Topology) Split(f int, line orb.LineString) (right, left orb.Polygon, err error) {
	if f < 0 || f >= len(t.Faces) || len(t.Faces[f].Rings) == 0 {
		return nil, nil, fmt.Errorf("topo: the territory has no drawn area to split")
	}
	if len(line) < 2 {
		return nil, nil, fmt.Errorf("topo: a cutting line needs at least two points")
	}
	ring := t.Ring(f, 0)
	var xs []crossing
	for s := 0; s+1 < len(line); s++ {
		for e := 0; e+1 < len(ring); e++ {
			if pt, u, ok := intersect(line[s], line[s+1], ring[e], ring[e+1]); ok {
				xs = append(xs, crossing{seg: s, t: u, edge: e, pt: pt})
			}
		}
	}
	slices.SortFunc(xs, func(a, b crossing) int {
		if a.seg != b.seg {
			return a.seg - b.seg
		}
		switch {
		case a.t < b.t:
			return -1
		case a.t > b.t:
			return 1
		}
		return 0
	})
	xs = slices.CompactFunc(xs, func(a, b crossing) bool { return a.pt == b.pt })
	if len(xs) != 2 {
		return nil, nil, fmt.Errorf("topo: the line must cross the area's outline exactly twice (it crosses %d times)", len(xs))
	}
	// Put the crossing points on the arcs (both sides of a shared border).
	p1, p2 := xs[0].pt, xs[1].pt
	for _, x := range []crossing{xs[0], xs[1]} {
		if err := t.insertOnEdge(f, ring[x.edge], ring[x.edge+1], x.pt); err != nil {
			return nil, nil, err
		}
	}
	cut := []orb.Point{p1}
	for s := xs[0].seg + 1; s <= xs[1].seg; s++ {
		cut = append(cut, line[s])
	}
	cut = append(cut, p2)
	cut = slices.CompactFunc(cut, func(a, b orb.Point) bool { return a == b })

	r := t.Ring(f, 0)
	open := r[:len(r)-1]
	i1, i2 := slices.Index(open, p1), slices.Index(open, p2)
	if i1 < 0 || i2 < 0 || i1 == i2 {
		return nil, nil, fmt.Errorf("topo: cannot split here")
	}
	walk := func(from, to int) []orb.Point { // from..to along the ring, inclusive
		var out []orb.Point
		for i := from; ; i = (i + 1) % len(open) {
			out = append(out, open[i])
			if i == to {
				return out
			}
		}
	}
	// A: p1 → ring → p2 → cut backwards → p1. B: p2 → ring → p1 → cut → p2.
	a := walk(i1, i2)
	for i := len(cut) - 2; i >= 1; i-- {
		a = append(a, cut[i])
	}
	b := walk(i2, i1)
	b = append(b, cut[1:len(cut)-1]...)
	pa, pb := orb.Polygon{closeRing(a)}, orb.Polygon{closeRing(b)}
	// A runs along the cut from p2 back to p1; when A is anticlockwise its
	// inside is on the left of that, which is right of the line.
	right, left = pa, pb
	if signedArea(a) < 0 {
		right, left = pb, pa
	}
	for h := 1; h < len(t.Faces[f].Rings); h++ {
		hole := t.Ring(f, h)
		if geo.PolygonContains(right, hole[0]) {
			right = append(right, hole)
		} else {
			left = append(left, hole)
		}
	}
	return right, left, nil
}

func closeRing(pts []orb.Point) orb.Ring {
	r := orb.Ring(slices.Clone(pts))
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// insertOnEdge adds pt to the arc of face f holding the segment a–b.
func (t *Topology) insertOnEdge(f int, a, b, pt orb.Point) error {
	if pt == a || pt == b {
		return nil
	}
	for _, ring := range t.Faces[f].Rings {
		for _, ref := range ring {
			ai, _ := ref.Arc()
			line := t.Arcs[ai]
			for j := 0; j+1 < len(line); j++ {
				if (line[j] == a && line[j+1] == b) || (line[j] == b && line[j+1] == a) {
					_, err := t.InsertVertex(ai, j, pt)
					return err
				}
			}
		}
	}
	return fmt.Errorf("topo: no arc holds the edge being cut")
}

// intersect returns the point where segments pq and ab cross, with its
// position u along pq; touching at a's end is counted, at b's end not, so a
// line through a vertex crosses once.
func intersect(p, q, a, b orb.Point) (orb.Point, float64, bool) {
	d := (q[0]-p[0])*(b[1]-a[1]) - (q[1]-p[1])*(b[0]-a[0])
	if d == 0 {
		return orb.Point{}, 0, false
	}
	u := ((a[0]-p[0])*(b[1]-a[1]) - (a[1]-p[1])*(b[0]-a[0])) / d
	v := ((a[0]-p[0])*(q[1]-p[1]) - (a[1]-p[1])*(q[0]-p[0])) / d
	if u < 0 || u > 1 || v < 0 || v >= 1 {
		return orb.Point{}, 0, false
	}
	if v == 0 {
		return a, u, true
	}
	return orb.Point{p[0] + u*(q[0]-p[0]), p[1] + u*(q[1]-p[1])}, u, true
}

// ErrNotAdjacent is returned by Merge when the areas do not touch along a border.
var ErrNotAdjacent = errors.New("the drawn areas do not share a border")

// Merge returns the union of faces fs as one polygon: arcs the faces share
// disappear, the others are joined into rings.
func (t *Topology) Merge(fs []int) (orb.Polygon, error) {
	in := map[int]bool{}
	for _, f := range fs {
		if f < 0 || f >= len(t.Faces) {
			return nil, fmt.Errorf("topo: face %d out of range", f)
		}
		in[f] = true
	}
	uses := map[int]int{}
	var refs []Ref
	for f := range in {
		for _, ring := range t.Faces[f].Rings {
			for _, r := range ring {
				a, _ := r.Arc()
				uses[a]++
				refs = append(refs, r)
			}
		}
	}
	slices.Sort(refs)
	// Oriented pieces that stay, keyed by their first point.
	type piece struct{ pts []orb.Point }
	var pieces []piece
	for _, r := range refs {
		a, rev := r.Arc()
		if uses[a] > 1 {
			continue
		}
		pts := slices.Clone([]orb.Point(t.Arcs[a]))
		if rev {
			slices.Reverse(pts)
		}
		pieces = append(pieces, piece{pts})
	}
	used := make([]bool, len(pieces))
	var rings []orb.Ring
	for s := range pieces {
		if used[s] {
			continue
		}
		used[s] = true
		ring := slices.Clone(pieces[s].pts)
		for guard := 0; ring[0] != ring[len(ring)-1] && guard <= len(pieces); guard++ {
			end := ring[len(ring)-1]
			found := false
			for j := range pieces {
				if !used[j] && pieces[j].pts[0] == end {
					used[j] = true
					ring = append(ring, pieces[j].pts[1:]...)
					found = true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("topo: the merged outline does not close")
			}
		}
		rings = append(rings, ring)
	}
	if len(rings) == 0 {
		return nil, fmt.Errorf("topo: nothing to merge")
	}
	// The largest ring is the outline; every other ring must be a hole in it.
	big := 0
	for i := range rings {
		if math.Abs(signedArea(rings[i][:len(rings[i])-1])) > math.Abs(signedArea(rings[big][:len(rings[big])-1])) {
			big = i
		}
	}
	poly := orb.Polygon{rings[big]}
	for i, r := range rings {
		if i == big {
			continue
		}
		if signedArea(r[:len(r)-1]) > 0 || !geo.RingContains(rings[big], r[0]) {
			return nil, ErrNotAdjacent
		}
		poly = append(poly, r)
	}
	return poly, nil
}

// Snap returns ring with every vertex closer than tol (in degrees) to a
// vertex of the topology moved onto it, and with the vertices of an arc
// inserted between two consecutive snapped vertices of that arc, so that a
// new area drawn along an existing border shares it exactly.
func (t *Topology) Snap(ring []orb.Point, tol float64) []orb.Point {
	type at struct{ arc, i int }
	pts := openRing(orb.Ring(ring))
	where := make([]at, len(pts))
	for k, p := range pts {
		where[k] = at{-1, -1}
		best := tol * tol
		for a, line := range t.Arcs {
			for i, q := range line {
				dx, dy := p[0]-q[0], p[1]-q[1]
				if d := dx*dx + dy*dy; d <= best {
					best, where[k] = d, at{a, i}
				}
			}
		}
		if where[k].arc >= 0 {
			pts[k] = t.Arcs[where[k].arc][where[k].i]
		}
	}
	var out []orb.Point
	n := len(pts)
	for k := 0; k < n; k++ {
		out = append(out, pts[k])
		w, x := where[k], where[(k+1)%n]
		if w.arc < 0 || w.arc != x.arc {
			continue
		}
		line := t.Arcs[w.arc]
		switch {
		case x.i > w.i+1:
			out = append(out, line[w.i+1:x.i]...)
		case w.i > x.i+1:
			for i := w.i - 1; i > x.i; i-- {
				out = append(out, line[i])
			}
		}
	}
	return slices.CompactFunc(out, func(a, b orb.Point) bool { return a == b })
}

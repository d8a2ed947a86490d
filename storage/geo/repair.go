package geo

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	enginegeo "territoria/engine/geo"
)

// collinearTol is the largest |sin| of the turn at a vertex for which the
// vertex counts as a spike when the boundary doubles back on itself.
const collinearTol = 1e-9

// zeroAreaTol is the largest |area| / perimeter² of a ring without area.
const zeroAreaTol = 1e-10

// Validate lists the structural problems of mp, one message per problem,
// naming the polygon and ring (ring 0 is the exterior): rings that are not
// closed or have fewer than four points, non-finite coordinates, repeated
// consecutive points, spikes (the boundary doubling back on itself), rings
// without area, rings that touch themselves at a vertex, rings that cross
// or touch themselves elsewhere, and holes lying outside their exterior.
// A nil result means mp is valid. Winding order is not checked here: see
// Oriented.
func Validate(mp orb.MultiPolygon) []string {
	var out []string
	for pi, p := range mp {
		if len(p) == 0 {
			out = append(out, fmt.Sprintf("polygon %d has no rings", pi))
		}
		for ri, r := range p {
			where := fmt.Sprintf("polygon %d ring %d", pi, ri)
			bad := false
			for _, q := range r {
				if !finite(q) {
					out = append(out, where+" has a non-finite coordinate")
					bad = true
					break
				}
			}
			if bad {
				continue
			}
			if len(r) < 4 {
				out = append(out, fmt.Sprintf("%s has %d points, want at least 4", where, len(r)))
				continue
			}
			if r[0] != r[len(r)-1] {
				out = append(out, where+" is not closed")
			}
			open := openRing(r)
			n := len(open)
			for i := 0; i < n; i++ {
				a, b, c := open[(i+n-1)%n], open[i], open[(i+1)%n]
				if b == c {
					out = append(out, fmt.Sprintf("%s repeats point %s", where, fmtPoint(b)))
				} else if a != b && isSpike(a, b, c) {
					out = append(out, fmt.Sprintf("%s has a spike at %s", where, fmtPoint(b)))
				}
			}
			first := make(map[orb.Point]int, n)
			for i, q := range open {
				if j, ok := first[q]; ok && i-j > 1 {
					out = append(out, fmt.Sprintf("%s touches itself at %s", where, fmtPoint(q)))
				} else if !ok {
					first[q] = i
				}
			}
			if q, ok := selfCrossing(open); ok {
				out = append(out, fmt.Sprintf("%s crosses or touches itself near %s", where, fmtPoint(q)))
			} else if zeroArea(r) {
				out = append(out, where+" has no area")
				continue
			}
			if ri > 0 && len(p[0]) >= 4 {
				if lp, ok := enginegeo.LabelPoint(orb.Polygon{r}); ok && !enginegeo.RingContains(p[0], lp) {
					out = append(out, where+" is a hole outside its exterior ring")
				}
			}
		}
	}
	return out
}

// Oriented reports whether every exterior ring of mp winds counterclockwise
// and every hole clockwise, as RFC 7946 asks.
func Oriented(mp orb.MultiPolygon) bool {
	for _, p := range mp {
		for ri, r := range p {
			a := signedArea(r)
			if (ri == 0) != (a > 0) {
				return false
			}
		}
	}
	return true
}

// Repair returns a repaired copy of mp and one note per repair made. It
// drops non-finite points, closes rings, drops repeated consecutive points
// and spikes, splits a ring that touches itself at a vertex into separate
// rings (a loop of an exterior ring lying inside the rest of it becomes a
// hole, otherwise a separate polygon), drops rings without area and holes
// outside every exterior ring, and winds exterior rings counterclockwise
// and holes clockwise. Where a ring crosses itself, or a vertex lies on
// another edge, a vertex is added at that point first, so the ring is split
// there like any ring touching itself (both lobes of a figure eight are
// kept). The input is not modified.
func Repair(mp orb.MultiPolygon) (orb.MultiPolygon, []string) {
	var out orb.MultiPolygon
	var notes []string
	note := func(format string, args ...any) { notes = append(notes, fmt.Sprintf(format, args...)) }
	for pi, p := range mp {
		var exts, holes []orb.Ring
		for ri, r := range p {
			where := fmt.Sprintf("polygon %d ring %d", pi, ri)
			pts := make([]orb.Point, 0, len(r))
			for _, q := range r {
				if finite(q) {
					pts = append(pts, q)
				}
			}
			if d := len(r) - len(pts); d > 0 {
				note("%s: dropped %d non-finite points", where, d)
			}
			if len(pts) > 1 && pts[0] != pts[len(pts)-1] {
				note("%s: closed the ring", where)
			}
			open := openRing(pts)
			before := len(open)
			open = cleanRing(open)
			if d := before - len(open); d > 0 {
				note("%s: dropped %d repeated or spike points", where, d)
			}
			open, crossings := nodeRing(open)
			if crossings > 0 {
				note("%s: added %d vertices where it crosses or touches itself", where, crossings)
			}
			pieces := splitRing(open, nil)
			if len(pieces) > 1 {
				note("%s: split into %d rings where it touches itself", where, len(pieces))
			}
			for _, pc := range pieces {
				ring := closeRing(pc)
				if len(pc) < 3 || zeroArea(ring) {
					note("%s: dropped a ring without area", where)
					continue
				}
				if ri == 0 {
					exts = append(exts, ring)
				} else {
					holes = append(holes, ring)
				}
			}
		}
		polys, loopHoles := nestPieces(exts)
		if loopHoles > 0 {
			note("polygon %d: %d loops of the exterior ring became holes", pi, loopHoles)
		}
		for _, h := range holes {
			lp, ok := enginegeo.LabelPoint(orb.Polygon{h})
			best := -1
			if ok {
				for j, poly := range polys {
					if enginegeo.RingContains(poly[0], lp) && (best < 0 || math.Abs(signedArea(poly[0])) < math.Abs(signedArea(polys[best][0]))) {
						best = j
					}
				}
			}
			if best < 0 {
				note("polygon %d: dropped a hole outside its exterior ring", pi)
				continue
			}
			polys[best] = append(polys[best], h)
		}
		if len(polys) == 0 && len(p) > 0 {
			note("polygon %d: dropped, nothing with area is left", pi)
		}
		rewound := 0
		for _, poly := range polys {
			for ri, r := range poly {
				if (ri == 0) != (signedArea(r) > 0) {
					r.Reverse()
					rewound++
				}
			}
		}
		if rewound > 0 {
			note("polygon %d: rewound %d rings", pi, rewound)
		}
		out = append(out, polys...)
	}
	return out, notes
}

// nestPieces sorts the pieces of one exterior ring into polygons: a piece
// inside an odd number of larger pieces is a hole of the smallest of them
// that is an exterior. It returns the polygons and the number of holes made.
func nestPieces(pieces []orb.Ring) ([]orb.Polygon, int) {
	slices.SortStableFunc(pieces, func(a, b orb.Ring) int {
		x, y := math.Abs(signedArea(a)), math.Abs(signedArea(b))
		switch {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	var polys []orb.Polygon
	owner := make([]int, len(pieces)) // polygon index of each exterior piece, -1 for holes
	holes := 0
	for i, pc := range pieces {
		owner[i] = -1
		lp, ok := enginegeo.LabelPoint(orb.Polygon{pc})
		depth, inner := 0, -1
		if ok {
			for j := 0; j < i; j++ {
				if enginegeo.RingContains(pieces[j], lp) {
					depth++
					if owner[j] >= 0 {
						inner = j
					}
				}
			}
		}
		if depth%2 == 1 && inner >= 0 {
			polys[owner[inner]] = append(polys[owner[inner]], pc)
			holes++
			continue
		}
		owner[i] = len(polys)
		polys = append(polys, orb.Polygon{pc})
	}
	return polys, holes
}

// openRing returns r without its closing point (a new slice).
func openRing(r []orb.Point) []orb.Point {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	return append([]orb.Point(nil), r[:n]...)
}

func closeRing(open []orb.Point) orb.Ring {
	if len(open) == 0 {
		return nil
	}
	r := make(orb.Ring, len(open)+1)
	copy(r, open)
	r[len(open)] = open[0]
	return r
}

// isSpike reports whether the boundary a → b → c doubles back at b.
func isSpike(a, b, c orb.Point) bool {
	if a == c {
		return true
	}
	ux, uy := b[0]-a[0], b[1]-a[1]
	vx, vy := c[0]-b[0], c[1]-b[1]
	cross := ux*vy - uy*vx
	dot := ux*vx + uy*vy
	return dot < 0 && math.Abs(cross) <= collinearTol*math.Hypot(ux, uy)*math.Hypot(vx, vy)
}

// cleanRing drops repeated consecutive points and spike vertices of an open
// ring, treating it as cyclic, until none is left.
func cleanRing(pts []orb.Point) []orb.Point {
	for {
		changed := false
		st := pts[:0:0]
		for _, q := range pts {
			st = append(st, q)
			for {
				n := len(st)
				if n >= 2 && st[n-1] == st[n-2] {
					st = st[:n-1]
					changed = true
				} else if n >= 3 && isSpike(st[n-3], st[n-2], st[n-1]) {
					st[n-2] = st[n-1]
					st = st[:n-1]
					changed = true
				} else {
					break
				}
			}
		}
		// The seam between the last and the first point.
		for len(st) >= 3 {
			n := len(st)
			if st[0] == st[n-1] {
				st = st[:n-1]
			} else if isSpike(st[n-1], st[0], st[1]) {
				st = st[1:]
			} else if isSpike(st[n-2], st[n-1], st[0]) {
				st = st[:n-1]
			} else {
				break
			}
			changed = true
		}
		if len(st) < 3 {
			return st
		}
		pts = st
		if !changed {
			return pts
		}
	}
}

// maxNodes bounds the vertices nodeRing adds to one ring.
const maxNodes = 64

// nodeRing adds a vertex where two edges of an open ring cross, or where a
// vertex lies inside another edge, until there is no such place or
// maxNodes vertices were added. It returns the ring and the count added.
func nodeRing(pts []orb.Point) ([]orb.Point, int) {
	added := 0
	for added < maxNodes {
		i, j, q, ok := firstCrossing(pts)
		if !ok {
			break
		}
		// Insert into the later edge first so index i stays valid.
		n := len(pts)
		out := make([]orb.Point, 0, n+2)
		for k := 0; k < n; k++ {
			out = append(out, pts[k])
			if (k == i || k == j) && q != pts[k] && q != pts[(k+1)%n] {
				out = append(out, q)
			}
		}
		if len(out) == n {
			break // nothing to insert: a rounding corner case
		}
		pts = cleanRing(out)
		added++
	}
	return pts, added
}

// splitRing splits an open ring at its first repeated vertex, recursively,
// and appends the clean pieces to out.
func splitRing(pts []orb.Point, out [][]orb.Point) [][]orb.Point {
	first := make(map[orb.Point]int, len(pts))
	for i, q := range pts {
		j, ok := first[q]
		if !ok {
			first[q] = i
			continue
		}
		loop := append([]orb.Point(nil), pts[j:i]...)
		rest := append(append([]orb.Point(nil), pts[:j]...), pts[i:]...)
		out = splitRing(cleanRing(loop), out)
		return splitRing(cleanRing(rest), out)
	}
	return append(out, pts)
}

// zeroArea reports whether ring r encloses no area.
func zeroArea(r []orb.Point) bool {
	var per float64
	for i := 1; i < len(r); i++ {
		per += math.Hypot(r[i][0]-r[i-1][0], r[i][1]-r[i-1][1])
	}
	return math.Abs(signedArea(r)) <= zeroAreaTol*per*per
}

// selfCrossing looks for two non-adjacent edges of an open ring that cross
// or where a vertex lies on another edge (shared vertices are reported by
// Validate separately). It returns a point near the first such place.
func selfCrossing(pts []orb.Point) (orb.Point, bool) {
	_, _, q, ok := firstCrossing(pts)
	return q, ok
}

// firstCrossing returns the edges i and j (edge k runs from vertex k to
// vertex k+1) of the first crossing or touch found by selfCrossing, and the
// meeting point.
func firstCrossing(pts []orb.Point) (int, int, orb.Point, bool) {
	n := len(pts)
	if n < 4 {
		return 0, 0, orb.Point{}, false
	}
	type seg struct {
		a, b orb.Point
		box  orb.Bound
	}
	segs := make([]seg, n)
	for i := range pts {
		a, b := pts[i], pts[(i+1)%n]
		segs[i] = seg{a, b, orb.Bound{Min: a, Max: a}.Extend(b)}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		if segs[x].box.Min[0] < segs[y].box.Min[0] {
			return -1
		}
		if segs[x].box.Min[0] > segs[y].box.Min[0] {
			return 1
		}
		return x - y
	})
	for oi, i := range order {
		s := segs[i]
		for _, j := range order[oi+1:] {
			t := segs[j]
			if t.box.Min[0] > s.box.Max[0] {
				break
			}
			if t.box.Min[1] > s.box.Max[1] || t.box.Max[1] < s.box.Min[1] {
				continue
			}
			if d := (i - j + n) % n; d == 1 || d == n-1 {
				continue
			}
			if q, ok := segmentsMeet(s.a, s.b, t.a, t.b); ok {
				return i, j, q, true
			}
		}
	}
	return 0, 0, orb.Point{}, false
}

// segmentsMeet reports whether segments ab and cd cross or touch anywhere
// but at an endpoint they share exactly.
func segmentsMeet(a, b, c, d orb.Point) (orb.Point, bool) {
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		// The crossing point, from the parametric form of ab.
		rx, ry := b[0]-a[0], b[1]-a[1]
		sx, sy := d[0]-c[0], d[1]-c[1]
		t := ((c[0]-a[0])*sy - (c[1]-a[1])*sx) / (rx*sy - ry*sx)
		return orb.Point{a[0] + t*rx, a[1] + t*ry}, true
	}
	on := func(p, q, r orb.Point, o float64) bool { // r on segment pq, given orient(p,q,r)=o
		return o == 0 && r != p && r != q &&
			math.Min(p[0], q[0]) <= r[0] && r[0] <= math.Max(p[0], q[0]) &&
			math.Min(p[1], q[1]) <= r[1] && r[1] <= math.Max(p[1], q[1])
	}
	switch {
	case on(a, b, c, o1):
		return c, true
	case on(a, b, d, o2):
		return d, true
	case on(c, d, a, o3):
		return a, true
	case on(c, d, b, o4):
		return b, true
	}
	return orb.Point{}, false
}

func orient(a, b, c orb.Point) float64 {
	v := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func fmtPoint(p orb.Point) string {
	return fmt.Sprintf("(%g, %g)", p[0], p[1])
}

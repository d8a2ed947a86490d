// Package topo keeps the free-drawn areas of a scenario as a topology: every
// piece of boundary is one arc, stored once, and each area is a ring of arc
// references. Moving a vertex of a shared arc moves both areas, so no gap or
// overlap can open between neighbours.
//
// The scenario stores each area as a polygon; Build recovers the shared arcs
// from vertices the polygons have in common (bit-identical coordinates, which
// every edit made through a Topology preserves), and Polygon turns an area
// back into a polygon.
package topo

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Ref refers to an arc of a Topology: arc i forwards is Ref(i), backwards
// ^Ref(i) (the TopoJSON convention).
type Ref int32

// Arc returns the index of the arc r refers to and whether it is reversed.
func (r Ref) Arc() (int, bool) {
	if r < 0 {
		return int(^r), true
	}
	return int(r), false
}

// Face is one area: its rings (outer first, then holes) as arc references.
type Face struct {
	Rings [][]Ref
}

// Topology holds arcs and the faces made of them. Face i corresponds to the
// i-th polygon given to Build (an empty polygon gives a face with no rings).
type Topology struct {
	Arcs  []orb.LineString
	Faces []Face
	// arcFaces[a] lists the faces using arc a, ascending.
	arcFaces [][]int
	// bounds[a] is the bounding box of arc a.
	bounds []orb.Bound
}

// ErrCrossing is returned when a change would make a boundary cross another.
var ErrCrossing = errors.New("the outline would cross another boundary")

type key [2]float64

// Build recovers the topology of polys: runs of consecutive vertices that
// two rings share (in either direction) become one arc.
func Build(polys []orb.Polygon) *Topology {
	rings := make([][]orb.Point, 0, len(polys))
	owner := make([][2]int, 0, len(polys)) // face, ring
	for f, p := range polys {
		for r, ring := range p {
			if pts := openRing(ring); len(pts) >= 3 {
				// Outer rings anticlockwise, holes clockwise, so that two areas
				// run along a shared border in opposite directions.
				if (signedArea(pts) < 0) == (r == 0) {
					slices.Reverse(pts)
				}
				rings = append(rings, pts)
				owner = append(owner, [2]int{f, r})
			}
		}
	}
	// A vertex is a junction when rings pass through it with different
	// neighbours, or when one ring passes through it twice.
	type visit struct {
		a, b key
		n    int
		junc bool
	}
	visits := make(map[key]*visit)
	for _, pts := range rings {
		n := len(pts)
		for i := range pts {
			k := key(pts[i])
			a, b := key(pts[(i+n-1)%n]), key(pts[(i+1)%n])
			if less(b, a) {
				a, b = b, a
			}
			v := visits[k]
			if v == nil {
				visits[k] = &visit{a: a, b: b, n: 1}
				continue
			}
			if v.a != a || v.b != b {
				v.junc = true
			}
			v.n++
		}
	}
	isJunction := func(p orb.Point) bool { v := visits[key(p)]; return v != nil && v.junc }

	t := &Topology{Faces: make([]Face, len(polys))}
	index := make(map[string]int)
	addArc := func(line orb.LineString) Ref {
		fw, bw := arcKey(line, false), arcKey(line, true)
		if i, ok := index[fw]; ok {
			return Ref(i)
		}
		if i, ok := index[bw]; ok {
			return ^Ref(i)
		}
		t.Arcs = append(t.Arcs, line)
		index[fw] = len(t.Arcs) - 1
		return Ref(len(t.Arcs) - 1)
	}
	for ri, pts := range rings {
		n := len(pts)
		start := -1
		for i := range pts {
			if isJunction(pts[i]) {
				start = i
				break
			}
		}
		var refs []Ref
		if start < 0 {
			// No junction: one closed arc starting at the smallest vertex, so
			// that equal rings give equal arcs.
			m := 0
			for i := range pts {
				if less(key(pts[i]), key(pts[m])) {
					m = i
				}
			}
			line := make(orb.LineString, 0, n+1)
			for i := 0; i <= n; i++ {
				line = append(line, pts[(m+i)%n])
			}
			refs = append(refs, addArc(line))
		} else {
			line := orb.LineString{pts[start]}
			for s := 1; s <= n; s++ {
				p := pts[(start+s)%n]
				line = append(line, p)
				if isJunction(p) {
					refs = append(refs, addArc(line))
					line = orb.LineString{p}
				}
			}
		}
		f, r := owner[ri][0], owner[ri][1]
		face := &t.Faces[f]
		for len(face.Rings) <= r {
			face.Rings = append(face.Rings, nil)
		}
		face.Rings[r] = refs
	}
	for f := range t.Faces {
		t.Faces[f].Rings = slices.DeleteFunc(t.Faces[f].Rings, func(r []Ref) bool { return len(r) == 0 })
	}
	t.index()
	return t
}

func less(a, b key) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// openRing drops the closing point and repeated vertices.
func openRing(r orb.Ring) []orb.Point {
	out := make([]orb.Point, 0, len(r))
	for _, p := range r {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			continue
		}
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}

func arcKey(line orb.LineString, reversed bool) string {
	b := make([]byte, 0, 16*len(line))
	for i := range line {
		p := line[i]
		if reversed {
			p = line[len(line)-1-i]
		}
		for _, v := range p {
			u := math.Float64bits(v)
			b = append(b, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
		}
	}
	return string(b)
}

// index rebuilds arcFaces and bounds.
func (t *Topology) index() {
	t.bounds = make([]orb.Bound, len(t.Arcs))
	for a, line := range t.Arcs {
		t.bounds[a] = line.Bound()
	}
	t.arcFaces = make([][]int, len(t.Arcs))
	for f, face := range t.Faces {
		for _, ring := range face.Rings {
			for _, r := range ring {
				a, _ := r.Arc()
				if l := t.arcFaces[a]; len(l) == 0 || l[len(l)-1] != f {
					t.arcFaces[a] = append(t.arcFaces[a], f)
				}
			}
		}
	}
}

// ArcFaces returns the faces that use arc a (one or two, more only where
// drawn areas overlap exactly). The slice must not be modified.
func (t *Topology) ArcFaces(a int) []int { return t.arcFaces[a] }

// Ring returns the closed ring of face f's ring r.
func (t *Topology) Ring(f, r int) orb.Ring {
	var out orb.Ring
	for _, ref := range t.Faces[f].Rings[r] {
		a, rev := ref.Arc()
		line := t.Arcs[a]
		for i := range line {
			p := line[i]
			if rev {
				p = line[len(line)-1-i]
			}
			if len(out) > 0 && i == 0 && out[len(out)-1] == p {
				continue
			}
			out = append(out, p)
		}
	}
	if len(out) > 0 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// Polygon returns face f as a polygon (nil for a face without rings).
func (t *Topology) Polygon(f int) orb.Polygon {
	if len(t.Faces[f].Rings) == 0 {
		return nil
	}
	p := make(orb.Polygon, len(t.Faces[f].Rings))
	for r := range p {
		p[r] = t.Ring(f, r)
	}
	return p
}

// Vertex returns vertex i of arc a, checking the indexes.
func (t *Topology) Vertex(a, i int) (orb.Point, error) {
	if a < 0 || a >= len(t.Arcs) {
		return orb.Point{}, fmt.Errorf("topo: arc %d out of range 0..%d", a, len(t.Arcs)-1)
	}
	if i < 0 || i >= len(t.Arcs[a]) {
		return orb.Point{}, fmt.Errorf("topo: vertex %d of arc %d out of range 0..%d", i, a, len(t.Arcs[a])-1)
	}
	return t.Arcs[a][i], nil
}

// VertexSite is one place a vertex is stored: index I of arc Arc.
type VertexSite struct{ Arc, I int }

// Sites returns every place vertex i of arc a is stored: the vertex itself,
// and for an end point, the ends of every arc meeting there.
func (t *Topology) Sites(a, i int) ([]VertexSite, error) {
	p, err := t.Vertex(a, i)
	if err != nil {
		return nil, err
	}
	last := len(t.Arcs[a]) - 1
	if i > 0 && i < last {
		return []VertexSite{{a, i}}, nil
	}
	var out []VertexSite
	for b, line := range t.Arcs {
		if len(line) == 0 {
			continue
		}
		if line[0] == p {
			out = append(out, VertexSite{b, 0})
		}
		if l := len(line) - 1; l > 0 && line[l] == p {
			out = append(out, VertexSite{b, l})
		}
	}
	return out, nil
}

// Faces returns the faces using any of the arcs of sites, ascending.
func (t *Topology) FacesOf(sites []VertexSite) []int {
	var out []int
	for _, s := range sites {
		out = append(out, t.arcFaces[s.Arc]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MoveVertex moves vertex i of arc a (and, for an end point, every arc end
// meeting there) to pt, and returns the faces whose outline changed. It
// returns ErrCrossing, changing nothing, when a moved segment would cross
// another boundary of the topology.
func (t *Topology) MoveVertex(a, i int, pt orb.Point) ([]int, error) {
	sites, err := t.Sites(a, i)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
		return nil, fmt.Errorf("topo: vertex moved to a point that is not a number")
	}
	if err := t.checkMove(sites, pt); err != nil {
		return nil, err
	}
	for _, s := range sites {
		t.Arcs[s.Arc][s.I] = pt
	}
	for _, s := range sites {
		t.bounds[s.Arc] = t.Arcs[s.Arc].Bound()
	}
	return t.FacesOf(sites), nil
}

// checkMove reports ErrCrossing when the segments next to the moved sites
// would properly cross any segment of the topology other than themselves.
func (t *Topology) checkMove(sites []VertexSite, pt orb.Point) error {
	type seg struct{ a, b orb.Point }
	var moved []seg
	skip := map[[2]int]bool{} // arc, segment index
	for _, s := range sites {
		line := t.Arcs[s.Arc]
		if s.I > 0 {
			moved = append(moved, seg{line[s.I-1], pt})
			skip[[2]int{s.Arc, s.I - 1}] = true
		}
		if s.I < len(line)-1 {
			moved = append(moved, seg{pt, line[s.I+1]})
			skip[[2]int{s.Arc, s.I}] = true
		}
	}
	if len(moved) == 0 {
		return nil
	}
	b := orb.Bound{Min: pt, Max: pt}
	for _, m := range moved {
		b = b.Extend(m.a).Extend(m.b)
	}
	for ai, line := range t.Arcs {
		if len(line) < 2 || !t.bounds[ai].Intersects(b) {
			continue
		}
		for j := 0; j+1 < len(line); j++ {
			if skip[[2]int{ai, j}] {
				continue
			}
			p, q := line[j], line[j+1]
			if max(p[0], q[0]) < b.Min[0] || min(p[0], q[0]) > b.Max[0] || max(p[1], q[1]) < b.Min[1] || min(p[1], q[1]) > b.Max[1] {
				continue
			}
			for _, m := range moved {
				if properCross(m.a, m.b, p, q) {
					return ErrCrossing
				}
			}
		}
	}
	// The moved segments must not cross each other either.
	for x := 0; x < len(moved); x++ {
		for y := x + 1; y < len(moved); y++ {
			if properCross(moved[x].a, moved[x].b, moved[y].a, moved[y].b) {
				return ErrCrossing
			}
		}
	}
	return nil
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// properCross reports whether segments ab and cd cross at a point interior
// to both (touching at an end point, or sharing one, is not a crossing).
func properCross(a, b, c, d orb.Point) bool {
	if a == c || a == d || b == c || b == d {
		return false
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))
}

// InsertVertex adds pt to arc a after vertex after (so it becomes vertex
// after+1) and returns the faces whose outline changed: a shared arc gains
// the vertex on both sides.
func (t *Topology) InsertVertex(a, after int, pt orb.Point) ([]int, error) {
	if _, err := t.Vertex(a, after); err != nil {
		return nil, err
	}
	if after == len(t.Arcs[a])-1 {
		return nil, fmt.Errorf("topo: cannot insert after the last vertex of arc %d", a)
	}
	t.Arcs[a] = slices.Insert(t.Arcs[a], after+1, pt)
	t.bounds[a] = t.Arcs[a].Bound()
	return slices.Clone(t.arcFaces[a]), nil
}

// RemoveVertex deletes inner vertex i of arc a and returns the faces whose
// outline changed. End points (where arcs meet) cannot be removed, nor a
// vertex whose removal would leave a ring with fewer than three vertices.
func (t *Topology) RemoveVertex(a, i int) ([]int, error) {
	if _, err := t.Vertex(a, i); err != nil {
		return nil, err
	}
	line := t.Arcs[a]
	if i == 0 || i == len(line)-1 {
		return nil, fmt.Errorf("topo: vertex %d of arc %d joins boundaries and cannot be removed", i, a)
	}
	for _, f := range t.arcFaces[a] {
		for r := range t.Faces[f].Rings {
			if len(t.Ring(f, r)) <= 4 && slices.ContainsFunc(t.Faces[f].Rings[r], func(x Ref) bool { y, _ := x.Arc(); return y == a }) {
				return nil, fmt.Errorf("topo: an area needs at least three vertices")
			}
		}
	}
	t.Arcs[a] = slices.Delete(line, i, i+1)
	t.bounds[a] = t.Arcs[a].Bound()
	return slices.Clone(t.arcFaces[a]), nil
}

// Polygons returns every face as a polygon, in face order.
func (t *Topology) Polygons() []orb.Polygon {
	out := make([]orb.Polygon, len(t.Faces))
	for f := range out {
		out[f] = t.Polygon(f)
	}
	return out
}

// signedArea is twice the signed planar area of an open ring (positive when
// anticlockwise).
func signedArea(pts []orb.Point) float64 {
	var s float64
	n := len(pts)
	for i := range pts {
		a, b := pts[i], pts[(i+1)%n]
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s
}

// Swept returns boxes covering the area swept when the vertex at sites moves
// from one point to another: for each site, the box of the point's old and
// new positions and its neighbours on the arc. Only points inside these
// boxes can change area.
func (t *Topology) Swept(sites []VertexSite, from, to orb.Point) []orb.Bound {
	out := make([]orb.Bound, 0, len(sites))
	for _, s := range sites {
		b := orb.Bound{Min: from, Max: from}.Extend(to)
		line := t.Arcs[s.Arc]
		if s.I > 0 {
			b = b.Extend(line[s.I-1])
		}
		if s.I < len(line)-1 {
			b = b.Extend(line[s.I+1])
		}
		out = append(out, b)
	}
	return out
}

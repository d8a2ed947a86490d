package gisfile

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// DefaultGrid is the quantization step of Borders in degrees: about a
// centimetre, far below the precision of any boundary file, and far above
// the rounding noise of a coordinate conversion.
const DefaultGrid = 1e-7

// edgeUse is one edge of one ring, keyed by its two quantized end points.
type edgeUse struct {
	key  uint64 // smaller point id << 32 | larger point id
	unit int32
	idx  int32 // position in the flat edge list
}

// Borders finds the boundaries shared by units that do not come with a
// topology; geoms[i] is the geometry of unit i. It quantizes every vertex
// to a grid of grid degrees (0 means DefaultGrid), finds the edges two
// units have in common, and joins
// consecutive edges with the same unit on the other side into one
// engine.Border, each shared boundary once. A Border has a unit on its
// Left (the interior lies left of the line) and the unit across, or
// engine.NoIndex for the outside, on its Right. Edges a unit shares only
// with itself (two of its own polygons touching) are left out.
//
// The geometries need not be valid or wound in any particular way (the
// side of each ring is taken from its signed area), so BuildUnits passes
// them as the file has them: a boundary that repair would remove (a spike
// along a neighbour's edge) still makes the two units neighbours, as the
// arcs of a topology would.
//
// Where an edge matches no other and a vertex lies on it (within two grid
// steps), the edge is split there and matched again, so that units whose
// common boundary has more vertices on one side than on the other are
// still found to share it. Boundaries digitised separately
// for each unit, which do not share their vertices at all, are not matched.
// The notes describe edges claimed by more than two units (overlaps).
func Borders(geoms []orb.MultiPolygon, grid float64) ([]engine.Border, []string) {
	if grid <= 0 {
		grid = DefaultGrid
	}
	// Intern the quantized vertices.
	ids := map[[2]int64]uint32{}
	var qpts [][2]int64  // quantized position of each point id
	var fpts []orb.Point // the position first seen for each point id
	pid := func(p orb.Point) uint32 {
		k := [2]int64{int64(math.Round(p[0] / grid)), int64(math.Round(p[1] / grid))}
		id, ok := ids[k]
		if !ok {
			id = uint32(len(qpts))
			ids[k] = id
			qpts = append(qpts, k)
			fpts = append(fpts, p)
		}
		return id
	}
	type ringRef struct {
		unit   int32
		pts    []orb.Point // open ring: no closing point
		ids    []uint32    // point ids of pts
		first  int32       // index of its first edge in the flat list
		zero   []bool      // edges of zero length after quantization
		revers bool        // the interior lies right of the ring's direction
	}
	var rings []ringRef
	for u := range geoms {
		for _, poly := range geoms[u] {
			for ri, r := range poly {
				pts := []orb.Point(r)
				if n := len(pts); n > 1 && pts[0] == pts[n-1] {
					pts = pts[:n-1]
				}
				if len(pts) < 3 {
					continue
				}
				a := ringArea(orb.Ring(pts))
				if a == 0 {
					continue
				}
				rr := ringRef{unit: int32(u), pts: pts, ids: make([]uint32, len(pts)), revers: (a > 0) != (ri == 0)}
				for i, p := range pts {
					rr.ids[i] = pid(p)
				}
				rings = append(rings, rr)
			}
		}
	}
	ids = nil
	// match lists every edge and finds the unit across each: other[i] is
	// NoIndex for the outside, or the edge's own unit when only that unit
	// uses it (an internal edge).
	match := func() (other []int32, crowded int) {
		var uses []edgeUse
		for k := range rings {
			rr := &rings[k]
			rr.first = int32(len(uses))
			rr.zero = make([]bool, len(rr.ids))
			for i, a := range rr.ids {
				b := rr.ids[(i+1)%len(rr.ids)]
				lo, hi := a, b
				if lo > hi {
					lo, hi = hi, lo
				}
				rr.zero[i] = a == b
				uses = append(uses, edgeUse{key: uint64(lo)<<32 | uint64(hi), unit: rr.unit, idx: int32(len(uses))})
			}
		}
		other = make([]int32, len(uses))
		slices.SortFunc(uses, func(a, b edgeUse) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.unit) - int(b.unit)
		})
		for i := 0; i < len(uses); {
			j := i + 1
			for j < len(uses) && uses[j].key == uses[i].key {
				j++
			}
			group := uses[i:j]
			distinct := 1
			for k := 1; k < len(group); k++ {
				if group[k].unit != group[k-1].unit {
					distinct++
				}
			}
			if distinct > 2 {
				crowded++
			}
			for _, e := range group {
				o := engine.NoIndex
				if len(group) > 1 {
					o = e.unit
					for _, f := range group {
						if f.unit != e.unit {
							o = f.unit
							break
						}
					}
				}
				other[e.idx] = o
			}
			i = j
		}
		return other, crowded
	}
	other, crowded := match()
	// Edges nothing matched may still run along a neighbour whose vertices
	// lie on them: split those edges at such vertices and match again.
	nd := newNoder(qpts, rings, func(r ringRef) []uint32 { return r.ids })
	changed := false
	for k := range rings {
		rr := &rings[k]
		ids, pts := nd.node(rr.ids, rr.pts, fpts, func(i int) bool { return other[int(rr.first)+i] != engine.NoIndex })
		if len(ids) != len(rr.ids) {
			rr.ids, rr.pts, changed = ids, pts, true
		}
	}
	if changed {
		other, crowded = match()
	}
	var borders []engine.Border
	for _, rr := range rings {
		n := len(rr.pts)
		side := other[rr.first : int(rr.first)+n]
		// Zero-length edges join the run before them.
		vals := make([]int32, n)
		start := -1
		for i := 0; i < n; i++ {
			if !rr.zero[i] {
				start = i
				break
			}
		}
		if start < 0 {
			continue // the ring collapses to a point
		}
		cur := side[start]
		for k := 0; k < n; k++ {
			i := (start + k) % n
			if !rr.zero[i] {
				cur = side[i]
			}
			vals[i] = cur
		}
		// Start the walk where the unit across changes, if it ever does.
		s := 0
		for i := 0; i < n; i++ {
			if vals[i] != vals[(i+n-1)%n] {
				s = i
				break
			}
		}
		for k := 0; k < n; {
			i := (s + k) % n
			v := vals[i]
			m := 1
			for k+m < n && vals[(s+k+m)%n] == v {
				m++
			}
			if v != rr.unit && (v == engine.NoIndex || rr.unit < v) {
				line := make(orb.LineString, 0, m+1)
				for t := 0; t <= m; t++ {
					line = append(line, rr.pts[(i+t)%n])
				}
				if rr.revers {
					line.Reverse()
				}
				borders = append(borders, engine.Border{Line: line, Left: rr.unit, Right: v})
			}
			k += m
		}
	}
	var notes []string
	if crowded > 0 {
		notes = append(notes, fmt.Sprintf("%d edges are used by more than two units (overlapping polygons); each was given to the first two", crowded))
	}
	return borders, notes
}

// noder finds vertices lying on the edges of rings through a grid of the
// quantized points.
type noder struct {
	q    [][2]int64
	cell int64
	grid map[[2]int64][]uint32
}

// nodeTol is how far, in grid steps, a vertex may lie from an edge and
// still be put on it.
const nodeTol = 2.0

func newNoder[R any](q [][2]int64, rings []R, ids func(R) []uint32) *noder {
	// Cells about as large as a typical edge keep both the cells an edge
	// crosses and the points in a cell few.
	var lengths []float64
	for _, r := range rings {
		v := ids(r)
		for i := 0; i < len(v); i += 7 {
			a, b := q[v[i]], q[v[(i+1)%len(v)]]
			lengths = append(lengths, math.Max(math.Abs(float64(b[0]-a[0])), math.Abs(float64(b[1]-a[1]))))
		}
	}
	cell := int64(64)
	if len(lengths) > 0 {
		slices.Sort(lengths)
		cell = max(int64(lengths[len(lengths)/2]), 64)
	}
	n := &noder{q: q, cell: cell, grid: make(map[[2]int64][]uint32, len(q)/4+1)}
	for id, p := range q {
		k := [2]int64{floorDiv(p[0], cell), floorDiv(p[1], cell)}
		n.grid[k] = append(n.grid[k], uint32(id))
	}
	return n
}

func floorDiv(a, b int64) int64 {
	d := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		d--
	}
	return d
}

// maxCellsPerEdge bounds the cells searched for one edge; an edge longer
// than that many cells is left as it is.
const maxCellsPerEdge = 4096

// node returns the ring with every vertex that lies on one of its edges
// inserted into that edge, in order; edge i (from vertex i) is left alone
// when keep(i). pts are the ring's positions and fpts the positions of all
// point ids.
func (n *noder) node(ids []uint32, pts []orb.Point, fpts []orb.Point, keep func(i int) bool) ([]uint32, []orb.Point) {
	var outIDs []uint32
	var outPts []orb.Point
	type hit struct {
		t  float64
		id uint32
	}
	var hits []hit
	for i, a := range ids {
		b := ids[(i+1)%len(ids)]
		hits = hits[:0]
		if a != b && !keep(i) {
			qa, qb := n.q[a], n.q[b]
			dx, dy := float64(qb[0]-qa[0]), float64(qb[1]-qa[1])
			l2 := dx*dx + dy*dy
			x0, x1 := floorDiv(min(qa[0], qb[0])-2, n.cell), floorDiv(max(qa[0], qb[0])+2, n.cell)
			y0, y1 := floorDiv(min(qa[1], qb[1])-2, n.cell), floorDiv(max(qa[1], qb[1])+2, n.cell)
			if (x1-x0+1)*(y1-y0+1) <= maxCellsPerEdge {
				for cx := x0; cx <= x1; cx++ {
					for cy := y0; cy <= y1; cy++ {
						for _, c := range n.grid[[2]int64{cx, cy}] {
							if c == a || c == b {
								continue
							}
							qc := n.q[c]
							ex, ey := float64(qc[0]-qa[0]), float64(qc[1]-qa[1])
							t := (ex*dx + ey*dy) / l2
							if t <= 0 || t >= 1 {
								continue
							}
							if cross := ex*dy - ey*dx; cross*cross > nodeTol*nodeTol*l2 {
								continue
							}
							hits = append(hits, hit{t, c})
						}
					}
				}
			}
		}
		if len(hits) > 0 && outIDs == nil {
			outIDs = append(make([]uint32, 0, len(ids)+len(hits)), ids[:i]...)
			outPts = append(make([]orb.Point, 0, len(ids)+len(hits)), pts[:i]...)
		}
		if outIDs != nil {
			outIDs = append(outIDs, a)
			outPts = append(outPts, pts[i])
			slices.SortFunc(hits, func(x, y hit) int { return cmpFloat(x.t, y.t) })
			for _, h := range hits {
				outIDs = append(outIDs, h.id)
				outPts = append(outPts, fpts[h.id])
			}
		}
	}
	if outIDs == nil {
		return ids, pts
	}
	return outIDs, outPts
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

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
// topology; geoms[i] is the geometry of unit i. It quantizes every vertex to a grid of grid degrees (0 means
// DefaultGrid), finds the edges two units have in common, and joins
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
// Units that share a boundary but not its vertices (one side has a vertex
// where the other has none) are not found to touch along that stretch.
// The notes describe edges claimed by more than two units (overlaps).
func Borders(geoms []orb.MultiPolygon, grid float64) ([]engine.Border, []string) {
	if grid <= 0 {
		grid = DefaultGrid
	}
	ids := map[[2]int64]uint32{}
	pid := func(p orb.Point) uint32 {
		k := [2]int64{int64(math.Round(p[0] / grid)), int64(math.Round(p[1] / grid))}
		id, ok := ids[k]
		if !ok {
			id = uint32(len(ids))
			ids[k] = id
		}
		return id
	}
	type ringRef struct {
		unit   int32
		pts    []orb.Point // open ring: no closing point
		first  int32       // index of its first edge in the flat list
		zero   []bool      // edges of zero length after quantization
		revers bool        // the interior lies right of the ring's direction
	}
	var rings []ringRef
	var uses []edgeUse
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
				rr := ringRef{unit: int32(u), pts: pts, first: int32(len(uses)), zero: make([]bool, len(pts)),
					revers: (a > 0) != (ri == 0)}
				first := pid(pts[0])
				prev := first
				for i := range pts {
					next := first
					if i+1 < len(pts) {
						next = pid(pts[i+1])
					}
					lo, hi := prev, next
					if lo > hi {
						lo, hi = hi, lo
					}
					rr.zero[i] = prev == next
					uses = append(uses, edgeUse{key: uint64(lo)<<32 | uint64(hi), unit: int32(u), idx: int32(len(uses))})
					prev = next
				}
				rings = append(rings, rr)
			}
		}
	}
	ids = nil
	// other[i] is the unit across edge i: NoIndex for the outside, or the
	// edge's own unit when only that unit uses it (an internal edge).
	other := make([]int32, len(uses))
	sorted := slices.Clone(uses)
	slices.SortFunc(sorted, func(a, b edgeUse) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return int(a.unit) - int(b.unit)
	})
	crowded := 0
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].key == sorted[i].key {
			j++
		}
		group := sorted[i:j]
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

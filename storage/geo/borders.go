package geo

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// arcUse is one traversal of an arc by a ring of a unit.
type arcUse struct {
	unit   int32
	onLeft bool // the unit lies left of the arc in its stored direction
}

// Borders turns the arcs used by the polygon geometries geoms into
// engine.Border values, each shared boundary once. units[i] is the unit
// index of geoms[i], or engine.NoIndex to leave that geometry out.
//
// The side of an arc a unit lies on follows from the winding of the ring
// that uses it (in the lon/lat plane): the interior of an exterior ring
// wound counterclockwise, or of a hole wound clockwise, is on the left of
// its direction of travel, and a reversed reference swaps sides. Each
// returned border has a unit on its Left; Right is the unit on the other
// side or engine.NoIndex on the outside, with the line reversed where
// needed. Arcs used only inside one unit, arcs of rings without area and
// arcs of zero length are left out. When two units claim the same side of
// an arc (a ring wound against its neighbours), the first keeps its side
// and the other takes the opposite one. An arc used by more than two units
// (a collapsed sliver in simplified data) keeps the first unit and the
// first on its opposite side. Both cases are described in the returned notes.
func (t *Topology) Borders(geoms []*Geometry, units []int32) ([]engine.Border, []string, error) {
	if len(units) != len(geoms) {
		return nil, nil, fmt.Errorf("topojson: %d geometries but %d unit indexes", len(geoms), len(units))
	}
	uses := make([][]arcUse, len(t.Arcs))
	for i, g := range geoms {
		u := units[i]
		if u == engine.NoIndex {
			continue
		}
		if u < 0 {
			return nil, nil, fmt.Errorf("topojson: unit index %d for geometry %d is negative", u, i)
		}
		switch g.Type {
		case "Polygon", "MultiPolygon", "":
		default:
			return nil, nil, fmt.Errorf("topojson: geometry %q is a %s, not a polygon", g.ID, g.Type)
		}
		for _, poly := range g.Polygons {
			for k, refs := range poly {
				a := signedArea(t.Ring(refs))
				if a == 0 {
					continue
				}
				interiorLeft := (a > 0) != (k > 0)
				for _, ref := range refs {
					idx := ref
					if idx < 0 {
						idx = ^idx
					}
					uses[idx] = append(uses[idx], arcUse{unit: u, onLeft: interiorLeft != (ref < 0)})
				}
			}
		}
	}
	var borders []engine.Border
	var notes []string
	for idx, us := range uses {
		if len(us) == 0 || zeroLength(t.Arcs[idx]) {
			continue
		}
		first := us[0]
		var other *arcUse
		units := 1
		for j := 1; j < len(us); j++ {
			u := us[j]
			if u.unit == first.unit || (other != nil && u.unit == other.unit) {
				continue
			}
			units++
			// Prefer a unit on the opposite side of the first one.
			if other == nil || (other.onLeft == first.onLeft && u.onLeft != first.onLeft) {
				other = &us[j]
			}
		}
		if units > 2 {
			notes = append(notes, fmt.Sprintf("arc %d is used by %d units; kept units %d and %d", idx, units, first.unit, other.unit))
		}
		if other == nil && len(us) > 1 {
			continue // inside a single unit
		}
		line := append(orb.LineString(nil), t.Arcs[idx]...)
		left, right := first.unit, engine.NoIndex
		if other != nil {
			if other.onLeft == first.onLeft {
				notes = append(notes, fmt.Sprintf("arc %d: units %d and %d both wound to its %s; unit %d moved to the other side",
					idx, first.unit, other.unit, sideName(first.onLeft), other.unit))
			}
			right = other.unit
		}
		if !first.onLeft {
			line.Reverse()
		}
		borders = append(borders, engine.Border{Line: line, Left: left, Right: right})
	}
	return borders, notes, nil
}

func sideName(left bool) string {
	if left {
		return "left"
	}
	return "right"
}

func zeroLength(ls orb.LineString) bool {
	for _, p := range ls[1:] {
		if p != ls[0] {
			return false
		}
	}
	return true
}

// Neighbors returns, for each of n units, the other units it shares a
// border with, ascending and without repeats. Borders on the outside
// (Right == engine.NoIndex) add nothing; an index outside [0, n) is an error.
func Neighbors(borders []engine.Border, n int) ([][]int32, error) {
	nb := make([][]int32, n)
	for i, b := range borders {
		if b.Left < 0 || int(b.Left) >= n || b.Right < engine.NoIndex || int(b.Right) >= n {
			return nil, fmt.Errorf("border %d: unit indexes %d/%d out of range for %d units", i, b.Left, b.Right, n)
		}
		if b.Right == engine.NoIndex || b.Right == b.Left {
			continue
		}
		nb[b.Left] = append(nb[b.Left], b.Right)
		nb[b.Right] = append(nb[b.Right], b.Left)
	}
	for i := range nb {
		slices.Sort(nb[i])
		nb[i] = slices.Compact(nb[i])
	}
	return nb, nil
}

// signedArea is the planar shoelace area of r, closed implicitly: positive
// when r winds counterclockwise.
func signedArea(r orb.Ring) float64 {
	n := len(r)
	if n < 3 {
		return 0
	}
	// Coordinates relative to the first point keep the products small.
	o := r[0]
	var s float64
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		s += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return s / 2
}

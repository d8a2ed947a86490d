package topo

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"territoria/engine/geo"
)

// twoSquares are two areas sharing the border x=2 (with a vertex at (2,1)).
func twoSquares() []orb.Polygon {
	a := orb.Polygon{{{0, 0}, {2, 0}, {2, 1}, {2, 2}, {0, 2}, {0, 0}}}
	b := orb.Polygon{{{2, 0}, {4, 0}, {4, 2}, {2, 2}, {2, 1}, {2, 0}}}
	return []orb.Polygon{a, b}
}

func area(p orb.Polygon) float64 { return math.Abs(planar.Area(p)) }

func TestBuildSharesBorders(t *testing.T) {
	tp := Build(twoSquares())
	if len(tp.Arcs) != 3 {
		t.Fatalf("arcs = %d, want 3 (one shared, one per outer side)", len(tp.Arcs))
	}
	shared := 0
	for a := range tp.Arcs {
		if len(tp.ArcFaces(a)) == 2 {
			shared++
			if len(tp.Arcs[a]) != 3 {
				t.Errorf("shared arc has %d vertices, want 3", len(tp.Arcs[a]))
			}
		}
	}
	if shared != 1 {
		t.Fatalf("shared arcs = %d, want 1", shared)
	}
	for f, want := range []float64{4, 4} {
		if got := area(tp.Polygon(f)); math.Abs(got-want) > 1e-12 {
			t.Errorf("face %d area = %v, want %v", f, got, want)
		}
	}
	// Rebuilding from the polygons gives the same topology.
	again := Build(tp.Polygons())
	if len(again.Arcs) != len(tp.Arcs) {
		t.Errorf("rebuilt arcs = %d, want %d", len(again.Arcs), len(tp.Arcs))
	}
}

func sharedArc(t *testing.T, tp *Topology) int {
	t.Helper()
	for a := range tp.Arcs {
		if len(tp.ArcFaces(a)) == 2 {
			return a
		}
	}
	t.Fatal("no shared arc")
	return -1
}

func TestMoveVertexMovesBothSides(t *testing.T) {
	tests := []struct {
		name  string
		index func(line orb.LineString) int
		to    orb.Point
		areaA float64
	}{
		{"inner vertex", func(l orb.LineString) int { return 1 }, orb.Point{3, 1}, 5},
		{"end point", func(l orb.LineString) int {
			for i, p := range l {
				if p == (orb.Point{2, 2}) {
					return i
				}
			}
			return -1
		}, orb.Point{3, 2}, 4.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp := Build(twoSquares())
			a := sharedArc(t, tp)
			faces, err := tp.MoveVertex(a, tc.index(tp.Arcs[a]), tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if len(faces) != 2 {
				t.Fatalf("faces changed = %v, want both", faces)
			}
			pa, pb := tp.Polygon(0), tp.Polygon(1)
			if got := area(pa); math.Abs(got-tc.areaA) > 1e-12 {
				t.Errorf("area A = %v, want %v", got, tc.areaA)
			}
			if got := area(pa) + area(pb); math.Abs(got-8) > 1e-12 {
				t.Errorf("areas sum to %v, want 8: a gap or an overlap opened", got)
			}
			// Every point of the plane is in at most one area.
			rng := rand.New(rand.NewPCG(1, 2))
			for i := 0; i < 2000; i++ {
				pt := orb.Point{rng.Float64() * 4, rng.Float64() * 2}
				if geo.PolygonContains(pa, pt) && geo.PolygonContains(pb, pt) {
					t.Fatalf("%v is in both areas", pt)
				}
			}
		})
	}
}

func TestMoveVertexRefusesCrossing(t *testing.T) {
	tp := Build(twoSquares())
	a := sharedArc(t, tp)
	before := tp.Polygons()
	if _, err := tp.MoveVertex(a, 1, orb.Point{5, 1}); !errors.Is(err, ErrCrossing) {
		t.Fatalf("err = %v, want ErrCrossing", err)
	}
	for f, p := range tp.Polygons() {
		if area(p) != area(before[f]) {
			t.Errorf("face %d changed after a refused move", f)
		}
	}
	if _, err := tp.MoveVertex(a, 99, orb.Point{1, 1}); err == nil {
		t.Error("a vertex out of range was accepted")
	}
}

func TestInsertAndRemoveVertex(t *testing.T) {
	tp := Build(twoSquares())
	a := sharedArc(t, tp)
	faces, err := tp.InsertVertex(a, 0, orb.Point{2, 0.5})
	if err != nil || len(faces) != 2 {
		t.Fatalf("insert: faces %v, err %v", faces, err)
	}
	for f := 0; f < 2; f++ {
		if n := len(tp.Ring(f, 0)); n != 7 {
			t.Errorf("face %d ring has %d points, want 7", f, n)
		}
	}
	if _, err := tp.RemoveVertex(a, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := tp.RemoveVertex(a, 0); err == nil {
		t.Error("removing an end point was accepted")
	}
}

func TestSplitAndMerge(t *testing.T) {
	polys := twoSquares()
	tp := Build(polys)
	// Cut A vertically at x=1, walking north: the right part is east of it.
	right, left, err := tp.Split(0, orb.LineString{{1, -1}, {1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := area(right), area(left); math.Abs(a-2) > 1e-12 || math.Abs(b-2) > 1e-12 {
		t.Fatalf("areas %v, %v; want 2 and 2", a, b)
	}
	if !geo.PolygonContains(right, orb.Point{1.5, 1}) {
		t.Error("the right part is not east of a northward cut")
	}
	// Rebuild with the two parts and B: the cut is a shared arc, and B
	// still shares its border with the right part.
	tp2 := Build([]orb.Polygon{right, left, tp.Polygon(1)})
	shared := 0
	for a := range tp2.Arcs {
		if len(tp2.ArcFaces(a)) == 2 {
			shared++
		}
	}
	if shared != 2 {
		t.Fatalf("shared arcs after split = %d, want 2", shared)
	}
	merged, err := tp2.Merge([]int{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := area(merged); math.Abs(got-4) > 1e-12 {
		t.Errorf("merged area = %v, want 4", got)
	}
	if _, _, err := tp.Split(0, orb.LineString{{5, 5}, {6, 6}}); err == nil {
		t.Error("a line missing the area split it")
	}
}

func TestMergeRefusesDisjoint(t *testing.T) {
	tp := Build([]orb.Polygon{
		{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}},
		{{{5, 0}, {6, 0}, {6, 1}, {5, 1}, {5, 0}}},
	})
	if _, err := tp.Merge([]int{0, 1}); !errors.Is(err, ErrNotAdjacent) {
		t.Fatalf("err = %v, want ErrNotAdjacent", err)
	}
}

func TestSnapFollowsExistingBorder(t *testing.T) {
	tp := Build(twoSquares()[:1])
	// Drawn east of A, clicking near (2,0) and (2,2) but not at (2,1).
	ring := []orb.Point{{2.01, -0.01}, {4, 0}, {4, 2}, {2.01, 2.01}}
	snapped := tp.Snap(ring, 0.05)
	if len(snapped) != 5 {
		t.Fatalf("snapped ring %v, want 5 vertices including (2,1)", snapped)
	}
	tp2 := Build([]orb.Polygon{tp.Polygon(0), {closeRing(snapped)}})
	if len(tp2.Arcs) != 3 {
		t.Errorf("arcs = %d, want 3: the new area shares A's border", len(tp2.Arcs))
	}
}

func BenchmarkMoveVertex(b *testing.B) {
	// A 32×32 grid of drawn cells with 10 vertices per side.
	var polys []orb.Polygon
	const n, k = 32, 10
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var r orb.Ring
			side := func(x0, y0, x1, y1 float64) {
				for i := 0; i < k; i++ {
					f := float64(i) / k
					r = append(r, orb.Point{x0 + f*(x1-x0), y0 + f*(y1-y0)})
				}
			}
			fx, fy := float64(x), float64(y)
			side(fx, fy, fx+1, fy)
			side(fx+1, fy, fx+1, fy+1)
			side(fx+1, fy+1, fx, fy+1)
			side(fx, fy+1, fx, fy)
			polys = append(polys, orb.Polygon{append(r, r[0])})
		}
	}
	tp := Build(polys)
	a := 0
	for i := range tp.Arcs {
		if len(tp.ArcFaces(i)) == 2 {
			a = i
			break
		}
	}
	p := tp.Arcs[a][5]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := 0.01 * float64(i%10)
		faces, err := tp.MoveVertex(a, 5, orb.Point{p[0] + d, p[1] + d/2})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range faces {
			_ = tp.Polygon(f)
		}
	}
}

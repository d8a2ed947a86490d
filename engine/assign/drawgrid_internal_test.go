package assign

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// scanFirst is the reference for areaGrid.first: every area in order.
func scanFirst(areas []drawnArea, pt orb.Point) int32 {
	for i := range areas {
		if areas[i].holds(pt) {
			return areas[i].t
		}
	}
	return engine.NoIndex
}

// blob is a star-shaped ring of n vertices around c, with radii in
// [r/2, r], counter-clockwise, closed.
func blob(rng *rand.Rand, c orb.Point, r float64, n int) orb.Ring {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := r * (0.5 + 0.5*rng.Float64())
		ring = append(ring, orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)})
	}
	return append(ring, ring[0])
}

func areasOf(polys []orb.Polygon) []drawnArea {
	var areas []drawnArea
	for t, p := range polys {
		if len(p) > 0 {
			areas = append(areas, drawnArea{int32(t), p.Bound(), p})
		}
	}
	return areas
}

// probes returns points that test the grid's classification: random
// points, the polygons' vertices and points on their edges, and points on
// and one unit in the last place beside the grid's cell borders.
func probes(rng *rand.Rand, g *areaGrid, polys []orb.Polygon, n int) []orb.Point {
	var pts []orb.Point
	b := g.bound
	for i := 0; i < n; i++ {
		pts = append(pts, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	for _, p := range polys {
		for _, r := range p {
			for k := 1; k < len(r); k++ {
				f := rng.Float64()
				pts = append(pts, r[k], orb.Point{r[k-1][0] + f*(r[k][0]-r[k-1][0]), r[k-1][1] + f*(r[k][1]-r[k-1][1])})
			}
		}
	}
	if g.nx > 0 {
		for i := 0; i < n/4; i++ {
			x := b.Min[0] + float64(rng.IntN(g.nx+1))*g.cw
			y := b.Min[1] + float64(rng.IntN(g.ny+1))*g.ch
			for _, d := range []float64{-1, 0, 1} {
				pts = append(pts,
					orb.Point{x + d*math.Abs(x)*0x1p-52, b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])},
					orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), y + d*math.Abs(y)*0x1p-52},
					orb.Point{x, y})
			}
		}
	}
	return pts
}

func TestAreaGridMatchesScan(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 9))
			var polys []orb.Polygon
			for i := 0; i < 20+rng.IntN(40); i++ {
				c := orb.Point{-120 + 50*rng.Float64(), 26 + 20*rng.Float64()}
				r := 0.2 + 4*rng.Float64()*rng.Float64()
				p := orb.Polygon{blob(rng, c, r, 5+rng.IntN(60))}
				switch rng.IntN(5) {
				case 0: // a hole
					p = append(p, blob(rng, c, r/4, 8))
				case 1: // a polygon drawn clockwise
					p[0].Reverse()
				case 2: // no polygon: an area's territory without one
					p = nil
				}
				polys = append(polys, p)
			}
			areas := areasOf(polys)
			for _, points := range []int{0, 1000, 1 << 20} {
				g := newAreaGrid(areas, points)
				whole := 0
				for _, e := range g.entries {
					if e < 0 {
						whole++
					}
				}
				if points > 1000 && whole == 0 {
					t.Errorf("%d points: no cell is classified as inside an area", points)
				}
				for _, pt := range probes(rng, g, polys, 3000) {
					if got, want := g.first(pt), scanFirst(areas, pt); got != want {
						t.Fatalf("%d points, grid %d×%d: first(%v) = %d, scanning in order gives %d", points, g.nx, g.ny, pt, got, want)
					}
				}
			}
		})
	}
}

func TestAreaGridEdgeCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	circle := func(c orb.Point, r float64, n int) orb.Ring {
		var ring orb.Ring
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			ring = append(ring, orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	cases := []struct {
		name  string
		polys []orb.Polygon
	}{
		{"one square", []orb.Polygon{{sq(0, 0, 1, 1)}}},
		{"nested squares, outer first", []orb.Polygon{{sq(0, 0, 10, 10)}, {sq(2, 2, 8, 8)}}},
		{"nested squares, inner first", []orb.Polygon{{sq(2, 2, 8, 8)}, {sq(0, 0, 10, 10)}}},
		{"tiny squares far from the origin", []orb.Polygon{{sq(100, 40, 100+1e-10, 40+1e-10)}, {sq(100+2e-10, 40, 100+3e-10, 40+1e-10)}}},
		{"flat union (all on one line)", []orb.Polygon{{{{0, 1}, {5, 1}, {2, 1}, {0, 1}}}}},
		{"hole with a NaN vertex", []orb.Polygon{{sq(0, 0, 10, 10), {{4, 4}, {math.NaN(), 4}, {6, 6}, {4, 6}, {4, 4}}}}},
		{"hole outside the outer ring", []orb.Polygon{{sq(0, 0, 4, 4), sq(6, 0, 10, 4)}, {sq(5, -1, 11, 5)}}},
		// Inside by the crossing rule but outside the outer ring's bounds,
		// which the scan checks first.
		{"ring across the bounds' corner", []orb.Polygon{
			{circle(orb.Point{5, 5}, 5, 64), sq(-1.05, -1.05, 2.95, 2.95)},
			{sq(-3.3, -2.7, 12.1, 11.9)},
		}},
		{"long diagonal edges", []orb.Polygon{{{{0, 0}, {10, 1}, {1, 10}, {0, 0}}}, {sq(-1, -1, 11, 11)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			areas := areasOf(c.polys)
			for _, points := range []int{10, 1 << 20} {
				g := newAreaGrid(areas, points)
				for _, pt := range probes(rng, g, c.polys, 2000) {
					if got, want := g.first(pt), scanFirst(areas, pt); got != want {
						t.Fatalf("grid %d×%d: first(%v) = %d, scanning in order gives %d", g.nx, g.ny, pt, got, want)
					}
				}
			}
		})
	}
}

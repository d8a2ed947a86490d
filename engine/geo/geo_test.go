package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

const earthRadiusKm = 6378.137 // the radius orb/geo uses

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

func TestAreaKm2(t *testing.T) {
	// Spherical cap formula for a lon/lat cell: R²·Δλ·(sin φ2 − sin φ1).
	cell := func(lon0, lat0, lon1, lat1 float64) float64 {
		r := math.Pi / 180
		return earthRadiusKm * earthRadiusKm * (lon1 - lon0) * r * (math.Sin(lat1*r) - math.Sin(lat0*r))
	}
	cases := []struct {
		name string
		g    orb.Geometry
		want float64
	}{
		{"equator degree", square(0, 0, 1, 1), cell(0, 0, 1, 1)},
		{"high latitude", square(10, 60, 12, 61), cell(10, 60, 12, 61)},
		{"polygon with hole", orb.Polygon{square(0, 0, 2, 2)[0], square(0.5, 0.5, 1.5, 1.5)[0]}, cell(0, 0, 2, 2) - cell(0.5, 0.5, 1.5, 1.5)},
		{"multipolygon", orb.MultiPolygon{square(0, 0, 1, 1), square(5, 5, 6, 6)}, cell(0, 0, 1, 1) + cell(5, 5, 6, 6)},
		{"point", orb.Point{1, 2}, 0},
		{"line", orb.LineString{{0, 0}, {1, 1}}, 0},
		{"nil", nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := AreaKm2(c.g)
			// orb/geo uses a spherical ring formula; rings of a few points are
			// straight in lon/lat only approximately, so allow 0.5%.
			if c.want == 0 && got != 0 || c.want != 0 && !near(got, c.want, 0.005) {
				t.Errorf("AreaKm2 = %v, want %v", got, c.want)
			}
		})
	}
}

func TestPerimeterAndCompactness(t *testing.T) {
	deg := earthRadiusKm * math.Pi / 180
	circle := func(n int, r float64) orb.Polygon {
		ring := make(orb.Ring, 0, n+1)
		for i := 0; i <= n; i++ {
			a := 2 * math.Pi * float64(i%n) / float64(n)
			ring = append(ring, orb.Point{r * math.Cos(a), r * math.Sin(a)})
		}
		return orb.Polygon{ring}
	}
	cases := []struct {
		name       string
		g          orb.Geometry
		perim      float64 // 0: not checked
		cmin, cmax float64
	}{
		{"small square", square(0, 0, 0.1, 0.1), 0.4 * deg, math.Pi/4 - 0.01, math.Pi/4 + 0.01},
		{"circle", circle(256, 0.1), 2 * math.Pi * 0.1 * deg, 0.99, 1.0001},
		{"thin strip", square(0, 0, 1, 0.01), 2.02 * deg, 0, 0.04},
		{"open ring closes implicitly", orb.Ring{{0, 0}, {0.1, 0}, {0.1, 0.1}, {0, 0.1}}, 0.4 * deg, math.Pi/4 - 0.01, math.Pi/4 + 0.01},
		{"line has no perimeter", orb.LineString{{0, 0}, {1, 0}}, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := PerimeterKm(c.g)
			if c.perim != 0 && !near(p, c.perim, 0.002) {
				t.Errorf("PerimeterKm = %v, want %v", p, c.perim)
			}
			if cp := Compactness(c.g); cp < c.cmin || cp > c.cmax {
				t.Errorf("Compactness = %v, want in [%v, %v]", cp, c.cmin, c.cmax)
			}
		})
	}
}

func TestContainsSimple(t *testing.T) {
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	holed := orb.Polygon{square(0, 0, 4, 4)[0], square(1, 1, 3, 3)[0]}
	cases := []struct {
		name string
		poly orb.Polygon
		pt   orb.Point
		want bool
	}{
		{"inside u base", u, orb.Point{1.5, 0.5}, true},
		{"in the u notch", u, orb.Point{1.5, 2}, false},
		{"inside u arm", u, orb.Point{2.5, 2.5}, true},
		{"left of everything", u, orb.Point{-1, 0.5}, false},
		{"west edge is inside", u, orb.Point{0, 0.5}, true},
		{"east edge is outside", u, orb.Point{3, 0.5}, false},
		{"south edge is inside", u, orb.Point{0.5, 0}, true},
		{"north edge is outside", u, orb.Point{0.5, 3}, false},
		{"in the hole", holed, orb.Point{2, 2}, false},
		{"in the frame", holed, orb.Point{0.5, 2}, true},
		{"hole west edge belongs to the frame", holed, orb.Point{1, 2}, false},
		{"hole east edge belongs to the frame", holed, orb.Point{3, 2}, true},
		{"empty polygon", orb.Polygon{}, orb.Point{0, 0}, false},
		{"degenerate ring", orb.Polygon{{{0, 0}, {1, 1}}}, orb.Point{0.5, 0.5}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PolygonContains(c.poly, c.pt); got != c.want {
				t.Errorf("PolygonContains(%v) = %v, want %v", c.pt, got, c.want)
			}
			if got := Contains(orb.MultiPolygon{c.poly}, c.pt); got != c.want {
				t.Errorf("Contains(%v) = %v, want %v", c.pt, got, c.want)
			}
		})
	}
}

// partition returns a set of polygons tiling [0,n]² without overlap: squares
// cut along one diagonal into triangles, a square with a hole and the island
// filling it, with randomly reversed ring orientations.
func partition(n int, rng *rand.Rand) []orb.MultiPolygon {
	var out []orb.MultiPolygon
	rev := func(r orb.Ring) orb.Ring {
		if rng.IntN(2) == 0 {
			r = append(orb.Ring(nil), r...)
			r.Reverse()
		}
		return r
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := float64(i), float64(j)
			switch (i + j) % 3 {
			case 0:
				out = append(out, orb.MultiPolygon{{rev(square(x, y, x+1, y+1)[0])}})
			case 1:
				out = append(out,
					orb.MultiPolygon{{rev(orb.Ring{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y}})}},
					orb.MultiPolygon{{rev(orb.Ring{{x, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}})}})
			case 2:
				hole := rev(square(x+0.25, y+0.25, x+0.75, y+0.75)[0])
				out = append(out,
					orb.MultiPolygon{{rev(square(x, y, x+1, y+1)[0]), hole}},
					orb.MultiPolygon{{rev(square(x+0.25, y+0.25, x+0.75, y+0.75)[0])}})
			}
		}
	}
	return out
}

func TestContainsPartitionExactlyOne(t *testing.T) {
	seed := uint64(20240611)
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	const n = 6
	parts := partition(n, rng)
	check := func(pt orb.Point) {
		t.Helper()
		k := 0
		for _, mp := range parts {
			if Contains(mp, pt) {
				k++
			}
		}
		if k != 1 {
			t.Fatalf("point %v is inside %d polygons, want exactly 1", pt, k)
		}
	}
	// Lattice points on every edge, vertex and diagonal strictly inside the
	// tiled square (its own outer edges follow the boundary rule instead).
	for i := 1; i < 4*n; i++ {
		for j := 1; j < 4*n; j++ {
			check(orb.Point{float64(i) / 4, float64(j) / 4})
		}
	}
	for i := 0; i < 2000; i++ {
		check(orb.Point{0.01 + rng.Float64()*(n-0.02), 0.01 + rng.Float64()*(n-0.02)})
	}
}

func TestLabelPoint(t *testing.T) {
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 0.2}, {1, 0.2}, {1, 3}, {0, 3}, {0, 0}}}
	ring := orb.Polygon{square(0, 0, 4, 4)[0], square(0.2, 0.2, 3.8, 3.8)[0]}
	rng := rand.New(rand.NewPCG(7, 7))
	star := func() orb.Polygon {
		var r orb.Ring
		for i := 0; i < 20; i++ {
			a := 2 * math.Pi * float64(i) / 20
			d := 0.2 + rng.Float64()
			r = append(r, orb.Point{100 + d*math.Cos(a), 40 + d*math.Sin(a)})
		}
		return orb.Polygon{append(r, r[0])}
	}
	cases := []struct {
		name string
		g    orb.Geometry
	}{
		{"u shape (centroid outside)", u},
		{"frame (centroid in hole)", ring},
		{"largest of several", orb.MultiPolygon{square(10, 10, 10.1, 10.1), u}},
		{"star 1", star()},
		{"star 2", star()},
		{"star 3", star()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pt, ok := LabelPoint(c.g)
			if !ok {
				t.Fatal("no label point")
			}
			var mp orb.MultiPolygon
			switch g := c.g.(type) {
			case orb.Polygon:
				mp = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				mp = g
			}
			if !Contains(mp, pt) {
				t.Errorf("label point %v is outside", pt)
			}
		})
	}
	t.Run("prefers the largest polygon", func(t *testing.T) {
		pt, _ := LabelPoint(orb.MultiPolygon{square(10, 10, 10.1, 10.1), square(0, 0, 2, 2)})
		if !PolygonContains(square(0, 0, 2, 2), pt) {
			t.Errorf("label %v not in the larger polygon", pt)
		}
	})
	t.Run("square label is central", func(t *testing.T) {
		pt, _ := LabelPoint(square(0, 0, 2, 2))
		if math.Abs(pt[0]-1) > 0.1 || math.Abs(pt[1]-1) > 0.1 {
			t.Errorf("label %v is far from the centre", pt)
		}
	})
	t.Run("empty", func(t *testing.T) {
		if _, ok := LabelPoint(orb.MultiPolygon{}); ok {
			t.Error("empty multipolygon has a label")
		}
		if _, ok := LabelPoint(nil); ok {
			t.Error("nil has a label")
		}
	})
}

func BenchmarkContains(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var r orb.Ring
	for i := 0; i < 40; i++ {
		a := 2 * math.Pi * float64(i) / 40
		d := 0.8 + 0.2*rng.Float64()
		r = append(r, orb.Point{d * math.Cos(a), d * math.Sin(a)})
	}
	mp := orb.MultiPolygon{{append(r, r[0])}}
	pts := make([]orb.Point, 1024)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64()*2 - 1, rng.Float64()*2 - 1}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Contains(mp, pts[i%len(pts)])
	}
}

package geo

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// ratWest is the reference for westOf: pt lies strictly west of the edge
// from lo to hi (lo[1] < hi[1]) at pt's latitude, computed from the
// crossing longitude lo.x + (y − lo.y)·(hi.x − lo.x)/(hi.y − lo.y) with
// rational numbers. Coordinates must be finite.
func ratWest(lo, hi, pt orb.Point) bool {
	r := func(f float64) *big.Rat { return new(big.Rat).SetFloat64(f) }
	dy := new(big.Rat).Sub(r(hi[1]), r(lo[1]))
	xi := new(big.Rat).Sub(r(pt[1]), r(lo[1]))
	xi.Mul(xi, new(big.Rat).Sub(r(hi[0]), r(lo[0])))
	xi.Quo(xi, dy)
	xi.Add(xi, r(lo[0]))
	return r(pt[0]).Cmp(xi) < 0
}

// ratCrossings is the reference for ringCrossings, with every comparison
// made in exact arithmetic.
func ratCrossings(r orb.Ring, pt orb.Point) int {
	n := len(r)
	if n < 3 {
		return 0
	}
	c := 0
	a := r[n-1]
	for _, b := range r {
		lo, hi := a, b
		if lo[1] > hi[1] {
			lo, hi = hi, lo
		}
		if lo[1] <= pt[1] && pt[1] < hi[1] && ratWest(lo, hi, pt) {
			c++
		}
		a = b
	}
	return c
}

func ratPolygonContains(p orb.Polygon, pt orb.Point) bool {
	c := 0
	for _, r := range p {
		c += ratCrossings(r, pt)
	}
	return c%2 == 1
}

// divisionWest is the crossing test ringCrossings used before it was exact:
// the crossing longitude computed in floating point. Tests use it to show
// that their points are close enough to edges to need exact arithmetic.
func divisionWest(lo, hi, pt orb.Point) bool {
	return pt[0] < lo[0]+(pt[1]-lo[1])*(hi[0]-lo[0])/(hi[1]-lo[1])
}

// ulps moves f by k units in the last place.
func ulps(f float64, k int) float64 {
	to := math.Inf(1)
	if k < 0 {
		to, k = math.Inf(-1), -k
	}
	for ; k > 0; k-- {
		f = math.Nextafter(f, to)
	}
	return f
}

// lerp is a + f·(b − a) in floating point: on the segment up to rounding.
func lerp(a, b orb.Point, f float64) orb.Point {
	return orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
}

// checkWest compares westOf with the reference for pt against the edge a–b
// (in either direction), when pt's latitude is in the edge's half-open
// range. It reports whether the division-based test gets it wrong.
func checkWest(t *testing.T, a, b, pt orb.Point) (divisionWrong bool) {
	t.Helper()
	lo, hi := a, b
	if lo[1] > hi[1] {
		lo, hi = hi, lo
	}
	if !(lo[1] <= pt[1] && pt[1] < hi[1]) {
		return false
	}
	want := ratWest(lo, hi, pt)
	if got := westOf(lo, hi, pt[0], pt[1]); got != want {
		t.Fatalf("westOf(%v, %v, %v) = %v, exact arithmetic says %v", lo, hi, pt, got, want)
	}
	return divisionWest(lo, hi, pt) != want
}

func TestWestOfNearEdges(t *testing.T) {
	type edge struct{ a, b orb.Point }
	cases := []struct {
		name  string
		edges []edge
		// minDivisionWrong is how many points the division-based test must
		// get wrong, so that the case tests points where it matters.
		minDivisionWrong int
	}{
		{"lon/lat borders", nil, 1},
		{"steep", []edge{{orb.Point{-97.123456789, 31.5}, orb.Point{-97.1234567, 38.987654321}}}, 1},
		{"shallow", []edge{{orb.Point{-120.3, 40.1}, orb.Point{-80.7, 40.100000123}}}, 0},
		{"vertical", []edge{{orb.Point{-100.25, 30}, orb.Point{-100.25, 45}}}, 0},
		{"negative to positive", []edge{{orb.Point{-0.3, -0.2}, orb.Point{0.7, 0.1}}}, 1},
		{"tiny edge", []edge{{orb.Point{12.5, 41.9}, orb.Point{12.5 + 3e-9, 41.9 + 7e-9}}}, 0},
		{"huge coordinates (big.Rat path)", []edge{{orb.Point{-3e150, -1e140}, orb.Point{7e149, 2.5e150}}}, 1},
		{"tiny coordinates (big.Rat path)", []edge{{orb.Point{-3e-300, -1e-310}, orb.Point{7e-301, 2.5e-300}}}, 0},
	}
	const seed = 31
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < 200; i++ {
		a := orb.Point{-124 + 57*rng.Float64(), 25 + 24*rng.Float64()}
		b := orb.Point{a[0] + (rng.Float64()-0.5)*2, a[1] + (rng.Float64()-0.5)*2}
		cases[0].edges = append(cases[0].edges, edge{a, b})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wrong, n := 0, 0
			check := func(e edge, pt orb.Point) {
				n++
				if checkWest(t, e.a, e.b, pt) {
					wrong++
				}
			}
			for _, e := range c.edges {
				for k := 0; k < 50; k++ {
					f := rng.Float64()
					on := lerp(e.a, e.b, f)
					check(e, on)
					for _, d := range []int{-2, -1, 1, 2} {
						check(e, orb.Point{ulps(on[0], d), on[1]})
						check(e, orb.Point{on[0], ulps(on[1], d)})
					}
					// 1e-15 degrees west and east of the point computed
					// on the segment (a relative offset for other scales).
					off := 1e-15 * math.Max(math.Abs(on[0]), 1e-300)
					check(e, orb.Point{on[0] - off, on[1]})
					check(e, orb.Point{on[0] + off, on[1]})
				}
				check(e, e.a)
				check(e, e.b)
			}
			t.Logf("%d points, the division-based test is wrong on %d", n, wrong)
			if wrong < c.minDivisionWrong {
				t.Errorf("the division-based test is wrong on %d points, want at least %d: the points are not close enough to the edges", wrong, c.minDivisionWrong)
			}
		})
	}
}

func TestWestOfExactPoints(t *testing.T) {
	// Points exactly on a segment: the determinant is zero, the point is
	// not strictly west, whatever the scale.
	cases := []struct {
		name   string
		lo, hi orb.Point
		pt     orb.Point
		want   bool
	}{
		{"midpoint of a 1:2 slope", orb.Point{0, 0}, orb.Point{1, 2}, orb.Point{0.5, 1}, false},
		{"quarter point", orb.Point{-100, 30}, orb.Point{-96, 34}, orb.Point{-99, 31}, false},
		{"one ulp west of a quarter point", orb.Point{-100, 30}, orb.Point{-96, 34}, orb.Point{ulps(-99, -1), 31}, true},
		{"lower vertex", orb.Point{-100, 30}, orb.Point{-96, 34}, orb.Point{-100, 30}, false},
		{"west of the lower vertex", orb.Point{-100, 30}, orb.Point{-96, 34}, orb.Point{ulps(-100, -1), 30}, true},
		{"huge, on the line", orb.Point{0, 0}, orb.Point{0x1p600, 0x1p601}, orb.Point{0x1p599, 0x1p600}, false},
		{"huge, west", orb.Point{0, 0}, orb.Point{0x1p600, 0x1p601}, orb.Point{ulps(0x1p599, -1), 0x1p600}, true},
		{"tiny, on the line", orb.Point{0, 0}, orb.Point{0x1p-600, 0x1p-599}, orb.Point{0x1p-601, 0x1p-600}, false},
		{"tiny, west", orb.Point{0, 0}, orb.Point{0x1p-600, 0x1p-599}, orb.Point{ulps(0x1p-601, -1), 0x1p-600}, true},
		{"subnormal, west", orb.Point{0, 0}, orb.Point{4e-323, 8e-323}, orb.Point{1e-323, 3e-323}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := westOf(c.lo, c.hi, c.pt[0], c.pt[1]); got != c.want {
				t.Errorf("westOf(%v, %v, %v) = %v, want %v", c.lo, c.hi, c.pt, got, c.want)
			}
			if ref := ratWest(c.lo, c.hi, c.pt); ref != c.want {
				t.Errorf("reference says %v, want %v", ref, c.want)
			}
		})
	}
}

func TestWestOfNotFinite(t *testing.T) {
	// No exact answer exists; the test must not panic and must answer the
	// same every time.
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name      string
		lo, hi    orb.Point
		x, y      float64
		wantWest  bool
		checkWant bool
	}{
		{"NaN point", orb.Point{0, 0}, orb.Point{1, 1}, nan, 0.5, false, true},
		{"NaN vertex", orb.Point{nan, 0}, orb.Point{1, 1}, 0.5, 0.5, false, true},
		{"infinite vertex", orb.Point{-inf, 0}, orb.Point{1, 1}, 0.5, 0.5, false, false},
		{"infinitely far west", orb.Point{0, 0}, orb.Point{1, 1}, -inf, 0.5, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := westOf(c.lo, c.hi, c.x, c.y)
			if again := westOf(c.lo, c.hi, c.x, c.y); again != got {
				t.Errorf("westOf answered %v, then %v", got, again)
			}
			if c.checkWant && got != c.wantWest {
				t.Errorf("westOf = %v, want %v", got, c.wantWest)
			}
		})
	}
	if Contains(orb.MultiPolygon{square(0, 0, 1, 1)}, orb.Point{nan, 0.5}) {
		t.Error("a NaN point is inside the unit square")
	}
}

func TestExpansionSign(t *testing.T) {
	cases := []struct {
		name  string
		terms [12]float64
		want  int
	}{
		{"empty", [12]float64{}, 0},
		{"one", [12]float64{3}, 1},
		{"cancel exactly", [12]float64{0x1p60, 1, -0x1p60, -1}, 0},
		{"tiny survives huge cancellation", [12]float64{0x1p400, 0x1p-400, -0x1p400}, 1},
		{"tiny negative survives", [12]float64{1, 0x1p300, -0x1p-300, -1, -0x1p300}, -1},
		{"rounding would lose it", [12]float64{1, 0x1p-60, 0x1p-60, -1, -0x1p-59, 0x1p-200}, 1},
		{"all twelve", [12]float64{1, 2, 3, 4, 5, 6, -6, -5, -4, -3, -2, -1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			terms := c.terms
			if got := expansionSign(&terms); got != c.want {
				t.Errorf("expansionSign(%v) = %d, want %d", c.terms, got, c.want)
			}
		})
	}
}

// tiling returns the cells of a cols × rows grid over b whose inner corners
// are jittered and whose borders carry k bent intermediate vertices, each
// border stored once and used by both neighbours with identical
// coordinates, so that the cells tile b without gap or overlap. Rings are
// counter-clockwise, or clockwise for cells with odd index.
func tiling(rng *rand.Rand, b orb.Bound, cols, rows, k int) []orb.Polygon {
	cw, ch := (b.Max[0]-b.Min[0])/float64(cols), (b.Max[1]-b.Min[1])/float64(rows)
	corner := make([][]orb.Point, cols+1)
	for i := range corner {
		corner[i] = make([]orb.Point, rows+1)
		for j := range corner[i] {
			p := orb.Point{b.Min[0] + float64(i)*cw, b.Min[1] + float64(j)*ch}
			if i > 0 && i < cols && j > 0 && j < rows {
				p[0] += (rng.Float64() - 0.5) * 0.3 * cw
				p[1] += (rng.Float64() - 0.5) * 0.3 * ch
			}
			corner[i][j] = p
		}
	}
	border := func(a, c orb.Point, bend bool) []orb.Point {
		line := []orb.Point{a}
		for s := 1; s <= k; s++ {
			f := float64(s) / float64(k+1)
			off := 0.0
			if bend {
				off = (rng.Float64() - 0.5) * 0.1 * math.Sin(f*math.Pi)
			}
			line = append(line, orb.Point{a[0] + f*(c[0]-a[0]) - off*(c[1]-a[1]), a[1] + f*(c[1]-a[1]) + off*(c[0]-a[0])})
		}
		return append(line, c)
	}
	hor := make([][][]orb.Point, cols) // hor[i][j]: eastward along row line j
	for i := range hor {
		hor[i] = make([][]orb.Point, rows+1)
		for j := range hor[i] {
			hor[i][j] = border(corner[i][j], corner[i+1][j], j > 0 && j < rows)
		}
	}
	ver := make([][][]orb.Point, cols+1) // ver[i][j]: northward along column line i
	for i := range ver {
		ver[i] = make([][]orb.Point, rows)
		for j := range ver[i] {
			ver[i][j] = border(corner[i][j], corner[i][j+1], i > 0 && i < cols)
		}
	}
	backwards := func(l []orb.Point) []orb.Point {
		out := make([]orb.Point, len(l))
		for i := range l {
			out[i] = l[len(l)-1-i]
		}
		return out
	}
	var cells []orb.Polygon
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			var r orb.Ring
			r = append(r, hor[i][j]...)
			r = append(r, ver[i+1][j][1:]...)
			r = append(r, backwards(hor[i][j+1])[1:]...)
			r = append(r, backwards(ver[i][j])[1:]...)
			if len(cells)%2 == 1 {
				r.Reverse()
			}
			cells = append(cells, orb.Polygon{r})
		}
	}
	return cells
}

func TestTilingBordersExactlyOne(t *testing.T) {
	const seed = 20240612
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	area := orb.Bound{Min: orb.Point{-124, 25}, Max: orb.Point{-67, 49}}
	cells := tiling(rng, area, 8, 5, 6)
	strictlyInside := func(pt orb.Point) bool {
		return pt[0] > area.Min[0] && pt[0] < area.Max[0] && pt[1] > area.Min[1] && pt[1] < area.Max[1]
	}
	wrong := 0
	check := func(what string, pt orb.Point) {
		t.Helper()
		var in []int
		for i, c := range cells {
			got := Contains(orb.MultiPolygon{c}, pt)
			if !c.Bound().Contains(pt) {
				if got {
					t.Fatalf("%s %v: Contains(cell %d) is true outside the cell's bounds", what, pt, i)
				}
				continue
			}
			if want := ratPolygonContains(c, pt); got != want {
				t.Fatalf("%s %v: Contains(cell %d) = %v, exact arithmetic says %v", what, pt, i, got, want)
			}
			if got {
				in = append(in, i)
			}
		}
		if strictlyInside(pt) && len(in) != 1 || len(in) > 1 {
			t.Fatalf("%s %v is inside cells %v, want exactly one", what, pt, in)
		}
	}
	n := 0
	for _, c := range cells {
		r := c[0]
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			check("vertex", a)
			for s := 0; s < 6; s++ {
				on := lerp(a, b, rng.Float64())
				check("on segment", on)
				check("1 ulp east", orb.Point{ulps(on[0], 1), on[1]})
				check("1 ulp north", orb.Point{on[0], ulps(on[1], 1)})
				check("1e-15 west", orb.Point{on[0] - 1e-15*math.Abs(on[0]), on[1]})
				check("1e-15 east", orb.Point{on[0] + 1e-15*math.Abs(on[0]), on[1]})
				lo, hi := a, b
				if lo[1] > hi[1] {
					lo, hi = hi, lo
				}
				if lo[1] <= on[1] && on[1] < hi[1] && divisionWest(lo, hi, on) != ratWest(lo, hi, on) {
					wrong++
				}
				n++
			}
		}
	}
	if wrong == 0 {
		t.Errorf("the division-based test is right on all %d points on segments: they do not test exactness", n)
	}
	t.Logf("%d cells, %d points on segments; the division-based test picks the wrong side for %d", len(cells), n, wrong)
}

// FuzzWestOf checks the crossing test on a triangle against exact rational
// arithmetic, for points within a few units in the last place of a point
// computed on the edge a–b.
func FuzzWestOf(f *testing.F) {
	f.Add(-100.0, 30.0, -96.0, 34.0, -98.0, 40.0, 0.3, int8(0), int8(0))
	f.Add(-97.123456789, 31.5, -97.1234567, 38.987654321, -90.0, 35.0, 0.61, int8(-1), int8(1))
	f.Add(-120.3, 40.1, -80.7, 40.100000123, -100.0, 20.0, 0.5, int8(2), int8(0))
	f.Add(0.0, 0.0, 0x1p600, 0x1p601, -1.0, 0x1p601, 0.25, int8(1), int8(-3))
	f.Add(-3e-300, -1e-310, 7e-301, 2.5e-300, 1e-300, 0.0, 0.7, int8(0), int8(1))
	f.Fuzz(func(t *testing.T, ax, ay, bx, by, cx, cy, frac float64, kx, ky int8) {
		for _, v := range []float64{ax, ay, bx, by, cx, cy, frac} {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e300 {
				t.Skip()
			}
		}
		a, b, c := orb.Point{ax, ay}, orb.Point{bx, by}, orb.Point{cx, cy}
		on := lerp(a, b, math.Mod(math.Abs(frac), 1))
		pt := orb.Point{ulps(on[0], int(kx)%8), ulps(on[1], int(ky)%8)}
		if math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) || math.IsNaN(pt[0]) || math.IsNaN(pt[1]) {
			t.Skip()
		}
		checkWest(t, a, b, pt)
		r := orb.Ring{a, b, c, a}
		if got, want := ringCrossings(r, pt), ratCrossings(r, pt); got != want {
			t.Fatalf("ringCrossings(%v, %v) = %d, exact arithmetic says %d", r, pt, got, want)
		}
	})
}

// nearEdgePoints returns points of polygon ring r computed on its edges,
// so within rounding distance of them.
func nearEdgePoints(rng *rand.Rand, r orb.Ring, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		k := 1 + rng.IntN(len(r)-1)
		pts[i] = lerp(r[k-1], r[k], rng.Float64())
	}
	return pts
}

func BenchmarkContainsNearEdge(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var r orb.Ring
	for i := 0; i < 40; i++ {
		a := 2 * math.Pi * float64(i) / 40
		d := 0.8 + 0.2*rng.Float64()
		r = append(r, orb.Point{d * math.Cos(a), d * math.Sin(a)})
	}
	r = append(r, r[0])
	mp := orb.MultiPolygon{{r}}
	pts := nearEdgePoints(rng, r, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Contains(mp, pts[i%len(pts)])
	}
}

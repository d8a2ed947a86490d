package geo

import (
	"math"
	"math/big"

	"github.com/paulmach/orb"
)

// westOf reports whether the point (x, y) lies strictly west of the edge
// from lo to hi at latitude y, that is strictly left of the directed line
// from lo to hi, given lo[1] <= y < hi[1]. The answer is exact for finite
// coordinates: the orientation determinant
//
//	(hi.x − lo.x)·(y − lo.y) − (hi.y − lo.y)·(x − lo.x)
//
// is evaluated in floating point with an error bound (after Shewchuk,
// "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric
// Predicates", 1997), and only when the bound cannot decide its sign is it
// evaluated exactly (westOfExact). The result depends on the edge, not on
// the direction it is stored in, so two polygons sharing an edge always
// agree on which side of it a point lies.
func westOf(lo, hi orb.Point, x, y float64) bool {
	l := (hi[0] - lo[0]) * (y - lo[1])
	r := (hi[1] - lo[1]) * (x - lo[0])
	det := l - r
	// The rounding error of det is below 3ε·(|l| + |r|) with ε = 2⁻⁵³, as
	// long as the products are normal numbers; the bound uses 4ε, and
	// leaves sums small enough for subnormal products to the exact path.
	// NaN and infinite values fail the tests and go there too.
	if sum := math.Abs(l) + math.Abs(r); sum >= 0x1p-960 && math.Abs(det) > 0x1p-51*sum {
		return det > 0
	}
	return westOfExact(lo, hi, x, y)
}

// westOfExact is westOf in exact arithmetic. The determinant expands into
// six products of input coordinates,
//
//	hi.x·y − hi.x·lo.y − lo.x·y − hi.y·x + hi.y·lo.x + lo.y·x,
//
// each split exactly into two floats with a fused multiply-add, and summed
// exactly as a floating-point expansion; its sign is that of the largest
// component. Coordinates too large or too small for the split to be exact
// are computed with math/big instead. Coordinates that are not finite
// numbers have no exact answer; the crossing longitude is then computed by
// division, which still gives the same answer every time.
func westOfExact(lo, hi orb.Point, x, y float64) bool {
	if y == lo[1] {
		// The determinant is −(hi.y − lo.y)·(x − lo.x) with hi.y > lo.y, and
		// a floating-point difference has the sign of the exact one. This
		// settles points on a vertex without more arithmetic.
		return x < lo[0]
	}
	v := [6]float64{hi[0], hi[1], lo[0], lo[1], x, y}
	split := true
	for _, c := range v {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return x < lo[0]+(y-lo[1])*(hi[0]-lo[0])/(hi[1]-lo[1])
		}
		if a := math.Abs(c); a != 0 && (a < 0x1p-460 || a > 0x1p460) {
			split = false
		}
	}
	if !split {
		return orientRat(lo, hi, x, y) > 0
	}
	var terms [12]float64
	twoProduct(terms[0:2], hi[0], y)
	twoProduct(terms[2:4], -hi[0], lo[1])
	twoProduct(terms[4:6], -lo[0], y)
	twoProduct(terms[6:8], -hi[1], x)
	twoProduct(terms[8:10], hi[1], lo[0])
	twoProduct(terms[10:12], lo[1], x)
	return expansionSign(&terms) > 0
}

// twoProduct sets out[0] + out[1] to exactly a·b. It is exact when the
// product neither overflows nor falls below about 2⁻⁹⁷⁰ (then the error term
// would be subnormal).
func twoProduct(out []float64, a, b float64) {
	p := a * b
	out[0], out[1] = p, math.FMA(a, b, -p)
}

// expansionSign returns the sign (−1, 0 or 1) of the exact sum of terms. It
// grows a nonoverlapping expansion one term at a time (Shewchuk's
// Grow-Expansion with zero elimination), whose components increase in
// magnitude, so that the last one carries the sign of the sum.
func expansionSign(terms *[12]float64) int {
	var e [12]float64
	m := 0
	for _, b := range terms {
		q := b
		k := 0
		for i := 0; i < m; i++ {
			s := q + e[i]
			bv := s - q
			err := (q - (s - bv)) + (e[i] - bv)
			if err != 0 {
				e[k] = err
				k++
			}
			q = s
		}
		if q != 0 {
			e[k] = q
			k++
		}
		m = k
	}
	switch {
	case m == 0:
		return 0
	case e[m-1] > 0:
		return 1
	default:
		return -1
	}
}

// orientRat returns the sign of (hi.x − lo.x)·(y − lo.y) − (hi.y − lo.y)·(x − lo.x)
// computed with rational numbers; all coordinates must be finite.
func orientRat(lo, hi orb.Point, x, y float64) int {
	r := func(f float64) *big.Rat { return new(big.Rat).SetFloat64(f) }
	lx, ly := r(lo[0]), r(lo[1])
	dx := new(big.Rat).Sub(r(hi[0]), lx)
	dy := new(big.Rat).Sub(r(hi[1]), ly)
	px := new(big.Rat).Sub(r(x), lx)
	py := new(big.Rat).Sub(r(y), ly)
	return new(big.Rat).Sub(dx.Mul(dx, py), dy.Mul(dy, px)).Sign()
}

package main

import (
	"math"
	"math/big"
	"math/rand/v2"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// usBound is the area the territories tile: the contiguous United States.
var usBound = orb.Bound{Min: orb.Point{-124, 25}, Max: orb.Point{-67, 49}}

// genConfig describes the generated data. The output depends only on it.
type genConfig struct {
	Seed        uint64
	Territories int // number of territories (cols × rows of the grid)
	Accounts    int
	// ArcPoints is the number of vertices between two grid corners on each
	// edge; a territory has 4 × (ArcPoints + 1) distinct vertices.
	ArcPoints int
	// Edge is the fraction of accounts placed on or next to a border between
	// territories: a third on a vertex, a third on a segment, a third
	// nearEdge degrees to one side of a segment.
	Edge float64
}

// nearEdge is how far (in degrees, about 1 cm) the "near" edge accounts sit
// from a border.
const nearEdge = 1e-7

// accountKind says how an account was placed.
type accountKind uint8

const (
	kindCluster accountKind = iota // around a place
	kindUniform                    // anywhere in the bound
	kindVertex                     // exactly on a border vertex
	kindSegment                    // interpolated on a border segment
	kindNear                       // nearEdge beside a border segment
	numKinds
)

var kindNames = [numKinds]string{"cluster", "uniform", "vertex", "segment", "near"}

// world is the generated data: territories tiling usBound without gaps
// and accounts.
type world struct {
	cols, rows int
	// polys[t] is territory t: one closed ring, counter-clockwise, whose
	// shared edges hold bit-identical coordinates on both sides.
	polys []orb.Polygon
	// inner holds the borders between two territories.
	inner    []border
	accounts []orb.Point
	kinds    []accountKind
	// exact[a] is, for an account placed on or beside a border segment, the
	// territory on whose side of the segment it lies in exact arithmetic;
	// NoIndex when it lies exactly on the segment, and for other accounts.
	exact []int32
}

// border is a border between two territories: left lies to the left of the
// line as it runs, right to the right.
type border struct {
	line        orb.LineString
	left, right int32
}

// gridShape returns the cols × rows factorisation of n whose cells are
// closest to square over b.
func gridShape(n int, b orb.Bound) (cols, rows int) {
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	best := math.Inf(1)
	for c := 1; c <= n; c++ {
		if n%c != 0 {
			continue
		}
		r := n / c
		if d := math.Abs(math.Log((w / float64(c)) / (h / float64(r)))); d < best {
			best, cols, rows = d, c, r
		}
	}
	return cols, rows
}

// generate builds the world described by c.
func generate(c genConfig) *world {
	rng := rand.New(rand.NewPCG(c.Seed, 0x706f737467697321))
	w := &world{}
	w.cols, w.rows = gridShape(c.Territories, usBound)
	w.territories(c, rng)
	w.genAccounts(c, rng)
	return w
}

func (w *world) territories(c genConfig, rng *rand.Rand) {
	b := usBound
	cw := (b.Max[0] - b.Min[0]) / float64(w.cols)
	ch := (b.Max[1] - b.Min[1]) / float64(w.rows)
	// Grid corners; interior ones jittered by up to ±15 % of a cell.
	vx := make([][]orb.Point, w.cols+1)
	for i := range vx {
		vx[i] = make([]orb.Point, w.rows+1)
		for j := range vx[i] {
			pt := orb.Point{b.Min[0] + float64(i)*cw, b.Min[1] + float64(j)*ch}
			if i == w.cols {
				pt[0] = b.Max[0]
			}
			if j == w.rows {
				pt[1] = b.Max[1]
			}
			if i > 0 && i < w.cols && j > 0 && j < w.rows {
				pt[0] += (rng.Float64() - 0.5) * 0.3 * cw
				pt[1] += (rng.Float64() - 0.5) * 0.3 * ch
			}
			vx[i][j] = pt
		}
	}
	// arc draws a border from a to b: straight on the outline, otherwise a
	// few random harmonics that vanish at both ends plus a little noise, at
	// most about 9 % of the edge's length to either side. The bounds keep
	// every ring simple (see TestTerritoriesTile).
	arc := func(a, b orb.Point, wiggle bool) orb.LineString {
		ls := make(orb.LineString, 0, c.ArcPoints+2)
		ls = append(ls, a)
		dx, dy := b[0]-a[0], b[1]-a[1]
		var amp [3]float64
		for m := range amp {
			amp[m] = (rng.Float64()*2 - 1) * 0.04 / float64(m+1)
		}
		for k := 1; k <= c.ArcPoints; k++ {
			f := float64(k) / float64(c.ArcPoints+1)
			off := 0.0
			if wiggle {
				for m, a := range amp {
					off += a * math.Sin(float64(m+1)*math.Pi*f)
				}
				off += (rng.Float64() - 0.5) * 0.02 * math.Sin(math.Pi*f)
			}
			ls = append(ls, orb.Point{a[0] + f*dx - off*dy, a[1] + f*dy + off*dx})
		}
		return append(ls, b)
	}
	// h[i][j]: eastward border along grid line j; v[i][j]: northward along line i.
	h := make([][]orb.LineString, w.cols)
	for i := range h {
		h[i] = make([]orb.LineString, w.rows+1)
		for j := range h[i] {
			inner := j > 0 && j < w.rows
			h[i][j] = arc(vx[i][j], vx[i+1][j], inner)
			if inner {
				// Eastward: the cell north of the line is on its left.
				w.inner = append(w.inner, border{h[i][j], int32(j*w.cols + i), int32((j-1)*w.cols + i)})
			}
		}
	}
	v := make([][]orb.LineString, w.cols+1)
	for i := range v {
		v[i] = make([]orb.LineString, w.rows)
		for j := range v[i] {
			inner := i > 0 && i < w.cols
			v[i][j] = arc(vx[i][j], vx[i][j+1], inner)
			if inner {
				// Northward: the cell west of the line is on its left.
				w.inner = append(w.inner, border{v[i][j], int32(j*w.cols + i - 1), int32(j*w.cols + i)})
			}
		}
	}
	w.polys = make([]orb.Polygon, w.cols*w.rows)
	for j := 0; j < w.rows; j++ {
		for i := 0; i < w.cols; i++ {
			r := make(orb.Ring, 0, 4*(c.ArcPoints+1)+1)
			r = append(r, h[i][j]...)
			r = append(r, v[i+1][j][1:]...)
			r = appendReversed(r, h[i][j+1][:len(h[i][j+1])-1])
			r = appendReversed(r, v[i][j][:len(v[i][j])-1])
			w.polys[j*w.cols+i] = orb.Polygon{r}
		}
	}
}

// side returns the territory on whose side of segment ab of the border pt
// lies, computed in exact rational arithmetic, or NoIndex when pt is exactly
// on the line through a and b.
func (bd border) side(a, b, pt orb.Point) int32 {
	switch orientation(a, b, pt) {
	case 1:
		return bd.left
	case -1:
		return bd.right
	}
	return engine.NoIndex
}

// orientation returns the sign of the cross product (b−a)×(p−a) computed
// exactly: 1 when p is left of the line from a to b, −1 when right, 0 on it.
func orientation(a, b, p orb.Point) int {
	r := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(r(x), r(y)) }
	l := new(big.Rat).Mul(sub(b[0], a[0]), sub(p[1], a[1]))
	rr := new(big.Rat).Mul(sub(b[1], a[1]), sub(p[0], a[0]))
	return l.Cmp(rr)
}

// appendReversed appends ls in reverse order to r.
func appendReversed(r orb.Ring, ls orb.LineString) orb.Ring {
	for k := len(ls) - 1; k >= 0; k-- {
		r = append(r, ls[k])
	}
	return r
}

// genAccounts places the accounts: c.Edge of them on or beside borders,
// 15 % of the rest anywhere in the bound and the others in clusters around
// 300 places of heavy-tailed weight (some fall outside the bound and
// belong to no territory).
func (w *world) genAccounts(c genConfig, rng *rand.Rand) {
	b := usBound
	type place struct {
		at    orb.Point
		sigma float64
	}
	places := make([]place, 300)
	cum := make([]float64, len(places))
	total := 0.0
	for i := range places {
		wt := rng.ExpFloat64()
		wt *= math.Sqrt(wt)
		places[i] = place{
			at:    orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])},
			sigma: 0.03 + 0.4*rng.Float64()*rng.Float64(),
		}
		total += wt
		cum[i] = total
	}
	w.accounts = make([]orb.Point, c.Accounts)
	w.kinds = make([]accountKind, c.Accounts)
	w.exact = make([]int32, c.Accounts)
	for k := range w.accounts {
		x := rng.Float64()
		var pt orb.Point
		var kind accountKind
		w.exact[k] = engine.NoIndex
		switch {
		case x < c.Edge && len(w.inner) > 0:
			bd := w.inner[rng.IntN(len(w.inner))]
			ls := bd.line
			s := rng.IntN(len(ls) - 1)
			a, e := ls[s], ls[s+1]
			switch third := int(x / c.Edge * 3); third {
			case 0:
				pt, kind = a, kindVertex
			case 1:
				f := rng.Float64()
				pt, kind = orb.Point{a[0] + f*(e[0]-a[0]), a[1] + f*(e[1]-a[1])}, kindSegment
				w.exact[k] = bd.side(a, e, pt)
			default:
				f := rng.Float64()
				dx, dy := e[0]-a[0], e[1]-a[1]
				n := math.Hypot(dx, dy)
				side := nearEdge
				if rng.IntN(2) == 0 {
					side = -side
				}
				pt = orb.Point{a[0] + f*dx - side*dy/n, a[1] + f*dy + side*dx/n}
				kind = kindNear
				w.exact[k] = bd.side(a, e, pt)
			}
		case x < c.Edge+(1-c.Edge)*0.15:
			pt = orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
			kind = kindUniform
		default:
			u := rng.Float64() * total
			lo, hi := 0, len(cum)-1
			for lo < hi {
				m := (lo + hi) / 2
				if cum[m] < u {
					lo = m + 1
				} else {
					hi = m
				}
			}
			pl := places[lo]
			pt = orb.Point{pl.at[0] + rng.NormFloat64()*pl.sigma, pl.at[1] + rng.NormFloat64()*pl.sigma*0.8}
			kind = kindCluster
		}
		w.accounts[k], w.kinds[k] = pt, kind
	}
}

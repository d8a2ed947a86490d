package synth

import (
	"math/rand/v2"
	"strconv"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// Tiles gives the first nx×ny territories of s free-drawn areas that tile
// bound without gaps: a grid of cells whose shared borders have perSide
// vertices per side, jittered but bit-identical on both sides.
func Tiles(s *engine.Scenario, bound orb.Bound, nx, ny, perSide int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x711e))
	n := perSide
	// Lattice of (nx*n+1) × (ny*n+1) points; interior points jittered.
	w, h := nx*n+1, ny*n+1
	cw := (bound.Max[0] - bound.Min[0]) / float64(nx*n)
	ch := (bound.Max[1] - bound.Min[1]) / float64(ny*n)
	pts := make([]orb.Point, w*h)
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			p := orb.Point{bound.Min[0] + float64(i)*cw, bound.Min[1] + float64(j)*ch}
			if i > 0 && j > 0 && i < w-1 && j < h-1 {
				p[0] += (rng.Float64() - 0.5) * 0.3 * cw
				p[1] += (rng.Float64() - 0.5) * 0.3 * ch
			}
			pts[j*w+i] = p
		}
	}
	at := func(i, j int) orb.Point { return pts[j*w+i] }
	k := 0
	for ty := 0; ty < ny; ty++ {
		for tx := 0; tx < nx; tx++ {
			for k < len(s.Territories) && s.Territories[k].Kind != engine.KindTerritory {
				k++
			}
			if k >= len(s.Territories) {
				return
			}
			x0, y0 := tx*n, ty*n
			var r orb.Ring
			for i := 0; i < n; i++ {
				r = append(r, at(x0+i, y0))
			}
			for j := 0; j < n; j++ {
				r = append(r, at(x0+n, y0+j))
			}
			for i := n; i > 0; i-- {
				r = append(r, at(x0+i, y0+n))
			}
			for j := n; j > 0; j-- {
				r = append(r, at(x0, y0+j))
			}
			s.Territories[k].Polygon = orb.Polygon{append(r, r[0])}
			k++
		}
	}
}

// Reps adds one rep per territory of s (with 40 ± 8 hours a week) and
// assigns them, leaving every tenth territory vacant.
func Reps(p *engine.Plan, s *engine.Scenario, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x4e95))
	n := 0
	for i := range s.Territories {
		t := &s.Territories[i]
		if t.Kind != engine.KindTerritory {
			continue
		}
		n++
		if n%10 == 0 {
			continue
		}
		id := "R" + strconv.Itoa(n)
		p.Reps = append(p.Reps, engine.Rep{ID: id, Name: "Rep " + strconv.Itoa(n), CapacityHours: 32 + 16*rng.Float64(), Cost: 90000})
		t.RepID = id
	}
}

// Package synth builds deterministic synthetic plans for tests and
// benchmarks: a lattice of square-ish units with jittered shared borders
// (like counties), accounts clustered around places, and a scenario of
// contiguous territories under districts and regions.
package synth

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/geo"
)

// Config describes a synthetic plan. The zero value of a field takes the
// default given in its comment.
type Config struct {
	Seed uint64
	// Cols × Rows units (default 60 × 50 = 3,000).
	Cols, Rows int
	// Bound is the area the units cover (default the contiguous US).
	Bound orb.Bound
	// ArcPoints is the number of intermediate vertices on each shared border (default 8).
	ArcPoints int
	// Accounts is the number of accounts (may be 0).
	Accounts int
	// Territories is the number of territories (default 100); districts hold
	// up to 8 territories and regions up to 5 districts.
	Territories int
	// Unassigned is the fraction of units left out of every territory.
	Unassigned float64
	// Overrides is the number of accounts placed in a random territory by override.
	Overrides int
	// Polygons is the number of territories given a free-drawn polygon.
	Polygons int
	// HistoryMonths of revenue per account (default 14).
	HistoryMonths int
}

func (c *Config) defaults() {
	if c.Cols <= 0 {
		c.Cols = 60
	}
	if c.Rows <= 0 {
		c.Rows = 50
	}
	if c.Bound.IsZero() {
		c.Bound = orb.Bound{Min: orb.Point{-124, 25}, Max: orb.Point{-67, 49}}
	}
	if c.ArcPoints <= 0 {
		c.ArcPoints = 8
	}
	if c.Territories <= 0 {
		c.Territories = 100
	}
	if c.HistoryMonths <= 0 {
		c.HistoryMonths = 14
	}
}

// Plan builds the plan described by c, with one scenario "base". Account.Unit
// is left at NoIndex: callers locate accounts themselves.
func Plan(c Config) *engine.Plan {
	c.defaults()
	rng := rand.New(rand.NewPCG(c.Seed, 0x5eed))
	p := &engine.Plan{
		Name:          "synthetic",
		Currency:      "USD",
		HistoryStart:  engine.MonthOf(2024, 1),
		HistoryMonths: c.HistoryMonths,
	}
	units(p, c, rng)
	accounts(p, c, rng)
	p.Scenarios = []*engine.Scenario{scenario(p, c, rng)}
	return p
}

func units(p *engine.Plan, c Config, rng *rand.Rand) {
	cw := (c.Bound.Max[0] - c.Bound.Min[0]) / float64(c.Cols)
	ch := (c.Bound.Max[1] - c.Bound.Min[1]) / float64(c.Rows)
	// Lattice vertices; interior ones jittered.
	vx := make([][]orb.Point, c.Cols+1)
	for i := range vx {
		vx[i] = make([]orb.Point, c.Rows+1)
		for j := range vx[i] {
			pt := orb.Point{c.Bound.Min[0] + float64(i)*cw, c.Bound.Min[1] + float64(j)*ch}
			if i > 0 && i < c.Cols && j > 0 && j < c.Rows {
				pt[0] += (rng.Float64() - 0.5) * 0.4 * cw
				pt[1] += (rng.Float64() - 0.5) * 0.4 * ch
			}
			vx[i][j] = pt
		}
	}
	arc := func(a, b orb.Point, wiggle bool) orb.LineString {
		ls := make(orb.LineString, 0, c.ArcPoints+2)
		ls = append(ls, a)
		dx, dy := b[0]-a[0], b[1]-a[1]
		for k := 1; k <= c.ArcPoints; k++ {
			f := float64(k) / float64(c.ArcPoints+1)
			off := 0.0
			if wiggle {
				off = (rng.Float64() - 0.5) * 0.12 * math.Sin(f*math.Pi)
			}
			ls = append(ls, orb.Point{a[0] + f*dx - off*dy, a[1] + f*dy + off*dx})
		}
		return append(ls, b)
	}
	cell := func(i, j int) int32 {
		if i < 0 || j < 0 || i >= c.Cols || j >= c.Rows {
			return engine.NoIndex
		}
		return int32(j*c.Cols + i)
	}
	addBorder := func(ls orb.LineString, left, right int32) {
		if left == engine.NoIndex {
			ls = append(orb.LineString(nil), ls...)
			ls.Reverse()
			left, right = right, engine.NoIndex
		}
		p.Borders = append(p.Borders, engine.Border{Line: ls, Left: left, Right: right})
	}
	// h[i][j]: eastward arc along row line j; v[i][j]: northward arc along column line i.
	h := make([][]orb.LineString, c.Cols)
	for i := range h {
		h[i] = make([]orb.LineString, c.Rows+1)
		for j := range h[i] {
			h[i][j] = arc(vx[i][j], vx[i+1][j], j > 0 && j < c.Rows)
			addBorder(h[i][j], cell(i, j), cell(i, j-1))
		}
	}
	v := make([][]orb.LineString, c.Cols+1)
	for i := range v {
		v[i] = make([]orb.LineString, c.Rows)
		for j := range v[i] {
			v[i][j] = arc(vx[i][j], vx[i][j+1], i > 0 && i < c.Cols)
			addBorder(v[i][j], cell(i-1, j), cell(i, j))
		}
	}
	p.Units = make([]engine.Unit, c.Cols*c.Rows)
	for j := 0; j < c.Rows; j++ {
		for i := 0; i < c.Cols; i++ {
			var r orb.Ring
			r = append(r, h[i][j]...)
			r = append(r, v[i+1][j][1:]...)
			top := append(orb.LineString(nil), h[i][j+1]...)
			top.Reverse()
			r = append(r, top[1:]...)
			left := append(orb.LineString(nil), v[i][j]...)
			left.Reverse()
			r = append(r, left[1:]...)
			mp := orb.MultiPolygon{{r}}
			u := &p.Units[cell(i, j)]
			u.ID = "U" + strconv.Itoa(int(cell(i, j)))
			u.Name = "Unit " + strconv.Itoa(int(cell(i, j)))
			u.Level = "county"
			u.Parent = "S" + strconv.Itoa((j/8)*((c.Cols+7)/8)+i/8)
			u.Geom = mp
			u.Label, _ = geo.LabelPoint(mp)
			u.AreaKm2 = geo.AreaKm2(mp)
			for _, n := range [4]int32{cell(i, j-1), cell(i-1, j), cell(i+1, j), cell(i, j+1)} {
				if n != engine.NoIndex {
					u.Neighbors = append(u.Neighbors, n)
				}
			}
		}
	}
}

func accounts(p *engine.Plan, c Config, rng *rand.Rand) {
	if c.Accounts == 0 {
		return
	}
	type place struct {
		at     orb.Point
		sigma  float64
		weight float64
	}
	places := make([]place, 300)
	var total float64
	for i := range places {
		w := rng.ExpFloat64()
		w *= math.Sqrt(w)
		places[i] = place{
			at: orb.Point{
				c.Bound.Min[0] + rng.Float64()*(c.Bound.Max[0]-c.Bound.Min[0]),
				c.Bound.Min[1] + rng.Float64()*(c.Bound.Max[1]-c.Bound.Min[1]),
			},
			sigma:  0.03 + 0.4*rng.Float64()*rng.Float64(),
			weight: w,
		}
		total += w
	}
	cum := make([]float64, len(places))
	acc := 0.0
	for i, pl := range places {
		acc += pl.weight / total
		cum[i] = acc
	}
	hist := make([]float32, c.Accounts*c.HistoryMonths)
	p.Accounts = make([]engine.Account, c.Accounts)
	tiers := [...]string{"A", "B", "C"}
	for k := range p.Accounts {
		a := &p.Accounts[k]
		a.ID = "A" + strconv.Itoa(k)
		a.Name = "Account " + strconv.Itoa(k)
		a.Unit = engine.NoIndex
		if rng.Float64() < 0.15 {
			a.Loc = orb.Point{
				c.Bound.Min[0] + rng.Float64()*(c.Bound.Max[0]-c.Bound.Min[0]),
				c.Bound.Min[1] + rng.Float64()*(c.Bound.Max[1]-c.Bound.Min[1]),
			}
		} else {
			x := rng.Float64()
			lo, hi := 0, len(cum)-1
			for lo < hi {
				m := (lo + hi) / 2
				if cum[m] < x {
					lo = m + 1
				} else {
					hi = m
				}
			}
			pl := places[lo]
			a.Loc = orb.Point{pl.at[0] + rng.NormFloat64()*pl.sigma, pl.at[1] + rng.NormFloat64()*pl.sigma*0.8}
		}
		a.Potential = math.Round(math.Exp(9 + rng.NormFloat64()))
		a.LifetimeValue = math.Round(a.Potential * (1 + 3*rng.Float64()))
		switch {
		case a.Potential > 20000:
			a.Tier = tiers[0]
		case a.Potential > 5000:
			a.Tier = tiers[1]
		default:
			a.Tier = tiers[2]
		}
		h := hist[k*c.HistoryMonths : (k+1)*c.HistoryMonths : (k+1)*c.HistoryMonths]
		active := rng.Float64() < 0.6
		for m := range h {
			if active {
				h[m] = float32(math.Round(a.Potential / 24 * rng.Float64()))
			}
		}
		a.History = h
	}
}

func scenario(p *engine.Plan, c Config, rng *rand.Rand) *engine.Scenario {
	s := &engine.Scenario{
		ID:               "base",
		Name:             "Base",
		UnitTerritory:    map[string]string{},
		AccountTerritory: map[string]string{},
	}
	k := min(c.Territories, len(p.Units))
	nd := (k + 7) / 8
	nr := (nd + 4) / 5
	for r := 0; r < nr; r++ {
		s.Territories = append(s.Territories, engine.Territory{
			ID: "R" + strconv.Itoa(r), Name: "Region " + strconv.Itoa(r), Kind: engine.KindRegion,
		})
	}
	for d := 0; d < nd; d++ {
		s.Territories = append(s.Territories, engine.Territory{
			ID: "D" + strconv.Itoa(d), Name: "District " + strconv.Itoa(d), Kind: engine.KindDistrict,
			Parent: "R" + strconv.Itoa(d/5),
		})
	}
	first := len(s.Territories)
	for t := 0; t < k; t++ {
		s.Territories = append(s.Territories, engine.Territory{
			ID: "T" + strconv.Itoa(t), Name: "Territory " + strconv.Itoa(t), Kind: engine.KindTerritory,
			Parent: "D" + strconv.Itoa(t/8),
			Color:  "#" + strconv.FormatInt(int64(0x100000+rng.IntN(0xefffff)), 16),
		})
	}
	// Grow contiguous territories from random seeds, one unit per turn each.
	owner := make([]int32, len(p.Units))
	for i := range owner {
		owner[i] = engine.NoIndex
	}
	queues := make([][]int32, k)
	for t, u := range rng.Perm(len(p.Units))[:k] {
		owner[u] = int32(t)
		queues[t] = append(queues[t], int32(u))
	}
	for grown := true; grown; {
		grown = false
		for t := range queues {
			for len(queues[t]) > 0 {
				u := queues[t][0]
				took := false
				for _, n := range p.Units[u].Neighbors {
					if owner[n] == engine.NoIndex {
						owner[n] = int32(t)
						queues[t] = append(queues[t], n)
						took, grown = true, true
						break
					}
				}
				if took {
					break
				}
				queues[t] = queues[t][1:]
			}
		}
	}
	for u, t := range owner {
		if t != engine.NoIndex && rng.Float64() >= c.Unassigned {
			s.UnitTerritory[p.Units[u].ID] = s.Territories[first+int(t)].ID
		}
	}
	for i := 0; i < c.Overrides && len(p.Accounts) > 0; i++ {
		a := rng.IntN(len(p.Accounts))
		s.AccountTerritory[p.Accounts[a].ID] = s.Territories[first+rng.IntN(k)].ID
	}
	for i := 0; i < c.Polygons && len(p.Accounts) > 0; i++ {
		at := p.Accounts[rng.IntN(len(p.Accounts))].Loc
		r := 0.1 + 0.3*rng.Float64()
		var ring orb.Ring
		for a := 0; a < 12; a++ {
			ang := 2 * math.Pi * float64(a) / 12
			ring = append(ring, orb.Point{at[0] + r*math.Cos(ang), at[1] + 0.8*r*math.Sin(ang)})
		}
		s.Territories[first+rng.IntN(k)].Polygon = orb.Polygon{append(ring, ring[0])}
	}
	return s
}

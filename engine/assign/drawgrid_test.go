package assign_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
	"territoria/engine/internal/synth"
)

// firstDrawn is the reference for State.Drawn: the first territory in
// scenario order whose polygon's bounds hold pt and whose polygon contains it.
func firstDrawn(nodes []engine.Territory, pt orb.Point) int32 {
	for t := range nodes {
		poly := nodes[t].Polygon
		if len(poly) == 0 {
			continue
		}
		b := poly.Bound()
		if pt[0] < b.Min[0] || pt[0] > b.Max[0] || pt[1] < b.Min[1] || pt[1] > b.Max[1] {
			continue
		}
		if geo.PolygonContains(poly, pt) {
			return int32(t)
		}
	}
	return engine.NoIndex
}

// drawnTiling makes every territory of a synth plan with as many units as
// territories a free-drawn polygon: the outline of its single unit, so the
// drawn polygons tile the plan's area with shared borders. Unit assignments
// are dropped, so every account inside the area is placed by a polygon.
func drawnTiling(cfg synth.Config) *engine.Plan {
	cfg.Territories = cfg.Cols * cfg.Rows
	p := synth.Plan(cfg)
	s := p.Scenarios[0]
	unitIdx := map[string]int{}
	for u := range p.Units {
		unitIdx[p.Units[u].ID] = u
	}
	terrIdx := map[string]int{}
	for t := range s.Territories {
		terrIdx[s.Territories[t].ID] = t
	}
	for uid, tid := range s.UnitTerritory {
		s.Territories[terrIdx[tid]].Polygon = p.Units[unitIdx[uid]].Geom[0]
	}
	s.UnitTerritory = map[string]string{}
	return p
}

func TestComputeDrawnFirstWins(t *testing.T) {
	const seed = 11
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	p := drawnTiling(synth.Config{Seed: seed, Cols: 10, Rows: 8, ArcPoints: 6, Accounts: 4000})
	s := p.Scenarios[0]
	// Overlapping drawn areas: discs, a disc with a hole, a frame around
	// several territories; placed among the tiling ones in scenario order so
	// that precedence decides between them.
	disc := func(c orb.Point, r float64, n int) orb.Ring {
		var ring orb.Ring
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			ring = append(ring, orb.Point{c[0] + r*math.Cos(a), c[1] + 0.8*r*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	extra := []orb.Polygon{
		{disc(orb.Point{-100, 37}, 6, 24)},
		{disc(orb.Point{-90, 40}, 8, 30), disc(orb.Point{-90, 40}, 3, 12)},
		{disc(orb.Point{-110, 30}, 0.5, 5)},
		{{}},                       // an empty outer ring holds nothing
		{{{-80, 30}, {-80, 30.5}}}, // a degenerate ring holds nothing
	}
	for i, poly := range extra {
		s.Territories = append(s.Territories, engine.Territory{
			ID: "X" + strconv.Itoa(i), Name: "drawn " + strconv.Itoa(i), Kind: engine.KindTerritory,
		})
		// Move the new territory to a random position in scenario order.
		k := rng.IntN(len(s.Territories))
		last := len(s.Territories) - 1
		s.Territories[k], s.Territories[last] = s.Territories[last], s.Territories[k]
		s.Territories[k].Polygon = poly
	}
	// Accounts on the tiling's vertices and edge midpoints, outside the
	// area, and not finite.
	for u := range p.Units {
		r := p.Units[u].Geom[0][0]
		for i := 1; i < len(r); i++ {
			mid := orb.Point{(r[i-1][0] + r[i][0]) / 2, (r[i-1][1] + r[i][1]) / 2}
			p.Accounts = append(p.Accounts,
				engine.Account{ID: "V" + strconv.Itoa(len(p.Accounts)), Loc: r[i], Unit: engine.NoIndex},
				engine.Account{ID: "M" + strconv.Itoa(len(p.Accounts)), Loc: mid, Unit: engine.NoIndex})
		}
	}
	for _, pt := range []orb.Point{{-130, 37}, {-100, 60}, {math.NaN(), 37}, {math.Inf(1), 37}, {-100, math.Inf(-1)}} {
		p.Accounts = append(p.Accounts, engine.Account{ID: "O" + strconv.Itoa(len(p.Accounts)), Loc: pt, Unit: engine.NoIndex})
	}

	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[bool]int{}
	for a := range p.Accounts {
		want := firstDrawn(st.Nodes, p.Accounts[a].Loc)
		if got := st.Drawn(int32(a)); got != want {
			t.Fatalf("account %s at %v: drawn %d, want %d (first in scenario order)", p.Accounts[a].ID, p.Accounts[a].Loc, got, want)
		}
		if got := st.AccountTerr[a]; got != want {
			t.Fatalf("account %s at %v: territory %d, want %d", p.Accounts[a].ID, p.Accounts[a].Loc, got, want)
		}
		counts[want != engine.NoIndex]++
	}
	if counts[true] == 0 || counts[false] == 0 {
		t.Errorf("accounts in a drawn area %d, in none %d: the test needs both", counts[true], counts[false])
	}
}

func TestComputeDrawnNoPolygons(t *testing.T) {
	p := synth.Plan(synth.Config{Seed: 3, Cols: 4, Rows: 3, Accounts: 200, Territories: 5})
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	for a := range p.Accounts {
		if d := st.Drawn(int32(a)); d != engine.NoIndex {
			t.Fatalf("account %d drawn in %d without any polygon", a, d)
		}
	}
}

func TestComputeDrawnNonFiniteBound(t *testing.T) {
	// A polygon with a NaN vertex has a bound that no point is outside of;
	// the result must still match the reference scan.
	p := drawnTiling(synth.Config{Seed: 5, Cols: 3, Rows: 2, ArcPoints: 2, Accounts: 500})
	s := p.Scenarios[0]
	s.Territories = append([]engine.Territory{{
		ID: "nan", Name: "nan", Kind: engine.KindTerritory,
		Polygon: orb.Polygon{{{-120, 30}, {math.NaN(), 30}, {-100, 45}, {-120, 45}, {-120, 30}}},
	}}, s.Territories...)
	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	for a := range p.Accounts {
		if got, want := st.Drawn(int32(a)), firstDrawn(st.Nodes, p.Accounts[a].Loc); got != want {
			t.Fatalf("account %d at %v: drawn %d, want %d", a, p.Accounts[a].Loc, got, want)
		}
	}
}

var (
	drawnOnce sync.Once
	drawnPlan *engine.Plan
)

// BenchmarkComputeDrawn1M computes a scenario of 1,000 free-drawn
// territories (a 50 × 20 tiling with 14 vertices per border) over 1,000,000
// clustered accounts, as scripts/postgis-compare does.
func BenchmarkComputeDrawn1M(b *testing.B) {
	drawnOnce.Do(func() {
		drawnPlan = drawnTiling(synth.Config{Seed: 1, Cols: 50, Rows: 20, ArcPoints: 14, Accounts: 1_000_000})
	})
	p := drawnPlan
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := assign.Compute(p, p.Scenarios[0]); err != nil {
			b.Fatal(err)
		}
	}
}

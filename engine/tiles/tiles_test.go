package tiles_test

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
	"territoria/engine/tiles"
)

func setup(t testing.TB, accounts int) (*engine.Plan, []int32, *tiles.Index) {
	p := synth.Plan(synth.Config{Seed: 21, Cols: 20, Rows: 15, Accounts: accounts, Territories: 25, Unassigned: 0.1})
	assign.LocateAccounts(p)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	return p, st.AccountTerr, tiles.NewIndex(p)
}

func inTile(ll orb.Point, tile maptile.Tile) bool {
	b := tile.Bound()
	return ll[0] >= b.Min[0] && ll[0] < b.Max[0] && ll[1] > b.Min[1] && ll[1] <= b.Max[1]
}

func decode(t *testing.T, data []byte) *mvt.Layer {
	t.Helper()
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("decoding the tile: %v", err)
	}
	if len(layers) != 1 || layers[0].Name != tiles.LayerName {
		t.Fatalf("tile has layers %v, want one %q", layers, tiles.LayerName)
	}
	return layers[0]
}

func num(t *testing.T, f *geojson.Feature, key string) float64 {
	t.Helper()
	switch v := f.Properties[key].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	t.Fatalf("property %q = %#v (%T), want a number", key, f.Properties[key], f.Properties[key])
	return 0
}

func TestAccountTileMatchesBruteForce(t *testing.T) {
	p, terr, idx := setup(t, 20000)
	if idx.Len() != len(p.Accounts) {
		t.Fatalf("index holds %d of %d accounts", idx.Len(), len(p.Accounts))
	}
	// Tiles around a few accounts at every zoom, so both single-account and
	// aggregated tiles are covered.
	var cases []maptile.Tile
	for z := maptile.Zoom(0); z <= 14; z += 2 {
		for _, a := range []int{0, 777, 15000} {
			cases = append(cases, maptile.At(p.Accounts[a].Loc, z))
		}
	}
	cases = append(cases, maptile.New(0, 0, 5)) // empty (the Arctic)
	aggregated, singles := 0, 0
	for _, tile := range cases {
		t.Run(tileName(tile), func(t *testing.T) {
			data, err := tiles.AccountTile(idx, p, terr, uint32(tile.Z), tile.X, tile.Y)
			if err != nil {
				t.Fatal(err)
			}
			layer := decode(t, data)
			var want []int32
			var wantP float64
			for a := range p.Accounts {
				if inTile(p.Accounts[a].Loc, tile) {
					want = append(want, int32(a))
					wantP += p.Accounts[a].Potential
				}
			}
			if c := idx.Count(uint32(tile.Z), tile.X, tile.Y); c != len(want) {
				t.Errorf("Count = %d, brute force %d", c, len(want))
			}
			var n int
			var gotP float64
			for _, f := range layer.Features {
				n += int(num(t, f, "n"))
				gotP += num(t, f, "p")
			}
			if n != len(want) {
				t.Fatalf("features hold %d accounts, brute force %d", n, len(want))
			}
			if math.Abs(gotP-wantP) > 1e-6*math.Max(1, wantP) {
				t.Errorf("potential %v, brute force %v", gotP, wantP)
			}
			if len(want) > tiles.MaxPoints {
				aggregated++
				checkAggregates(t, p, terr, tile, layer, want)
			} else {
				singles++
				checkSingles(t, p, terr, tile, layer)
			}
		})
	}
	if aggregated == 0 || singles == 0 {
		t.Errorf("%d aggregated and %d single-account tiles tested; want both", aggregated, singles)
	}
}

func tileName(t maptile.Tile) string {
	return strings.Join([]string{itoa(uint32(t.Z)), itoa(t.X), itoa(t.Y)}, "/")
}

func itoa(v uint32) string {
	if v == 0 {
		return "0"
	}
	var b []byte
	for ; v > 0; v /= 10 {
		b = append([]byte{byte('0' + v%10)}, b...)
	}
	return string(b)
}

func checkSingles(t *testing.T, p *engine.Plan, terr []int32, tile maptile.Tile, layer *mvt.Layer) {
	t.Helper()
	byID := map[string]int{}
	for i := range p.Accounts {
		byID[p.Accounts[i].ID] = i
	}
	layer.ProjectToWGS84(tile)
	// One tile pixel in degrees of longitude, as a tolerance.
	px := 360 / math.Exp2(float64(tile.Z)) / tiles.Extent
	for _, f := range layer.Features {
		id, _ := f.Properties["id"].(string)
		a, ok := byID[id]
		if !ok {
			t.Fatalf("feature with unknown id %q", id)
		}
		acc := &p.Accounts[a]
		if num(t, f, "n") != 1 || int32(num(t, f, "t")) != terr[a] || f.Properties["name"] != acc.Name ||
			f.Properties["tier"] != acc.Tier || num(t, f, "p") != acc.Potential {
			t.Errorf("feature %v does not match account %+v (territory %d)", f.Properties, acc.ID, terr[a])
		}
		if fid, ok := f.ID.(float64); !ok || int(fid) != a {
			t.Errorf("feature id %#v, want %d", f.ID, a)
		}
		pt := f.Geometry.(orb.Point)
		if math.Abs(pt[0]-acc.Loc[0]) > 2*px {
			t.Errorf("account %s drawn at %v, is at %v", acc.ID, pt, acc.Loc)
		}
	}
}

type cell struct {
	n     int
	p     float64
	terrs map[int32]int
}

func checkAggregates(t *testing.T, p *engine.Plan, terr []int32, tile maptile.Tile, layer *mvt.Layer, want []int32) {
	t.Helper()
	const side = 1 << tiles.CellBits
	if len(layer.Features) > side*side {
		t.Fatalf("%d features in an aggregated tile, at most %d", len(layer.Features), side*side)
	}
	cells := map[[2]int]*cell{}
	for _, a := range want {
		f := maptile.Fraction(p.Accounts[a].Loc, tile.Z)
		k := [2]int{int((f[0] - float64(tile.X)) * side), int((f[1] - float64(tile.Y)) * side)}
		c := cells[k]
		if c == nil {
			c = &cell{terrs: map[int32]int{}}
			cells[k] = c
		}
		c.n++
		c.p += p.Accounts[a].Potential
		c.terrs[terr[a]]++
	}
	if len(cells) != len(layer.Features) {
		t.Fatalf("%d features for %d occupied cells", len(layer.Features), len(cells))
	}
	for _, f := range layer.Features {
		pt := f.Geometry.(orb.Point) // tile coordinates: still unprojected
		k := [2]int{int(pt[0]) * side / tiles.Extent, int(pt[1]) * side / tiles.Extent}
		c := cells[k]
		if c == nil {
			t.Fatalf("feature at %v lies in an empty cell", pt)
		}
		n := int(num(t, f, "n"))
		if n != c.n || math.Abs(num(t, f, "p")-c.p) > 1e-6*c.p {
			t.Errorf("cell %v: feature n=%d p=%v, brute force n=%d p=%v", k, n, num(t, f, "p"), c.n, c.p)
		}
		got := int32(num(t, f, "t"))
		for tt, cnt := range c.terrs {
			if cnt > c.terrs[got] || cnt == c.terrs[got] && tt < got {
				t.Errorf("cell %v: feature territory %d (%d accounts) but %d has %d", k, got, c.terrs[got], tt, cnt)
			}
		}
		if n == 1 {
			if _, ok := f.Properties["id"].(string); !ok {
				t.Errorf("single account in an aggregated tile has no id: %v", f.Properties)
			}
		} else if f.Properties["tier"] != "" || f.Properties["id"] != nil {
			t.Errorf("aggregate has account properties: %v", f.Properties)
		}
	}
}

func TestAccountTileEdgeCases(t *testing.T) {
	p, terr, idx := setup(t, 500)
	t.Run("empty tile is a valid tile", func(t *testing.T) {
		data, err := tiles.AccountTile(idx, p, terr, 4, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if l := decode(t, data); len(l.Features) != 0 {
			t.Errorf("%d features in an empty tile", len(l.Features))
		}
	})
	t.Run("no territories", func(t *testing.T) {
		data, err := tiles.AccountTile(idx, p, nil, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range decode(t, data).Features {
			if num(t, f, "t") != -1 {
				t.Fatalf("territory %v without territories", f.Properties["t"])
			}
		}
	})
	errs := []struct {
		name    string
		terr    []int32
		z, x, y uint32
		substr  string
	}{
		{"zoom too deep", terr, tiles.MaxZoom + 1, 0, 0, "zoom"},
		{"x out of range", terr, 2, 4, 0, "does not exist"},
		{"y out of range", terr, 0, 0, 1, "does not exist"},
		{"territories of another plan", terr[:10], 0, 0, 0, "territories"},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			_, err := tiles.AccountTile(idx, p, c.terr, c.z, c.x, c.y)
			if err == nil || !strings.Contains(err.Error(), c.substr) {
				t.Errorf("error %v, want one mentioning %q", err, c.substr)
			}
		})
	}
	t.Run("stale index", func(t *testing.T) {
		q := *p
		q.Accounts = q.Accounts[:100]
		if _, err := tiles.AccountTile(idx, &q, nil, 0, 0, 0); err == nil {
			t.Error("no error for an index of another plan")
		}
	})
	t.Run("accounts without a location are left out", func(t *testing.T) {
		q := *p
		q.Accounts = append([]engine.Account(nil), p.Accounts...)
		q.Accounts[3].Loc = orb.Point{math.NaN(), 10}
		if n := tiles.NewIndex(&q).Count(0, 0, 0); n != len(q.Accounts)-1 {
			t.Errorf("world tile counts %d of %d accounts", n, len(q.Accounts))
		}
	})
}

var (
	bigOnce sync.Once
	bigPlan *engine.Plan
	bigTerr []int32
)

// big is a plan of 1,000,000 accounts over 3,000 units and 1,000 territories.
func big(b *testing.B) (*engine.Plan, []int32) {
	bigOnce.Do(func() {
		bigPlan = synth.Plan(synth.Config{Seed: 1, Accounts: 1_000_000, Territories: 1000})
		assign.LocateAccounts(bigPlan)
		st, err := assign.Compute(bigPlan, bigPlan.Scenarios[0])
		if err != nil {
			b.Fatal(err)
		}
		bigTerr = st.AccountTerr
	})
	return bigPlan, bigTerr
}

func BenchmarkNewIndex1M(b *testing.B) {
	p, _ := big(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tiles.NewIndex(p)
	}
}

func benchTile(b *testing.B, z maptile.Zoom) {
	p, terr := big(b)
	idx := tiles.NewIndex(p)
	// The tile of the first account (accounts cluster, so most tiles that
	// hold an account are busy ones).
	tile := maptile.At(p.Accounts[0].Loc, z)
	b.ReportAllocs()
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		data, err := tiles.AccountTile(idx, p, terr, uint32(z), tile.X, tile.Y)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes/tile")
	b.ReportMetric(float64(idx.Count(uint32(z), tile.X, tile.Y)), "accounts/tile")
}

func BenchmarkAccountTile1Mz3(b *testing.B)  { benchTile(b, 3) }
func BenchmarkAccountTile1Mz10(b *testing.B) { benchTile(b, 10) }

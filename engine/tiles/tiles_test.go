package tiles_test

import (
	"math"
	"slices"
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
	"territoria/engine/segment"
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

// segments classifies p's accounts with the default segmentation, and
// checks that every class and more than one flag occur (so the tests can
// tell them apart; the synthetic plan has no sleeping accounts).
func segments(t testing.TB, p *engine.Plan) *segment.Result {
	seg, err := segment.Classify(p, segment.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	classes := map[uint16]bool{}
	var flags segment.Flags
	for a := range p.Accounts {
		classes[seg.Class[a]] = true
		flags |= seg.Flags[a]
	}
	if len(classes) != len(seg.Classes) || flags&(segment.Golden|segment.WhiteSpace) != segment.Golden|segment.WhiteSpace {
		t.Fatalf("the synthetic plan has classes %v of %v and flags %b; the tests want all", classes, seg.Classes, flags)
	}
	return seg
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
	seg := segments(t, p)
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
			data, err := tiles.AccountTile(idx, p, terr, seg, uint32(tile.Z), tile.X, tile.Y)
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
				checkAggregates(t, p, terr, seg, tile, layer, want)
			} else {
				singles++
				checkSingles(t, p, terr, seg, tile, layer)
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

func checkSingles(t *testing.T, p *engine.Plan, terr []int32, seg *segment.Result, tile maptile.Tile, layer *mvt.Layer) {
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
		checkSegment(t, f, seg, a)
		if fid, ok := f.ID.(float64); !ok || int(fid) != a {
			t.Errorf("feature id %#v, want %d", f.ID, a)
		}
		pt := f.Geometry.(orb.Point)
		if math.Abs(pt[0]-acc.Loc[0]) > 2*px {
			t.Errorf("account %s drawn at %v, is at %v", acc.ID, pt, acc.Loc)
		}
	}
}

// checkSegment checks the class and flags of single account a's feature.
func checkSegment(t *testing.T, f *geojson.Feature, seg *segment.Result, a int) {
	t.Helper()
	if f.Properties["c"] != seg.ClassName(a) || int(num(t, f, "f")) != int(seg.Flags[a]) {
		t.Errorf("account %d: c=%v f=%v, segments say %q and %b", a, f.Properties["c"], f.Properties["f"], seg.ClassName(a), seg.Flags[a])
	}
}

type cell struct {
	n        int
	p        float64
	terrs    map[int32]int
	classPot map[string]float64
	classN   map[string]int
	flags    segment.Flags
	only     int // the account when n == 1
}

func checkAggregates(t *testing.T, p *engine.Plan, terr []int32, seg *segment.Result, tile maptile.Tile, layer *mvt.Layer, want []int32) {
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
			c = &cell{terrs: map[int32]int{}, classPot: map[string]float64{}, classN: map[string]int{}, only: int(a)}
			cells[k] = c
		}
		c.n++
		c.p += p.Accounts[a].Potential
		c.terrs[terr[a]]++
		c.classPot[seg.ClassName(int(a))] += max(0, p.Accounts[a].Potential)
		c.classN[seg.ClassName(int(a))]++
		c.flags |= seg.Flags[a]
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
			checkSegment(t, f, seg, c.only)
			continue
		} else if f.Properties["tier"] != "" || f.Properties["id"] != nil {
			t.Errorf("aggregate has account properties: %v", f.Properties)
		}
		// The class holding most potential (the higher class on ties), and
		// every flag of the cell's accounts.
		cls, _ := f.Properties["c"].(string)
		rank := func(name string) int { return slices.Index(seg.Classes, name) }
		if _, ok := c.classN[cls]; !ok {
			t.Errorf("cell %v: class %q, which none of its accounts has (%v)", k, cls, c.classN)
		}
		for name, pot := range c.classPot {
			if pot > c.classPot[cls] || pot == c.classPot[cls] && c.classPot[cls] > 0 && rank(name) < rank(cls) {
				t.Errorf("cell %v: class %q holds %v of potential, but %q holds %v", k, cls, c.classPot[cls], name, pot)
			}
		}
		if fl := segment.Flags(num(t, f, "f")); fl != c.flags {
			t.Errorf("cell %v: flags %b, its accounts have %b", k, fl, c.flags)
		}
	}
}

func TestAccountTileEdgeCases(t *testing.T) {
	p, terr, idx := setup(t, 500)
	t.Run("empty tile is a valid tile", func(t *testing.T) {
		data, err := tiles.AccountTile(idx, p, terr, nil, 4, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if l := decode(t, data); len(l.Features) != 0 {
			t.Errorf("%d features in an empty tile", len(l.Features))
		}
	})
	t.Run("no territories", func(t *testing.T) {
		data, err := tiles.AccountTile(idx, p, nil, nil, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range decode(t, data).Features {
			if num(t, f, "t") != -1 {
				t.Fatalf("territory %v without territories", f.Properties["t"])
			}
		}
	})
	t.Run("no segments: no class or flags", func(t *testing.T) {
		for _, z := range []uint32{0, 12} {
			tile := maptile.At(p.Accounts[0].Loc, maptile.Zoom(z))
			data, err := tiles.AccountTile(idx, p, terr, nil, z, tile.X, tile.Y)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range decode(t, data).Features {
				if _, ok := f.Properties["c"]; ok {
					t.Fatalf("zoom %d: class %v without segments", z, f.Properties["c"])
				}
				if _, ok := f.Properties["f"]; ok {
					t.Fatalf("zoom %d: flags %v without segments", z, f.Properties["f"])
				}
			}
		}
	})
	seg := segments(t, p)
	short := &segment.Result{Classes: seg.Classes, Class: seg.Class[:10], Flags: seg.Flags[:10]}
	errs := []struct {
		name    string
		terr    []int32
		seg     *segment.Result
		z, x, y uint32
		substr  string
	}{
		{"zoom too deep", terr, seg, tiles.MaxZoom + 1, 0, 0, "zoom"},
		{"x out of range", terr, seg, 2, 4, 0, "does not exist"},
		{"y out of range", terr, seg, 0, 0, 1, "does not exist"},
		{"territories of another plan", terr[:10], seg, 0, 0, 0, "territories"},
		{"segments of another plan", terr, short, 0, 0, 0, "segments"},
	}
	for _, c := range errs {
		t.Run(c.name, func(t *testing.T) {
			_, err := tiles.AccountTile(idx, p, c.terr, c.seg, c.z, c.x, c.y)
			if err == nil || !strings.Contains(err.Error(), c.substr) {
				t.Errorf("error %v, want one mentioning %q", err, c.substr)
			}
		})
	}
	t.Run("stale index", func(t *testing.T) {
		q := *p
		q.Accounts = q.Accounts[:100]
		if _, err := tiles.AccountTile(idx, &q, nil, nil, 0, 0, 0); err == nil {
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
	bigSeg  *segment.Result
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
		if bigSeg, err = segment.Classify(bigPlan, segment.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
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

// benchTile measures the tile of zoom z holding the first account, with
// the accounts' segments (c and f) when seg is set.
func benchTile(b *testing.B, z maptile.Zoom, withSeg bool) {
	p, terr := big(b)
	idx := tiles.NewIndex(p)
	// The tile of the first account (accounts cluster, so most tiles that
	// hold an account are busy ones).
	tile := maptile.At(p.Accounts[0].Loc, z)
	var seg *segment.Result
	if withSeg {
		seg = bigSeg
	}
	b.ReportAllocs()
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		data, err := tiles.AccountTile(idx, p, terr, seg, uint32(z), tile.X, tile.Y)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "bytes/tile")
	b.ReportMetric(float64(idx.Count(uint32(z), tile.X, tile.Y)), "accounts/tile")
}

func BenchmarkAccountTile1Mz3(b *testing.B)          { benchTile(b, 3, false) }
func BenchmarkAccountTile1Mz10(b *testing.B)         { benchTile(b, 10, false) }
func BenchmarkAccountTile1Mz3Segments(b *testing.B)  { benchTile(b, 3, true) }
func BenchmarkAccountTile1Mz10Segments(b *testing.B) { benchTile(b, 10, true) }

// Package tiles builds Mapbox vector tiles of a plan's accounts for the map.
//
// An Index orders the accounts along a Z-order (Morton) curve of their Web
// Mercator position, so the accounts of any tile are one contiguous run of
// the index and a tile query touches only them. AccountTile encodes one tile
// with a single layer "accounts": single accounts where a tile holds at most
// MaxPoints accounts, and aggregates over a grid of cells elsewhere.
package tiles

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"territoria/engine"
	"territoria/engine/segment"
)

const (
	// LayerName is the name of the single layer of an account tile.
	LayerName = "accounts"
	// Extent is the tile coordinate extent (the vector tile default).
	Extent = 4096
	// MaxZoom is the deepest zoom served.
	MaxZoom = 22
	// MaxPoints is the largest number of accounts a tile holds as single
	// accounts; above it the tile aggregates.
	MaxPoints = 4000
	// CellBits sets the aggregation grid: 2^CellBits cells a side (64×64).
	CellBits = 6

	bits    = 30 // fixed-point bits of a position per axis
	extBits = 12 // log2(Extent)
)

// Index is the accounts of a plan in Z-order of their position. Accounts
// whose location is not finite are left out. An Index is immutable and safe
// for concurrent use; rebuild it when accounts are added, removed or moved.
type Index struct {
	n     int      // number of accounts in the plan it was built for
	keys  []uint64 // Morton keys, ascending
	order []int32  // account index per key
	px    []uint32 // fixed-point Web Mercator x per key, 0..2^30-1
	py    []uint32
}

// NewIndex builds the index of p's accounts.
func NewIndex(p *engine.Plan) *Index {
	type entry struct {
		key  uint64
		x, y uint32
		idx  int32
	}
	es := make([]entry, 0, len(p.Accounts))
	for i := range p.Accounts {
		ll := p.Accounts[i].Loc
		if math.IsNaN(ll[0]) || math.IsNaN(ll[1]) || math.IsInf(ll[0], 0) || math.IsInf(ll[1], 0) {
			continue
		}
		x, y := fixed(ll)
		es = append(es, entry{morton(x, y), x, y, int32(i)})
	}
	slices.SortFunc(es, func(a, b entry) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return int(a.idx - b.idx)
	})
	idx := &Index{
		n:     len(p.Accounts),
		keys:  make([]uint64, len(es)),
		order: make([]int32, len(es)),
		px:    make([]uint32, len(es)),
		py:    make([]uint32, len(es)),
	}
	for i, e := range es {
		idx.keys[i], idx.order[i], idx.px[i], idx.py[i] = e.key, e.idx, e.x, e.y
	}
	return idx
}

// Len returns the number of accounts indexed.
func (idx *Index) Len() int { return len(idx.keys) }

// fixed returns the Web Mercator position of ll as 30-bit integers, with
// latitudes clamped to the Web Mercator range and longitudes to ±180.
func fixed(ll orb.Point) (uint32, uint32) {
	f := maptile.Fraction(orb.Point{math.Max(-180, math.Min(180, ll[0])), ll[1]}, bits)
	const top = 1<<bits - 1
	clamp := func(v float64) uint32 {
		if !(v > 0) {
			return 0
		}
		if v >= top {
			return top
		}
		return uint32(v)
	}
	return clamp(f[0]), clamp(f[1])
}

// spread inserts a zero bit between the low 32 bits of v.
func spread(v uint32) uint64 {
	x := uint64(v)
	x = (x | x<<16) & 0x0000FFFF0000FFFF
	x = (x | x<<8) & 0x00FF00FF00FF00FF
	x = (x | x<<4) & 0x0F0F0F0F0F0F0F0F
	x = (x | x<<2) & 0x3333333333333333
	x = (x | x<<1) & 0x5555555555555555
	return x
}

func morton(x, y uint32) uint64 { return spread(x) | spread(y)<<1 }

// span returns the run of the index inside the tile (z, x, y).
func (idx *Index) span(z, x, y uint32) (int, int) {
	shift := 2 * (bits - z)
	lo := morton(x, y) << shift
	hi := lo + 1<<shift
	i := sort.Search(len(idx.keys), func(i int) bool { return idx.keys[i] >= lo })
	j := i + sort.Search(len(idx.keys)-i, func(k int) bool { return idx.keys[i+k] >= hi })
	return i, j
}

// Count returns the number of indexed accounts in tile (z, x, y); 0 for an
// invalid tile.
func (idx *Index) Count(z, x, y uint32) int {
	if z > MaxZoom || x >= 1<<z || y >= 1<<z {
		return 0
	}
	i, j := idx.span(z, x, y)
	return j - i
}

// AccountTile returns the uncompressed vector tile (z, x, y) of the accounts
// of p, coloured by accountTerr (the territory index of each account, as in
// assign.State.AccountTerr; nil means all unassigned) and seg (the accounts'
// customer segments; nil leaves out c and f). The tile has one layer
// "accounts" of point features with properties:
//
//	n     int     accounts in the feature (1 for a single account)
//	t     int     territory index, -1 when unassigned; for an aggregate the
//	              territory of most of its accounts (the lowest index on ties)
//	p     float   potential (the sum for an aggregate)
//	tier  string  the account's imported tier ("" for an aggregate)
//	c     string  the account's class in seg; for an aggregate the class
//	              holding most of its potential (the higher class on ties,
//	              by count when the cell has no potential)
//	f     int     the account's flags in seg as bits (1 golden, 2 sleeping,
//	              4 white space, as segment.Flags); for an aggregate the
//	              flags any of its accounts has
//	id    string  account id (single accounts only)
//	name  string  account name (single accounts only)
//
// A single account's feature id is its index in p.Accounts. When the tile
// holds more than MaxPoints accounts they are aggregated over a grid of
// 2^CellBits × 2^CellBits cells, each feature placed at the mean position of
// its accounts; a cell holding one account gives a single-account feature. A
// tile without accounts is a valid tile whose layer has no features.
func AccountTile(idx *Index, p *engine.Plan, accountTerr []int32, seg *segment.Result, z, x, y uint32) ([]byte, error) {
	if idx == nil || p == nil {
		return nil, fmt.Errorf("tiles: nil index or plan")
	}
	if z > MaxZoom {
		return nil, fmt.Errorf("tiles: zoom %d beyond the deepest zoom %d", z, MaxZoom)
	}
	if x >= 1<<z || y >= 1<<z {
		return nil, fmt.Errorf("tiles: tile %d/%d/%d does not exist (x and y must be below %d)", z, x, y, 1<<z)
	}
	if idx.n != len(p.Accounts) {
		return nil, fmt.Errorf("tiles: index built for %d accounts, plan has %d: rebuild the index", idx.n, len(p.Accounts))
	}
	if accountTerr != nil && len(accountTerr) != len(p.Accounts) {
		return nil, fmt.Errorf("tiles: %d account territories for %d accounts", len(accountTerr), len(p.Accounts))
	}
	if seg != nil && (len(seg.Class) != len(p.Accounts) || len(seg.Flags) != len(p.Accounts)) {
		return nil, fmt.Errorf("tiles: segments of %d accounts for %d accounts", len(seg.Class), len(p.Accounts))
	}
	d := tileData{p: p, terr: accountTerr, seg: seg}
	lo, hi := idx.span(z, x, y)
	layer := &mvt.Layer{Name: LayerName, Version: 2, Extent: Extent}
	if hi-lo <= MaxPoints {
		layer.Features = make([]*geojson.Feature, 0, hi-lo)
		for i := lo; i < hi; i++ {
			tx, ty := idx.local(i, z, x, y)
			layer.Features = append(layer.Features, d.single(idx.order[i], orb.Point{tx, ty}))
		}
	} else {
		layer.Features = idx.aggregate(&d, lo, hi, z, x, y)
	}
	return mvt.Marshal(mvt.Layers{layer})
}

// local returns the tile coordinates of entry i within tile (z, x, y).
func (idx *Index) local(i int, z, x, y uint32) (float64, float64) {
	shift := bits - z
	lx := idx.px[i] - x<<shift
	ly := idx.py[i] - y<<shift
	if shift >= extBits {
		return float64(lx >> (shift - extBits)), float64(ly >> (shift - extBits))
	}
	return float64(lx << (extBits - shift)), float64(ly << (extBits - shift))
}

// tileData is what a tile's features are drawn from.
type tileData struct {
	p    *engine.Plan
	terr []int32         // territory per account; nil: all unassigned
	seg  *segment.Result // segments; nil: none
}

func (d *tileData) terrOf(a int32) int32 {
	if d.terr == nil {
		return engine.NoIndex
	}
	return d.terr[a]
}

func (d *tileData) single(a int32, at orb.Point) *geojson.Feature {
	acc := &d.p.Accounts[a]
	f := geojson.NewFeature(at)
	f.ID = int(a)
	f.Properties = geojson.Properties{
		"n":    1,
		"t":    int(d.terrOf(a)),
		"p":    acc.Potential,
		"tier": acc.Tier,
		"id":   acc.ID,
		"name": acc.Name,
	}
	if d.seg != nil {
		f.Properties["c"] = d.seg.Classes[d.seg.Class[a]]
		f.Properties["f"] = int(d.seg.Flags[a])
	}
	return f
}

// aggregate groups entries lo..hi of the tile into cells. Cells are runs of
// the Z-order, so one pass suffices.
func (idx *Index) aggregate(d *tileData, lo, hi int, z, x, y uint32) []*geojson.Feature {
	cellShift := 2 * (bits - z - CellBits)
	var feats []*geojson.Feature
	counts := map[int32]int{}
	var classPot []float64
	var classN []int
	if d.seg != nil {
		classPot = make([]float64, len(d.seg.Classes))
		classN = make([]int, len(d.seg.Classes))
	}
	for i := lo; i < hi; {
		cell := idx.keys[i] >> cellShift
		j := i
		var sx, sy, pot float64
		var flags segment.Flags
		clear(counts)
		clear(classPot)
		clear(classN)
		for ; j < hi && idx.keys[j]>>cellShift == cell; j++ {
			tx, ty := idx.local(j, z, x, y)
			sx += tx
			sy += ty
			a := idx.order[j]
			ap := d.p.Accounts[a].Potential
			pot += ap
			counts[d.terrOf(a)]++
			if d.seg != nil {
				c := d.seg.Class[a]
				if ap > 0 {
					classPot[c] += ap
				}
				classN[c]++
				flags |= d.seg.Flags[a]
			}
		}
		n := j - i
		if n == 1 {
			tx, ty := idx.local(i, z, x, y)
			feats = append(feats, d.single(idx.order[i], orb.Point{tx, ty}))
		} else {
			best, bestN := engine.NoIndex, -1
			for t, c := range counts {
				if c > bestN || c == bestN && t < best {
					best, bestN = t, c
				}
			}
			f := geojson.NewFeature(orb.Point{math.Floor(sx / float64(n)), math.Floor(sy / float64(n))})
			f.Properties = geojson.Properties{
				"n":    n,
				"t":    int(best),
				"p":    pot,
				"tier": "",
			}
			if d.seg != nil {
				f.Properties["c"] = d.seg.Classes[dominant(classPot, classN)]
				f.Properties["f"] = int(flags)
			}
			feats = append(feats, f)
		}
		i = j
	}
	return feats
}

// dominant returns the class holding the most potential, or when no class
// holds any, the most accounts; the lower index (the higher class) on ties.
func dominant(pot []float64, n []int) int {
	best := 0
	for c := range pot {
		if pot[c] > pot[best] {
			best = c
		}
	}
	if pot[best] > 0 {
		return best
	}
	for c := range n {
		if n[c] > n[best] {
			best = c
		}
	}
	return best
}

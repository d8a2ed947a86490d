// Command postgis-compare times Territoria's full assignment of accounts to
// territory polygons and writes the same data for PostGIS, so that
// scripts/postgis-compare.sh can time the same spatial join there and check
// that both sides agree:
//
//	go run ./scripts/postgis-compare -out /tmp/cmp            # 1,000 territories, 1,000,000 accounts
//	go run ./scripts/postgis-compare -accounts 100000 -json   # smaller, JSON on stdout
//
// The data is deterministic for given flags: territories are jittered cells
// of a grid over the contiguous US, each edge a wiggly border with -arc
// vertices between corners, shared edges bit-identical on both sides (so the
// territories tile the bound without gap or overlap, like real territory
// outlines); accounts are clustered around places, with a fraction -edge
// exactly on, or 1e-7 degrees beside, a border.
//
// Two engine paths are timed, each -runs times (the fastest run is
// reported):
//
//   - compute: what the app does for a scenario of free-drawn territories,
//     assign.Compute over an engine.Plan whose scenario holds the polygons;
//   - locator: the polygons as units, assign.NewLocator then Locate for
//     every account (the path that places accounts in counties or ZIPs).
//
// With -out DIR it writes accounts.csv (id,lon,lat), territories.csv
// (id,name,geom as EWKT), engine_assign.csv (id,territory,kind,exact: the
// engine's territory index per account, empty for none; how the account
// was placed; for accounts on or beside a border segment, the territory on
// whose side of the segment they lie in exact arithmetic, empty when exactly
// on it) and engine.env (the figures as shell assignments).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
)

// result holds everything the command reports.
type result struct {
	Seed        uint64 `json:"seed"`
	Territories int    `json:"territories"`
	Cols        int    `json:"cols"`
	Rows        int    `json:"rows"`
	// Vertices is the number of distinct vertices per territory.
	Vertices  int            `json:"verticesPerTerritory"`
	Accounts  int            `json:"accounts"`
	ByKind    map[string]int `json:"accountsByKind"`
	GOMAXPROC int            `json:"gomaxprocs"`
	Runs      int            `json:"runs"`

	// ComputeMs are the times of assign.Compute, one per run.
	ComputeMs []float64 `json:"computeMs"`
	// LocatorBuildMs and LocateMs are the times of assign.NewLocator and of
	// locating every account, one per run.
	LocatorBuildMs []float64 `json:"locatorBuildMs"`
	LocateMs       []float64 `json:"locateMs"`
	// HeapMB is the Go heap in use after the runs (plan, state and locator).
	HeapMB float64 `json:"heapMB"`

	// Assigned and Unassigned count accounts with and without a territory.
	Assigned   int `json:"assigned"`
	Unassigned int `json:"unassigned"`
	// PathsDisagree counts accounts the two engine paths place differently
	// (0 expected: both use the same boundary rule).
	PathsDisagree int `json:"pathsDisagree"`
	// Exact compares the engine with exact rational arithmetic on the
	// accounts placed on (segment) or beside (near) a border segment.
	Exact map[string]exactStats `json:"exactSide"`
	// CountsMD5 is the MD5 of "territory,count\n" lines for every territory
	// holding accounts, by territory index: equal counts on both sides give
	// equal checksums.
	CountsMD5 string `json:"countsMD5"`
	// TerritoriesWKB and AccountsWKB are MD5s of the geometries as
	// little-endian WKB, concatenated by id; PostGIS computes the same from
	// what it loaded, proving both sides test identical coordinates.
	TerritoriesWKB string `json:"territoriesWKBMD5"`
	AccountsWKB    string `json:"accountsWKBMD5"`
}

// exactStats counts, for one kind of border account, how many lie strictly
// on one side of their segment in exact arithmetic (Strict), exactly on it
// (On), and how many of the strict ones the engine places on the exact side
// (EngineAgrees).
type exactStats struct {
	Strict       int `json:"strict"`
	On           int `json:"on"`
	EngineAgrees int `json:"engineAgrees"`
}

func main() {
	var (
		c       genConfig
		runs    int
		out     string
		jsonOut bool
	)
	flag.IntVar(&c.Accounts, "accounts", 1_000_000, "number of accounts")
	flag.IntVar(&c.Territories, "territories", 1000, "number of territories (cells of a grid over the contiguous US)")
	flag.IntVar(&c.ArcPoints, "arc", 14, "vertices between grid corners on each territory edge")
	flag.Float64Var(&c.Edge, "edge", 0.01, "fraction of accounts on or beside a border")
	flag.Uint64Var(&c.Seed, "seed", 1, "random seed")
	flag.IntVar(&runs, "runs", 3, "timed runs of each engine path (the fastest is reported)")
	flag.StringVar(&out, "out", "", "folder to write the CSV files and engine.env to (nothing written when empty)")
	flag.BoolVar(&jsonOut, "json", false, "print the result as JSON")
	flag.Parse()
	if err := check(c, runs); err != nil {
		fmt.Fprintln(os.Stderr, "postgis-compare:", err)
		os.Exit(2)
	}
	if err := run(c, runs, out, jsonOut, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "postgis-compare:", err)
		os.Exit(1)
	}
}

// check rejects flag values the generator cannot work with.
func check(c genConfig, runs int) error {
	switch {
	case c.Accounts < 0:
		return fmt.Errorf("-accounts %d: want 0 or more", c.Accounts)
	case c.Territories < 1:
		return fmt.Errorf("-territories %d: want 1 or more", c.Territories)
	case c.ArcPoints < 0:
		return fmt.Errorf("-arc %d: want 0 or more", c.ArcPoints)
	case !(c.Edge >= 0 && c.Edge <= 1):
		return fmt.Errorf("-edge %v: want a fraction from 0 to 1", c.Edge)
	case runs < 1:
		return fmt.Errorf("-runs %d: want 1 or more", runs)
	}
	return nil
}

func run(c genConfig, runs int, out string, jsonOut bool, stdout io.Writer) error {
	w := generate(c)
	res := &result{
		Seed: c.Seed, Territories: len(w.polys), Cols: w.cols, Rows: w.rows,
		Vertices: 4 * (c.ArcPoints + 1), Accounts: len(w.accounts),
		ByKind: map[string]int{}, GOMAXPROC: runtime.GOMAXPROCS(0), Runs: runs,
	}
	for _, k := range w.kinds {
		res.ByKind[kindNames[k]]++
	}
	p, s := w.plan()
	units := w.units()

	var st *assign.State
	for range runs {
		st = nil
		runtime.GC()
		t0 := time.Now()
		var err error
		st, err = assign.Compute(p, s)
		if err != nil {
			return err
		}
		res.ComputeMs = append(res.ComputeMs, ms(time.Since(t0)))
	}
	located := make([]int32, len(p.Accounts))
	for range runs {
		runtime.GC()
		t0 := time.Now()
		l := assign.NewLocator(units)
		t1 := time.Now()
		for a := range p.Accounts {
			located[a] = l.Locate(p.Accounts[a].Loc)
		}
		t2 := time.Now()
		res.LocatorBuildMs = append(res.LocatorBuildMs, ms(t1.Sub(t0)))
		res.LocateMs = append(res.LocateMs, ms(t2.Sub(t1)))
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	res.HeapMB = float64(m.HeapInuse) / (1 << 20)

	for a, t := range st.AccountTerr {
		if t == engine.NoIndex {
			res.Unassigned++
		} else {
			res.Assigned++
		}
		if t != located[a] {
			res.PathsDisagree++
		}
	}
	res.Exact = map[string]exactStats{}
	for _, k := range []accountKind{kindSegment, kindNear} {
		var e exactStats
		for a, t := range st.AccountTerr {
			if w.kinds[a] != k {
				continue
			}
			switch x := w.exact[a]; {
			case x == engine.NoIndex:
				e.On++
			case x == t:
				e.Strict++
				e.EngineAgrees++
			default:
				e.Strict++
			}
		}
		res.Exact[kindNames[k]] = e
	}
	res.CountsMD5 = countsMD5(st.AccountTerr, len(w.polys))
	var err error
	if res.TerritoriesWKB, err = wkbMD5(w.polys); err != nil {
		return err
	}
	if res.AccountsWKB, err = wkbMD5(w.accounts); err != nil {
		return err
	}

	if out != "" {
		if err := w.writeFiles(out, st.AccountTerr, res); err != nil {
			return err
		}
	}
	if jsonOut {
		e := json.NewEncoder(stdout)
		e.SetIndent("", "  ")
		return e.Encode(res)
	}
	return res.print(stdout)
}

// plan returns the accounts as a plan with one scenario "compare" whose
// territories are the polygons, in order, as free-drawn territories.
func (w *world) plan() (*engine.Plan, *engine.Scenario) {
	p := &engine.Plan{Name: "postgis-compare", Currency: "USD", Accounts: make([]engine.Account, len(w.accounts))}
	for i, pt := range w.accounts {
		p.Accounts[i] = engine.Account{ID: strconv.Itoa(i), Loc: pt, Unit: engine.NoIndex}
	}
	s := &engine.Scenario{ID: "compare", Name: "PostGIS comparison", Territories: make([]engine.Territory, len(w.polys))}
	for t, poly := range w.polys {
		s.Territories[t] = engine.Territory{ID: territoryName(t), Name: territoryName(t), Kind: engine.KindTerritory, Polygon: poly}
	}
	p.Scenarios = []*engine.Scenario{s}
	return p, s
}

// units returns the polygons as units, in order.
func (w *world) units() []engine.Unit {
	units := make([]engine.Unit, len(w.polys))
	for t, poly := range w.polys {
		units[t] = engine.Unit{ID: territoryName(t), Name: territoryName(t), Geom: orb.MultiPolygon{poly}}
	}
	return units
}

func territoryName(t int) string { return fmt.Sprintf("T%04d", t) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fastest returns the smallest value of xs.
func fastest(xs []float64) float64 { return slices.Min(xs) }

func (r *result) print(w io.Writer) error {
	kinds := ""
	for _, k := range kindNames {
		kinds += fmt.Sprintf(" %s %d,", k, r.ByKind[k])
	}
	loc := make([]float64, len(r.LocateMs))
	for i := range loc {
		loc[i] = r.LocatorBuildMs[i] + r.LocateMs[i]
	}
	_, err := fmt.Fprintf(w, `territories   %d (%d × %d grid), %d vertices each
accounts      %d:%s
engine runs   %d, GOMAXPROCS %d (fastest run reported)
  compute     %10.1f ms   assign.Compute, free-drawn territory polygons (all runs: %v)
  locator     %10.1f ms   NewLocator %.1f ms + Locate %.1f ms, polygons as units (fastest total)
  heap        %10.1f MB   after the runs
assigned      %d, in no territory %d; engine paths disagree on %d
exact side    %s
counts md5    %s
input md5     territories %s, accounts %s
`,
		r.Territories, r.Cols, r.Rows, r.Vertices,
		r.Accounts, kinds[:len(kinds)-1],
		r.Runs, r.GOMAXPROC,
		fastest(r.ComputeMs), r.ComputeMs,
		fastest(loc), r.LocatorBuildMs[slices.Index(loc, fastest(loc))], r.LocateMs[slices.Index(loc, fastest(loc))],
		r.HeapMB,
		r.Assigned, r.Unassigned, r.PathsDisagree, r.exactLine(),
		r.CountsMD5, r.TerritoriesWKB, r.AccountsWKB)
	return err
}

// exactLine describes Exact in one line.
func (r *result) exactLine() string {
	var s string
	for _, k := range []string{kindNames[kindSegment], kindNames[kindNear]} {
		e := r.Exact[k]
		if s != "" {
			s += "; "
		}
		s += fmt.Sprintf("%s accounts: %d on one side, engine agrees on %d, %d exactly on the line", k, e.Strict, e.EngineAgrees, e.On)
	}
	return s
}

// writeFiles writes the CSV files and engine.env into dir.
func (w *world) writeFiles(dir string, terr []int32, r *result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	loc := make([]float64, len(r.LocateMs))
	for i := range loc {
		loc[i] = r.LocatorBuildMs[i] + r.LocateMs[i]
	}
	i := slices.Index(loc, fastest(loc))
	env := []struct {
		k string
		v any
	}{
		{"ENGINE_TERRITORIES", r.Territories},
		{"ENGINE_VERTICES", r.Vertices},
		{"ENGINE_ACCOUNTS", r.Accounts},
		{"ENGINE_COMPUTE_MS", fastest(r.ComputeMs)},
		{"ENGINE_LOCATOR_MS", loc[i]},
		{"ENGINE_LOCATOR_BUILD_MS", r.LocatorBuildMs[i]},
		{"ENGINE_LOCATE_MS", r.LocateMs[i]},
		{"ENGINE_ASSIGNED", r.Assigned},
		{"ENGINE_UNASSIGNED", r.Unassigned},
		{"ENGINE_PATHS_DISAGREE", r.PathsDisagree},
		{"ENGINE_SEGMENT_STRICT", r.Exact[kindNames[kindSegment]].Strict},
		{"ENGINE_SEGMENT_AGREES", r.Exact[kindNames[kindSegment]].EngineAgrees},
		{"ENGINE_SEGMENT_ON", r.Exact[kindNames[kindSegment]].On},
		{"ENGINE_COUNTS_MD5", r.CountsMD5},
		{"ENGINE_TERRITORIES_WKB_MD5", r.TerritoriesWKB},
		{"ENGINE_ACCOUNTS_WKB_MD5", r.AccountsWKB},
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"accounts.csv", w.writeAccounts},
		{"territories.csv", w.writeTerritories},
		{"engine_assign.csv", func(f io.Writer) error { return w.writeAssignment(f, terr) }},
		{"engine.env", func(f io.Writer) error {
			for _, e := range env {
				if _, err := fmt.Fprintf(f, "%s=%v\n", e.k, e.v); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

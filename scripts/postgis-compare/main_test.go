package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
)

var small = genConfig{Seed: 7, Territories: 60, Accounts: 20000, ArcPoints: 14, Edge: 0.05}

func TestGridShape(t *testing.T) {
	for _, c := range []struct {
		name       string
		n          int
		cols, rows int
	}{
		{"a thousand cells nearly square over the US", 1000, 50, 20},
		{"one cell", 1, 1, 1},
		{"a prime gives a single row", 7, 7, 1},
		{"sixty", 60, 12, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			cols, rows := gridShape(c.n, usBound)
			if cols != c.cols || rows != c.rows {
				t.Errorf("gridShape(%d) = %d × %d, want %d × %d", c.n, cols, rows, c.cols, c.rows)
			}
		})
	}
}

// segmentsCross reports whether segments ab and cd share a point other
// than an endpoint common to both.
func segmentsCross(a, b, c, d orb.Point) bool {
	orient := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	d1, d2 := orient(c, d, a), orient(c, d, b)
	d3, d4 := orient(a, b, c), orient(a, b, d)
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

func onOutline(a, b orb.Point) bool {
	for k := 0; k < 2; k++ {
		for _, v := range []float64{usBound.Min[k], usBound.Max[k]} {
			if a[k] == v && b[k] == v {
				return true
			}
		}
	}
	return false
}

// TestTerritoriesTile checks that the territories tile the bound: every ring
// is closed, simple and counter-clockwise, every segment inside the bound is
// used backwards by exactly one other territory with identical coordinates,
// and the areas add up to the bound's.
func TestTerritoriesTile(t *testing.T) {
	for _, c := range []genConfig{
		{Seed: 1, Territories: 60, ArcPoints: 14},
		{Seed: 2, Territories: 200, ArcPoints: 20},
		{Seed: 3, Territories: 12, ArcPoints: 0},
	} {
		w := generate(c)
		type seg struct{ a, b orb.Point }
		owner := map[seg]int{}
		var area float64
		for ti, poly := range w.polys {
			r := poly[0]
			if len(poly) != 1 || r[0] != r[len(r)-1] || len(r) != 4*(c.ArcPoints+1)+1 {
				t.Fatalf("seed %d: territory %d: want one closed ring of %d points, got %d rings, %d points", c.Seed, ti, 4*(c.ArcPoints+1)+1, len(poly), len(r))
			}
			a := planar.Area(r)
			if a <= 0 {
				t.Errorf("seed %d: territory %d has area %v, want a positive (counter-clockwise) ring", c.Seed, ti, a)
			}
			area += a
			for i := 0; i+1 < len(r); i++ {
				for j := i + 2; j+1 < len(r); j++ {
					if i == 0 && j == len(r)-2 {
						continue
					}
					if segmentsCross(r[i], r[i+1], r[j], r[j+1]) {
						t.Errorf("seed %d: territory %d: segments %d and %d cross", c.Seed, ti, i, j)
					}
				}
				s := seg{r[i], r[i+1]}
				if prev, dup := owner[s]; dup {
					t.Errorf("seed %d: segment %v used twice in the same direction (territories %d and %d)", c.Seed, s, prev, ti)
				}
				owner[s] = ti
			}
		}
		for s, ti := range owner {
			if onOutline(s.a, s.b) {
				continue
			}
			if o, ok := owner[seg{s.b, s.a}]; !ok || o == ti {
				t.Errorf("seed %d: segment %v of territory %d is not shared with another territory", c.Seed, s, ti)
			}
		}
		want := (usBound.Max[0] - usBound.Min[0]) * (usBound.Max[1] - usBound.Min[1])
		if math.Abs(area-want) > 1e-9*want {
			t.Errorf("seed %d: areas add up to %v, want %v", c.Seed, area, want)
		}
	}
}

// TestAccounts checks the placement kinds, and that the engine puts every
// account strictly inside the bound in exactly one territory, borders
// included.
func TestAccounts(t *testing.T) {
	w := generate(small)
	vertices := map[orb.Point]bool{}
	for _, bd := range w.inner {
		for _, pt := range bd.line {
			vertices[pt] = true
		}
	}
	dist := func(pt orb.Point) float64 {
		d := math.Inf(1)
		for _, bd := range w.inner {
			d = math.Min(d, planar.DistanceFrom(bd.line, pt))
		}
		return d
	}
	counts := map[accountKind]int{}
	for i, pt := range w.accounts {
		k := w.kinds[i]
		counts[k]++
		switch k {
		case kindVertex:
			if !vertices[pt] {
				t.Errorf("account %d (vertex) at %v is not a border vertex", i, pt)
			}
		case kindSegment:
			if d := dist(pt); d > 1e-12 {
				t.Errorf("account %d (segment) is %g degrees from the nearest border", i, d)
			}
		case kindNear:
			if d := dist(pt); math.Abs(d-nearEdge) > 1e-9 {
				t.Errorf("account %d (near) is %g degrees from the nearest border, want %g", i, d, nearEdge)
			}
			// 1e-7 degrees from the border, the exact side is the
			// territory that contains the account.
			if x := w.exact[i]; x == engine.NoIndex || !geo.PolygonContains(w.polys[x], pt) {
				t.Errorf("account %d (near) has exact side %d, which does not contain it", i, x)
			}
		}
		if k != kindSegment && k != kindNear && w.exact[i] != engine.NoIndex {
			t.Errorf("account %d (%s) has an exact side", i, kindNames[k])
		}
		inside := pt[0] > usBound.Min[0] && pt[0] < usBound.Max[0] && pt[1] > usBound.Min[1] && pt[1] < usBound.Max[1]
		n := 0
		for _, poly := range w.polys {
			if geo.PolygonContains(poly, pt) {
				n++
			}
		}
		if inside && n != 1 || !inside && n > 1 {
			t.Errorf("account %d (%s) at %v is in %d territories", i, kindNames[k], pt, n)
		}
	}
	for _, k := range []accountKind{kindCluster, kindUniform, kindVertex, kindSegment, kindNear} {
		if counts[k] == 0 {
			t.Errorf("no %s accounts among %d", kindNames[k], len(w.accounts))
		}
	}
}

func TestOrientation(t *testing.T) {
	a, b := orb.Point{0, 0}, orb.Point{3, 1}
	for _, c := range []struct {
		name string
		p    orb.Point
		want int
	}{
		{"left", orb.Point{0, 1}, 1},
		{"right", orb.Point{1, 0}, -1},
		{"on", orb.Point{1.5, 0.5}, 0},
		// In binary 0.1 is a hair above 0.1 and 0.3 a hair below 0.3, so (0.3, 0.1)
		// lies just left of (above) the line.
		{"one rounding off the line", orb.Point{0.3, 0.1}, 1},
		{"beyond the end, on the line", orb.Point{6, 2}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := orientation(a, b, c.p); got != c.want {
				t.Errorf("orientation(%v, %v, %v) = %d, want %d", a, b, c.p, got, c.want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	sum := func(c genConfig) [2]string {
		w := generate(c)
		a, err := wkbMD5(w.polys)
		if err != nil {
			t.Fatal(err)
		}
		b, err := wkbMD5(w.accounts)
		if err != nil {
			t.Fatal(err)
		}
		return [2]string{a, b}
	}
	other := small
	other.Seed++
	if a, b := sum(small), sum(small); a != b {
		t.Errorf("same seed, different data: %v and %v", a, b)
	}
	if a, b := sum(small), sum(other); a[0] == b[0] || a[1] == b[1] {
		t.Errorf("seeds %d and %d give the same data: %v", small.Seed, other.Seed, a)
	}
}

func TestCountsMD5(t *testing.T) {
	for _, c := range []struct {
		name string
		terr []int32
		want string
	}{
		// md5 of "0,2\n2,1\n" and of the empty string.
		{"empty territories are left out", []int32{0, engine.NoIndex, 2, 0}, "10847cf176d6f27b6b348bab115e2fa0"},
		{"no account", nil, "d41d8cd98f00b204e9800998ecf8427e"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := countsMD5(c.terr, 3); got != c.want {
				t.Errorf("countsMD5 = %s, want %s", got, c.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	ok := genConfig{Accounts: 10, Territories: 4, ArcPoints: 2, Edge: 0.1}
	for _, c := range []struct {
		name string
		edit func(*genConfig, *int)
		flag string
	}{
		{"valid", func(*genConfig, *int) {}, ""},
		{"negative accounts", func(c *genConfig, _ *int) { c.Accounts = -1 }, "-accounts"},
		{"no territory", func(c *genConfig, _ *int) { c.Territories = 0 }, "-territories"},
		{"negative arc", func(c *genConfig, _ *int) { c.ArcPoints = -1 }, "-arc"},
		{"edge above one", func(c *genConfig, _ *int) { c.Edge = 1.5 }, "-edge"},
		{"edge not a number", func(c *genConfig, _ *int) { c.Edge = math.NaN() }, "-edge"},
		{"no run", func(_ *genConfig, r *int) { *r = 0 }, "-runs"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, runs := ok, 1
			c.edit(&cfg, &runs)
			err := check(cfg, runs)
			switch {
			case c.flag == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case c.flag != "" && (err == nil || !strings.HasPrefix(err.Error(), c.flag+" ")):
				t.Errorf("error %v, want one naming %s", err, c.flag)
			}
		})
	}
}

// TestRunWritesFiles runs the command on a small world and reads its files
// back: row counts, exact coordinates, the engine's territories and
// engine.env.
func TestRunWritesFiles(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(small, 1, dir, true, &out); err != nil {
		t.Fatal(err)
	}
	var res result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out.String())
	}
	if res.Accounts != small.Accounts || res.Territories != small.Territories || res.Assigned+res.Unassigned != small.Accounts {
		t.Errorf("result %+v does not match the config %+v", res, small)
	}
	if res.PathsDisagree != 0 {
		t.Errorf("compute and locator disagree on %d accounts", res.PathsDisagree)
	}
	w := generate(small)

	lines := func(name string, n int) [][]string {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var rows [][]string
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			rows = append(rows, strings.SplitN(sc.Text(), ",", n))
		}
		return rows
	}
	t.Run("accounts.csv", func(t *testing.T) {
		rows := lines("accounts.csv", 3)
		if len(rows) != small.Accounts+1 || strings.Join(rows[0], ",") != "id,lon,lat" {
			t.Fatalf("%d lines, header %v", len(rows), rows[0])
		}
		for i, r := range rows[1:] {
			pt, err := wkt.UnmarshalPoint("POINT(" + r[1] + " " + r[2] + ")")
			if err != nil || pt != w.accounts[i] || r[0] != itoa(i) {
				t.Fatalf("row %d: %v does not give account %d at %v (%v)", i+1, r, i, w.accounts[i], err)
			}
		}
	})
	t.Run("territories.csv", func(t *testing.T) {
		rows := lines("territories.csv", 3)
		if len(rows) != small.Territories+1 || strings.Join(rows[0], ",") != "id,name,geom" {
			t.Fatalf("%d lines, header %v", len(rows), rows[0])
		}
		for i, r := range rows[1:] {
			ewkt, ok := strings.CutPrefix(strings.Trim(r[2], `"`), "SRID=4326;")
			if !ok {
				t.Fatalf("row %d: %q is not EWKT in SRID 4326", i+1, r[2])
			}
			poly, err := wkt.UnmarshalPolygon(ewkt)
			if err != nil || !poly.Equal(w.polys[i]) || r[0] != itoa(i) || r[1] != territoryName(i) {
				t.Fatalf("row %d does not give territory %d exactly (%v)", i+1, i, err)
			}
		}
	})
	t.Run("engine_assign.csv", func(t *testing.T) {
		rows := lines("engine_assign.csv", 4)
		if len(rows) != small.Accounts+1 || strings.Join(rows[0], ",") != "id,territory,kind,exact" {
			t.Fatalf("%d lines", len(rows))
		}
		l := assign.NewLocator(w.units())
		for i, r := range rows[1:] {
			want := ""
			if u := l.Locate(w.accounts[i]); u != engine.NoIndex {
				want = itoa(int(u))
			}
			exact := ""
			if x := w.exact[i]; x != engine.NoIndex {
				exact = itoa(int(x))
			}
			if r[1] != want || r[2] != kindNames[w.kinds[i]] || r[3] != exact {
				t.Fatalf("row %d: %v, want territory %q, kind %s, exact %q", i+1, r, want, kindNames[w.kinds[i]], exact)
			}
		}
	})
	t.Run("engine.env", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join(dir, "engine.env"))
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.ContainsAny(v, " '\"$`;") {
				t.Errorf("line %q is not a plain shell assignment", line)
			}
			env[k] = v
		}
		for k, want := range map[string]string{
			"ENGINE_ACCOUNTS":   itoa(small.Accounts),
			"ENGINE_ASSIGNED":   itoa(res.Assigned),
			"ENGINE_COUNTS_MD5": res.CountsMD5,
		} {
			if env[k] != want {
				t.Errorf("%s=%q, want %q", k, env[k], want)
			}
		}
		for _, k := range []string{"ENGINE_COMPUTE_MS", "ENGINE_LOCATOR_MS", "ENGINE_LOCATE_MS"} {
			if _, err := parseFloat(env[k]); err != nil {
				t.Errorf("%s=%q: %v", k, env[k], err)
			}
		}
	})
}

func TestPrint(t *testing.T) {
	var out bytes.Buffer
	if err := run(genConfig{Seed: 1, Territories: 4, Accounts: 100, ArcPoints: 2, Edge: 0.1}, 2, "", false, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"territories   4 (4 × 1 grid), 12 vertices each", "accounts      100:", "compute", "locator", "counts md5"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func benchWorld(b *testing.B) (*engine.Plan, *engine.Scenario, []engine.Unit) {
	b.Helper()
	w := generate(genConfig{Seed: 1, Territories: 1000, Accounts: 100_000, ArcPoints: 14, Edge: 0.01})
	p, s := w.plan()
	return p, s, w.units()
}

// BenchmarkCompute100k is the compute path on 1,000 territories of 60
// vertices and 100,000 accounts.
func BenchmarkCompute100k(b *testing.B) {
	p, s, _ := benchWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := assign.Compute(p, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocator100k is the locator path (index build and every account
// located) on the same data.
func BenchmarkLocator100k(b *testing.B) {
	p, _, units := benchWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		l := assign.NewLocator(units)
		for a := range p.Accounts {
			l.Locate(p.Accounts[a].Loc)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

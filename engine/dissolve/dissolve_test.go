package dissolve_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"territoria/engine"
	"territoria/engine/dissolve"
	"territoria/engine/internal/synth"
)

// grid builds cols × rows unit squares of side 1 with their border arcs
// (one arc per square side, the unit on the left).
func grid(cols, rows int) ([]engine.Unit, []engine.Border) {
	cell := func(i, j int) int32 {
		if i < 0 || j < 0 || i >= cols || j >= rows {
			return engine.NoIndex
		}
		return int32(j*cols + i)
	}
	pt := func(i, j int) orb.Point { return orb.Point{float64(i), float64(j)} }
	var borders []engine.Border
	add := func(a, b orb.Point, left, right int32) {
		ls := orb.LineString{a, b}
		if left == engine.NoIndex {
			ls = orb.LineString{b, a}
			left, right = right, engine.NoIndex
		}
		borders = append(borders, engine.Border{Line: ls, Left: left, Right: right})
	}
	for j := 0; j <= rows; j++ {
		for i := 0; i < cols; i++ {
			add(pt(i, j), pt(i+1, j), cell(i, j), cell(i, j-1)) // eastward: north side on the left
		}
	}
	for i := 0; i <= cols; i++ {
		for j := 0; j < rows; j++ {
			add(pt(i, j), pt(i, j+1), cell(i-1, j), cell(i, j)) // northward: west side on the left
		}
	}
	units := make([]engine.Unit, cols*rows)
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			u := &units[cell(i, j)]
			u.ID = fmt.Sprintf("u%d_%d", i, j)
			u.Geom = orb.MultiPolygon{{{pt(i, j), pt(i+1, j), pt(i+1, j+1), pt(i, j+1), pt(i, j)}}}
		}
	}
	return units, borders
}

// checkRings verifies the right-hand rule, closed rings and rings that do
// not pass through a vertex twice.
func checkRings(t *testing.T, mp orb.MultiPolygon) {
	t.Helper()
	for pi, p := range mp {
		for ri, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Fatalf("polygon %d ring %d is not closed: %v", pi, ri, r)
			}
			a := planar.Area(orb.Polygon{r})
			if o := r.Orientation(); (ri == 0) != (o == orb.CCW) {
				t.Errorf("polygon %d ring %d has orientation %v (area %g), want %s", pi, ri, o, a, map[bool]string{true: "CCW", false: "CW"}[ri == 0])
			}
			seen := map[orb.Point]bool{}
			for _, q := range r[:len(r)-1] {
				if seen[q] {
					t.Errorf("polygon %d ring %d passes %v twice", pi, ri, q)
				}
				seen[q] = true
			}
		}
	}
}

func TestOutlines(t *testing.T) {
	tests := []struct {
		name       string
		cols, rows int
		group      func(i, j int) int32
		n          int
		polygons   []int // per group: number of polygons
		holes      []int // per group: number of holes
	}{
		{"one group", 3, 2, func(i, j int) int32 { return 0 }, 1, []int{1}, []int{0}},
		{"two halves", 4, 2, func(i, j int) int32 { return int32(i / 2) }, 2, []int{1, 1}, []int{0, 0}},
		{"checkerboard touches at corners", 2, 2, func(i, j int) int32 { return int32((i + j) % 2) }, 2, []int{2, 2}, []int{0, 0}},
		{"ring around a hole", 3, 3, func(i, j int) int32 {
			if i == 1 && j == 1 {
				return 1
			}
			return 0
		}, 2, []int{1, 1}, []int{1, 0}},
		{"hole left unassigned", 3, 3, func(i, j int) int32 {
			if i == 1 && j == 1 {
				return engine.NoIndex
			}
			return 0
		}, 1, []int{1}, []int{0 + 1}},
		{"hole touching the outside at a corner", 3, 3, func(i, j int) int32 {
			if (i == 1 && j == 1) || (i == 2 && j == 2) {
				return engine.NoIndex
			}
			return 0
		}, 1, []int{1}, []int{1}},
		{"two islands", 3, 1, func(i, j int) int32 {
			if i == 1 {
				return engine.NoIndex
			}
			return 0
		}, 1, []int{2}, []int{0}},
		{"empty group", 2, 1, func(i, j int) int32 { return 0 }, 2, []int{1, 0}, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			units, borders := grid(tc.cols, tc.rows)
			group := make([]int32, len(units))
			for j := 0; j < tc.rows; j++ {
				for i := 0; i < tc.cols; i++ {
					group[j*tc.cols+i] = tc.group(i, j)
				}
			}
			out, problems, err := dissolve.Outlines(units, borders, group, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			for g := 0; g < tc.n; g++ {
				mp := out[g]
				checkRings(t, mp)
				if len(mp) != tc.polygons[g] {
					t.Errorf("group %d: %d polygons, want %d: %v", g, len(mp), tc.polygons[g], mp)
				}
				holes := 0
				for _, p := range mp {
					holes += len(p) - 1
				}
				if holes != tc.holes[g] {
					t.Errorf("group %d: %d holes, want %d", g, holes, tc.holes[g])
				}
				want := 0.0
				for u, gg := range group {
					if gg == int32(g) {
						want += planar.Area(units[u].Geom)
					}
				}
				if got := dissolve.SignedArea(mp); math.Abs(got-want) > 1e-9 {
					t.Errorf("group %d: area %g, want %g", g, got, want)
				}
			}
		})
	}
}

func TestOutlinesFallback(t *testing.T) {
	tests := []struct {
		name   string
		mangle func(units []engine.Unit, borders []engine.Border) []engine.Border
		reason string
	}{
		{"no arcs at all", func(u []engine.Unit, b []engine.Border) []engine.Border { return nil }, "has no border arcs"},
		{"an arc missing", func(u []engine.Unit, b []engine.Border) []engine.Border { return b[1:] }, "open"},
		{"an arc moved", func(u []engine.Unit, b []engine.Border) []engine.Border {
			b[0].Line = orb.LineString{{0, 0}, {0.5, -0.5}, {1, 0}}
			return b
		}, "enclose"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			units, borders := grid(2, 2)
			borders = tc.mangle(units, borders)
			group := []int32{0, 0, 0, 0}
			out, problems, err := dissolve.Outlines(units, borders, group, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || !contains(problems[0].Reason, tc.reason) {
				t.Fatalf("problems %v, want one saying %q", problems, tc.reason)
			}
			if len(out[0]) != 4 {
				t.Errorf("fallback has %d polygons, want the 4 units", len(out[0]))
			}
			checkRings(t, out[0])
			if got := dissolve.SignedArea(out[0]); math.Abs(got-4) > 1e-12 {
				t.Errorf("fallback area %g, want 4", got)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestOutlinesErrors(t *testing.T) {
	units, borders := grid(2, 1)
	tests := []struct {
		name    string
		group   []int32
		n       int
		borders []engine.Border
	}{
		{"short group", []int32{0}, 1, borders},
		{"group out of range", []int32{0, 3}, 2, borders},
		{"arc to a missing unit", []int32{0, 0}, 1, []engine.Border{{Line: orb.LineString{{0, 0}, {1, 0}}, Left: 9, Right: engine.NoIndex}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := dissolve.Outlines(units, tc.borders, tc.group, tc.n); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// TestOutlinesSynthetic dissolves the territories of synthetic plans
// (jittered, wiggly borders) and random groupings of their units.
func TestOutlinesSynthetic(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			p := synth.Plan(synth.Config{Seed: seed, Cols: 24, Rows: 18, Territories: 20, Unassigned: 0.1})
			rng := rand.New(rand.NewPCG(seed, 7))
			n := 1 + rng.IntN(12)
			group := make([]int32, len(p.Units))
			for u := range group {
				group[u] = int32(rng.IntN(n+1)) - 1 // NoIndex sometimes
			}
			t.Logf("seed %d, %d groups", seed, n)
			checkGrouping(t, p, group, n)
		})
	}
}

func checkGrouping(t *testing.T, p *engine.Plan, group []int32, n int) {
	t.Helper()
	out, problems, err := dissolve.Outlines(p.Units, p.Borders, group, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for g := 0; g < n; g++ {
		checkRings(t, out[g])
		want := 0.0
		for u, gg := range group {
			if gg == int32(g) {
				want += planar.Area(p.Units[u].Geom)
			}
		}
		if got := dissolve.SignedArea(out[g]); math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Errorf("group %d: area %g, want %g", g, got, want)
		}
	}
}

func FuzzOutlines(f *testing.F) {
	f.Add(uint64(1), uint8(3))
	f.Add(uint64(99), uint8(1))
	f.Fuzz(func(t *testing.T, seed uint64, k uint8) {
		n := int(k%16) + 1
		p := synth.Plan(synth.Config{Seed: seed, Cols: 8, Rows: 6, ArcPoints: 2, Territories: 4})
		rng := rand.New(rand.NewPCG(seed, uint64(k)))
		group := make([]int32, len(p.Units))
		for u := range group {
			group[u] = int32(rng.IntN(n+1)) - 1
		}
		checkGrouping(t, p, group, n)
	})
}

func BenchmarkOutlines(b *testing.B) {
	p := synth.Plan(synth.Config{Seed: 1, Territories: 100})
	group := make([]int32, len(p.Units))
	for u := range group {
		group[u] = int32(u*100/len(group)) % 100
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := dissolve.Outlines(p.Units, p.Borders, group, 100); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOutlinesBridgesSmallGaps: arcs whose ends miss each other by a few
// metres (common in boundary data) still close into a ring.
func TestOutlinesBridgesSmallGaps(t *testing.T) {
	units, borders := grid(2, 2)
	for i := range borders {
		if borders[i].Line[0] == (orb.Point{1, 0}) {
			borders[i].Line = append(orb.LineString{{1, 1e-5}}, borders[i].Line[1:]...)
		}
	}
	out, problems, err := dissolve.Outlines(units, borders, []int32{0, 0, 0, 0}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(out[0]) != 1 {
		t.Fatalf("%d polygons, want 1", len(out[0]))
	}
	checkRings(t, out[0])
}

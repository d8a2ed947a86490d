package geo

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	enginegeo "territoria/engine/geo"
)

// quantized builds a topology document from absolute integer arcs, delta
// encoding them as TopoJSON asks, with the given objects JSON.
func quantized(t testing.TB, arcs [][][2]int, objects string) string {
	t.Helper()
	enc := make([][][2]int, len(arcs))
	for i, a := range arcs {
		var px, py int
		for _, p := range a {
			enc[i] = append(enc[i], [2]int{p[0] - px, p[1] - py})
			px, py = p[0], p[1]
		}
	}
	b, err := json.Marshal(enc)
	if err != nil {
		t.Fatal(err)
	}
	return `{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[10,20]},` +
		`"objects":` + objects + `,"arcs":` + string(b) + `}`
}

// threeUnits is A = [0,4]x[0,4] with a hole, B = [4,8]x[0,4] sharing A's
// east edge, and C filling A's hole, in quantized coordinates.
func threeUnits(t testing.TB) *Topology {
	arcs := [][][2]int{
		{{4, 0}, {4, 4}},                         // 0: A|B
		{{4, 4}, {0, 4}, {0, 0}, {4, 0}},         // 1: A outside
		{{4, 0}, {8, 0}, {8, 4}, {4, 4}},         // 2: B outside
		{{1, 1}, {3, 1}, {3, 3}, {1, 3}, {1, 1}}, // 3: hole of A = C
	}
	objects := `{"units":{"type":"GeometryCollection","geometries":[
		{"type":"Polygon","id":"A","arcs":[[0,1],[3]]},
		{"type":"Polygon","id":"B","arcs":[[2,-1]],"properties":{"name":"Bee"}},
		{"type":"MultiPolygon","id":7,"arcs":[[[-4]]]}]}}`
	top, err := DecodeTopoJSON(strings.NewReader(quantized(t, arcs, objects)))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func TestDecodeTopoJSON(t *testing.T) {
	top := threeUnits(t)
	gs := top.Objects["units"].Geometries
	if len(gs) != 3 {
		t.Fatalf("got %d geometries, want 3", len(gs))
	}
	t.Run("ids and properties", func(t *testing.T) {
		if gs[0].ID != "A" || gs[2].ID != "7" {
			t.Errorf("ids %q %q, want A 7", gs[0].ID, gs[2].ID)
		}
		if gs[1].Properties["name"] != "Bee" {
			t.Errorf("properties %v", gs[1].Properties)
		}
	})
	t.Run("arcs are delta decoded and transformed", func(t *testing.T) {
		want := orb.LineString{{12, 20}, {14, 20}, {14, 21}, {12, 21}}
		if !top.Arcs[2].Equal(want) {
			t.Errorf("arc 2 = %v, want %v", top.Arcs[2], want)
		}
	})
	t.Run("polygon with hole", func(t *testing.T) {
		mp, err := top.MultiPolygon(gs[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(mp) != 1 || len(mp[0]) != 2 {
			t.Fatalf("got %d polygons / rings %v", len(mp), mp)
		}
		if len(mp[0][0]) != 5 || mp[0][0][0] != mp[0][0][4] {
			t.Errorf("exterior %v: want 5 points, closed", mp[0][0])
		}
		if got := math.Abs(signedArea(mp[0][0])) - math.Abs(signedArea(mp[0][1])); got != 2-0.5 {
			t.Errorf("area %v, want 1.5", got)
		}
	})
	t.Run("reversed arc", func(t *testing.T) {
		mp, _ := top.MultiPolygon(gs[2])
		if len(mp) != 1 || signedArea(mp[0][0]) >= 0 {
			t.Errorf("C = %v, want one clockwise ring", mp)
		}
	})
}

func TestDecodeTopoJSONErrors(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"not json", `{`, "topojson"},
		{"not a topology", `{"type":"FeatureCollection"}`, "Topology"},
		{"bad transform", `{"type":"Topology","transform":{"scale":[1]},"objects":{},"arcs":[]}`, "transform"},
		{"short position", `{"type":"Topology","objects":{},"arcs":[[[1]]]}`, "arc 0 position 0"},
		{"arc out of range", `{"type":"Topology","objects":{"o":{"type":"Polygon","id":"x","arcs":[[0,1]]}},"arcs":[[[0,0],[1,1]]]}`, "out of range"},
		{"negative arc out of range", `{"type":"Topology","objects":{"o":{"type":"Polygon","arcs":[[-3]]}},"arcs":[[[0,0],[1,1]]]}`, "out of range"},
		{"unknown type", `{"type":"Topology","objects":{"o":{"type":"Circle"}},"arcs":[]}`, "Circle"},
		{"missing arcs", `{"type":"Topology","objects":{"o":{"type":"Polygon"}},"arcs":[]}`, "missing arcs"},
		{"deep nesting", `{"type":"Topology","objects":{"o":` + strings.Repeat(`{"type":"GeometryCollection","geometries":[`, 40) +
			strings.Repeat(`]}`, 40) + `},"arcs":[]}`, "nested"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeTopoJSON(strings.NewReader(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestBorders(t *testing.T) {
	top := threeUnits(t)
	gs := top.Objects["units"].Geometries
	t.Run("all units", func(t *testing.T) {
		units := []int32{0, 1, 2}
		borders, notes, err := top.Borders(gs, units)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 0 {
			t.Errorf("notes %v", notes)
		}
		if len(borders) != 4 {
			t.Fatalf("got %d borders, want one per arc (4)", len(borders))
		}
		checkSides(t, top, gs, units, borders)
		nb, err := Neighbors(borders, 3)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]int32{{1, 2}, {0}, {0}}
		for i := range want {
			if !equalInts(nb[i], want[i]) {
				t.Errorf("neighbours of %d = %v, want %v", i, nb[i], want[i])
			}
		}
	})
	t.Run("left out unit becomes outside", func(t *testing.T) {
		units := []int32{engine.NoIndex, 0, 1}
		borders, _, err := top.Borders(gs, units)
		if err != nil {
			t.Fatal(err)
		}
		if len(borders) != 3 {
			t.Fatalf("got %d borders, want 3 (A's outside arc dropped)", len(borders))
		}
		for _, b := range borders {
			if b.Left == engine.NoIndex || b.Right != engine.NoIndex {
				t.Errorf("border %+v: want a unit on the left and nothing on the right", b)
			}
		}
		checkSides(t, top, gs, units, borders)
	})
	t.Run("length mismatch", func(t *testing.T) {
		if _, _, err := top.Borders(gs, []int32{0}); err == nil {
			t.Error("want an error")
		}
	})
}

func TestNeighborsRejectsBadIndex(t *testing.T) {
	_, err := Neighbors([]engine.Border{{Left: 0, Right: 5}}, 2)
	if err == nil {
		t.Error("want an error for a border naming unit 5 of 2")
	}
}

// checkSides asserts that a point just left of each border's longest
// segment is inside the Left unit and a point just right is inside the
// Right unit (or no unit for NoIndex). It returns the share of borders
// that pass.
func checkSides(t *testing.T, top *Topology, gs []*Geometry, units []int32, borders []engine.Border) float64 {
	t.Helper()
	type unitPoly struct {
		unit int32
		mp   orb.MultiPolygon
		box  orb.Bound
	}
	var polys []unitPoly
	for i, g := range gs {
		if units[i] == engine.NoIndex {
			continue
		}
		mp, _ := top.MultiPolygon(g)
		mp, _ = Repair(mp)
		if len(mp) > 0 {
			polys = append(polys, unitPoly{units[i], mp, mp.Bound()})
		}
	}
	in := func(p orb.Point) int32 {
		found := engine.NoIndex
		for _, up := range polys {
			if up.box.Contains(p) && enginegeo.Contains(up.mp, p) {
				found = up.unit
			}
		}
		return found
	}
	ok := 0
	for _, b := range borders {
		best, bl := 0, -1.0
		for i := 1; i < len(b.Line); i++ {
			if l := math.Hypot(b.Line[i][0]-b.Line[i-1][0], b.Line[i][1]-b.Line[i-1][1]); l > bl {
				best, bl = i, l
			}
		}
		a, c := b.Line[best-1], b.Line[best]
		m := orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2}
		eps := 1e-4 * bl
		nx, ny := -(c[1]-a[1])/bl*eps, (c[0]-a[0])/bl*eps
		l, r := in(orb.Point{m[0] + nx, m[1] + ny}), in(orb.Point{m[0] - nx, m[1] - ny})
		if l == b.Left && r == b.Right {
			ok++
		} else if len(borders) < 10 {
			t.Errorf("border %v: left point in %d, right in %d; want %d and %d", b.Line, l, r, b.Left, b.Right)
		}
	}
	return float64(ok) / float64(len(borders))
}

func equalInts(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

const countiesPath = "../../frontend/node_modules/us-atlas/counties-10m.json"

// TestUSCounties runs the decoder, repair and borders over the Census
// county file shipped with us-atlas.
func TestUSCounties(t *testing.T) {
	f, err := os.Open(countiesPath)
	if err != nil {
		t.Skip("us-atlas not installed:", err)
	}
	defer f.Close()
	top, err := DecodeTopoJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	gs := top.Objects["counties"].Geometries
	if len(gs) < 3200 {
		t.Fatalf("%d counties, want more than 3,200", len(gs))
	}
	invalid, empty := 0, 0
	units := make([]int32, len(gs))
	for i, g := range gs {
		units[i] = int32(i)
		mp, err := top.MultiPolygon(g)
		if err != nil {
			t.Fatal(err)
		}
		if len(Validate(mp)) > 0 {
			invalid++
		}
		fixed, _ := Repair(mp)
		if len(fixed) == 0 {
			empty++
			if g.ID != "51610" {
				t.Errorf("county %s has nothing left after repair", g.ID)
			}
			continue
		}
		if p := Validate(fixed); len(p) > 0 {
			t.Errorf("county %s still invalid after repair: %v", g.ID, p)
		}
		if !Oriented(fixed) {
			t.Errorf("county %s not wound per RFC 7946 after repair", g.ID)
		}
		before, after := math.Abs(enginegeo.AreaKm2(mp)), enginegeo.AreaKm2(fixed)
		if math.Abs(before-after) > 0.01*before+1 {
			t.Errorf("county %s area %.1f km² became %.1f km²", g.ID, before, after)
		}
	}
	t.Logf("%d counties, %d invalid before repair, %d empty after", len(gs), invalid, empty)
	if invalid < 20 {
		t.Errorf("only %d invalid counties found; the file is known to hold at least 20", invalid)
	}
	if empty != 1 {
		t.Errorf("%d counties empty after repair, want 1 (Falls Church)", empty)
	}
	borders, notes, err := top.Borders(gs, units)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		t.Log(n)
	}
	nb, err := Neighbors(borders, len(gs))
	if err != nil {
		t.Fatal(err)
	}
	isolated := 0
	for i := range nb {
		if len(nb[i]) == 0 {
			isolated++
		}
	}
	share := checkSides(t, top, gs, units, borders)
	t.Logf("%d borders, %d counties without neighbours, %.2f%% of borders have the right units on each side", len(borders), isolated, 100*share)
	if share < 0.99 {
		t.Errorf("only %.2f%% of borders have the right units on their sides", 100*share)
	}
	if isolated > 20 {
		t.Errorf("%d counties without neighbours; only islands should have none", isolated)
	}
}

func FuzzDecodeTopoJSON(f *testing.F) {
	f.Add(quantized(f, [][][2]int{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, `{"a":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]]},{"type":"MultiPolygon","arcs":[[[-1]]]}]}}`))
	f.Add(`{"type":"Topology","objects":{"p":{"type":"Point","coordinates":[1,2]},"l":{"type":"LineString","arcs":[0]}},"arcs":[[[0,0],[1,1]]]}`)
	f.Add(`{"type":"Topology","objects":{"n":null},"arcs":[]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		top, err := DecodeTopoJSON(strings.NewReader(doc))
		if err != nil {
			return
		}
		for _, g := range top.Objects {
			gs := g.Geometries
			if gs == nil {
				gs = []*Geometry{g}
			}
			units := make([]int32, len(gs))
			for i, m := range gs {
				units[i] = int32(i)
				mp, err := top.MultiPolygon(m)
				if err != nil {
					units[i] = engine.NoIndex
					continue
				}
				Validate(mp)
				fixed, _ := Repair(mp)
				if len(Validate(fixed)) == 0 && !Oriented(fixed) {
					t.Errorf("repaired %v is valid but not oriented", fixed)
				}
			}
			borders, _, err := top.Borders(gs, units)
			if err != nil {
				t.Fatalf("Borders on decodable polygons: %v", err)
			}
			if _, err := Neighbors(borders, len(gs)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

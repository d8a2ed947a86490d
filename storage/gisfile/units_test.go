package gisfile

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"territoria/engine"
	enginegeo "territoria/engine/geo"
	"territoria/storage/geo"
)

const countiesPath = "../../frontend/node_modules/us-atlas/counties-10m.json"

// countiesGeoJSON writes the us-atlas counties as a GeoJSON
// FeatureCollection (what topojson-client's topo2geo makes of them) and
// returns its path.
func countiesGeoJSON(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(countiesPath); err != nil {
		t.Skip("us-atlas not installed:", err)
	}
	l := read(t, countiesPath, Options{Layer: "counties"})
	fc := geojson.NewFeatureCollection()
	for _, f := range l.Features {
		g := geojson.NewFeature(f.Geom)
		if len(f.Geom) == 1 {
			g = geojson.NewFeature(f.Geom[0])
		}
		g.ID = f.ID
		g.Properties = geojson.Properties(f.Properties)
		fc.Append(g)
	}
	data, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "counties.geojson")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func build(t testing.TB, l *Layer, opts UnitOptions) *UnitSet {
	t.Helper()
	us, err := BuildUnits(ctx, l, opts)
	if err != nil {
		t.Fatalf("BuildUnits: %v", err)
	}
	return us
}

func neighbourIDs(us *UnitSet, i int) []string {
	out := make([]string, 0, len(us.Units[i].Neighbors))
	for _, n := range us.Units[i].Neighbors {
		out = append(out, us.Units[n].ID)
	}
	slices.Sort(out)
	return out
}

// TestCountiesGeoJSONMatchesTopoJSON builds units from the us-atlas
// counties twice: from the TopoJSON (borders from its arcs) and from the
// same counties converted to GeoJSON (borders from quantized shared
// edges). Every county must have the same neighbours both ways.
func TestCountiesGeoJSONMatchesTopoJSON(t *testing.T) {
	gj := countiesGeoJSON(t)
	topo := build(t, read(t, countiesPath, Options{}), UnitOptions{})
	flat := build(t, read(t, gj, Options{}), UnitOptions{})
	for _, us := range []*UnitSet{topo, flat} {
		if len(us.Units) != 3230 || us.Rejected != 1 || us.Problems[0].ID == "" {
			t.Fatalf("%d units, %d rejected; want 3,230 and 1 (Falls Church)", len(us.Units), us.Rejected)
		}
		if us.IDField != FieldFeatureID || us.NameField != "name" || us.Level != "county" {
			t.Errorf("id %s name %s level %s", us.IDField, us.NameField, us.Level)
		}
		if us.Invalid < 20 {
			t.Errorf("%d invalid counties repaired; the file is known to hold at least 20", us.Invalid)
		}
	}
	for _, p := range topo.Problems {
		if strings.Contains(p.Message, "no area") && p.ID != "51610" {
			t.Errorf("county %s rejected: %s", p.ID, p.Message)
		}
	}
	pairs, differ := 0, 0
	for i := range topo.Units {
		if topo.Units[i].ID != flat.Units[i].ID {
			t.Fatalf("unit %d: %s from TopoJSON, %s from GeoJSON", i, topo.Units[i].ID, flat.Units[i].ID)
		}
		a, b := neighbourIDs(topo, i), neighbourIDs(flat, i)
		pairs += len(a)
		if !slices.Equal(a, b) {
			differ++
			t.Errorf("county %s %s: neighbours %v from TopoJSON, %v from GeoJSON", topo.Units[i].ID, topo.Units[i].Name, a, b)
		}
	}
	t.Logf("%d counties, %d neighbour pairs, %d borders from the topology, %d from shared edges, %d counties differ",
		len(topo.Units), pairs/2, len(topo.Borders), len(flat.Borders), differ)

	t.Run("units are valid", func(t *testing.T) {
		for _, u := range flat.Units {
			if p := geo.Validate(u.Geom); len(p) > 0 || !geo.Oriented(u.Geom) {
				t.Errorf("county %s: %v (oriented: %v)", u.ID, p, geo.Oriented(u.Geom))
			}
			if !(u.AreaKm2 > 0) || !enginegeo.Contains(u.Geom, u.Label) {
				t.Errorf("county %s: area %v, label %v outside", u.ID, u.AreaKm2, u.Label)
			}
			if len(u.ID) != 5 || u.Parent != u.ID[:2] {
				t.Errorf("county %s: parent %q", u.ID, u.Parent)
			}
		}
	})
	t.Run("border sides", func(t *testing.T) {
		share := checkSides(t, flat.Units, flat.Borders)
		if share < 0.99 {
			t.Errorf("only %.2f%% of borders have the right units on their sides", 100*share)
		}
	})
}

// checkSides returns the share of borders for which a point just left of
// the longest segment lies in Left and a point just right in Right (or in
// no unit for NoIndex).
func checkSides(t testing.TB, units []engine.Unit, borders []engine.Border) float64 {
	bounds := make([]orb.Bound, len(units))
	for i := range units {
		bounds[i] = units[i].Geom.Bound()
	}
	in := func(p orb.Point) int32 {
		found := engine.NoIndex
		for i := range units {
			if bounds[i].Contains(p) && enginegeo.Contains(units[i].Geom, p) {
				found = int32(i)
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
		if best == 0 {
			continue
		}
		a, c := b.Line[best-1], b.Line[best]
		m := orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2}
		eps := 1e-4 * bl
		nx, ny := -(c[1]-a[1])/bl*eps, (c[0]-a[0])/bl*eps
		l, r := in(orb.Point{m[0] + nx, m[1] + ny}), in(orb.Point{m[0] - nx, m[1] - ny})
		if l == b.Left && r == b.Right {
			ok++
		} else if len(borders) < 50 {
			t.Errorf("border %v: left point in %d, right in %d; want %d and %d", b.Line, l, r, b.Left, b.Right)
		}
	}
	return float64(ok) / float64(len(borders))
}

// TestBuildUnitsFromFixtures checks field detection, levels, parents and
// data on the GDAL-written files.
func TestBuildUnitsFromFixtures(t *testing.T) {
	cases := []struct {
		path                              string
		idField, nameField, parent, level string
		units                             int
		unit                              engine.Unit // ID, Name, Parent and Data checked
		// neighbours of unit; nil: those of the us-atlas topology among the layer's counties
		neighbours []string
	}{
		{"testdata/ct_ri_counties.zip", "GEOID", "NAME", "STATEFP", "county", 14,
			engine.Unit{ID: "44007", Name: "Providence", Parent: "44", Data: map[string]float64{"SEQ": 7}}, nil},
		{"testdata/ri_counties.kml", "GEOID", FieldFeatureName, "", "county", 5,
			engine.Unit{ID: "44007", Name: "Providence", Parent: "44"}, nil},
		{"testdata/beijing_gbk.shp", "adcode", "name", "", "district", 3,
			engine.Unit{ID: "110101", Name: "东城区", Parent: "110100", Data: map[string]float64{"人口": 708829}}, []string{"110102", "110105"}},
		{"testdata/ct_ri_3857.geojson", "GEOID", "NAME", "", "county", 13,
			engine.Unit{ID: "09011", Name: "New London", Parent: "09"}, nil},
	}
	var atlas map[string][]string // county → neighbours in the us-atlas topology
	if _, err := os.Stat(countiesPath); err == nil {
		us := build(t, read(t, countiesPath, Options{}), UnitOptions{})
		atlas = map[string][]string{}
		for i, u := range us.Units {
			atlas[u.ID] = neighbourIDs(us, i)
		}
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			us := build(t, read(t, c.path, Options{}), UnitOptions{})
			if us.IDField != c.idField || us.NameField != c.nameField || us.ParentField != c.parent || us.Level != c.level {
				t.Errorf("fields id %q name %q parent %q level %q; want %q %q %q %q", us.IDField, us.NameField, us.ParentField, us.Level,
					c.idField, c.nameField, c.parent, c.level)
			}
			if len(us.Units) != c.units || us.Rejected != 0 {
				t.Errorf("%d units, %d rejected: %v", len(us.Units), us.Rejected, us.Problems)
			}
			i := slices.IndexFunc(us.Units, func(u engine.Unit) bool { return u.ID == c.unit.ID })
			if i < 0 {
				t.Fatalf("no unit %s", c.unit.ID)
			}
			u := us.Units[i]
			if u.Name != c.unit.Name || u.Parent != c.unit.Parent || u.Level != c.level || !reflect.DeepEqual(u.Data, c.unit.Data) {
				t.Errorf("unit %+v", u)
			}
			if c.neighbours != nil {
				if got := neighbourIDs(us, i); !slices.Equal(got, c.neighbours) {
					t.Errorf("neighbours of %s: %v, want %v", u.ID, got, c.neighbours)
				}
			} else if atlas != nil {
				ids := map[string]bool{}
				for _, u := range us.Units {
					ids[u.ID] = true
				}
				for k, u := range us.Units {
					var want []string
					for _, n := range atlas[u.ID] {
						if ids[n] {
							want = append(want, n)
						}
					}
					if got := neighbourIDs(us, k); !slices.Equal(got, want) {
						t.Errorf("neighbours of %s: %v, want %v as in the topology", u.ID, got, want)
					}
				}
			}
			if share := checkSides(t, us.Units, us.Borders); share != 1 {
				t.Errorf("%.2f%% of borders have the right sides", 100*share)
			}
		})
	}
}

func layerOf(features ...Feature) *Layer {
	l := &Layer{Path: "t.geojson"}
	var fl fieldList
	for i := range features {
		if features[i].Number == 0 {
			features[i].Number = i + 1
		}
		var keys []string
		for k := range features[i].Properties {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		fl.add(keys)
	}
	l.Features = features
	l.Fields = fl.names
	return l
}

func sq(x, y, s float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}}
}

func TestBuildUnitsChoices(t *testing.T) {
	t.Run("duplicate ids merge", func(t *testing.T) {
		l := layerOf(
			Feature{Properties: map[string]any{"code": "A", "name": "Alpha"}, Geom: sq(0, 0, 1)},
			Feature{Properties: map[string]any{"code": "B", "name": "Beta"}, Geom: sq(1, 0, 1)},
			Feature{Properties: map[string]any{"code": "A", "name": "Alpha island"}, Geom: sq(5, 5, 1)},
		)
		us := build(t, l, UnitOptions{IDField: "code"})
		if len(us.Units) != 2 || len(us.Units[0].Geom) != 2 || !reflect.DeepEqual(us.Features, [][]int{{1, 3}, {2}}) {
			t.Errorf("units %+v features %v", us.Units, us.Features)
		}
		if len(us.Problems) != 1 || us.Problems[0].Feature != 3 || !strings.Contains(us.Problems[0].Message, "same id as feature 1") {
			t.Errorf("problems %v", us.Problems)
		}
	})
	t.Run("explicit fields", func(t *testing.T) {
		l := layerOf(
			Feature{ID: "f1", Properties: map[string]any{"k": 1.0, "label": "One"}, Geom: sq(0, 0, 1)},
			Feature{ID: "f2", Properties: map[string]any{"k": 2.0, "label": "Two"}, Geom: sq(1, 0, 1)},
		)
		us := build(t, l, UnitOptions{IDField: "K", NameField: "label", Level: "zone"})
		if us.Units[1].ID != "2" || us.Units[1].Name != "Two" || us.Units[1].Level != "zone" || us.IDField != "k" {
			t.Errorf("unit %+v, id field %q", us.Units[1], us.IDField)
		}
		us = build(t, l, UnitOptions{IDField: FieldNumber})
		if us.Units[0].ID != "1" {
			t.Errorf("numbered unit %+v", us.Units[0])
		}
		if _, err := BuildUnits(ctx, l, UnitOptions{IDField: "GEOID"}); err == nil || !strings.Contains(err.Error(), "k, label") {
			t.Errorf("missing field: %v", err)
		}
		if _, err := BuildUnits(ctx, l, UnitOptions{NameField: FieldFeatureName}); err == nil {
			t.Error("features without names: want an error")
		}
	})
	t.Run("no distinct ids", func(t *testing.T) {
		l := layerOf(
			Feature{Properties: map[string]any{"kind": "x"}, Geom: sq(0, 0, 1)},
			Feature{Properties: map[string]any{"kind": "x"}, Geom: sq(1, 0, 1)},
		)
		us := build(t, l, UnitOptions{})
		if us.IDField != FieldNumber || len(us.Notes) != 1 || us.Units[1].ID != "2" {
			t.Errorf("id field %q notes %v", us.IDField, us.Notes)
		}
	})
	t.Run("missing ids and empty shapes rejected", func(t *testing.T) {
		l := layerOf(
			Feature{Properties: map[string]any{"GEOID": "01"}, Geom: sq(0, 0, 1)},
			Feature{Properties: map[string]any{"GEOID": ""}, Geom: sq(1, 0, 1)},
			Feature{Properties: map[string]any{"GEOID": "03"}, Geom: orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}, {1, 1}}}}},
		)
		us, err := BuildUnits(ctx, l, UnitOptions{IDField: "GEOID"})
		if err != nil {
			t.Fatal(err)
		}
		if len(us.Units) != 1 || us.Rejected != 2 || us.Problems[0].Feature != 2 || us.Problems[1].Feature != 3 {
			t.Errorf("%d units, %d rejected: %v", len(us.Units), us.Rejected, us.Problems)
		}
	})
	t.Run("nothing usable", func(t *testing.T) {
		l := layerOf(Feature{Properties: map[string]any{"id": "a"}, Geom: orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}}}}})
		if _, err := BuildUnits(ctx, l, UnitOptions{}); err == nil || !strings.Contains(err.Error(), "feature 1") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("datav parents", func(t *testing.T) {
		l := layerOf(Feature{Properties: map[string]any{"adcode": 110101.0, "name": "东城区", "parent": `{"adcode":110000}`, "level": "district"}, Geom: sq(116, 39, 0.1)})
		us := build(t, l, UnitOptions{})
		if u := us.Units[0]; u.ID != "110101" || u.Parent != "110000" || u.Level != "district" || len(u.Data) != 0 {
			t.Errorf("unit %+v", u)
		}
	})
}

// TestBorders runs Borders on a 2×2 grid of squares, a unit with an
// enclave, and two polygons of one unit touching each other.
func TestBorders(t *testing.T) {
	hole := orb.Ring{{11, 1}, {11, 2}, {12, 2}, {12, 1}, {11, 1}} // clockwise: a hole
	enclave := orb.MultiPolygon{{{{11, 1}, {12, 1}, {12, 2}, {11, 2}, {11, 1}}}}
	cases := []struct {
		name       string
		geoms      []orb.MultiPolygon
		borders    int
		neighbours [][]int32
	}{
		{"grid", []orb.MultiPolygon{sq(0, 0, 1), sq(1, 0, 1), sq(0, 1, 1), sq(1, 1, 1)}, 8, [][]int32{{1, 2}, {0, 3}, {0, 3}, {1, 2}}},
		{"enclave", []orb.MultiPolygon{{{sq(10, 0, 3)[0][0], hole}}, enclave}, 2, [][]int32{{1}, {0}}},
		{"t-junction", []orb.MultiPolygon{sq(0, 0, 1), sq(1, 0, 1), sq(0, 1, 2)}, 6, [][]int32{{1, 2}, {0, 2}, {0, 1}}},
		{"t-junction off by a grid step", []orb.MultiPolygon{sq(0, 0, 1), sq(1, 0, 1), {{{{0, 1}, {2, 1 + 1e-7}, {2, 3}, {0, 3}, {0, 1}}}}}, 6, [][]int32{{1, 2}, {0, 2}, {0, 1}}},
		{"own polygons touch", []orb.MultiPolygon{append(sq(0, 0, 1), sq(1, 0, 1)...), {{{{0, 1}, {1, 1}, {2, 1}, {2, 3}, {0, 3}, {0, 1}}}}}, 5, [][]int32{{1}, {0}}},
		{"clockwise exterior", []orb.MultiPolygon{{{{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}}}, sq(1, 0, 1)}, 3, [][]int32{{1}, {0}}},
		{"repeated points and a near miss", []orb.MultiPolygon{
			{{{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
			{{{{1 + 1e-9, 0}, {2, 0}, {2, 1}, {1, 1 - 1e-9}, {1 + 1e-9, 0}}}}}, 3, [][]int32{{1}, {0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			borders, notes := Borders(c.geoms, 0)
			if len(borders) != c.borders || len(notes) != 0 {
				t.Errorf("%d borders %v, notes %v; want %d", len(borders), borders, notes, c.borders)
			}
			nb, err := geo.Neighbors(borders, len(c.geoms))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(nb, c.neighbours) {
				t.Errorf("neighbours %v, want %v", nb, c.neighbours)
			}
			units := make([]engine.Unit, len(c.geoms))
			for i, g := range c.geoms {
				fixed, _ := geo.Repair(g)
				units[i].Geom = fixed
			}
			if share := checkSides(t, units, borders); share != 1 {
				t.Errorf("%.0f%% of borders have the right sides", 100*share)
			}
		})
	}
	t.Run("overlap noted", func(t *testing.T) {
		_, notes := Borders([]orb.MultiPolygon{sq(0, 0, 1), sq(0, 0, 1), sq(0, 0, 1)}, 0)
		if len(notes) != 1 {
			t.Errorf("notes %v", notes)
		}
	})
}

package gisfile

import (
	"os"
	"slices"
	"testing"
)

func TestDescribe(t *testing.T) {
	cases := []struct {
		path                              string
		fields, idFields                  []string
		idField, nameField, parent, level string
		first                             map[string]string // field → value of the first feature
	}{
		{"testdata/ct_ri_counties.zip", []string{"GEOID", "NAME", "STATEFP", "SEQ", FieldNumber},
			[]string{"GEOID", "NAME", FieldNumber}, "GEOID", "NAME", "STATEFP", "county",
			map[string]string{"GEOID": "09001", "NAME": "Fairfield", "SEQ": "1", FieldNumber: "1"}},
		{"testdata/ri_counties.kml", []string{"GEOID", FieldFeatureName, FieldNumber},
			[]string{"GEOID", FieldFeatureName, FieldNumber}, "GEOID", FieldFeatureName, "", "county",
			map[string]string{FieldFeatureName: "Bristol", "GEOID": "44001"}},
		{"testdata/beijing_gbk.shp", nil, nil, "adcode", "name", "", "district",
			map[string]string{"adcode": "110101", "name": "东城区", "level": "district"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			l := read(t, c.path, Options{})
			d, err := Describe(l, 2)
			if err != nil {
				t.Fatal(err)
			}
			if c.fields != nil && !slices.Equal(d.Fields, c.fields) {
				t.Errorf("fields %q, want %q", d.Fields, c.fields)
			}
			if c.idFields != nil && !slices.Equal(d.IDFields, c.idFields) {
				t.Errorf("id fields %q, want %q", d.IDFields, c.idFields)
			}
			if d.IDField != c.idField || d.NameField != c.nameField || d.ParentField != c.parent || d.Level != c.level {
				t.Errorf("chose id %q name %q parent %q level %q; want %q %q %q %q", d.IDField, d.NameField, d.ParentField, d.Level,
					c.idField, c.nameField, c.parent, c.level)
			}
			// BuildUnits makes the same choices.
			us := build(t, l, UnitOptions{})
			if us.IDField != d.IDField || us.NameField != d.NameField || us.ParentField != d.ParentField || us.Level != d.Level {
				t.Errorf("BuildUnits chose %q %q %q %q", us.IDField, us.NameField, us.ParentField, us.Level)
			}
			if len(d.Sample) != 2 || !slices.Equal(d.SampleNumbers, []int{1, 2}) {
				t.Fatalf("sample %q numbers %v", d.Sample, d.SampleNumbers)
			}
			for f, want := range c.first {
				j := slices.Index(d.Fields, f)
				if j < 0 || d.Sample[0][j] != want {
					t.Errorf("first feature's %s: got %q (column %d), want %q", f, d.Sample[0], j, want)
				}
			}
		})
	}
}

func TestDescribeChoices(t *testing.T) {
	l := layerOf(
		Feature{ID: "a", Properties: map[string]any{"adcode": "110101", "kind": "x", "zip": "02903"}, Geom: sq(0, 0, 1)},
		Feature{ID: "b", Properties: map[string]any{"adcode": "110102", "kind": "x", "zip": "02904"}, Geom: sq(1, 0, 1)},
		Feature{ID: "c", Properties: map[string]any{"adcode": "110000", "kind": "x"}, Geom: sq(2, 0, 1)},
	)
	d, err := Describe(l, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"adcode", "kind", "zip", FieldFeatureID, FieldNumber}; !slices.Equal(d.Fields, want) {
		t.Errorf("fields %q, want %q", d.Fields, want)
	}
	if want := []string{"adcode", FieldFeatureID, FieldNumber}; !slices.Equal(d.IDFields, want) {
		t.Errorf("id fields %q, want %q (kind repeats, zip is missing once)", d.IDFields, want)
	}
	if d.IDField != "adcode" || d.Level != "district" || len(d.Sample) != 3 || d.Sample[2][2] != "" {
		t.Errorf("description %+v", d)
	}
	for field, want := range map[string]string{"adcode": "district", FieldFeatureID: "", "zip": "zip", FieldNumber: ""} {
		if got := LevelOf(l, field); got != want {
			t.Errorf("LevelOf(%s) = %q, want %q", field, got, want)
		}
	}
	if _, err := Describe(&Layer{Path: "/x/empty.geojson"}, 5); err == nil {
		t.Error("a layer without features was described")
	}
}

// BenchmarkDescribeCounties describes the 3,231 us-atlas counties (the
// layer read once): what the import wizard asks before a boundary import.
func BenchmarkDescribeCounties(b *testing.B) {
	if _, err := os.Stat(countiesPath); err != nil {
		b.Skip("us-atlas not installed:", err)
	}
	l := read(b, countiesPath, Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Describe(l, 20); err != nil {
			b.Fatal(err)
		}
	}
}

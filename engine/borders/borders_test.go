package borders_test

import (
	"strings"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/borders"
	"territoria/engine/geo"
	"territoria/engine/internal/synth"
)

// row builds a plan of three units in a row (west 0, middle 1, east 2) and a
// scenario with territories T1 and T2 under districts/regions as given.
func row(t *testing.T, assignUnits map[string]string, d1, d2 string) (*engine.Plan, *assign.State) {
	t.Helper()
	p := synth.Plan(synth.Config{Seed: 3, Cols: 3, Rows: 1, Territories: 1})
	s := &engine.Scenario{
		ID: "s",
		Territories: []engine.Territory{
			{ID: "RA", Name: "RA", Kind: engine.KindRegion},
			{ID: "RB", Name: "RB", Kind: engine.KindRegion},
			{ID: "DA", Name: "DA", Kind: engine.KindDistrict, Parent: "RA"},
			{ID: "DB", Name: "DB", Kind: engine.KindDistrict, Parent: "RA"},
			{ID: "DC", Name: "DC", Kind: engine.KindDistrict, Parent: "RB"},
			{ID: "T1", Name: "T1", Kind: engine.KindTerritory, Parent: d1},
			{ID: "T2", Name: "T2", Kind: engine.KindTerritory, Parent: d2},
		},
		UnitTerritory: assignUnits,
	}
	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

func TestCompute(t *testing.T) {
	// The row has 6 horizontal arcs (top and bottom of each unit), 2 outer
	// vertical arcs and 2 inner ones.
	cases := []struct {
		name                         string
		units                        map[string]string
		d1, d2                       string
		terr, district, region, edge int
	}{
		{"one territory", map[string]string{"U0": "T1", "U1": "T1", "U2": "T1"}, "DA", "DA", 0, 0, 0, 8},
		{"two territories, same district", map[string]string{"U0": "T1", "U1": "T1", "U2": "T2"}, "DA", "DA", 1, 0, 0, 8},
		{"two districts, same region", map[string]string{"U0": "T1", "U1": "T1", "U2": "T2"}, "DA", "DB", 1, 1, 0, 8},
		{"two regions", map[string]string{"U0": "T1", "U1": "T2", "U2": "T2"}, "DA", "DC", 1, 1, 1, 8},
		{"no district", map[string]string{"U0": "T1", "U1": "T2", "U2": "T2"}, "", "", 1, 1, 1, 8},
		{"east unit unassigned", map[string]string{"U0": "T1", "U1": "T1"}, "DA", "DA", 0, 0, 0, 6},
		{"middle unit unassigned", map[string]string{"U0": "T1", "U2": "T2"}, "DA", "DB", 0, 0, 0, 8},
		{"nothing assigned", map[string]string{}, "DA", "DA", 0, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, st := row(t, c.units, c.d1, c.d2)
			s, err := borders.Compute(p, st)
			if err != nil {
				t.Fatal(err)
			}
			got := [4]int{len(s.Territory), len(s.District), len(s.Region), len(s.Edge)}
			want := [4]int{c.terr, c.district, c.region, c.edge}
			if got != want {
				t.Errorf("territory, district, region, edge arcs = %v, want %v", got, want)
			}
		})
	}
	t.Run("bad unit index", func(t *testing.T) {
		p, st := row(t, map[string]string{}, "DA", "DA")
		p.Borders = append(p.Borders, engine.Border{Line: p.Borders[0].Line, Left: 0, Right: 9})
		if _, err := borders.Compute(p, st); err == nil || !strings.Contains(err.Error(), "unit 9") {
			t.Errorf("error %v, want one naming unit 9", err)
		}
	})
}

func TestLabels(t *testing.T) {
	p := synth.Plan(synth.Config{Seed: 8, Cols: 12, Rows: 10, Territories: 9, Polygons: 0})
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	labels := borders.Labels(p, st)
	if len(labels) != len(st.Nodes) {
		t.Fatalf("%d labels for %d nodes", len(labels), len(st.Nodes))
	}
	for i, l := range labels {
		if st.Nodes[i].Kind != engine.KindTerritory {
			if l.OK {
				t.Errorf("%s %s has a label", st.Nodes[i].Kind, st.Nodes[i].ID)
			}
			continue
		}
		if !l.OK {
			t.Errorf("territory %s has no label", st.Nodes[i].ID)
			continue
		}
		inside := false
		for u, tt := range st.UnitTerr {
			if tt == int32(i) && geo.Contains(p.Units[u].Geom, l.Point) {
				inside = true
			}
		}
		if !inside {
			t.Errorf("label of %s at %v is outside its units", st.Nodes[i].ID, l.Point)
		}
	}
	t.Run("block labels its middle unit", func(t *testing.T) {
		p := synth.Plan(synth.Config{Seed: 9, Cols: 3, Rows: 3, Territories: 1})
		st, err := assign.Compute(p, p.Scenarios[0])
		if err != nil {
			t.Fatal(err)
		}
		l := borders.Labels(p, st)[st.Node("T0")]
		if !geo.Contains(p.Units[4].Geom, l.Point) {
			t.Errorf("label %v is not in the middle unit", l.Point)
		}
	})
	t.Run("territory with only a polygon", func(t *testing.T) {
		p := synth.Plan(synth.Config{Seed: 10, Cols: 2, Rows: 2, Territories: 1, Accounts: 10, Polygons: 1})
		s := p.Scenarios[0]
		s.UnitTerritory = nil
		st, err := assign.Compute(p, s)
		if err != nil {
			t.Fatal(err)
		}
		l := borders.Labels(p, st)[st.Node("T0")]
		if !l.OK || !geo.PolygonContains(st.Nodes[st.Node("T0")].Polygon, l.Point) {
			t.Errorf("label %+v is not inside the drawn polygon", l)
		}
	})
}

package planfile

import (
	"errors"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/edit"
)

func square(x, y float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
}

// unitsPlan has units u1..u3 in two scenarios: s1 assigns u1 and u2 and
// locks u3; s2 assigns u3 and locks u1.
func unitsPlan() *engine.Plan {
	p := &engine.Plan{Name: "units", Currency: "USD"}
	for i, id := range []string{"u1", "u2", "u3"} {
		p.Units = append(p.Units, engine.Unit{ID: id, Name: id, Geom: square(float64(i), 0), Label: orb.Point{float64(i) + 0.5, 0.5},
			Data: map[string]float64{"population": float64(100 * (i + 1))}})
	}
	p.Borders = []engine.Border{{Line: orb.LineString{{1, 0}, {1, 1}}, Left: 0, Right: 1}}
	terr := []engine.Territory{{ID: "t1", Name: "T1", Kind: engine.KindTerritory}, {ID: "t2", Name: "T2", Kind: engine.KindTerritory}}
	p.Scenarios = []*engine.Scenario{
		{ID: "s1", Name: "One", Territories: terr, UnitTerritory: map[string]string{"u1": "t1", "u2": "t2"},
			LockedUnits: map[string]bool{"u3": true}},
		{ID: "s2", Name: "Two", Territories: terr, UnitTerritory: map[string]string{"u3": "t1"},
			LockedUnits: map[string]bool{"u1": true}},
	}
	return p
}

func TestReplaceUnits(t *testing.T) {
	f, _ := createTemp(t, unitsPlan())
	if _, err := f.ApplyEdit("s1", edit.Edit{Kind: "assign", Units: []edit.Move{{ID: "u3", From: "", To: "t1"}}}, testTime); err != nil {
		t.Fatal(err)
	}
	next := []engine.Unit{
		{ID: "u4", Name: "Four", Level: "county", Geom: square(5, 5), Neighbors: []int32{1}},
		{ID: "u2", Name: "Two again", Level: "county", Geom: square(1, 0), Neighbors: []int32{0}},
		{ID: "u3", Name: "Three", Level: "county", Geom: square(2, 0)},
	}
	borders := []engine.Border{{Line: orb.LineString{{5, 5}, {6, 5}}, Left: 0, Right: 1}, {Line: orb.LineString{{2, 0}, {2, 1}}, Left: 2, Right: engine.NoIndex}}
	ch, err := f.ReplaceUnits(next, borders)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("report", func(t *testing.T) {
		if ch.Added != 1 || ch.Kept != 2 || ch.Removed != 1 {
			t.Errorf("added/kept/removed %d/%d/%d, want 1/2/1", ch.Added, ch.Kept, ch.Removed)
		}
		want := []DroppedAssignment{{Scenario: "s1", Unit: "u1", Territory: "t1"}, {Scenario: "s2", Unit: "u1", Locked: true}}
		if !reflect.DeepEqual(ch.Dropped, want) {
			t.Errorf("dropped %+v, want %+v", ch.Dropped, want)
		}
		if !reflect.DeepEqual(ch.HistoriesCleared, []string{"s1"}) {
			t.Errorf("histories cleared %v, want [s1]", ch.HistoriesCleared)
		}
	})
	f = reopen(t, f)
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("units and borders", func(t *testing.T) {
		if !reflect.DeepEqual(p.Units, next) {
			t.Errorf("units %+v\nwant %+v", p.Units, next)
		}
		if !reflect.DeepEqual(p.Borders, borders) {
			t.Errorf("borders %+v", p.Borders)
		}
	})
	t.Run("assignments of kept units stay", func(t *testing.T) {
		s1, s2 := p.Scenario("s1"), p.Scenario("s2")
		if !reflect.DeepEqual(s1.UnitTerritory, map[string]string{"u2": "t2", "u3": "t1"}) || !reflect.DeepEqual(s1.LockedUnits, map[string]bool{"u3": true}) {
			t.Errorf("s1: %v locks %v", s1.UnitTerritory, s1.LockedUnits)
		}
		if !reflect.DeepEqual(s2.UnitTerritory, map[string]string{"u3": "t1"}) || len(s2.LockedUnits) != 0 {
			t.Errorf("s2: %v locks %v", s2.UnitTerritory, s2.LockedUnits)
		}
	})
	t.Run("the unit index follows", func(t *testing.T) {
		if err := f.SetUnitTerritory("s2", []string{"u4"}, "t2"); err != nil {
			t.Errorf("assigning a new unit: %v", err)
		}
		if err := f.SetUnitTerritory("s2", []string{"u1"}, "t2"); !errors.Is(err, ErrNotFound) {
			t.Errorf("assigning a removed unit: %v, want ErrNotFound", err)
		}
	})
	t.Run("history", func(t *testing.T) {
		if _, err := f.Undo("s1"); !errors.Is(err, ErrNothingToUndo) {
			t.Errorf("undo after the units changed: %v, want ErrNothingToUndo", err)
		}
	})
}

func TestReplaceUnitsKeepsHistoryWhenNothingIsRemoved(t *testing.T) {
	f, _ := createTemp(t, unitsPlan())
	if _, err := f.ApplyEdit("s1", edit.Edit{Kind: "assign", Units: []edit.Move{{ID: "u3", From: "", To: "t1"}}}, testTime); err != nil {
		t.Fatal(err)
	}
	p := unitsPlan()
	units := append(p.Units, engine.Unit{ID: "u5", Geom: square(9, 9)})
	ch, err := f.ReplaceUnits(units, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Added != 1 || ch.Kept != 3 || ch.Removed != 0 || len(ch.Dropped) != 0 || len(ch.HistoriesCleared) != 0 {
		t.Errorf("changes %+v", ch)
	}
	if _, err := f.Undo("s1"); err != nil {
		t.Errorf("undo: %v", err)
	}
}

func TestReplaceUnitsRejects(t *testing.T) {
	cases := []struct {
		name    string
		units   []engine.Unit
		borders []engine.Border
	}{
		{"empty id", []engine.Unit{{ID: ""}}, nil},
		{"duplicate id", []engine.Unit{{ID: "a"}, {ID: "a"}}, nil},
		{"neighbour out of range", []engine.Unit{{ID: "a", Neighbors: []int32{1}}}, nil},
		{"border left out of range", []engine.Unit{{ID: "a"}}, []engine.Border{{Left: 1, Right: engine.NoIndex}}},
		{"border right out of range", []engine.Unit{{ID: "a"}}, []engine.Border{{Left: 0, Right: -2}}},
	}
	f, _ := createTemp(t, unitsPlan())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.ReplaceUnits(c.units, c.borders)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			p, err := f.Load()
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Units) != 3 || len(p.Borders) != 1 || len(p.Scenario("s1").UnitTerritory) != 2 {
				t.Errorf("the plan changed: %d units, %d borders", len(p.Units), len(p.Borders))
			}
		})
	}
}

func TestReplaceUnitsReadOnly(t *testing.T) {
	f, path := createTemp(t, unitsPlan())
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	g, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.ReplaceUnits(nil, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("err = %v, want ErrReadOnly", err)
	}
}

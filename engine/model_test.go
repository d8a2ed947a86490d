package engine

import (
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

func TestScenarioCloneIsDeep(t *testing.T) {
	tests := []struct {
		name string
		s    *Scenario
	}{
		{"empty", &Scenario{ID: "a", Name: "A"}},
		{"full", &Scenario{
			ID: "a", Name: "A",
			Territories: []Territory{
				{ID: "t1", Kind: KindTerritory}, // no polygon
				{ID: "t2", Kind: KindTerritory, Polygon: orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}},
			},
			UnitTerritory:    map[string]string{"u1": "t1"},
			AccountTerritory: map[string]string{"a1": "t2"},
			LockedUnits:      map[string]bool{"u1": true},
			LockedAccounts:   map[string]bool{"a1": true},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.s.Clone("b", "B")
			if c.ID != "b" || c.Name != "B" {
				t.Fatalf("id/name %q/%q", c.ID, c.Name)
			}
			want := *tc.s
			want.ID, want.Name = "b", "B"
			if !reflect.DeepEqual(*c, want) {
				t.Fatalf("clone differs:\n got %+v\nwant %+v", *c, want)
			}
			if len(c.Territories) == 2 {
				c.Territories[1].Polygon[0][0][0] = 9
				c.UnitTerritory["u1"] = "t2"
				if tc.s.Territories[1].Polygon[0][0][0] == 9 || tc.s.UnitTerritory["u1"] != "t1" {
					t.Fatal("clone shares memory with the original")
				}
			}
		})
	}
}

func TestMonth(t *testing.T) {
	m := MonthOf(2026, 10)
	if m.Year() != 2026 || m.MonthNumber() != 10 || MonthOf(2027, 1)-m != 3 {
		t.Fatalf("month arithmetic: %d %d", m.Year(), m.MonthNumber())
	}
}

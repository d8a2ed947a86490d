package edit

import (
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
)

func scenario() *engine.Scenario {
	return &engine.Scenario{
		ID: "s",
		Territories: []engine.Territory{
			{ID: "D", Name: "District", Kind: engine.KindDistrict},
			{ID: "A", Name: "Alpha", Kind: engine.KindTerritory, Parent: "D"},
			{ID: "B", Name: "Beta", Kind: engine.KindTerritory, Parent: "D"},
		},
		UnitTerritory:    map[string]string{"u1": "A", "u2": "B"},
		AccountTerritory: map[string]string{"a1": "B"},
	}
}

func TestApplyThenInverseRestores(t *testing.T) {
	newT := engine.Territory{ID: "C", Name: "Gamma", Kind: engine.KindTerritory, Parent: "D",
		Polygon: orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}
	renamedB := engine.Territory{ID: "B", Name: "Beta 2", Kind: engine.KindTerritory, Parent: "D", Color: "#ff0000"}
	oldB := scenario().Territories[2]
	tests := []struct {
		name string
		e    Edit
	}{
		{"paint", Edit{Kind: KindPaint, Units: []Move{{"u1", "A", "B"}, {"u3", "", "A"}}}},
		{"same unit twice", Edit{Kind: KindPaint, Units: []Move{{"u1", "A", "B"}, {"u1", "B", ""}}}},
		{"override and back", Edit{Kind: KindMoveAccounts, Overrides: []Move{{"a1", "B", ""}, {"a2", "", "A"}}}},
		{"create and fill", Edit{Kind: KindCreate, Nodes: []NodeChange{{ID: "C", At: 3, After: &newT}}, Units: []Move{{"u2", "B", "C"}}}},
		{"update", Edit{Kind: KindUpdate, Nodes: []NodeChange{{ID: "B", At: 2, Before: &oldB, After: &renamedB}}}},
		{"empty and delete", Edit{Kind: KindDelete, Units: []Move{{"u2", "B", "A"}}, Overrides: []Move{{"a1", "B", "A"}},
			Nodes: []NodeChange{{ID: "B", At: 2, Before: &oldB}}}},
		{"locks", Edit{Kind: KindLock, UnitLocks: []LockChange{{"u1", true}}, AccountLocks: []LockChange{{"a1", true}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := scenario()
			if err := ApplyTo(s, tc.e); err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(normal(s), normal(scenario())) {
				t.Fatal("the edit changed nothing")
			}
			if err := ApplyTo(s, tc.e.Inverse()); err != nil {
				t.Fatal(err)
			}
			if got, want := normal(s), normal(scenario()); !reflect.DeepEqual(got, want) {
				t.Fatalf("after undo:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// normal makes empty and nil maps compare equal.
func normal(s *engine.Scenario) engine.Scenario {
	c := *s.Clone(s.ID, s.Name)
	for _, m := range []*map[string]string{&c.UnitTerritory, &c.AccountTerritory} {
		if len(*m) == 0 {
			*m = nil
		}
	}
	for _, m := range []*map[string]bool{&c.LockedUnits, &c.LockedAccounts} {
		if len(*m) == 0 {
			*m = nil
		}
	}
	return c
}

func TestApplyRefusesMismatch(t *testing.T) {
	other := engine.Territory{ID: "B", Name: "Not Beta", Kind: engine.KindTerritory}
	tests := []struct {
		name string
		e    Edit
		want string
	}{
		{"unit elsewhere", Edit{Units: []Move{{"u1", "B", "A"}}}, `unit "u1" is in "A"`},
		{"unknown target", Edit{Units: []Move{{"u1", "A", "Z"}}}, `unknown territory "Z"`},
		{"node differs", Edit{Nodes: []NodeChange{{ID: "B", Before: &other, After: &other}}}, "not as the edit expects"},
		{"create existing", Edit{Nodes: []NodeChange{{ID: "A", After: &other}}}, "already has it"},
		{"missing node", Edit{Nodes: []NodeChange{{ID: "Q", Before: &other}}}, `no node "Q"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := scenario()
			err := ApplyTo(s, tc.e)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if !reflect.DeepEqual(normal(s), normal(scenario())) {
				t.Fatal("a refused edit changed the scenario")
			}
		})
	}
}

func TestStructuralAndSummary(t *testing.T) {
	tr := engine.Territory{ID: "C"}
	if (Edit{Nodes: []NodeChange{{ID: "C", After: &tr}}}).Structural() != true {
		t.Error("a create is structural")
	}
	if (Edit{Nodes: []NodeChange{{ID: "C", Before: &tr, After: &tr}}}).Structural() {
		t.Error("an update is not structural")
	}
	if got := Summary(Edit{Kind: KindPaint, Units: []Move{{}, {}}, Overrides: []Move{{}}}); got != "paint: 2 units, 1 account" {
		t.Errorf("Summary = %q", got)
	}
}

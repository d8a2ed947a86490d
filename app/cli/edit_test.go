package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEditingCommands(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	area := filepath.Join(home, "area.geojson")
	os.WriteFile(area, []byte(`{"type":"Polygon","coordinates":[[[-97,38],[-95,38],[-95,40],[-97,40],[-97,38]]]}`), 0o644)
	code, out, e := run(t, home, "territory", "create", plan, "Kansas City", "--area", area, "--json")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, e)
	}
	var res EditJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Created == "" || res.Kind != "create" {
		t.Fatalf("create: %+v %v", res, err)
	}
	before := metricsOf(t, home, plan)
	if rowValues(before, res.Created)["accounts"] == 0 {
		t.Fatal("the drawn territory holds no accounts")
	}
	if code, _, e := run(t, home, "territory", "update", plan, res.Created, "--name", "KC Metro", "--lock"); code != 0 {
		t.Fatalf("update: %s", e)
	}
	// A locked territory refuses edits, with the reason.
	code, _, e = run(t, home, "territory", "delete", plan, res.Created)
	if code != 1 || !strings.Contains(e, "is locked") {
		t.Fatalf("deleting a locked territory: exit %d: %s", code, e)
	}
	code, out, _ = run(t, home, "history", plan, "--json")
	var hist []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &hist) != nil || len(hist) != 2 {
		t.Fatalf("history: exit %d: %s", code, out)
	}
	for i := 0; i < 2; i++ {
		if code, _, e := run(t, home, "undo", plan); code != 0 {
			t.Fatalf("undo: %s", e)
		}
	}
	if rowValues(metricsOf(t, home, plan), res.Created) != nil {
		t.Fatal("the territory is still there after undoing its creation")
	}
	if code, _, e := run(t, home, "undo", plan); code != 1 || !strings.Contains(e, "nothing to undo") {
		t.Fatalf("undo with an empty history: exit %d: %s", code, e)
	}
	if code, _, e := run(t, home, "redo", plan); code != 0 {
		t.Fatalf("redo: %s", e)
	}
	// Settings: read, change, and see the figures follow.
	code, out, _ = run(t, home, "settings", plan)
	if code != 0 || !strings.Contains(out, `"weeksPerYear": 46`) {
		t.Fatalf("settings: %s", out)
	}
	set := filepath.Join(home, "s.json")
	os.WriteFile(set, []byte(strings.Replace(out, `"weeksPerYear": 46`, `"weeksPerYear": 23`, 1)), 0o644)
	if code, _, e := run(t, home, "settings", plan, "--set", set); code != 0 {
		t.Fatalf("settings --set: %s", e)
	}
	after := metricsOf(t, home, plan)
	if a, b := rowValues(after, "plan")["capacityHours"], rowValues(before, "plan")["capacityHours"]; a*2 != b {
		t.Fatalf("halving the weeks: plan capacity %v → %v", b, a)
	}
	os.WriteFile(set, []byte(`{"weeksPerYear": -1}`), 0o644)
	if code, _, e := run(t, home, "settings", plan, "--set", set); code != 1 || !strings.Contains(e, "weeks per year") {
		t.Fatalf("bad settings: exit %d: %s", code, e)
	}
}

package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"territoria/app"
)

func run(t *testing.T, home string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		Version: "test", Assets: fstest.MapFS{"index.html": {Data: []byte("<html><head></head></html>")}},
		Stdout: &out, Stderr: &errb,
		Config: app.Config{SettingsPath: filepath.Join(home, "settings.json"), DataDir: home},
	})
	return code, out.String(), errb.String()
}

func TestDemoInfoAndScenarios(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, e)
	}
	code, out, e := run(t, home, "info", plan, "--json")
	if code != 0 {
		t.Fatalf("info: exit %d: %s", code, e)
	}
	var info InfoJSON
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("info --json is not JSON: %v\n%s", err, out)
	}
	if info.Accounts < 40000 || info.Units < 3000 || info.Reps < 30 || info.Scenarios != 1 || info.Territories < 30 || info.SchemaVersion != app.SchemaVersion() {
		t.Fatalf("unexpected demo info %+v", info)
	}

	steps := [][]string{
		{"scenario", "clone", plan, info.Active, "Rebalance A", "--json"},
		{"scenario", "create", plan, "Blank"},
		{"scenario", "rename", plan, "Blank", "Blank 2"},
		{"scenario", "delete", plan, "Blank 2"},
		{"scenario", "switch", plan, "Rebalance A"},
	}
	for _, s := range steps {
		if code, _, e := run(t, home, s...); code != 0 {
			t.Fatalf("%v: exit %d: %s", s, code, e)
		}
	}
	_, out, _ = run(t, home, "scenario", "list", plan, "--json")
	var list []app.ScenarioInfo
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Name != "Rebalance A" || list[1].Territories != info.Territories {
		t.Fatalf("scenarios after the steps: %+v", list)
	}
	_, out, _ = run(t, home, "info", plan, "--json")
	json.Unmarshal([]byte(out), &info)
	if info.Active != list[1].ID {
		t.Fatalf("switch did not persist: active %q", info.Active)
	}
}

func TestErrorsAndUsage(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"info without plan", []string{"info"}, 2, "usage: territoria info"},
		{"missing file", []string{"info", filepath.Join(home, "nope.territoria")}, 1, "cannot open"},
		{"bad flag", []string{"info", "x", "--nope"}, 2, "flag provided but not defined"},
		{"bad scenario action", []string{"scenario", "fly", "x"}, 2, `unknown action "fly"`},
		{"no window in headless build", []string{"window"}, 1, "no desktop window"},
		{"no args headless", []string{}, 2, "Usage: territoria"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, e := run(t, home, tc.args...)
			if code != tc.code || !strings.Contains(e, tc.err) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, e, tc.code, tc.err)
			}
		})
	}
}

func TestNewAndVersion(t *testing.T) {
	home := t.TempDir()
	code, out, e := run(t, home, "new", filepath.Join(home, "north"), "--currency", "cny", "--json")
	if code != 0 {
		t.Fatalf("new: %d %s", code, e)
	}
	var info app.PlanInfo
	json.Unmarshal([]byte(out), &info)
	if info.Currency != "CNY" || info.Name != "north" || info.Accounts != 0 {
		t.Fatalf("new plan info %+v", info)
	}
	if code, _, e := run(t, home, "new", filepath.Join(home, "north.territoria")); code != 1 || !strings.Contains(e, "already exists") {
		t.Fatalf("second new: %d %s", code, e)
	}
	_, out, _ = run(t, home, "version", "--json")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil || v["version"] != "test" || v["desktop"] != false {
		t.Fatalf("version --json: %s", out)
	}
}

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"territoria/app"
)

func metricsOf(t *testing.T, home, plan string, extra ...string) app.MetricsReport {
	t.Helper()
	code, out, e := run(t, home, append([]string{"metrics", plan, "--json"}, extra...)...)
	if code != 0 {
		t.Fatalf("metrics: exit %d: %s", code, e)
	}
	var rep app.MetricsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("metrics --json is not JSON: %v", err)
	}
	return rep
}

func rowValues(rep app.MetricsReport, id string) map[string]float64 {
	for _, r := range rep.Rows {
		if r.ID == id || (id == "plan" && r.Kind == "plan") {
			return r.Values
		}
	}
	return nil
}

func TestMetricsAndAssign(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	before := metricsOf(t, home, plan)
	if before.ScenarioID == "" || len(before.Rows) < 40 || len(before.Balance.Metrics) == 0 {
		t.Fatalf("metrics: %d rows, balance %+v", len(before.Rows), before.Balance)
	}
	// Territory sums equal the plan row.
	var sum float64
	for _, r := range before.Rows {
		if r.Kind == "territory" || r.Kind == "unassigned" {
			sum += r.Values["potential"]
		}
	}
	if p := rowValues(before, "plan")["potential"]; sum < p*(1-1e-9) || sum > p*(1+1e-9) {
		t.Fatalf("territories sum to %v, plan says %v", sum, p)
	}

	// A table with bad lines changes nothing and names every problem.
	bad := filepath.Join(home, "bad.csv")
	os.WriteFile(bad, []byte("unit_id,territory_id\n19153,T07\n99999,T07\n19169,NOPE\n"), 0o644)
	code, _, e := run(t, home, "assign", plan, "--units", bad)
	if code != 1 || !strings.Contains(e, `bad.csv row 3, column unit_id: unknown unit "99999"`) ||
		!strings.Contains(e, `bad.csv row 4, column territory_id: unknown territory "NOPE"`) {
		t.Fatalf("assign with bad lines: exit %d: %s", code, e)
	}
	if got := metricsOf(t, home, plan); rowValues(got, "T07")["units"] != rowValues(before, "T07")["units"] {
		t.Fatal("a refused table changed the plan")
	}

	// Iowa's Polk and Story counties into Illinois (T07).
	good := filepath.Join(home, "good.csv")
	os.WriteFile(good, []byte("unit_id,territory_id\n19153,T07\n19169,T07\n"), 0o644)
	code, out, e := run(t, home, "assign", plan, "--units", good, "--json")
	if code != 0 {
		t.Fatalf("assign: exit %d: %s", code, e)
	}
	var res AssignJSON
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.UnitsMoved != 2 || res.AccountsMoved == 0 {
		t.Fatalf("assign result %+v, %v", res, err)
	}
	after := metricsOf(t, home, plan)
	if d := rowValues(after, "T07")["units"] - rowValues(before, "T07")["units"]; d != 2 {
		t.Fatalf("T07 gained %v units, want 2", d)
	}
	if a, b := rowValues(after, "plan")["accounts"], rowValues(before, "plan")["accounts"]; a != b {
		t.Fatalf("plan accounts changed from %v to %v", b, a)
	}
	// The baseline of the edited scenario is its state before the edit.
	for _, r := range after.Rows {
		if r.ID == "T07" && r.Baseline["units"] != rowValues(before, "T07")["units"] {
			t.Fatalf("baseline units of T07 = %v", r.Baseline["units"])
		}
	}
}

func TestReadingCommandsLeaveRecentPlansAlone(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	before, _ := os.ReadFile(filepath.Join(home, "settings.json"))
	for _, args := range [][]string{{"info", plan}, {"metrics", plan}, {"history", plan}, {"reps", plan}} {
		if code, _, e := run(t, home, args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	after, _ := os.ReadFile(filepath.Join(home, "settings.json"))
	if string(before) != string(after) {
		t.Fatalf("reading commands changed the settings:\nbefore %s\nafter  %s", before, after)
	}
}

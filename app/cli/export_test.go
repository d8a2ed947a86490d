package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"territoria/app"
	"territoria/storage/planfile"
)

// editedDemo writes the demo plan, clones its scenario as "Original" and
// changes the current one: two Iowa counties to Illinois and three
// accounts overridden into Texas.
func editedDemo(t *testing.T, home string) string {
	t.Helper()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	if code, _, e := run(t, home, "scenario", "clone", plan, "current", "Original"); code != 0 {
		t.Fatalf("clone: %s", e)
	}
	units := filepath.Join(home, "edit-units.csv")
	os.WriteFile(units, []byte("unit_id,territory_id\n19153,T07\n19169,T07\n"), 0o644)
	accounts := filepath.Join(home, "edit-accounts.csv")
	os.WriteFile(accounts, []byte("account_id,territory_id\nACC-00001,T35\nACC-00002,T35\nACC-00003,T35\n"), 0o644)
	if code, _, e := run(t, home, "assign", plan, "--units", units, "--accounts", accounts); code != 0 {
		t.Fatalf("assign: %s", e)
	}
	return plan
}

func exportJSON(t *testing.T, home string, args ...string) app.ExportResult {
	t.Helper()
	code, out, e := run(t, home, append(append([]string{"export"}, args...), "--json")...)
	if code != 0 {
		t.Fatalf("export %v: exit %d: %s", args, code, e)
	}
	var res app.ExportResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("export --json: %v\n%s", err, out)
	}
	return res
}

// sameFigures compares the values of every row of two reports.
func sameFigures(t *testing.T, a, b app.MetricsReport) {
	t.Helper()
	if len(a.Rows) != len(b.Rows) {
		t.Fatalf("%d rows against %d", len(a.Rows), len(b.Rows))
	}
	for i := range a.Rows {
		if a.Rows[i].ID != b.Rows[i].ID || !reflect.DeepEqual(a.Rows[i].Values, b.Rows[i].Values) {
			t.Fatalf("row %d differs:\n%s %v\n%s %v", i, a.Rows[i].ID, a.Rows[i].Values, b.Rows[i].ID, b.Rows[i].Values)
		}
	}
	if !reflect.DeepEqual(a.Balance, b.Balance) {
		t.Fatalf("balance differs: %+v against %+v", a.Balance, b.Balance)
	}
}

// TestExportCSVRoundTrip: the alignment tables export writes are what
// `territoria assign` reads; applied to the original scenario they give
// the edited scenario's figures exactly.
func TestExportCSVRoundTrip(t *testing.T) {
	home := t.TempDir()
	plan := editedDemo(t, home)
	want := metricsOf(t, home, plan)
	for _, tc := range []struct {
		name     string
		accounts string
	}{{"units and overrides", "overrides.csv"}, {"units and every account", "accounts.csv"}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(home, "csv-"+strings.ReplaceAll(tc.name, " ", "-"))
			res := exportJSON(t, home, plan, "--csv", dir)
			if len(res.Files) != 4 {
				t.Fatalf("files %v", res.Files)
			}
			copyName := "Copy " + tc.name
			if code, _, e := run(t, home, "scenario", "clone", plan, "Original", copyName); code != 0 {
				t.Fatalf("clone: %s", e)
			}
			if code, _, e := run(t, home, "assign", plan, "--scenario", copyName, "--units", filepath.Join(dir, "units.csv"), "--accounts", filepath.Join(dir, tc.accounts)); code != 0 {
				t.Fatalf("assign the exported tables: %s", e)
			}
			got := metricsOf(t, home, plan, "--scenario", copyName)
			sameFigures(t, want, got)
		})
	}
}

// TestExportShareReopens: a shared copy gives the same figures, tells where
// it came from, and a read-only copy refuses edits.
func TestExportShareReopens(t *testing.T) {
	home := t.TempDir()
	plan := editedDemo(t, home)
	want := metricsOf(t, home, plan)
	tests := []struct {
		name  string
		flags []string
	}{
		{"one scenario", nil},
		{"all scenarios, anonymised, read-only", []string{"--all-scenarios", "--anonymise", "--read-only"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(home, strings.ReplaceAll(tc.name, " ", "_")+".territoria")
			exportJSON(t, home, append([]string{plan, "--share", out}, tc.flags...)...)
			got := metricsOf(t, home, out)
			anon := len(tc.flags) > 0
			expect := want
			if anon { // rep names are their ids
				expect.Rows = append([]app.TerritoryRow(nil), want.Rows...)
				for i := range expect.Rows {
					if expect.Rows[i].RepID != "" {
						expect.Rows[i].Rep = expect.Rows[i].RepID
					}
				}
			}
			wantJSON, _ := json.Marshal(expect)
			if gotJSON, _ := json.Marshal(got); string(gotJSON) != string(wantJSON) {
				sameFigures(t, want, got)
				t.Fatal("metrics of the shared copy differ from the original's (baseline or names)")
			}
			f, err := planfile.Open(out, planfile.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			meta := f.Meta()
			p, _ := f.Load()
			f.Close()
			if meta.Provenance.FromScenario != "current" || meta.Provenance.ExportedAt.IsZero() {
				t.Errorf("provenance %+v", meta.Provenance)
			}
			if n := len(p.Scenarios); (anon && n != 2) || (!anon && n != 1) {
				t.Errorf("%d scenarios in the copy", n)
			}
			if anon && (p.Accounts[0].Name != p.Accounts[0].ID || p.Reps[0].Name != p.Reps[0].ID) {
				t.Errorf("names kept: %q %q", p.Accounts[0].Name, p.Reps[0].Name)
			}

			// Opening the copy shows where it came from; a read-only copy refuses edits.
			svc := app.NewPlanService(app.Config{DataDir: home})
			defer app.Shutdown(svc)
			info, err := svc.OpenPlan(out)
			if err != nil {
				t.Fatal(err)
			}
			pv, err := app.NewExportService(svc).Provenance()
			if err != nil || pv == nil || pv.FromScenario != "current" || pv.ReadOnly != anon {
				t.Errorf("provenance %+v, %v", pv, err)
			}
			if info.ReadOnly != anon {
				t.Errorf("opened read-only: %v", info.ReadOnly)
			}
			app.Shutdown(svc)
			units := filepath.Join(home, "u.csv")
			os.WriteFile(units, []byte("unit_id,territory_id\n19153,T08\n"), 0o644)
			code, _, e := run(t, home, "assign", out, "--units", units)
			if anon && (code == 0 || !strings.Contains(e, "read-only")) {
				t.Errorf("a read-only copy accepted an edit: exit %d %s", code, e)
			}
			if !anon && code != 0 {
				t.Errorf("the copy refused an edit: %s", e)
			}
		})
	}
}

// TestExportXLSXMatchesMetrics: the workbook's figures are those of
// `territoria metrics`.
func TestExportXLSXMatchesMetrics(t *testing.T) {
	home := t.TempDir()
	plan := editedDemo(t, home)
	rep := metricsOf(t, home, plan)
	path := filepath.Join(home, "plan.xlsx")
	exportJSON(t, home, plan, "--xlsx", path, "--baseline", "Original")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Territories", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byID := map[string]map[string]float64{}
	for _, r := range rep.Rows {
		byID[r.ID] = r.Values
	}
	n := 0
	for _, r := range rows[1:] {
		want := byID[r[0]]
		for header, metric := range map[string]string{"Accounts": "accounts", "Potential (USD)": "potential", "Revenue (12 months) (USD)": "revenue"} {
			got, err := strconv.ParseFloat(r[col[header]], 64)
			if err != nil || math.Abs(got-want[metric]) > 1e-6*math.Max(1, math.Abs(want[metric])) {
				t.Errorf("%s %s: %q, want %v", r[0], header, r[col[header]], want[metric])
			}
		}
		n++
	}
	if n != 40 {
		t.Errorf("%d territory rows", n)
	}
	changes, _ := f.GetRows("Changes")
	unitChanges, _ := f.GetRows("Unit changes")
	if len(unitChanges)-1 != 2 || len(changes)-1 < 3 {
		t.Errorf("change report: %d accounts, %d units", len(changes)-1, len(unitChanges)-1)
	}
}

func TestExportGISAndUsage(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	res := exportJSON(t, home, plan, "--geojson", filepath.Join(home, "plan.geojson"), "--no-accounts")
	if res.Layers["territories"] != 40 || res.Layers["accounts"] != 0 || len(res.Notes) != 0 {
		t.Errorf("layers %v, notes %v", res.Layers, res.Notes)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no output", []string{"export", plan}, 2, "usage"},
		{"unknown scenario", []string{"export", plan, "--scenario", "nope", "--xlsx", filepath.Join(home, "x.xlsx")}, 1, "nope"},
		{"unknown baseline", []string{"export", plan, "--baseline", "nope", "--xlsx", filepath.Join(home, "x.xlsx")}, 1, "baseline"},
		{"bad size", []string{"export", plan, "--png", filepath.Join(home, "x.png"), "--width", "-3"}, 2, "width"},
		{"not a plan", []string{"export", filepath.Join(home, "none.territoria"), "--xlsx", filepath.Join(home, "x.xlsx")}, 1, "none.territoria"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, e := run(t, home, tc.args...)
			if code != tc.code || !strings.Contains(e, tc.msg) {
				t.Errorf("exit %d, %q; want %d and %q", code, e, tc.code, tc.msg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(home, "x.xlsx")); err == nil {
		t.Error("a failed export left a file")
	}
}

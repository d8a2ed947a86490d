package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"territoria/app"
)

func TestImportCommand(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "p.territoria")
	if code, _, e := run(t, home, "new", plan); code != 0 {
		t.Fatalf("new: %s", e)
	}
	file := filepath.Join(home, "accounts.csv")
	os.WriteFile(file, []byte("Account ID,Name,Longitude,Latitude,Potential\nA1,One,-100,40,10\nA2,Two,-100,95,20\nA3,Three,-101,41,30\n"), 0o600)

	code, out, e := run(t, home, "import", plan, "--kind", "accounts", file, "--json")
	if code != 1 || !strings.Contains(e, "--good-rows") {
		t.Fatalf("rejected rows: exit %d, stderr %q", code, e)
	}
	var rep app.ImportReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Committed || rep.Rejected != 1 || rep.Rejects[0].Row != 3 || rep.Rejects[0].Code != "out-of-range" {
		t.Fatalf("report %+v", rep)
	}

	mapping := filepath.Join(home, "m.json")
	report := filepath.Join(home, "rejects.xlsx")
	code, out, e = run(t, home, "import", "--kind", "accounts", plan, file, "--good-rows", "--save-mapping", mapping, "--report", report)
	if code != 0 || !strings.Contains(out, "imported") {
		t.Fatalf("good rows: exit %d %s %s", code, out, e)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("report not written: %v", err)
	}
	code, out, _ = run(t, home, "import", plan, "--kind", "accounts", file, "--mapping", mapping, "--good-rows", "--json")
	json.Unmarshal([]byte(out), &rep)
	if code != 0 || rep.Unchanged != 2 || rep.Added != 0 {
		t.Errorf("re-import with a saved mapping: exit %d %+v", code, rep)
	}
	_, out, _ = run(t, home, "info", plan, "--json")
	var info InfoJSON
	json.Unmarshal([]byte(out), &info)
	if info.Accounts != 2 {
		t.Errorf("plan has %d accounts", info.Accounts)
	}

	for _, bad := range [][]string{
		{"import", plan, file},
		{"import", plan, "--kind", "accounts"},
	} {
		if code, _, _ := run(t, home, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	if code, _, e := run(t, home, "import", plan, "--kind", "accounts", filepath.Join(home, "missing.csv")); code != 1 || !strings.Contains(e, "missing.csv") {
		t.Errorf("missing file: exit %d %s", code, e)
	}
}

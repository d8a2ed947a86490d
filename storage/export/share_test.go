package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"territoria/storage/planfile"
)

func TestSharePlan(t *testing.T) {
	d := fixture(t, "en")
	dir := t.TempDir()
	src := filepath.Join(dir, "plan.territoria")
	f, err := planfile.Create(src, d.Plan, planfile.Meta{Created: d.Now, Modified: d.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	at := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		opts      ShareOptions
		scenarios int
		active    string
	}{
		{"all scenarios", ShareOptions{FromScenario: "s1", ExportedBy: "ann", Now: at}, 2, "s1"},
		{"one scenario, anonymised, read-only", ShareOptions{Scenario: "s0", FromScenario: "s0", Anonymise: true, ReadOnly: true, ExportedBy: "张三", Now: at}, 1, "s0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name+".territoria")
			if err := SharePlan(f, out, tc.opts); err != nil {
				t.Fatal(err)
			}
			c, err := planfile.Open(out, planfile.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			m := c.Meta()
			want := planfile.Provenance{ExportedBy: tc.opts.ExportedBy, ExportedAt: at, FromScenario: tc.active, ReadOnly: tc.opts.ReadOnly}
			if !m.Provenance.ExportedAt.Equal(at) || m.Provenance.ExportedBy != want.ExportedBy || m.Provenance.FromScenario != want.FromScenario || m.Provenance.ReadOnly != want.ReadOnly {
				t.Errorf("provenance %+v, want %+v", m.Provenance, want)
			}
			if m.ActiveScenario != tc.active {
				t.Errorf("active scenario %q, want %q", m.ActiveScenario, tc.active)
			}
			p, err := c.Load()
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Scenarios) != tc.scenarios || len(p.Accounts) != len(d.Plan.Accounts) {
				t.Fatalf("%d scenarios, %d accounts", len(p.Scenarios), len(p.Accounts))
			}
			raw, _ := os.ReadFile(out)
			for i, a := range p.Accounts {
				orig := d.Plan.Accounts[i]
				wantName := orig.Name
				if tc.opts.Anonymise {
					wantName = orig.ID
				}
				if a.Name != wantName || a.Potential != orig.Potential {
					t.Errorf("account %s: name %q potential %v", a.ID, a.Name, a.Potential)
				}
			}
			for _, r := range p.Reps {
				if tc.opts.Anonymise && r.Name != r.ID {
					t.Errorf("rep %s keeps its name %q", r.ID, r.Name)
				}
			}
			if tc.opts.Anonymise {
				// No freed page of the copy keeps a name.
				for _, name := range []string{"北京协和医院", "Ann Lee", "王伟"} {
					if bytes.Contains(raw, []byte(name)) {
						t.Errorf("the anonymised copy still contains %q", name)
					}
				}
			}
		})
	}
	t.Run("not onto itself", func(t *testing.T) {
		if err := SharePlan(f, src, ShareOptions{Now: at}); err == nil {
			t.Fatal("shared onto the open plan")
		}
	})
	t.Run("unknown scenario", func(t *testing.T) {
		out := filepath.Join(dir, "x.territoria")
		if err := SharePlan(f, out, ShareOptions{Scenario: "nope", Now: at}); err == nil {
			t.Fatal("no error")
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a failed share left a file")
		}
	})
}

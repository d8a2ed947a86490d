package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"territoria/app"
)

func TestQuotaAlertsTiers(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: %s", e)
	}
	t.Run("quota by week with a total", func(t *testing.T) {
		code, out, e := run(t, home, "quota", plan, "--period", "week", "--total", "1,000,000,001", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
		var q app.QuotaView
		if err := json.Unmarshal([]byte(out), &q); err != nil {
			t.Fatal(err)
		}
		if q.Total != 1000000001 || q.Period != "week" || q.Year != 2027 || !q.Seasonal {
			t.Fatalf("quota %d %s %d seasonal %v", q.Total, q.Period, q.Year, q.Seasonal)
		}
		var sum int64
		for _, r := range q.Rows {
			if r.Kind == "territory" {
				sum += r.Year
				var w int64
				for _, x := range r.Weeks {
					w += x.Quota
				}
				if w != r.Year {
					t.Fatalf("%s: weeks sum to %d, year %d", r.Name, w, r.Year)
				}
			}
		}
		if sum != q.Total {
			t.Fatalf("territories sum to %d", sum)
		}
	})
	t.Run("quota by quarter with growth, for people", func(t *testing.T) {
		code, out, e := run(t, home, "quota", plan, "--growth", "5%")
		if code != 0 || !strings.Contains(out, "+5.0 %") || !strings.Contains(out, "Illinois") {
			t.Fatalf("exit %d: %s%s", code, out, e)
		}
	})
	t.Run("wrong calls", func(t *testing.T) {
		for _, args := range [][]string{
			{"quota", plan, "--period", "fortnight"},
			{"quota", plan, "--total", "10", "--growth", "5%"},
			{"quota", plan, "--total", "lots"},
			{"alerts", plan, "--now", "yesterday"},
		} {
			if code, _, _ := run(t, home, args...); code == 0 {
				t.Errorf("%v: exit 0", args)
			}
		}
	})
	t.Run("alerts", func(t *testing.T) {
		code, out, e := run(t, home, "alerts", plan, "--now", "2026-11-15", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
		var a app.AlertsView
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatal(err)
		}
		if a.Now != "2026-11-15" || len(a.Alerts) == 0 {
			t.Fatalf("alerts %+v", a.Counts)
		}
		for _, al := range a.Alerts {
			if al.Territory == "" || al.Message == "" {
				t.Fatalf("alert %+v", al)
			}
		}
	})
	t.Run("tiers", func(t *testing.T) {
		code, out, e := run(t, home, "tiers", plan, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
		var tv app.TiersView
		if err := json.Unmarshal([]byte(out), &tv); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range tv.Classes {
			n += c.Accounts
		}
		if n < 45000 || len(tv.Flags) != 3 || tv.Metrics[0] != "tier.A" {
			t.Fatalf("tiers %+v", tv)
		}
	})
	t.Run("metrics carry the model's figures", func(t *testing.T) {
		v := rowValues(metricsOf(t, home, plan), "plan")
		for _, name := range []string{"travelHours", "projectedRevenue", "revenueLost", "revenueAtRisk", "repsNeeded", "roi", "tier.A", "golden"} {
			if _, ok := v[name]; !ok {
				t.Errorf("no %s in the plan row", name)
			}
		}
	})
}

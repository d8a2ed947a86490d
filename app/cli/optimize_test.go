package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"territoria/app"
)

func TestOptimizeCommand(t *testing.T) {
	home := t.TempDir()
	plan := filepath.Join(home, "demo.territoria")
	if code, _, e := run(t, home, "demo", plan); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, e)
	}
	code, out, e := run(t, home, "optimize", plan, "--territories", "10", "--balance", "population=100", "--tolerance", "5",
		"--contiguous", "--compactness", "60", "--seed", "3", "--effort", "0.2", "--into", "Ten", "--json")
	if code != 0 {
		t.Fatalf("optimize: exit %d: %s", code, e)
	}
	var res app.OptimizeResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	if res.Scenario.Name != "Ten" || res.Scenario.Territories != 10 || res.Report.Metrics[0].Metric != "population" || res.Report.NonContiguousAfter != 0 {
		t.Errorf("result %+v, report metrics %+v", res.Scenario, res.Report.Metrics)
	}
	// A rebalance of the new scenario, printed for people.
	code, out, e = run(t, home, "optimize", plan, "--from", "Ten", "--max-moved-revenue", "5", "--effort", "0.2")
	if code != 0 || !strings.Contains(out, "rebalance at units level") || !strings.Contains(out, "balance index") {
		t.Errorf("rebalance: exit %d: %s%s", code, out, e)
	}
	if _, list, _ := run(t, home, "scenario", "list", plan); !strings.Contains(list, "Ten (optimized)") {
		t.Errorf("scenarios:\n%s", list)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"optimize", plan}, "--territories"},
		{[]string{"optimize", plan, "--territories", "3", "--balance", "population"}, "metric=weight"},
		{[]string{"optimize"}, "usage"},
	} {
		if code, _, e := run(t, home, tc.args...); code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, e, tc.want)
		}
	}
	if code, _, e := run(t, home, "optimize", plan, "--territories", "3", "--balance", "height=1"); code != 1 || !strings.Contains(e, "unknown metric") {
		t.Errorf("unknown metric: exit %d, %q", code, e)
	}
}

package app

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestOptimizeServiceBuildAndRebalance(t *testing.T) {
	s, rec, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	o := NewOptimizeService(s)
	names, err := o.Metrics()
	if err != nil || !strings.Contains(strings.Join(names, ","), "population") || !strings.Contains(strings.Join(names, ","), "workloadHours") {
		t.Fatalf("metrics %v, %v", names, err)
	}
	before := len(s.plan.Scenarios)
	res, err := o.Run(OptimizeRequest{Territories: 12, Balance: map[string]float64{"population": 1}, Tolerance: 5,
		Contiguous: true, Compactness: 50, Seed: 1, Effort: 0.2, Into: "Twelve"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Scenario.Name != "Twelve" || res.Scenario.Territories != 12 || len(s.plan.Scenarios) != before+1 {
		t.Fatalf("result %+v; %d scenarios", res.Scenario, len(s.plan.Scenarios))
	}
	if rec.count(EventOptimizeProgress) == 0 || rec.count(EventScenariosChanged) == 0 {
		t.Errorf("events: %d progress, %d scenarios changed", rec.count(EventOptimizeProgress), rec.count(EventScenariosChanged))
	}
	if res.Report.Mode != "build" || res.Report.NonContiguousAfter != 0 {
		t.Errorf("report: mode %s, %d not contiguous", res.Report.Mode, res.Report.NonContiguousAfter)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("the result does not encode: %v", err)
	}
	// The new scenario is saved: it survives reopening the plan.
	path := s.path
	if err := Shutdown(s); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPlanWith(s, path, false); err != nil {
		t.Fatal(err)
	}
	if sc := s.plan.Scenario(res.Scenario.ID); sc == nil || len(sc.UnitTerritory) != len(s.plan.Units) {
		t.Fatalf("scenario %s not saved whole", res.Scenario.ID)
	}
	// A rebalance of the demo's scenario within a 10 % revenue cap.
	from := s.plan.Scenarios[0]
	res, err = o.Run(OptimizeRequest{From: from.Name, Tolerance: 5, Contiguous: true, MaxMovedRevenue: 10, Seed: 1, Effort: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if r.Mode != "rebalance" || !r.HasBefore || r.RevenueMovedShare > 0.1+1e-9 || r.IndexAfter < r.IndexBefore || len(r.Moves) == 0 {
		t.Errorf("rebalance: mode %s, moved %.3f of revenue, index %.1f → %.1f, %d moves", r.Mode, r.RevenueMovedShare, r.IndexBefore, r.IndexAfter, len(r.Moves))
	}
	if !r.HasProjected || r.ProjectedRevenueAfter <= 0 || r.ProjectedRevenueBefore <= 0 {
		t.Errorf("projected revenue %v → %v (model figures %v)", r.ProjectedRevenueBefore, r.ProjectedRevenueAfter, r.HasProjected)
	}
	if res.Scenario.Name != from.Name+" (optimized)" {
		t.Errorf("name %q", res.Scenario.Name)
	}
}

func TestOptimizeCancelKeepsBest(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	res, err := RunOptimize(ctx, s, OptimizeRequest{Territories: 8, Balance: map[string]float64{"population": 1}, Tolerance: 3, Contiguous: true, Seed: 1},
		func(OptimizeProgress) {
			if calls++; calls == 5 {
				cancel()
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Report.Cancelled || res.Scenario.Territories != 8 {
		t.Errorf("cancelled %v, %d territories", res.Report.Cancelled, res.Scenario.Territories)
	}
	if sc := s.plan.Scenario(res.Scenario.ID); sc == nil || len(sc.UnitTerritory) != len(s.plan.Units) {
		t.Error("the best so far was not saved whole")
	}
}

func TestOptimizeErrors(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := RunOptimize(context.Background(), s, OptimizeRequest{Territories: 2}, nil); !errors.Is(err, ErrNoPlan) {
		t.Errorf("no plan: %v", err)
	}
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		req  OptimizeRequest
		want string
	}{
		{"unknown scenario", OptimizeRequest{From: "nope"}, `no scenario with id or name "nope"`},
		{"bad mode", OptimizeRequest{Territories: 2, Mode: "shuffle"}, "mode"},
		{"bad level", OptimizeRequest{Territories: 2, Level: "zip"}, "level"},
		{"unknown metric", OptimizeRequest{Territories: 2, Balance: map[string]float64{"height": 1}}, `unknown metric "height"`},
		{"too few territories for the reps", OptimizeRequest{Territories: 2, RepHomes: true}, "reps have a home"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := RunOptimize(context.Background(), s, tc.req, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	o := NewOptimizeService(s)
	o.cancel = func() {}
	if _, err := o.Run(OptimizeRequest{Territories: 2}); !errors.Is(err, ErrOptimizeRunning) {
		t.Errorf("second run: %v", err)
	}
}

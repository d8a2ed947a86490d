package metrics_test

import (
	"math"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
)

// TestGroupValues checks the figures of ad-hoc groups against the groups
// the hierarchy already sums: each district's territories give the
// district's figures, all territories and the unassigned remainder give the
// plan's; and a rep's group holds the rep's whole capacity.
func TestGroupValues(t *testing.T) {
	p := smallPlan(61, 3000, 24)
	st, err := assign.Compute(p, p.Scenarios[0])
	if err != nil {
		t.Fatal(err)
	}
	cfg := modelConfig(p, 61)
	l, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	infos := l.Metrics()
	shape := map[string]bool{"perimeterKm": true, "compactness": true, "parts": true}
	same := func(what string, got []float64, want func(m metrics.Metric) float64) {
		t.Helper()
		for m, mi := range infos {
			g := got[m]
			if shape[mi.Name] {
				if !math.IsNaN(g) {
					t.Errorf("%s: %s = %v, want NaN (shapes do not add up)", what, mi.Name, g)
				}
				continue
			}
			w := want(metrics.Metric(m))
			if math.IsNaN(w) != math.IsNaN(g) || !math.IsNaN(w) && math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("%s: %s = %v, want %v", what, mi.Name, g, w)
			}
		}
	}
	children := map[int32][]int32{}
	var all []int32
	for i, n := range st.Nodes {
		if n.Kind == engine.KindTerritory {
			all = append(all, int32(i))
		}
		if n.Parent != "" {
			children[st.Node(n.Parent)] = append(children[st.Node(n.Parent)], int32(i))
		}
	}
	districts := 0
	for i, n := range st.Nodes {
		if n.Kind == engine.KindDistrict && len(children[int32(i)]) > 0 {
			districts++
			same("district "+n.Name, l.GroupValues(children[int32(i)]), func(m metrics.Metric) float64 { return l.Value(int32(i), m) })
		}
	}
	if districts == 0 {
		t.Fatal("the plan has no district with territories")
	}
	same("the plan", l.GroupValues(append(all, engine.NoIndex)), l.PlanValue)

	// Reps: a rep's territories share its capacity, so their group holds it whole.
	groups := metrics.RepGroups(st.Nodes)
	shared := 0
	for _, r := range p.Reps {
		ts := groups[r.ID]
		if len(ts) == 0 {
			continue
		}
		if len(ts) > 1 {
			shared++
		}
		v := l.GroupValues(ts)
		if want := r.CapacityHours * cfg.WeeksPerYear; math.Abs(v[metrics.CapacityHours]-want) > 1e-9*want {
			t.Errorf("rep %s over %d territories: capacity %v, want %v", r.ID, len(ts), v[metrics.CapacityHours], want)
		}
		for _, ti := range ts {
			if st.Nodes[ti].RepID != r.ID {
				t.Fatalf("rep %s's group holds territory %s of rep %q", r.ID, st.Nodes[ti].ID, st.Nodes[ti].RepID)
			}
		}
	}
	if shared == 0 {
		t.Fatal("no rep covers more than one territory; the test needs one")
	}
	empty := l.GroupValues(nil)
	if empty[metrics.Accounts] != 0 || !math.IsNaN(empty[metrics.Utilisation]) {
		t.Errorf("an empty group: accounts %v, utilisation %v", empty[metrics.Accounts], empty[metrics.Utilisation])
	}
}

package app

import (
	"maps"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"territoria/engine/metrics"
	"territoria/engine/model"
)

// TestModelOnTheDemo opens the demo and checks the planning model's
// figures, tiers, quotas and alerts through the services.
func TestModelOnTheDemo(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Territories()
	if err != nil {
		t.Fatal(err)
	}
	plan := valuesByID(rows)["plan"]
	for _, name := range []string{"travelHours", "projectedRevenue", "revenueAtRisk", "repsNeeded", "tier.A", "golden", "roi"} {
		if _, ok := plan[name]; !ok {
			t.Errorf("plan row has no %q", name)
		}
	}
	if plan["revenueAtRisk"] != 0 {
		t.Errorf("an unedited scenario has revenue at risk %v", plan["revenueAtRisk"])
	}
	if math.Abs(plan["tier.A"]+plan["tier.B"]+plan["tier.C"]-plan["accounts"]) > 0 {
		t.Errorf("tiers %v + %v + %v, accounts %v", plan["tier.A"], plan["tier.B"], plan["tier.C"], plan["accounts"])
	}
	if w := plan["visitHours"] + plan["travelHours"] + plan["adminHours"]; math.Abs(w-plan["workloadHours"]) > 1e-6*w {
		t.Errorf("workload %v, parts %v", plan["workloadHours"], w)
	}

	m := NewModelService(s)
	tiers, err := m.Tiers()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, c := range tiers.Classes {
		n += c.Accounts
	}
	if n != int(plan["accounts"]) || len(tiers.Flags) != 3 || tiers.Basis != "potential" {
		t.Fatalf("tiers %+v", tiers)
	}

	// Moving accounts to another rep puts their revenue at risk; the rows
	// of the edit show it, and undo takes it back.
	e := NewEditService(s)
	var from, to string
	for _, r := range rows {
		if r.Kind == "territory" && r.Values["revenue"] > 0 {
			if from == "" {
				from = r.ID
			} else if to == "" {
				to = r.ID
			}
		}
	}
	ids := accountsOf(t, s, from, 20)
	res, err := e.MoveAccounts(ids, to)
	if err != nil {
		t.Fatal(err)
	}
	after := valuesByID(res.Rows)
	if !(after[to]["revenueAtRisk"] > 0) || after[from]["revenueAtRisk"] != 0 {
		t.Fatalf("revenue at risk after moving 20 accounts: %v in %s, %v in %s", after[to]["revenueAtRisk"], to, after[from]["revenueAtRisk"], from)
	}
	if got, want := after[to]["revenueAtRisk"], 0.15*(after[to]["revenue"]-valuesByID(rows)[to]["revenue"]); math.Abs(got-want) > 1e-6*want {
		t.Fatalf("revenue at risk %v, want 15 %% of the revenue moved in (%v)", got, want)
	}
	// A view rebuilt for the same scenario (as exports do) keeps the
	// baseline's reps: the same revenue at risk.
	s.mu.Lock()
	sc := s.plan.Scenario(s.active)
	cv, err := buildView(s.plan, sc.Clone(sc.ID, sc.Name), s.view)
	if err != nil {
		s.mu.Unlock()
		t.Fatal(err)
	}
	again := valuesByID(territoryRows(s.plan, cv, s.baselineOf(cv)))
	s.mu.Unlock()
	if again[to]["revenueAtRisk"] != after[to]["revenueAtRisk"] {
		t.Fatalf("a rebuilt view shows revenue at risk %v, the panel %v", again[to]["revenueAtRisk"], after[to]["revenueAtRisk"])
	}
	al, err := m.Alerts()
	if err != nil {
		t.Fatal(err)
	}
	if al.Now != "2026-11-01" || len(al.Alerts) == 0 || al.Counts[model.RuleBalance] == 0 {
		t.Fatalf("alerts %+v", al.Counts)
	}
	un, err := e.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if v := valuesByID(un.Rows)["plan"]["revenueAtRisk"]; v != 0 {
		t.Fatalf("revenue at risk after undo %v", v)
	}

	for _, period := range []string{"quarter", "month", "week"} {
		g := 0.05
		q, err := m.Quotas(QuotaRequest{Period: period, Growth: &g})
		if err != nil {
			t.Fatal(err)
		}
		checkQuotaView(t, q, plan["revenue"]*1.05)
	}
	if _, err := m.Quotas(QuotaRequest{Period: "fortnight"}); err == nil {
		t.Fatal("quota period fortnight accepted")
	}
}

// accountsOf returns up to n ids of accounts of territory id.
func accountsOf(t *testing.T, s *PlanService, id string, n int) []string {
	t.Helper()
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := s.view.st()
	node := st.Node(id)
	var out []string
	for a, terr := range st.AccountTerr {
		if terr == node && s.plan.Accounts[a].Revenue12() > 0 {
			out = append(out, s.plan.Accounts[a].ID)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// checkQuotaView checks that every level of a quota view adds up: the
// territories to the total, the children of a node to the node, quarters to
// the year, months to quarters and weeks to months.
func checkQuotaView(t *testing.T, q QuotaView, total float64) {
	t.Helper()
	if math.Abs(float64(q.Total)-total) > 0.5 {
		t.Fatalf("%s: total %d, want %.0f", q.Period, q.Total, total)
	}
	var terr int64
	children := map[int]int64{}
	for i, r := range q.Rows {
		if r.Kind == "territory" {
			terr += r.Year
		}
		var qs int64
		for _, v := range r.Quarters {
			qs += v
		}
		if qs != r.Year {
			t.Fatalf("%s %s: quarters %v, year %d", q.Period, r.Name, r.Quarters, r.Year)
		}
		if r.Months != nil {
			for k := 0; k < 4; k++ {
				if r.Months[3*k]+r.Months[3*k+1]+r.Months[3*k+2] != r.Quarters[k] {
					t.Fatalf("%s %s: months %v, quarter %d = %d", q.Period, r.Name, r.Months, k+1, r.Quarters[k])
				}
			}
		}
		if q.Period == "week" {
			var byMonth [12]int64
			for _, w := range r.Weeks {
				byMonth[w.Month-1] += w.Quota
			}
			if byMonth != *r.Months {
				t.Fatalf("%s: weeks %v, months %v", r.Name, byMonth, *r.Months)
			}
		}
		// Children follow their parent depth first.
		if r.Kind != "plan" {
			for j := i - 1; j >= 0; j-- {
				if q.Rows[j].Depth == r.Depth-1 {
					children[j] += r.Year
					break
				}
			}
		}
	}
	if terr != q.Total || q.Rows[len(q.Rows)-1].Year != q.Total {
		t.Fatalf("%s: territories %d, plan row %d, total %d", q.Period, terr, q.Rows[len(q.Rows)-1].Year, q.Total)
	}
	for j, sum := range children {
		if q.Rows[j].Year != sum {
			t.Fatalf("%s: %s has %d, its children %d", q.Period, q.Rows[j].Name, q.Rows[j].Year, sum)
		}
	}
}

// TestModelSettingsUndoable changes a model parameter through SetSettings:
// the figures follow, the change survives reopening, and undo restores it.
func TestModelSettingsUndoable(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	before, err := e.Settings()
	if err != nil {
		t.Fatal(err)
	}
	rows0, _ := s.Territories()
	changed := before
	changed.Model.AdminShare = 0.25
	changed.Model.Travel.CostPerKm = 0.5
	res, err := e.SetSettings(changed)
	if err != nil {
		t.Fatal(err)
	}
	p0, p1 := valuesByID(rows0)["plan"], valuesByID(res.Rows)["plan"]
	if w := (p0["visitHours"] + p0["travelHours"]) / 0.75; math.Abs(p1["workloadHours"]-w) > 1e-6*w || !(p1["travelCost"] > 0) {
		t.Fatalf("admin 25 %%: workload %v, want %v; travel cost %v", p1["workloadHours"], w, p1["travelCost"])
	}
	sameValues(t, "reopened", reopened(t, s), res.Rows)
	if got, _ := e.Settings(); got.Model.AdminShare != 0.25 {
		t.Fatalf("admin share after reopening %v", got.Model.AdminShare)
	}
	un, err := e.Undo()
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, "undone", un.Rows, rows0)
	// A page that sends no model keeps the plan's.
	noModel := before
	noModel.Model = model.Params{}
	noModel.WeeksPerYear = 45
	if _, err := e.SetSettings(noModel); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Settings(); got.Model.Travel.Mode != "territory" || got.WeeksPerYear != 45 {
		t.Fatalf("settings %+v", got)
	}
	bad := before
	bad.Model.Segments.CutA = 0.99
	if _, err := e.SetSettings(bad); err == nil {
		t.Fatal("cut-off A above B accepted")
	}
	bad = before
	bad.Model.AccountCallPlans = map[string]metrics.CallPlan{"NOPE": {VisitsPerYear: 1}}
	if _, err := e.SetSettings(bad); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Fatalf("a call plan for an unknown account: %v", err)
	}
}

// TestDefaultSettings checks that the defaults offered to the page are
// those of a new plan, that they need no plan, and that they differ from a
// plan that sets its own (the demo's segment cut-offs).
func TestDefaultSettings(t *testing.T) {
	s, _, dir := testService(t)
	e := NewEditService(s)
	def, err := e.DefaultSettings()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewPlan(filepath.Join(dir, "new")); err != nil {
		t.Fatal(err)
	}
	fresh, err := e.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(def, fresh) {
		t.Fatalf("defaults %+v\nnew plan %+v", def, fresh)
	}
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	demo, _ := e.Settings()
	if reflect.DeepEqual(def.Model.Segments, demo.Model.Segments) {
		t.Fatal("the demo's segment cut-offs equal the defaults")
	}
	if again, _ := e.DefaultSettings(); !reflect.DeepEqual(again, def) {
		t.Fatal("the defaults follow the open plan")
	}
}

// TestRepFigures checks each rep's figures on the demo: they are the sums
// over the rep's territories, the reps and the territories without a rep
// add up to the plan, and after an edit between two reps' territories the
// reps' figures move while their baseline stays as it was.
func TestRepFigures(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	reps, err := s.Reps()
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := s.Territories()
	byID := valuesByID(rows)
	repOf := map[string]string{}
	for _, r := range rows {
		if r.Kind == "territory" {
			repOf[r.ID] = r.RepID
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	var total float64
	for _, r := range reps {
		var sum, work, capH float64
		for _, id := range r.Territories {
			sum += byID[id]["projectedRevenue"]
			work += byID[id]["workloadHours"]
			capH += byID[id]["capacityHours"]
		}
		if !near(r.Values["projectedRevenue"], sum) {
			t.Errorf("rep %s: projected revenue %v, its territories' %v", r.ID, r.Values["projectedRevenue"], sum)
		}
		if len(r.Territories) > 0 && !near(r.Values["utilisation"], work/capH) {
			t.Errorf("rep %s: utilisation %v, want %v", r.ID, r.Values["utilisation"], work/capH)
		}
		if !near(r.Values["projectedRevenue"], r.Baseline["projectedRevenue"]) {
			t.Errorf("rep %s: an unedited scenario differs from its baseline: %v, %v", r.ID, r.Values["projectedRevenue"], r.Baseline["projectedRevenue"])
		}
		total += r.Values["projectedRevenue"]
	}
	for id, rep := range repOf {
		if rep == "" {
			total += byID[id]["projectedRevenue"]
		}
	}
	total += byID["unassigned"]["projectedRevenue"]
	if !near(total, byID["plan"]["projectedRevenue"]) {
		t.Errorf("reps, vacant territories and unassigned: %v, plan %v", total, byID["plan"]["projectedRevenue"])
	}

	// Paint every unit of one rep's territory into another rep's.
	from, into := paintBetweenReps(t, s, repOf)
	after, _ := s.Reps()
	repA, repB := repOf[from.ID], repOf[into.ID]
	for i, r := range after {
		before := reps[i]
		switch r.ID {
		case repA, repB:
			if near(r.Values["workloadHours"], before.Values["workloadHours"]) {
				t.Errorf("rep %s: workload unchanged by the edit (%v)", r.ID, r.Values["workloadHours"])
			}
		default:
			if !near(r.Values["projectedRevenue"], before.Values["projectedRevenue"]) {
				t.Errorf("rep %s: projected revenue moved from %v to %v by an edit elsewhere", r.ID, before.Values["projectedRevenue"], r.Values["projectedRevenue"])
			}
		}
		if !near(r.Baseline["projectedRevenue"], before.Baseline["projectedRevenue"]) {
			t.Errorf("rep %s: baseline moved from %v to %v", r.ID, before.Baseline["projectedRevenue"], r.Baseline["projectedRevenue"])
		}
	}
	if a := after[slices.IndexFunc(after, func(r RepInfo) bool { return r.ID == repB })]; !(a.Values["revenueAtRisk"] > 0) {
		t.Errorf("rep %s took over accounts of rep %s, revenue at risk %v", repB, repA, a.Values["revenueAtRisk"])
	}
}

// TestSettingsWeightsOfModelFigures checks that the balance may weigh the
// planning model's figures, that an unknown figure is refused, and that a
// refused change leaves the segments (and so the map's classes) as they
// were.
func TestSettingsWeightsOfModelFigures(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	set, _ := e.Settings()
	changed := set
	changed.Weights = maps.Clone(set.Weights)
	changed.Weights["travelHours"], changed.Weights["projectedRevenue"] = 20, 15
	if _, err := e.SetSettings(changed); err != nil {
		t.Fatalf("weights on the model's figures refused: %v", err)
	}
	got, _ := e.Settings()
	if got.Weights["travelHours"] != 20 || got.Weights["projectedRevenue"] != 15 {
		t.Fatalf("weights after the change: %v", got.Weights)
	}
	bal, _ := e.Balance()
	if bal.Metrics["travelHours"].Weight == 0 {
		t.Fatalf("the balance does not weigh travel hours: %+v", bal.Metrics["travelHours"])
	}

	_, v, _ := s.current()
	classesBefore := slices.Clone(v.model.seg.Class)
	bad := got
	bad.Weights = maps.Clone(got.Weights)
	bad.Weights["potental"] = 1
	bad.Model.Segments.CutA, bad.Model.Segments.CutB = 0.2, 0.5
	if _, err := e.SetSettings(bad); err == nil || !strings.Contains(err.Error(), `"potental"`) {
		t.Fatalf("a weight of an unknown figure: %v", err)
	}
	if after, _ := e.Settings(); !reflect.DeepEqual(after, got) {
		t.Fatal("a refused change changed the settings")
	}
	_, v, _ = s.current()
	if !slices.Equal(v.model.seg.Class, classesBefore) {
		t.Fatal("a refused change of the cut-offs changed the accounts' classes")
	}
	if h, _ := e.History(); len(h) != 1 {
		t.Fatalf("history after a refused change: %d entries, want 1", len(h))
	}
}

package model_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/engine/segment"
)

func TestDefaults(t *testing.T) {
	d := model.Defaults()
	// The default curves have the meta-analysis elasticity at the reference.
	for _, c := range []string{"A", "B", "C"} {
		r := d.Responses[c]
		mr := metrics.Response{Retention: r.Retention, Saturation: r.Saturation, Shape: r.Shape, Reference: r.ReferenceVisits}
		if e := mr.Elasticity(); math.Abs(e-model.DefaultElasticity) > 1e-12 {
			t.Errorf("class %s: elasticity %v", c, e)
		}
	}
	if d.Responses["A"].ReferenceVisits != 24 || d.Responses["B"].ReferenceVisits != 12 || d.Responses["C"].ReferenceVisits != 4 {
		t.Errorf("reference visits %+v", d.Responses)
	}
	if d.Travel.Mode != model.TravelTerritory || d.Travel.DetourFactor != 1.3 || d.Travel.SpeedKmh != 50 || d.Travel.TourConstant != 0.7124 {
		t.Errorf("travel %+v", d.Travel)
	}
	if d.DisruptionShare != 0.15 || d.Quota.Ramp != 0.5 || d.Alerts.OverdueFactor != 1.5 {
		t.Errorf("defaults %+v", d)
	}
	if err := d.Check(); err != nil {
		t.Fatal(err)
	}
	if model.Store(d) != nil {
		t.Fatalf("the defaults store as %+v", model.Store(d))
	}
}

func TestResolveStoreRoundTrip(t *testing.T) {
	p := model.Defaults()
	p.Segments.CutA, p.Segments.Basis = 0.6, "revenue"
	p.AccountCallPlans["X1"] = metrics.CallPlan{VisitsPerYear: 52, VisitMinutes: 30}
	p.Travel.CostPerKm, p.Travel.Mode = 0.435, model.TravelPerVisit
	p.AdminShare = 0
	p.DisruptionShare = 0 // a zero that differs from the default
	r := p.Responses["B"]
	r.ReferenceVisits = 6
	p.Responses["B"] = r
	r = p.Responses["C"]
	r.ReferenceVisits, r.Retention = 0, 0 // zeros that differ from the defaults
	p.Responses["C"] = r
	p.Responses["Key"] = model.ResponseParams{Retention: 0.5, Saturation: 1.5, Shape: 1, ReferenceVisits: 10}
	p.Quota.Ramp, p.Quota.NewReps = 0.25, []string{"r9"}
	p.Alerts.Off = []string{model.RuleBalance}
	s := &engine.Settings{Model: model.Store(p)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back engine.Settings
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got := model.Resolve(&back)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip through %s:\n got %+v\nwant %+v", b, got, p)
	}
	if strings.Contains(string(b), "detourFactor") || !strings.Contains(string(b), `"disruptionShare":0`) {
		t.Fatalf("stored %s: want only the differences, and the zero disruption", b)
	}
}

func TestParamsCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*model.Params)
		want string
	}{
		{"basis", func(p *model.Params) { p.Segments.Basis = "size" }, "basis"},
		{"travel mode", func(p *model.Params) { p.Travel.Mode = "fly" }, "travel mode"},
		{"speed", func(p *model.Params) { p.Travel.SpeedKmh = -1 }, "speed"},
		{"admin", func(p *model.Params) { p.AdminShare = 1 }, "admin"},
		{"curve", func(p *model.Params) { r := p.Responses["A"]; r.Saturation = 0.5; p.Responses["A"] = r }, `class "A"`},
		{"account plan", func(p *model.Params) { p.AccountCallPlans["x"] = metrics.CallPlan{VisitsPerYear: -1} }, `account "x"`},
		{"quota weights", func(p *model.Params) { p.Quota.History, p.Quota.Potential, p.Quota.Even = 0, 0, 0 }, "all zero"},
		{"ramp", func(p *model.Params) { p.Quota.Ramp = 2 }, "ramp"},
		{"utilisation band", func(p *model.Params) { p.Alerts.UtilisationLow = 1.2 }, "not below"},
		{"rule", func(p *model.Params) { p.Alerts.Off = []string{"weather"} }, "unknown alert rule"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := model.Defaults()
			tc.edit(&p)
			err := p.Check()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}

// plan is four accounts in one unit held by territory T of rep r with a
// six-month history: a big active account (golden), a sleeping one, a
// white-space one and a small one.
func plan() (*engine.Plan, *assign.State) {
	p := &engine.Plan{HistoryStart: engine.MonthOf(2026, 1), HistoryMonths: 12,
		Reps: []engine.Rep{{ID: "r", CapacityHours: 40, Home: orb.Point{0.5, 0.5}, Cost: 100000}}}
	p.Units = []engine.Unit{{ID: "u", AreaKm2: 100, Geom: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}}
	h := func(v ...float32) []float32 { return v }
	p.Accounts = []engine.Account{
		{ID: "gold", Name: "Gold", Loc: orb.Point{0.2, 0.2}, Potential: 1000, History: h(50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50)},
		{ID: "sleep", Name: "Sleep", Loc: orb.Point{0.3, 0.6}, Potential: 300, History: h(20, 20, 20, 20, 20, 20, 0, 0, 0, 0, 0, 0)},
		{ID: "white", Name: "White", Loc: orb.Point{0.8, 0.4}, Potential: 400, History: h(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)},
		{ID: "small", Name: "Small", Loc: orb.Point{0.6, 0.7}, Potential: 10, History: h(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)},
	}
	sc := &engine.Scenario{ID: "s", Territories: []engine.Territory{{ID: "T", Name: "Terr", Kind: engine.KindTerritory, RepID: "r"}},
		UnitTerritory: map[string]string{"u": "T"}}
	p.Scenarios = []*engine.Scenario{sc}
	assign.LocateAccounts(p)
	st, err := assign.Compute(p, sc)
	if err != nil {
		panic(err)
	}
	return p, st
}

func TestConfigForCallPlans(t *testing.T) {
	p, st := plan()
	s := &engine.Settings{
		CallPlans: map[string]engine.CallPlan{
			"A": {VisitsPerYear: 12, VisitMinutes: 60}, "B": {VisitsPerYear: 6, VisitMinutes: 45}, "C": {VisitsPerYear: 1, VisitMinutes: 30},
			"golden": {VisitsPerYear: 24, VisitMinutes: 60}, "WhiteSpace": {VisitsPerYear: 3, VisitMinutes: 90},
		},
		Model: &engine.ModelSettings{AccountCallPlans: map[string]engine.CallPlan{"small": {VisitsPerYear: 52, VisitMinutes: 15}}},
	}
	cfg, seg, err := model.ConfigFor(p, s)
	if err != nil {
		t.Fatal(err)
	}
	// Potentials 1000, 300, 400, 10 of 1710: before-totals 0 (gold, A),
	// 1000 (white, B < 1368? no: A needs < 1368 → A), 1400 (sleep, B <
	// 1624.5), 1700 (small, C).
	wantClass := []string{"A", "B", "A", "C"}
	wantFlags := []segment.Flags{segment.Golden, segment.Sleeping, segment.WhiteSpace, 0}
	for i := range p.Accounts {
		if seg.ClassName(i) != wantClass[i] || seg.Flags[i] != wantFlags[i] {
			t.Fatalf("account %s: class %s flags %v, want %s %v", p.Accounts[i].ID, seg.ClassName(i), seg.Flags[i], wantClass[i], wantFlags[i])
		}
	}
	l, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := l.Base()
	// gold: golden plan (24); sleep: no sleeping plan, class B (6); white:
	// white-space plan (3, matched ignoring case); small: its own (52).
	for i, want := range []float64{24, 6, 3, 52} {
		if got := b.AccountValue(i, metrics.Visits); got != want {
			t.Errorf("account %s: %v visits, want %v", p.Accounts[i].ID, got, want)
		}
	}
	if m, ok := b.Metric("tier.A"); !ok || l.Value(st.Node("T"), m) != 2 {
		t.Errorf("tier mix missing or wrong")
	}
	if m, ok := b.Metric("whiteSpace"); !ok || l.Value(st.Node("T"), m) != 1 {
		t.Errorf("white-space count missing or wrong")
	}
	// Projected revenue: gold at 24 of its reference 24 visits keeps 600.
	if err := (model.Params{}).CheckAgainst(p); err != nil {
		t.Fatal(err)
	}
	bad := model.Defaults()
	bad.AccountCallPlans["nobody"] = metrics.CallPlan{}
	if err := bad.CheckAgainst(p); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Fatalf("unknown account accepted: %v", err)
	}
}

func TestAlerts(t *testing.T) {
	p, st := plan()
	day := func(y, m, d int) int32 { return int32((orbDays(y, m, d))) }
	p.Visits = []engine.Visit{{AccountID: "gold", Day: day(2026, 9, 1)}, {AccountID: "gold", Day: day(2026, 12, 20)}}
	s := &engine.Settings{CallPlans: map[string]engine.CallPlan{"A": {VisitsPerYear: 12, VisitMinutes: 60}}}
	cfg, seg, err := model.ConfigFor(p, s)
	if err != nil {
		t.Fatal(err)
	}
	l, err := metrics.NewLive(p, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	par := model.Resolve(s).Alerts
	in := model.AlertInput{Plan: p, Live: l, Nodes: st.Nodes, AccountTerr: st.AccountTerr, Segments: seg, Params: par,
		BaselinePotential: map[string]float64{"T": 1000}}
	// gold: 12 visits a year → every 30.4 days, overdue after 45.6 days.
	for _, tc := range []struct {
		name    string
		now     int32
		overdue bool
	}{
		{"40 days after the last visit", day(2026, 12, 20) + 40, false},
		{"50 days after", day(2026, 12, 20) + 50, true},
		{"a visit logged after now does not count", day(2026, 9, 1) + 50, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in.Now = tc.now
			r := model.Alerts(in)
			if !r.VisitLog {
				t.Fatal("no visit log")
			}
			got := r.Counts[model.RuleGoldenOverdue] > 0
			if got != tc.overdue {
				t.Fatalf("overdue %v, want %v (%+v)", got, tc.overdue, r.Alerts)
			}
		})
	}
	in.Now = day(2026, 12, 31)
	r := model.Alerts(in)
	// One territory: balance deviations are 0; potential 1710 against 1000
	// is +71 %; utilisation: visits are few against 1,840 hours.
	if r.Counts[model.RuleBalance] != 0 || r.Counts[model.RulePotentialShift] != 1 || r.Counts[model.RuleUtilisationLow] != 1 {
		t.Fatalf("counts %v (%+v)", r.Counts, r.Alerts)
	}
	if a := r.Alerts[0]; a.Rule != model.RuleUtilisationLow || a.Territory != "T" || !strings.Contains(a.Message, "Terr") {
		t.Fatalf("first alert %+v", a)
	}
	in.Params.Off = []string{model.RuleUtilisationLow, model.RulePotentialShift}
	if r := model.Alerts(in); r.Counts[model.RuleUtilisationLow] != 0 || r.Counts[model.RulePotentialShift] != 0 {
		t.Fatalf("rules switched off still fire: %v", r.Counts)
	}
}

// orbDays returns days since 1970-01-01 (a small civil-date helper for
// the test, independent of the quota package).
func orbDays(y, m, d int) int {
	days := 0
	for yy := 1970; yy < y; yy++ {
		days += 365
		if yy%4 == 0 && (yy%100 != 0 || yy%400 == 0) {
			days++
		}
	}
	ml := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		ml[1] = 29
	}
	for mm := 1; mm < m; mm++ {
		days += ml[mm-1]
	}
	return days + d - 1
}

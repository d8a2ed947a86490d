package app

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"territoria/engine/metrics"
	"territoria/engine/model"
)

// updateSettingsErrors rewrites testdata/settings-errors.json from the
// messages Go gives now: go test ./app -run SettingsErrors -update
var updateSettingsErrors = flag.Bool("update", false, "rewrite app/testdata/settings-errors.json with the messages Go gives now")

// settingsErrorsFile holds every refusal a planner can meet in the
// Assumptions panel (and a few refused edits), as the page receives them;
// the frontend's tests (src/model/goErrors.test.ts) read it to check that
// each one is placed next to its field and put in the planner's language.
const settingsErrorsFile = "testdata/settings-errors.json"

// refusal is one recorded message.
type refusal struct {
	// Name says what was tried.
	Name string `json:"name"`
	// Path is the settings path the message is about, as the page writes
	// it ("callPlans[A]", "model.segments.cutA"); empty for a lock.
	Path string `json:"path,omitempty"`
	// Lock is true for an edit refused because something is locked.
	Lock bool `json:"lock,omitempty"`
	// Value is the refused value (or the locked id) as Go prints it.
	Value string `json:"value"`
	// Message is Go's message, as the page receives it.
	Message string `json:"message"`
}

// demoIDs are ids of the demo plan that settings cases refer to.
type demoIDs struct {
	territory, account string
}

// settingsCase sets one bad value in otherwise valid settings.
type settingsCase struct {
	name, path, value string
	change            func(s *PlanSettings, d demoIDs)
}

// settingsCases walks every check SetSettings runs: engine/metrics
// (Config.check and the weights of NewBase), engine/segment (Config.Check),
// engine/model (Params.Check, CheckAgainst) with the travel, share and
// cost checks of engine/metrics (Model.Check) and the curves'
// (Response.Check).
var settingsCases = []settingsCase{
	// Call plans per tier, per flag, for other tiers, per account.
	{"call plan A visits per year", "callPlans[A]", "-1", func(s *PlanSettings, _ demoIDs) { cp(s, "A", func(c *CallPlan) { c.VisitsPerYear = -1 }) }},
	{"call plan B visit minutes", "callPlans[B]", "-5", func(s *PlanSettings, _ demoIDs) { cp(s, "B", func(c *CallPlan) { c.VisitMinutes = -5 }) }},
	{"call plan C travel minutes", "callPlans[C]", "-30", func(s *PlanSettings, _ demoIDs) { cp(s, "C", func(c *CallPlan) { c.TravelMinutes = -30 }) }},
	{"call plan golden visits per year", "callPlans[golden]", "-2", func(s *PlanSettings, _ demoIDs) {
		s.CallPlans["golden"] = CallPlan{VisitsPerYear: -2, VisitMinutes: 60, TravelMinutes: 30}
	}},
	{"call plan sleeping visit minutes", "callPlans[sleeping]", "-10", func(s *PlanSettings, _ demoIDs) {
		s.CallPlans["sleeping"] = CallPlan{VisitsPerYear: 2, VisitMinutes: -10, TravelMinutes: 30}
	}},
	{"call plan white space travel minutes", "callPlans[whiteSpace]", "-1.5", func(s *PlanSettings, _ demoIDs) {
		s.CallPlans["whiteSpace"] = CallPlan{VisitsPerYear: 6, VisitMinutes: 45, TravelMinutes: -1.5}
	}},
	{"call plan of an added class", "callPlans[Key]", "-4", func(s *PlanSettings, _ demoIDs) {
		s.CallPlans["Key"] = CallPlan{VisitsPerYear: -4, VisitMinutes: 45, TravelMinutes: 30}
	}},
	{"call plan for other tiers", "defaultCallPlan", "-1", func(s *PlanSettings, _ demoIDs) { s.DefaultCallPlan.VisitsPerYear = -1 }},
	{"call plan of an account", "model.accountCallPlans[%account]", "-20", func(s *PlanSettings, d demoIDs) {
		s.Model.AccountCallPlans = map[string]metrics.CallPlan{d.account: {VisitsPerYear: 12, VisitMinutes: -20, TravelMinutes: 30}}
	}},
	{"call plan of an unknown account", "model.accountCallPlans[no-such-account]", "\"no-such-account\"", func(s *PlanSettings, _ demoIDs) {
		s.Model.AccountCallPlans = map[string]metrics.CallPlan{"no-such-account": {VisitsPerYear: 12, VisitMinutes: 30, TravelMinutes: 30}}
	}},
	// Working weeks, bands, targets, weights.
	{"weeks per year above 53", "weeksPerYear", "60", func(s *PlanSettings, _ demoIDs) { s.WeeksPerYear = 60 }},
	{"weeks per year negative", "weeksPerYear", "-46", func(s *PlanSettings, _ demoIDs) { s.WeeksPerYear = -46 }},
	{"weeks per year zero", "weeksPerYear", "0", func(s *PlanSettings, _ demoIDs) { s.WeeksPerYear = 0 }},
	{"band 1 zero", "bands.0", "0", func(s *PlanSettings, _ demoIDs) { s.Bands[0] = 0 }},
	{"band 2 negative", "bands.1", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Bands[1] = -0.1 }},
	{"bands not ascending", "bands", "[0.1 0.05 0.2]", func(s *PlanSettings, _ demoIDs) { s.Bands = []float64{0.1, 0.05, 0.2} }},
	{"target share negative", "targets[%territory]", "-0.2", func(s *PlanSettings, d demoIDs) { s.Targets = map[string]float64{d.territory: -0.2} }},
	{"weight negative", "weights[potential]", "-3", func(s *PlanSettings, _ demoIDs) { s.Weights["potential"] = -3 }},
	{"weight of an unknown metric", "weights[nope]", "\"nope\"", func(s *PlanSettings, _ demoIDs) { s.Weights["nope"] = 5 }},
	{"weight of a figure not balanced", "weights[compactness]", "\"compactness\"", func(s *PlanSettings, _ demoIDs) { s.Weights["compactness"] = 5 }},
	// Segments.
	{"segment basis unknown", "model.segments.basis", "\"size\"", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.Basis = "size" }},
	{"blend weight above 1", "model.segments.blendPotential", "1.5", func(s *PlanSettings, _ demoIDs) {
		s.Model.Segments.Basis = "blend"
		s.Model.Segments.BlendPotential = 1.5
	}},
	{"cut-off A above B", "model.segments.cutA", "0.9", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.CutA, s.Model.Segments.CutB = 0.9, 0.8 }},
	{"cut-off B above 1", "model.segments.cutB", "1.2", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.CutB = 1.2 }},
	{"cut-off A negative", "model.segments.cutA", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.CutA = -0.1 }},
	{"cut-off A zero", "model.segments.cutA", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.CutA = 0 }},
	{"recent months zero", "model.segments.recentMonths", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.RecentMonths = 0 }},
	{"recent months negative", "model.segments.recentMonths", "-3", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.RecentMonths = -3 }},
	{"recent months above 120", "model.segments.recentMonths", "121", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.RecentMonths = 121 }},
	{"white space share 200 %", "model.segments.whiteSpaceShare", "2", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.WhiteSpaceShare = 2 }},
	{"white space share negative", "model.segments.whiteSpaceShare", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Model.Segments.WhiteSpaceShare = -0.1 }},
	// Workload and travel.
	{"travel mode unknown", "model.travel.mode", "\"car\"", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.Mode = "car" }},
	{"travel detour factor negative", "model.travel.detourFactor", "-1.3", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.DetourFactor = -1.3 }},
	{"travel detour factor zero", "model.travel.detourFactor", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.DetourFactor = 0 }},
	{"travel speed zero", "model.travel.speedKmh", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.SpeedKmh = 0 }},
	{"travel speed negative", "model.travel.speedKmh", "-50", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.SpeedKmh = -50 }},
	{"travel visits per day negative", "model.travel.visitsPerDay", "-4", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.VisitsPerDay = -4 }},
	{"travel overnight hours negative", "model.travel.overnightHours", "-2", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.OvernightHours = -2 }},
	{"travel tour constant negative", "model.travel.tourConstant", "-0.7", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.TourConstant = -0.7 }},
	{"cost per km negative", "model.travel.costPerKm", "-0.3", func(s *PlanSettings, _ demoIDs) { s.Model.Travel.CostPerKm = -0.3 }},
	{"admin share 100 %", "model.adminShare", "1", func(s *PlanSettings, _ demoIDs) { s.Model.AdminShare = 1 }},
	{"admin share negative", "model.adminShare", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Model.AdminShare = -0.1 }},
	{"rep hours per week above 168", "model.repHoursPerWeek", "200", func(s *PlanSettings, _ demoIDs) { s.Model.RepHoursPerWeek = 200 }},
	{"rep hours per week negative", "model.repHoursPerWeek", "-1", func(s *PlanSettings, _ demoIDs) { s.Model.RepHoursPerWeek = -1 }},
	// Revenue: disruption and response curves.
	{"disruption share above 1", "model.disruptionShare", "2", func(s *PlanSettings, _ demoIDs) { s.Model.DisruptionShare = 2 }},
	{"response A retention 1", "model.responses[A]", "1", func(s *PlanSettings, _ demoIDs) { resp(s, "A", func(r *model.ResponseParams) { r.Retention = 1 }) }},
	{"response B saturation below 1", "model.responses[B]", "0.9", func(s *PlanSettings, _ demoIDs) { resp(s, "B", func(r *model.ResponseParams) { r.Saturation = 0.9 }) }},
	{"response C shape negative", "model.responses[C]", "-1", func(s *PlanSettings, _ demoIDs) { resp(s, "C", func(r *model.ResponseParams) { r.Shape = -1 }) }},
	{"response A shape above 50", "model.responses[A]", "60", func(s *PlanSettings, _ demoIDs) { resp(s, "A", func(r *model.ResponseParams) { r.Shape = 60 }) }},
	{"response B reference visits negative", "model.responses[B]", "-12", func(s *PlanSettings, _ demoIDs) {
		resp(s, "B", func(r *model.ResponseParams) { r.ReferenceVisits = -12 })
	}},
	{"response of an added class", "model.responses[Key]", "-0.5", func(s *PlanSettings, _ demoIDs) {
		s.Model.Responses["Key"] = model.ResponseParams{Retention: -0.5, Saturation: 1.2, Shape: 2, ReferenceVisits: 4}
	}},
	// Quotas.
	{"quota weight of history negative", "model.quota.history", "-1", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.History = -1 }},
	{"quota weight of potential negative", "model.quota.potential", "-0.4", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.Potential = -0.4 }},
	{"quota weight of even negative", "model.quota.even", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.Even = -0.1 }},
	{"quota weights all zero", "model.quota.history", "", func(s *PlanSettings, _ demoIDs) {
		s.Model.Quota.History, s.Model.Quota.Potential, s.Model.Quota.Even = 0, 0, 0
	}},
	{"ramp factor zero", "model.quota.ramp", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.Ramp = 0 }},
	{"ramp factor above 1", "model.quota.ramp", "1.5", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.Ramp = 1.5 }},
	{"growth -100 %", "model.quota.growth", "-1", func(s *PlanSettings, _ demoIDs) { s.Model.Quota.Growth = -1 }},
	// Alerts.
	{"alert balance deviation negative", "model.alerts.balanceDeviation", "-0.2", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.BalanceDeviation = -0.2 }},
	{"alert low utilisation negative", "model.alerts.utilisationLow", "-0.7", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.UtilisationLow = -0.7 }},
	{"alert high utilisation negative", "model.alerts.utilisationHigh", "-1.1", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.UtilisationHigh = -1.1 }},
	{"alert potential shift negative", "model.alerts.potentialShift", "-0.1", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.PotentialShift = -0.1 }},
	{"alert overdue factor negative", "model.alerts.overdueFactor", "-1.5", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.OverdueFactor = -1.5 }},
	{"alert balance deviation zero", "model.alerts.balanceDeviation", "0", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.BalanceDeviation = 0 }},
	{"alert low utilisation above high", "model.alerts.utilisationLow", "1.2", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.UtilisationLow = 1.2 }},
	{"alert rule unknown", "model.alerts.off", "\"weekend\"", func(s *PlanSettings, _ demoIDs) { s.Model.Alerts.Off = []string{"weekend"} }},
}

func cp(s *PlanSettings, tier string, f func(*CallPlan)) {
	c := s.CallPlans[tier]
	f(&c)
	s.CallPlans[tier] = c
}

func resp(s *PlanSettings, class string, f func(*model.ResponseParams)) {
	r := s.Model.Responses[class]
	f(&r)
	s.Model.Responses[class] = r
}

// TestSettingsErrors sets one bad value of every validated setting of the
// demo plan through EditService.SetSettings, checks each is refused without
// changing anything, records a few edits refused by locks, and compares the
// messages with testdata/settings-errors.json (-update rewrites it).
func TestSettingsErrors(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	base, err := e.Settings()
	if err != nil {
		t.Fatal(err)
	}
	al, err := s.Alignment()
	if err != nil {
		t.Fatal(err)
	}
	var terrs []AlignmentTerritory
	for _, tr := range al.Territories {
		if tr.Kind == "territory" {
			terrs = append(terrs, tr)
		}
	}
	if len(terrs) < 3 {
		t.Fatalf("the demo has %d territories, want at least 3", len(terrs))
	}
	d := demoIDs{territory: terrs[0].ID, account: s.plan.Accounts[0].ID}

	var got []refusal
	for _, c := range settingsCases {
		t.Run(c.name, func(t *testing.T) {
			in := jsonCopy(t, base)
			c.change(&in, d)
			_, err := e.SetSettings(in)
			if err == nil {
				t.Fatalf("%s: accepted", c.name)
			}
			msg := err.Error()
			if c.value != "" && !strings.Contains(msg, c.value) {
				t.Errorf("message %q does not contain the value %s", msg, c.value)
			}
			path := strings.NewReplacer("%territory", d.territory, "%account", d.account).Replace(c.path)
			got = append(got, refusal{Name: c.name, Path: path, Value: c.value, Message: msg})
		})
	}
	if h, err := e.History(); err != nil || len(h) != 0 {
		t.Fatalf("refused settings left history %v (%v)", h, err)
	}
	if now, _ := e.Settings(); !reflect.DeepEqual(jsonCopy(t, now), jsonCopy(t, base)) {
		t.Fatal("refused settings changed the plan's settings")
	}

	got = append(got, lockRefusals(t, s, e, al, terrs)...)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if *updateSettingsErrors {
		if err := os.MkdirAll(filepath.Dir(settingsErrorsFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(settingsErrorsFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d messages to %s", len(got), settingsErrorsFile)
		return
	}
	wantData, err := os.ReadFile(settingsErrorsFile)
	if err != nil {
		t.Fatalf("%v (go test ./app -run SettingsErrors -update writes it)", err)
	}
	var want []refusal
	if err := json.Unmarshal(wantData, &want); err != nil {
		t.Fatalf("%s: %v", settingsErrorsFile, err)
	}
	wantBy := map[string]refusal{}
	for _, w := range want {
		wantBy[w.Name] = w
	}
	for _, g := range got {
		w, ok := wantBy[g.Name]
		switch {
		case !ok:
			t.Errorf("%s: new message %q, not in %s (refresh it with -update, and teach frontend/src/model/goErrors.ts the message)", g.Name, g.Message, settingsErrorsFile)
		case w != g:
			t.Errorf("%s: now %+v\n\twas %+v\n\t(refresh %s with -update and check frontend/src/model/goErrors.ts)", g.Name, g, w, settingsErrorsFile)
		}
		delete(wantBy, g.Name)
	}
	for name := range wantBy {
		t.Errorf("%s: in %s but no longer produced (refresh it with -update)", name, settingsErrorsFile)
	}
	if !t.Failed() && !bytes.Equal(wantData, data) {
		t.Errorf("%s is not written as -update writes it (order or layout); refresh it with -update", settingsErrorsFile)
	}
}

// lockRefusals locks a territory, a unit and an account of the demo and
// records the messages of edits that would change them.
func lockRefusals(t *testing.T, s *PlanService, e *EditService, al Alignment, terrs []AlignmentTerritory) []refusal {
	t.Helper()
	locked, other, third := terrs[0], terrs[1], terrs[2]
	unitOf := func(id string) (string, string) {
		for u, ti := range al.UnitTerritory {
			if ti >= 0 && al.Territories[ti].ID == id {
				return s.plan.Units[u].ID, s.plan.Units[u].Name
			}
		}
		t.Fatalf("territory %s has no units", id)
		return "", ""
	}
	yes := true
	if _, err := e.UpdateTerritory(locked.ID, TerritoryUpdate{Locked: &yes}); err != nil {
		t.Fatal(err)
	}
	var out []refusal
	record := func(name, value string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		if !strings.Contains(err.Error(), value) || !strings.Contains(err.Error(), "is locked") {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, refusal{Name: name, Lock: true, Value: value, Message: err.Error()})
	}
	inLocked, _ := unitOf(locked.ID)
	_, err := e.PaintUnits([]string{inLocked}, other.ID)
	record("paint a unit out of a locked territory", locked.ID, err)
	inOther, _ := unitOf(other.ID)
	_, err = e.PaintUnits([]string{inOther}, locked.ID)
	record("paint a unit into a locked territory", locked.ID, err)
	_, err = e.MergeTerritories(other.ID, []string{locked.ID})
	record("merge a locked territory into another", locked.ID, err)
	name := "Renamed"
	_, err = e.UpdateTerritory(locked.ID, TerritoryUpdate{Name: &name})
	record("rename a locked territory", locked.ID, err)

	unit, _ := unitOf(third.ID)
	if _, err := e.SetUnitLocks([]string{unit}, true); err != nil {
		t.Fatal(err)
	}
	_, err = e.PaintUnits([]string{unit}, other.ID)
	record("paint a locked unit", unit, err)

	var acct string
	for i := range s.plan.Accounts {
		a := &s.plan.Accounts[i]
		if u := a.Unit; u >= 0 && int(u) < len(al.UnitTerritory) && al.UnitTerritory[u] >= 0 && al.Territories[al.UnitTerritory[u]].ID == other.ID {
			acct = a.ID
			break
		}
	}
	if acct == "" {
		t.Fatalf("territory %s has no accounts", other.ID)
	}
	if _, err := e.SetAccountLocks([]string{acct}, true); err != nil {
		t.Fatal(err)
	}
	_, err = e.MoveAccounts([]string{acct}, third.ID)
	record("move a locked account", acct, err)
	return out
}

// jsonCopy is v after a trip through JSON, as the page sends it.
func jsonCopy(t *testing.T, v PlanSettings) PlanSettings {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out PlanSettings
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

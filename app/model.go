package app

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"territoria/engine"
	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/engine/quota"
	"territoria/engine/segment"
)

// ModelService is the bound service of the planning model: customer
// segments, quotas and alerts of the active scenario. The figures of the
// model (travel, projected revenue, revenue at risk, ROI, reps needed,
// segment counts) are in the rows' values like every other figure.
// Reachable from the page as window.go.app.ModelService.
type ModelService struct{ p *PlanService }

// NewModelService returns the planning model's service over the plan service p.
func NewModelService(p *PlanService) *ModelService { return &ModelService{p: p} }

func init() { registerBinding(func(p *PlanService) any { return NewModelService(p) }) }

// TiersView describes the accounts' segments.
type TiersView struct {
	ScenarioID string `json:"scenarioId"`
	// Basis, CutA, CutB, RecentMonths and WhiteSpaceShare are the
	// segmentation in force (see docs/model.md).
	Basis           string  `json:"basis"`
	CutA            float64 `json:"cutA"`
	CutB            float64 `json:"cutB"`
	RecentMonths    int     `json:"recentMonths"`
	WhiteSpaceShare float64 `json:"whiteSpaceShare"`
	// Classes and Flags count the plan's accounts with their potential and
	// revenue (last 12 months).
	Classes []segment.Group `json:"classes"`
	Flags   []segment.Group `json:"flags"`
	// Metrics are the names of the per-territory count figures in the
	// rows' values: "tier.<class>" and the flag names.
	Metrics []string `json:"metrics"`
}

// QuotaRequest asks for quotas.
type QuotaRequest struct {
	// Period is the finest breakdown: "quarter", "month" or "week".
	Period string `json:"period"`
	// Total is the plan total in plan currency; 0 takes the territories'
	// revenue of the last 12 months times (1 + growth).
	Total float64 `json:"total"`
	// Growth over the last 12 months' revenue (0.05 = +5 %); nil takes the
	// plan's setting.
	Growth *float64 `json:"growth"`
	// Year is the calendar year; 0 takes the first full year after the
	// plan's history.
	Year int `json:"year"`
}

// QuotaView is the quotas of a scenario.
type QuotaView struct {
	ScenarioID string `json:"scenarioId"`
	Year       int    `json:"year"`
	Period     string `json:"period"`
	Currency   string `json:"currency"`
	// Total is the plan total split (whole currency units); Base the
	// territories' revenue of the last 12 months and Growth the growth
	// applied to it (0 when a total was given).
	Total  int64   `json:"total"`
	Base   float64 `json:"base"`
	Growth float64 `json:"growth"`
	// Weights of the blended fair share and the ramp factor.
	Weights quotaWeights `json:"weights"`
	// Seasonal is true when the monthly indices come from at least 24
	// months of history (else flat); Seasonality holds them (January
	// first) and MonthWeights the month weights (index × working days).
	Seasonal     bool        `json:"seasonal"`
	Seasonality  [12]float64 `json:"seasonality"`
	MonthWeights [12]float64 `json:"monthWeights"`
	// Rows are the territories, districts and regions depth first (as the
	// side panel lists them), then the plan.
	Rows []QuotaRow `json:"rows"`
}

type quotaWeights struct {
	History   float64 `json:"history"`
	Potential float64 `json:"potential"`
	Even      float64 `json:"even"`
	Ramp      float64 `json:"ramp"`
}

// QuotaRow is one node's quota.
type QuotaRow struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Depth int    `json:"depth"`
	Rep   string `json:"rep,omitempty"`
	// Share is the node's share of the total; Ramp is true for a territory
	// whose rep is new or missing.
	Share    float64      `json:"share"`
	Ramp     bool         `json:"ramp,omitempty"`
	Year     int64        `json:"year"`
	Quarters [4]int64     `json:"quarters"`
	Months   *[12]int64   `json:"months,omitempty"`
	Weeks    []quota.Week `json:"weeks,omitempty"`
	// History and Potential are the node's revenue of the last 12 months
	// and potential, for comparison.
	History   float64 `json:"history"`
	Potential float64 `json:"potential"`
}

// AlertsView is the alerts of a scenario.
type AlertsView struct {
	ScenarioID string `json:"scenarioId"`
	// Now is the day the golden accounts' visits are measured to (YYYY-MM-DD).
	Now string `json:"now"`
	model.AlertReport
}

// Tiers returns the accounts' segments of the open plan.
func (m *ModelService) Tiers() (TiersView, error) { return ScenarioTiers(m.p, "") }

// Quotas splits a plan total into quotas for the active scenario's
// territories (see QuotaRequest).
func (m *ModelService) Quotas(req QuotaRequest) (QuotaView, error) {
	return ScenarioQuotas(m.p, "", req)
}

// Alerts evaluates the alert rules on the active scenario now.
func (m *ModelService) Alerts() (AlertsView, error) {
	return ScenarioAlerts(m.p, "", m.p.cfg.now())
}

// onView runs fn with the view of scenario id ("" = the active one),
// building it when it is not the active one, with the lock held.
func onView[T any](s *PlanService, id string, fn func(p *engine.Plan, v *view) (T, error)) (T, error) {
	var zero T
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return zero, err
	}
	if id == "" {
		id = s.active
	}
	if v.scenario != id {
		sc := p.Scenario(id)
		if sc == nil {
			return zero, fmt.Errorf("unknown scenario %q", id)
		}
		if v, err = buildView(p, sc, v); err != nil {
			return zero, err
		}
	}
	return fn(p, v)
}

// ScenarioTiers returns the segments with the scenario's id ("" = active).
func ScenarioTiers(s *PlanService, scenarioID string) (TiersView, error) {
	return onView(s, scenarioID, func(p *engine.Plan, v *view) (TiersView, error) {
		seg := v.model.seg
		if seg == nil {
			return TiersView{}, errors.New("the plan's segments are not computed")
		}
		par := model.Resolve(p.Settings).Segments
		sum := seg.Summarize(p)
		out := TiersView{ScenarioID: v.scenario, Basis: par.Basis, CutA: par.CutA, CutB: par.CutB, RecentMonths: par.RecentMonths,
			WhiteSpaceShare: par.WhiteSpaceShare, Classes: sum.Classes, Flags: sum.Flags}
		for _, c := range seg.Classes {
			out.Metrics = append(out.Metrics, "tier."+c)
		}
		out.Metrics = append(out.Metrics, segment.FlagNames[:]...)
		return out, nil
	})
}

// ScenarioAlerts evaluates the alert rules on a scenario ("" = active) at
// time now.
func ScenarioAlerts(s *PlanService, scenarioID string, now time.Time) (AlertsView, error) {
	return onView(s, scenarioID, func(p *engine.Plan, v *view) (AlertsView, error) {
		bf := s.baselineOf(v)
		var basePot map[string]float64
		if bf != nil {
			basePot = map[string]float64{}
			for id, vals := range bf.nodes {
				if !strings.HasPrefix(id, "\x00") {
					basePot[id] = vals["potential"]
				}
			}
		}
		y, mo, d := now.Date()
		in := model.AlertInput{Plan: p, Live: v.sess.Live, Nodes: v.st().Nodes, AccountTerr: v.st().AccountTerr,
			BaselinePotential: basePot, Segments: v.model.seg, Now: quota.DaysFromCivil(y, int(mo), d),
			Params: model.Resolve(p.Settings).Alerts}
		return AlertsView{ScenarioID: v.scenario, Now: fmt.Sprintf("%04d-%02d-%02d", y, int(mo), d), AlertReport: model.Alerts(in)}, nil
	})
}

// ScenarioQuotas splits a plan total into quotas for the territories of a
// scenario ("" = active).
func ScenarioQuotas(s *PlanService, scenarioID string, req QuotaRequest) (QuotaView, error) {
	period := strings.ToLower(strings.TrimSpace(req.Period))
	if period == "" {
		period = "quarter"
	}
	if period != "quarter" && period != "month" && period != "week" {
		return QuotaView{}, fmt.Errorf("quota period %q, want quarter, month or week", req.Period)
	}
	if !(req.Total >= 0) || math.IsInf(req.Total, 0) {
		return QuotaView{}, fmt.Errorf("quota total %v, want a number ≥ 0 (0 for last year's revenue plus growth)", req.Total)
	}
	if req.Growth != nil && (!(*req.Growth > -1) || math.IsInf(*req.Growth, 0)) {
		return QuotaView{}, fmt.Errorf("quota growth %v, want more than −100 %%", *req.Growth)
	}
	return onView(s, scenarioID, func(p *engine.Plan, v *view) (QuotaView, error) {
		par := model.Resolve(p.Settings).Quota
		l, st := v.sess.Live, v.st()
		newRep := map[string]bool{}
		for _, r := range par.NewReps {
			newRep[r] = true
		}
		var ts []quota.Territory
		var base float64
		for i, n := range st.Nodes {
			if n.Kind != engine.KindTerritory {
				continue
			}
			h := l.Value(int32(i), metrics.Revenue)
			ts = append(ts, quota.Territory{ID: n.ID, History: h, Potential: l.Value(int32(i), metrics.Potential), Ramp: n.RepID == "" || newRep[n.RepID]})
			base += h
		}
		if len(ts) == 0 {
			return QuotaView{}, errors.New("the scenario has no territories to give quotas to")
		}
		out := QuotaView{ScenarioID: v.scenario, Period: period, Currency: p.Currency, Base: base,
			Weights: quotaWeights{par.History, par.Potential, par.Even, par.Ramp}}
		total := req.Total
		if total == 0 {
			out.Growth = par.Growth
			if req.Growth != nil {
				out.Growth = *req.Growth
			}
			total = base * (1 + out.Growth)
		}
		year := req.Year
		if year == 0 {
			year = quota.NextYear(p)
		}
		season, ok := quota.Seasonality(quota.PlanMonthly(p), p.HistoryStart)
		r, err := quota.Split(ts, quota.Config{Total: total, History: par.History, Potential: par.Potential, Even: par.Even,
			Ramp: par.Ramp, Year: year, Seasonality: season})
		if err != nil {
			return QuotaView{}, err
		}
		out.Year, out.Total, out.Seasonal, out.Seasonality, out.MonthWeights = r.Year, r.Total, ok, season, r.MonthWeights
		var nodes []quota.Node
		for _, n := range st.Nodes {
			nodes = append(nodes, quota.Node{ID: n.ID, Parent: n.Parent})
		}
		byID := quota.Rollup(r, nodes)
		for i := range r.Territories {
			byID[r.Territories[i].ID] = &r.Territories[i]
		}
		plan := &quota.Quota{ID: "", Year: r.Total}
		for _, q := range r.Territories {
			plan.Share += q.Share
			for k := range plan.Quarters {
				plan.Quarters[k] += q.Quarters[k]
			}
			for k := range plan.Months {
				plan.Months[k] += q.Months[k]
			}
			if plan.Weeks == nil {
				plan.Weeks = make([]quota.Week, len(q.Weeks))
				copy(plan.Weeks, q.Weeks)
				for k := range plan.Weeks {
					plan.Weeks[k].Quota = 0
				}
			}
			for k := range q.Weeks {
				plan.Weeks[k].Quota += q.Weeks[k].Quota
			}
		}
		reps := repNames(p)
		for _, row := range l.Report().Rows {
			var q *quota.Quota
			qr := QuotaRow{Kind: row.Kind, Depth: row.Depth, History: row.Values[metrics.Revenue], Potential: row.Values[metrics.Potential]}
			switch row.Kind {
			case metrics.KindUnassigned:
				continue
			case metrics.KindPlan:
				q, qr.Name = plan, p.Name
			default:
				n := st.Nodes[row.Node]
				q, qr.ID, qr.Name, qr.Rep = byID[n.ID], n.ID, n.Name, reps[n.RepID]
				if q == nil {
					q = &quota.Quota{ID: n.ID} // a district or region without territories
				}
			}
			qr.Share, qr.Ramp, qr.Year, qr.Quarters = q.Share, q.Ramp, q.Year, q.Quarters
			if period != "quarter" {
				months := q.Months
				qr.Months = &months
			}
			if period == "week" {
				qr.Weeks = q.Weeks
				if qr.Weeks == nil {
					qr.Weeks = []quota.Week{}
				}
			}
			out.Rows = append(out.Rows, qr)
		}
		return out, nil
	})
}

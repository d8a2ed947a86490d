// Package model is the planning model: it turns a plan's settings into
// the assumptions of the live figures (segments, call plans, travel, sales
// response, disruption; see engine/metrics.Model), and evaluates alerts
// over the figures of a scenario.
//
// Every default and its source is in docs/model.md ("The planning model").
package model

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"territoria/engine"
	"territoria/engine/metrics"
	"territoria/engine/segment"
)

// Params are the planning model's assumptions with every default filled
// in. Resolve builds them from a plan's settings; Store turns them back into
// settings holding only what differs from the defaults.
type Params struct {
	Segments SegmentParams `json:"segments"`
	// AccountCallPlans maps account ids to their own call plans.
	AccountCallPlans map[string]metrics.CallPlan `json:"accountCallPlans"`
	Travel           TravelParams                `json:"travel"`
	// AdminShare is the share of working time spent on administration.
	AdminShare float64 `json:"adminShare"`
	// Responses maps a class to its sales-response curve. Classes not
	// listed (imported tiers other than A, B and C) use DefaultResponse,
	// C's default curve, with their default call plan's visits as
	// reference; DefaultResponse itself is not saved (give such a class its
	// own entry in Responses to change its curve).
	Responses       map[string]ResponseParams `json:"responses"`
	DefaultResponse ResponseParams            `json:"defaultResponse"`
	// DisruptionShare is the share of annual revenue at risk when an
	// account changes rep.
	DisruptionShare float64 `json:"disruptionShare"`
	// RepHoursPerWeek is a standard rep's weekly capacity for sizing; 0:
	// the mean of the plan's reps.
	RepHoursPerWeek float64     `json:"repHoursPerWeek"`
	Quota           QuotaParams `json:"quota"`
	Alerts          AlertParams `json:"alerts"`
}

// SegmentParams configure the segments (see segment.Config).
type SegmentParams struct {
	Basis           string  `json:"basis"`
	BlendPotential  float64 `json:"blendPotential"`
	CutA            float64 `json:"cutA"`
	CutB            float64 `json:"cutB"`
	RecentMonths    int     `json:"recentMonths"`
	WhiteSpaceShare float64 `json:"whiteSpaceShare"`
}

// TravelParams configure travel (see metrics.Travel). Mode is "territory"
// or "perVisit".
type TravelParams struct {
	Mode           string  `json:"mode"`
	DetourFactor   float64 `json:"detourFactor"`
	SpeedKmh       float64 `json:"speedKmh"`
	VisitsPerDay   float64 `json:"visitsPerDay"`
	OvernightHours float64 `json:"overnightHours"`
	TourConstant   float64 `json:"tourConstant"`
	CostPerKm      float64 `json:"costPerKm"`
}

// Travel modes.
const (
	TravelTerritory = "territory"
	TravelPerVisit  = "perVisit"
)

// ResponseParams is a sales-response curve (see metrics.Response).
type ResponseParams struct {
	Retention       float64 `json:"retention"`
	Saturation      float64 `json:"saturation"`
	Shape           float64 `json:"shape"`
	ReferenceVisits float64 `json:"referenceVisits"`
}

// QuotaParams configure quotas.
type QuotaParams struct {
	History   float64  `json:"history"`
	Potential float64  `json:"potential"`
	Even      float64  `json:"even"`
	Ramp      float64  `json:"ramp"`
	NewReps   []string `json:"newReps"`
	Growth    float64  `json:"growth"`
}

// AlertParams hold the alert thresholds; Off lists rules switched off.
type AlertParams struct {
	BalanceDeviation float64  `json:"balanceDeviation"`
	UtilisationLow   float64  `json:"utilisationLow"`
	UtilisationHigh  float64  `json:"utilisationHigh"`
	PotentialShift   float64  `json:"potentialShift"`
	OverdueFactor    float64  `json:"overdueFactor"`
	Off              []string `json:"off"`
}

// The alert rules.
const (
	RuleBalance         = "balance"
	RuleUtilisationLow  = "utilisationLow"
	RuleUtilisationHigh = "utilisationHigh"
	RulePotentialShift  = "potentialShift"
	RuleGoldenOverdue   = "goldenOverdue"
)

// Rules lists the alert rules.
var Rules = []string{RuleBalance, RuleUtilisationLow, RuleUtilisationHigh, RulePotentialShift, RuleGoldenOverdue}

// Default assumptions; docs/model.md gives the sources and reasons.
const (
	// DefaultElasticity is the elasticity of sales to personal selling
	// effort from the meta-analysis (0.34); the default curves are shaped
	// to have it at the reference visits.
	DefaultElasticity      = 0.34
	DefaultDisruptionShare = 0.15
	DefaultQuotaHistory    = 0.5
	DefaultQuotaPotential  = 0.4
	DefaultQuotaEven       = 0.1
	DefaultRamp            = 0.5
	DefaultBalanceAlert    = 0.2
	DefaultUtilisationLow  = 0.7
	DefaultUtilisationHigh = 1.1
	DefaultPotentialShift  = 0.1
	DefaultOverdueFactor   = 1.5
)

// defaultCurves are the retention and saturation of the default curves
// per class; the shape follows from DefaultElasticity.
var defaultCurves = map[string][2]float64{"A": {0.6, 1.3}, "B": {0.7, 1.3}, "C": {0.8, 1.2}}

// curveFor returns the default curve of a class with reference visits ref.
func curveFor(class string, ref float64) ResponseParams {
	ba, ok := defaultCurves[strings.ToUpper(strings.TrimSpace(class))]
	if !ok {
		ba = defaultCurves["C"]
	}
	return ResponseParams{Retention: ba[0], Saturation: ba[1], Shape: metrics.ShapeFor(ba[0], ba[1], DefaultElasticity), ReferenceVisits: ref}
}

// defaultVisits are the visits a year of a class's default call plan.
func defaultVisits(class string) float64 {
	d := metrics.DefaultConfig()
	return lookupPlan(d.CallPlans, d.DefaultCallPlan, class).VisitsPerYear
}

// Defaults returns the documented defaults.
func Defaults() Params {
	sc := segment.DefaultConfig()
	tr := metrics.DefaultTravel()
	p := Params{
		Segments: SegmentParams{Basis: string(sc.Basis), BlendPotential: sc.BlendPotential, CutA: sc.CutA, CutB: sc.CutB,
			RecentMonths: sc.RecentMonths, WhiteSpaceShare: sc.WhiteSpaceShare},
		AccountCallPlans: map[string]metrics.CallPlan{},
		Travel: TravelParams{Mode: TravelTerritory, DetourFactor: tr.DetourFactor, SpeedKmh: tr.SpeedKmh, VisitsPerDay: tr.VisitsPerDay,
			OvernightHours: tr.OvernightHours, TourConstant: tr.TourConstant},
		Responses:       map[string]ResponseParams{},
		DefaultResponse: curveFor("", defaultVisits("")),
		DisruptionShare: DefaultDisruptionShare,
		Quota:           QuotaParams{History: DefaultQuotaHistory, Potential: DefaultQuotaPotential, Even: DefaultQuotaEven, Ramp: DefaultRamp, NewReps: []string{}},
		Alerts: AlertParams{BalanceDeviation: DefaultBalanceAlert, UtilisationLow: DefaultUtilisationLow, UtilisationHigh: DefaultUtilisationHigh,
			PotentialShift: DefaultPotentialShift, OverdueFactor: DefaultOverdueFactor, Off: []string{}},
	}
	for _, c := range []string{"A", "B", "C"} {
		p.Responses[c] = curveFor(c, defaultVisits(c))
	}
	return p
}

// Resolve returns the model's assumptions of settings s (nil: defaults).
func Resolve(s *engine.Settings) Params {
	p := Defaults()
	if s == nil || s.Model == nil {
		return p
	}
	m := s.Model
	if g := m.Segments; g != nil {
		sc := segment.ConfigFor(g)
		p.Segments = SegmentParams{Basis: string(sc.Basis), BlendPotential: sc.BlendPotential, CutA: sc.CutA, CutB: sc.CutB,
			RecentMonths: sc.RecentMonths, WhiteSpaceShare: sc.WhiteSpaceShare}
	}
	for id, cp := range m.AccountCallPlans {
		p.AccountCallPlans[id] = metrics.CallPlan(cp)
	}
	if t := m.Travel; t != nil {
		set := func(dst *float64, v float64) {
			if v != 0 {
				*dst = v
			}
		}
		if t.Mode != "" {
			p.Travel.Mode = t.Mode
		}
		set(&p.Travel.DetourFactor, t.DetourFactor)
		set(&p.Travel.SpeedKmh, t.SpeedKmh)
		set(&p.Travel.VisitsPerDay, t.VisitsPerDay)
		set(&p.Travel.OvernightHours, t.OvernightHours)
		set(&p.Travel.TourConstant, t.TourConstant)
		set(&p.Travel.CostPerKm, t.CostPerKm)
	}
	if m.AdminShare != nil {
		p.AdminShare = *m.AdminShare
	}
	for class, r := range m.Responses {
		d, ok := p.Responses[class]
		if !ok {
			d = curveFor(class, defaultVisits(class))
		}
		p.Responses[class] = overlay(d, r)
	}
	if m.DisruptionShare != nil {
		p.DisruptionShare = *m.DisruptionShare
	}
	p.RepHoursPerWeek = m.RepHoursPerWeek
	if q := m.Quota; q != nil {
		if q.History != 0 || q.Potential != 0 || q.Even != 0 {
			p.Quota.History, p.Quota.Potential, p.Quota.Even = q.History, q.Potential, q.Even
		}
		if q.Ramp != nil {
			p.Quota.Ramp = *q.Ramp
		}
		if q.NewReps != nil {
			p.Quota.NewReps = slices.Clone(q.NewReps)
		}
		if q.Growth != nil {
			p.Quota.Growth = *q.Growth
		}
	}
	if a := m.Alerts; a != nil {
		set := func(dst *float64, v float64) {
			if v != 0 {
				*dst = v
			}
		}
		set(&p.Alerts.BalanceDeviation, a.BalanceDeviation)
		set(&p.Alerts.UtilisationLow, a.UtilisationLow)
		set(&p.Alerts.UtilisationHigh, a.UtilisationHigh)
		set(&p.Alerts.PotentialShift, a.PotentialShift)
		set(&p.Alerts.OverdueFactor, a.OverdueFactor)
		if a.Off != nil {
			p.Alerts.Off = slices.Clone(a.Off)
		}
	}
	return p
}

func overlay(d ResponseParams, r engine.ResponseCurve) ResponseParams {
	if r.Retention != nil {
		d.Retention = *r.Retention
	}
	if r.Saturation != 0 {
		d.Saturation = r.Saturation
	}
	if r.Shape != 0 {
		d.Shape = r.Shape
	}
	if r.ReferenceVisits != nil {
		d.ReferenceVisits = *r.ReferenceVisits
	}
	return d
}

// Store returns the settings that resolve to p, holding only what differs
// from the defaults (nil when nothing does), so that a plan keeps
// following documented defaults it was never told to change.
func Store(p Params) *engine.ModelSettings {
	d := Defaults()
	m := &engine.ModelSettings{}
	if p.Segments != d.Segments {
		s := &engine.SegmentSettings{}
		if p.Segments.Basis != d.Segments.Basis {
			s.Basis = p.Segments.Basis
		}
		if p.Segments.BlendPotential != d.Segments.BlendPotential {
			v := p.Segments.BlendPotential
			s.BlendPotential = &v
		}
		if p.Segments.CutA != d.Segments.CutA {
			s.CutA = p.Segments.CutA
		}
		if p.Segments.CutB != d.Segments.CutB {
			s.CutB = p.Segments.CutB
		}
		if p.Segments.RecentMonths != d.Segments.RecentMonths {
			s.RecentMonths = p.Segments.RecentMonths
		}
		if p.Segments.WhiteSpaceShare != d.Segments.WhiteSpaceShare {
			v := p.Segments.WhiteSpaceShare
			s.WhiteSpaceShare = &v
		}
		m.Segments = s
	}
	if len(p.AccountCallPlans) > 0 {
		m.AccountCallPlans = map[string]engine.CallPlan{}
		for id, cp := range p.AccountCallPlans {
			m.AccountCallPlans[id] = engine.CallPlan(cp)
		}
	}
	if p.Travel != d.Travel {
		t := &engine.TravelSettings{}
		if p.Travel.Mode != d.Travel.Mode {
			t.Mode = p.Travel.Mode
		}
		diff := func(dst *float64, v, def float64) {
			if v != def {
				*dst = v
			}
		}
		diff(&t.DetourFactor, p.Travel.DetourFactor, d.Travel.DetourFactor)
		diff(&t.SpeedKmh, p.Travel.SpeedKmh, d.Travel.SpeedKmh)
		diff(&t.VisitsPerDay, p.Travel.VisitsPerDay, d.Travel.VisitsPerDay)
		diff(&t.OvernightHours, p.Travel.OvernightHours, d.Travel.OvernightHours)
		diff(&t.TourConstant, p.Travel.TourConstant, d.Travel.TourConstant)
		diff(&t.CostPerKm, p.Travel.CostPerKm, d.Travel.CostPerKm)
		m.Travel = t
	}
	if p.AdminShare != d.AdminShare {
		v := p.AdminShare
		m.AdminShare = &v
	}
	for class, r := range p.Responses {
		def, ok := d.Responses[class]
		if !ok {
			def = curveFor(class, defaultVisits(class))
		}
		if r == def {
			continue
		}
		if m.Responses == nil {
			m.Responses = map[string]engine.ResponseCurve{}
		}
		c := engine.ResponseCurve{}
		if r.Retention != def.Retention {
			v := r.Retention
			c.Retention = &v
		}
		if r.Saturation != def.Saturation {
			c.Saturation = r.Saturation
		}
		if r.Shape != def.Shape {
			c.Shape = r.Shape
		}
		if r.ReferenceVisits != def.ReferenceVisits {
			v := r.ReferenceVisits
			c.ReferenceVisits = &v
		}
		m.Responses[class] = c
	}
	if p.DisruptionShare != d.DisruptionShare {
		v := p.DisruptionShare
		m.DisruptionShare = &v
	}
	m.RepHoursPerWeek = p.RepHoursPerWeek
	q, dq := p.Quota, d.Quota
	if q.History != dq.History || q.Potential != dq.Potential || q.Even != dq.Even || q.Ramp != dq.Ramp || len(q.NewReps) > 0 || q.Growth != dq.Growth {
		s := &engine.QuotaSettings{}
		if q.History != dq.History || q.Potential != dq.Potential || q.Even != dq.Even {
			s.History, s.Potential, s.Even = q.History, q.Potential, q.Even
		}
		if q.Ramp != dq.Ramp {
			v := q.Ramp
			s.Ramp = &v
		}
		if len(q.NewReps) > 0 {
			s.NewReps = slices.Clone(q.NewReps)
		}
		if q.Growth != dq.Growth {
			v := q.Growth
			s.Growth = &v
		}
		m.Quota = s
	}
	a, da := p.Alerts, d.Alerts
	if a.BalanceDeviation != da.BalanceDeviation || a.UtilisationLow != da.UtilisationLow || a.UtilisationHigh != da.UtilisationHigh ||
		a.PotentialShift != da.PotentialShift || a.OverdueFactor != da.OverdueFactor || len(a.Off) > 0 {
		s := &engine.AlertSettings{}
		diff := func(dst *float64, v, def float64) {
			if v != def {
				*dst = v
			}
		}
		diff(&s.BalanceDeviation, a.BalanceDeviation, da.BalanceDeviation)
		diff(&s.UtilisationLow, a.UtilisationLow, da.UtilisationLow)
		diff(&s.UtilisationHigh, a.UtilisationHigh, da.UtilisationHigh)
		diff(&s.PotentialShift, a.PotentialShift, da.PotentialShift)
		diff(&s.OverdueFactor, a.OverdueFactor, da.OverdueFactor)
		if len(a.Off) > 0 {
			s.Off = slices.Clone(a.Off)
		}
		m.Alerts = s
	}
	if isZero(m) {
		return nil
	}
	return m
}

func isZero(m *engine.ModelSettings) bool {
	return m.Segments == nil && m.AccountCallPlans == nil && m.Travel == nil && m.AdminShare == nil && m.Responses == nil &&
		m.DisruptionShare == nil && m.RepHoursPerWeek == 0 && m.Quota == nil && m.Alerts == nil
}

// Check validates p and names the first problem.
func (p Params) Check() error {
	if err := p.segmentConfig().Check(); err != nil {
		return err
	}
	for id, cp := range p.AccountCallPlans {
		for _, f := range []struct {
			n string
			v float64
		}{{"visits per year", cp.VisitsPerYear}, {"visit minutes", cp.VisitMinutes}, {"travel minutes", cp.TravelMinutes}} {
			if !(f.v >= 0) || math.IsInf(f.v, 0) {
				return fmt.Errorf("call plan of account %q: %s is %v, want a finite number ≥ 0", id, f.n, f.v)
			}
		}
	}
	switch p.Travel.Mode {
	case TravelTerritory, TravelPerVisit:
	default:
		return fmt.Errorf("travel mode %q, want territory or perVisit", p.Travel.Mode)
	}
	if err := p.metricsModel().Check(); err != nil {
		return err
	}
	for _, class := range sortedKeys(p.Responses) {
		if err := responseOf(p.Responses[class]).Check(); err != nil {
			return fmt.Errorf("response curve of class %q: %w", class, err)
		}
	}
	if err := responseOf(p.DefaultResponse).Check(); err != nil {
		return fmt.Errorf("default response curve: %w", err)
	}
	if !(p.RepHoursPerWeek >= 0 && p.RepHoursPerWeek <= 168) {
		return fmt.Errorf("standard rep hours per week %v, want 0 to 168", p.RepHoursPerWeek)
	}
	q := p.Quota
	for _, w := range []struct {
		n string
		v float64
	}{{"history", q.History}, {"potential", q.Potential}, {"even", q.Even}} {
		if !(w.v >= 0) || math.IsInf(w.v, 0) {
			return fmt.Errorf("quota weight of %s is %v, want a finite number ≥ 0", w.n, w.v)
		}
	}
	if !(q.History+q.Potential+q.Even > 0) {
		return fmt.Errorf("quota weights are all zero; give history, potential or even a weight")
	}
	if !(q.Ramp > 0 && q.Ramp <= 1) {
		return fmt.Errorf("ramp factor %v, want more than 0 and at most 1", q.Ramp)
	}
	if !(q.Growth > -1) || math.IsInf(q.Growth, 0) {
		return fmt.Errorf("quota growth %v, want more than −100 %%", q.Growth)
	}
	a := p.Alerts
	for _, t := range []struct {
		n string
		v float64
	}{{"balance deviation", a.BalanceDeviation}, {"low utilisation", a.UtilisationLow}, {"high utilisation", a.UtilisationHigh},
		{"potential shift", a.PotentialShift}, {"overdue factor", a.OverdueFactor}} {
		if !(t.v > 0) || math.IsInf(t.v, 0) {
			return fmt.Errorf("alert threshold %s is %v, want a finite number > 0", t.n, t.v)
		}
	}
	if a.UtilisationLow >= a.UtilisationHigh {
		return fmt.Errorf("alert thresholds: low utilisation %v is not below high utilisation %v", a.UtilisationLow, a.UtilisationHigh)
	}
	for _, r := range a.Off {
		if !slices.Contains(Rules, r) {
			return fmt.Errorf("unknown alert rule %q, want one of %s", r, strings.Join(Rules, ", "))
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}

func (p Params) segmentConfig() segment.Config {
	s := p.Segments
	return segment.Config{Basis: segment.Basis(s.Basis), BlendPotential: s.BlendPotential, CutA: s.CutA, CutB: s.CutB,
		RecentMonths: s.RecentMonths, WhiteSpaceShare: s.WhiteSpaceShare}
}

func responseOf(r ResponseParams) metrics.Response {
	return metrics.Response{Retention: r.Retention, Saturation: r.Saturation, Shape: r.Shape, Reference: r.ReferenceVisits}
}

// metricsModel returns the plan-independent part of the metrics model.
func (p Params) metricsModel() *metrics.Model {
	m := &metrics.Model{AdminShare: p.AdminShare, DisruptionShare: p.DisruptionShare, CostPerKm: p.Travel.CostPerKm}
	if p.Travel.Mode == TravelTerritory {
		t := p.Travel
		m.Travel = &metrics.Travel{DetourFactor: t.DetourFactor, SpeedKmh: t.SpeedKmh, VisitsPerDay: t.VisitsPerDay,
			OvernightHours: t.OvernightHours, TourConstant: t.TourConstant}
	}
	return m
}

// lookupPlan finds a call plan for a tier or class as metrics does: as
// written, then ignoring case and surrounding spaces (keys in sorted order),
// else def.
func lookupPlan(plans map[string]metrics.CallPlan, def metrics.CallPlan, tier string) metrics.CallPlan {
	if c, ok := plans[tier]; ok {
		return c
	}
	want := strings.TrimSpace(tier)
	if want == "" {
		return def
	}
	for _, k := range sortedKeys(plans) {
		if strings.EqualFold(strings.TrimSpace(k), want) {
			return plans[k]
		}
	}
	return def
}

func hasPlan(plans map[string]metrics.CallPlan, key string) (metrics.CallPlan, bool) {
	if c, ok := plans[key]; ok {
		return c, true
	}
	for _, k := range sortedKeys(plans) {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			return plans[k], true
		}
	}
	return metrics.CallPlan{}, false
}

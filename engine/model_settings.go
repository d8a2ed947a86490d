package engine

// ModelSettings are the planning model's assumptions: how accounts are
// segmented, per-account call plans, travel, administration, the sales
// response to visits, the revenue at risk when an account changes rep,
// quotas and alert thresholds. Every field left empty (nil, zero) takes its
// documented default (docs/model.md, "The planning model").
type ModelSettings struct {
	// Segments configure the ABC classes and the golden, sleeping and
	// white-space flags.
	Segments *SegmentSettings `json:"segments,omitempty"`
	// AccountCallPlans maps an account id to its own call plan, which wins
	// over the plan of its class or flag.
	AccountCallPlans map[string]CallPlan `json:"accountCallPlans,omitempty"`
	// Travel configures the travel estimate per territory.
	Travel *TravelSettings `json:"travel,omitempty"`
	// AdminShare is the share of a rep's working time that goes to
	// administration (0 ≤ share < 1); nil means 0.
	AdminShare *float64 `json:"adminShare,omitempty"`
	// Responses maps a class (or flag) to its sales-response curve.
	Responses map[string]ResponseCurve `json:"responses,omitempty"`
	// DisruptionShare is the share of an account's annual revenue at risk
	// when it changes rep; nil means 0.15.
	DisruptionShare *float64 `json:"disruptionShare,omitempty"`
	// RepHoursPerWeek is the weekly capacity of a standard rep, for sizing
	// (reps needed); 0 means the mean of the plan's reps (40 without reps).
	RepHoursPerWeek float64 `json:"repHoursPerWeek,omitempty"`
	// Quota configures how a plan total is split into quotas.
	Quota *QuotaSettings `json:"quota,omitempty"`
	// Alerts holds the alert thresholds.
	Alerts *AlertSettings `json:"alerts,omitempty"`
}

// SegmentSettings configure the segmentation of accounts.
type SegmentSettings struct {
	// Basis is what the ABC classes rank accounts by: "potential" (the
	// default), "revenue" (last 12 months), "blend" (a weighted mix of the
	// two shares) or "tier" (the imported Account.Tier, unchanged).
	Basis string `json:"basis,omitempty"`
	// BlendPotential is the weight of potential in the "blend" basis, 0..1;
	// nil means 0.5.
	BlendPotential *float64 `json:"blendPotential,omitempty"`
	// CutA and CutB are the cumulative shares of the basis that classes A
	// and B reach (Pareto cut-offs); 0 means 0.8 and 0.95.
	CutA float64 `json:"cutA,omitempty"`
	CutB float64 `json:"cutB,omitempty"`
	// RecentMonths is the window of "recent" revenue: an account without
	// revenue in its last RecentMonths history months but with revenue
	// before is sleeping; a class-A account with recent revenue is golden.
	// 0 means 6.
	RecentMonths int `json:"recentMonths,omitempty"`
	// WhiteSpaceShare: an account of potential class A or B whose revenue
	// of the last 12 months is below this share of its potential is white
	// space; nil means 0.1.
	WhiteSpaceShare *float64 `json:"whiteSpaceShare,omitempty"`
}

// TravelSettings configure the travel estimate.
type TravelSettings struct {
	// Mode is "territory" (the default: from the rep's home and the spread
	// of the accounts) or "perVisit" (the call plans' travel minutes).
	Mode string `json:"mode,omitempty"`
	// DetourFactor is road distance over straight-line distance; 0 means 1.3.
	DetourFactor float64 `json:"detourFactor,omitempty"`
	// SpeedKmh is the average driving speed; 0 means 50.
	SpeedKmh float64 `json:"speedKmh,omitempty"`
	// VisitsPerDay is the number of visits of a field day; 0 means 4.3.
	VisitsPerDay float64 `json:"visitsPerDay,omitempty"`
	// OvernightHours is the longest one-way drive of a day trip: farther
	// accounts are visited on trips with overnight stays; 0 means 2.
	OvernightHours float64 `json:"overnightHours,omitempty"`
	// TourConstant is the constant of the tour-length estimate
	// k·√(n·A); 0 means 0.7124 (Beardwood–Halton–Hammersley).
	TourConstant float64 `json:"tourConstant,omitempty"`
	// CostPerKm is the cost of a driven kilometre in plan currency; 0 means
	// no travel cost.
	CostPerKm float64 `json:"costPerKm,omitempty"`
}

// ResponseCurve is an ADBUDG sales-response curve
// r(x) = b + (a − b)·x^c / (d + x^c) of x = planned / reference visits,
// with d chosen so that r(1) = 1. Zero fields take the class's defaults.
type ResponseCurve struct {
	// Retention b is the share of revenue kept without visits (0 ≤ b < 1);
	// nil takes the default.
	Retention *float64 `json:"retention,omitempty"`
	// Saturation a is the share reached with unlimited visits (a > 1).
	Saturation float64 `json:"saturation,omitempty"`
	// Shape c > 0 bends the curve (c > 1: S-shaped).
	Shape float64 `json:"shape,omitempty"`
	// ReferenceVisits are the visits a year at which the account's current
	// revenue was earned (0: its revenue does not depend on visits); nil
	// takes the default.
	ReferenceVisits *float64 `json:"referenceVisits,omitempty"`
}

// QuotaSettings configure quotas.
type QuotaSettings struct {
	// History, Potential and Even are the weights of the blended fair
	// share (they need not sum to 1); all zero means 0.5, 0.4 and 0.1.
	History   float64 `json:"history,omitempty"`
	Potential float64 `json:"potential,omitempty"`
	Even      float64 `json:"even,omitempty"`
	// Ramp is the factor applied to the share of a territory whose rep is
	// new or which has no rep; nil means 0.5.
	Ramp *float64 `json:"ramp,omitempty"`
	// NewReps lists the ids of reps in their first year.
	NewReps []string `json:"newReps,omitempty"`
	// Growth is the default growth of the plan total over the last 12
	// months' revenue (0.05 = +5 %); nil means 0.
	Growth *float64 `json:"growth,omitempty"`
}

// AlertSettings hold the thresholds of the alert rules; 0 means the
// default. Off lists rules that are switched off.
type AlertSettings struct {
	// BalanceDeviation: a territory deviating from target by more than this
	// fraction in a weighted balance figure; default 0.2.
	BalanceDeviation float64 `json:"balanceDeviation,omitempty"`
	// UtilisationLow and UtilisationHigh bound a healthy utilisation;
	// defaults 0.7 and 1.1.
	UtilisationLow  float64 `json:"utilisationLow,omitempty"`
	UtilisationHigh float64 `json:"utilisationHigh,omitempty"`
	// PotentialShift: a territory whose potential moved by more than this
	// fraction against the baseline; default 0.1.
	PotentialShift float64 `json:"potentialShift,omitempty"`
	// OverdueFactor: a golden account is overdue when its last logged visit
	// is older than this many planned visit intervals; default 1.5.
	OverdueFactor float64 `json:"overdueFactor,omitempty"`
	// Off lists the rules switched off ("balance", "utilisationLow",
	// "utilisationHigh", "potentialShift", "goldenOverdue").
	Off []string `json:"off,omitempty"`
}

// Clone returns a deep copy of m (nil for nil).
func (m *ModelSettings) Clone() *ModelSettings {
	if m == nil {
		return nil
	}
	c := *m
	if m.Segments != nil {
		s := *m.Segments
		s.BlendPotential = clonePtr(s.BlendPotential)
		s.WhiteSpaceShare = clonePtr(s.WhiteSpaceShare)
		c.Segments = &s
	}
	c.AccountCallPlans = cloneMap(m.AccountCallPlans)
	if m.Travel != nil {
		t := *m.Travel
		c.Travel = &t
	}
	c.AdminShare = clonePtr(m.AdminShare)
	if m.Responses != nil {
		c.Responses = make(map[string]ResponseCurve, len(m.Responses))
		for k, r := range m.Responses {
			r.Retention = clonePtr(r.Retention)
			r.ReferenceVisits = clonePtr(r.ReferenceVisits)
			c.Responses[k] = r
		}
	}
	c.DisruptionShare = clonePtr(m.DisruptionShare)
	if m.Quota != nil {
		q := *m.Quota
		q.Ramp = clonePtr(q.Ramp)
		q.Growth = clonePtr(q.Growth)
		if q.NewReps != nil {
			q.NewReps = append([]string(nil), q.NewReps...)
		}
		c.Quota = &q
	}
	if m.Alerts != nil {
		a := *m.Alerts
		if a.Off != nil {
			a.Off = append([]string(nil), a.Off...)
		}
		c.Alerts = &a
	}
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

package metrics

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"territoria/engine"
)

// CallPlan is how often and how long an account is visited.
type CallPlan struct {
	// VisitsPerYear is the number of visits (calls) per year.
	VisitsPerYear float64 `json:"visitsPerYear"`
	// VisitMinutes is the time spent with the account per visit.
	VisitMinutes float64 `json:"visitMinutes"`
	// TravelMinutes is the travel time attributed to each visit.
	TravelMinutes float64 `json:"travelMinutes"`
}

// HoursPerYear is the workload of one account under c:
// visits × (visit + travel) minutes, in hours.
func (c CallPlan) HoursPerYear() float64 {
	return c.VisitsPerYear * (c.VisitMinutes + c.TravelMinutes) / 60
}

func (c CallPlan) check(what string) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"visits per year", c.VisitsPerYear}, {"visit minutes", c.VisitMinutes}, {"travel minutes", c.TravelMinutes}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("metrics: call plan %s: %s is %v, want a finite number ≥ 0", what, f.name, f.v)
		}
	}
	return nil
}

// Column is an extra per-account figure summed over territories like
// potential, for instance a projected revenue from a planning model.
type Column struct {
	// Name is the metric's name (camelCase, unique among all metrics).
	Name string
	// Values holds one value per account, in Plan.Accounts order.
	// Non-finite values count as 0.
	Values []float64
}

// Config sets the assumptions behind the live figures. DefaultConfig
// returns the documented defaults (docs/model.md, "Live figures").
type Config struct {
	// CallPlans maps Account.Tier to its call plan. A tier is looked up as
	// written, then ignoring case and surrounding spaces.
	CallPlans map[string]CallPlan
	// DefaultCallPlan applies to accounts whose tier is empty or not in CallPlans.
	DefaultCallPlan CallPlan
	// AccountCallPlan, when not nil, is asked first for every account (i is
	// the index in Plan.Accounts); returning false falls back to the tier.
	AccountCallPlan func(i int, a *engine.Account) (CallPlan, bool)
	// WeeksPerYear is the number of working weeks a rep sells in a year:
	// capacity hours per year = Rep.CapacityHours × WeeksPerYear.
	WeeksPerYear float64
	// Weights maps metric names to their weight in the composite balance
	// index; only balanced metrics may be weighted. Nil or empty weighs
	// nothing, which leaves the index undefined.
	Weights map[string]float64
	// Targets maps a territory id to its target share (> 0) of the total
	// the territories hold, for every balanced metric but utilisation.
	// Territories without a target aim at the plan average, total / number
	// of territories. Ids that are not territories of the scenario are ignored.
	Targets map[string]float64
	// Bands are the deviation bands as ascending fractions (0.05 = ±5 %):
	// a deviation d is in band i when |d| ≤ Bands[i] and not in an earlier
	// band, and in band len(Bands) beyond the last.
	Bands []float64
	// Columns are extra per-account figures summed like potential.
	Columns []Column
	// Model, when not nil, adds the planning model's figures (travel per
	// territory, admin, projected revenue, disruption, costs, sizing and
	// segment counts); see Model.
	Model *Model
}

// Default assumptions; docs/model.md gives the reasons.
const (
	DefaultWeeksPerYear = 46
)

// DefaultConfig returns the documented default assumptions: call plans for
// tiers A (24 visits of 60 minutes a year), B (12 × 45) and C (4 × 30), C's
// for any other tier, 30 minutes of travel per visit, 46 working weeks a
// year, balance weights workload 60, potential 30, revenue 10, no targets,
// and bands of 5, 10 and 20 %.
func DefaultConfig() Config {
	return Config{
		CallPlans: map[string]CallPlan{
			"A": {VisitsPerYear: 24, VisitMinutes: 60, TravelMinutes: 30},
			"B": {VisitsPerYear: 12, VisitMinutes: 45, TravelMinutes: 30},
			"C": {VisitsPerYear: 4, VisitMinutes: 30, TravelMinutes: 30},
		},
		DefaultCallPlan: CallPlan{VisitsPerYear: 4, VisitMinutes: 30, TravelMinutes: 30},
		WeeksPerYear:    DefaultWeeksPerYear,
		Weights:         map[string]float64{"workloadHours": 60, "potential": 30, "revenue": 10},
		Bands:           []float64{0.05, 0.10, 0.20},
	}
}

// check validates what can be checked without the plan.
func (c *Config) check() error {
	tiers := make([]string, 0, len(c.CallPlans))
	for t := range c.CallPlans {
		tiers = append(tiers, t)
	}
	slices.Sort(tiers)
	for _, t := range tiers {
		if err := c.CallPlans[t].check(fmt.Sprintf("for tier %q", t)); err != nil {
			return err
		}
	}
	if err := c.DefaultCallPlan.check("for other tiers"); err != nil {
		return err
	}
	if !(c.WeeksPerYear > 0) || c.WeeksPerYear > 53 {
		return fmt.Errorf("metrics: weeks per year is %v, want more than 0 and at most 53", c.WeeksPerYear)
	}
	for i, b := range c.Bands {
		if !(b > 0) || math.IsInf(b, 0) {
			return fmt.Errorf("metrics: deviation band %d is %v, want a finite fraction > 0", i+1, b)
		}
		if i > 0 && b <= c.Bands[i-1] {
			return fmt.Errorf("metrics: deviation bands %v are not ascending", c.Bands)
		}
	}
	for id, s := range c.Targets {
		if !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("metrics: target share of territory %q is %v, want a finite share > 0", id, s)
		}
	}
	for name, w := range c.Weights {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("metrics: weight of %q is %v, want a finite number ≥ 0", name, w)
		}
	}
	return nil
}

// tierPlans resolves tiers to call plans, caching each distinct tier.
type tierPlans struct {
	cfg   *Config
	cache map[string]CallPlan
}

func (tp *tierPlans) lookup(tier string) CallPlan {
	if c, ok := tp.cache[tier]; ok {
		return c
	}
	c, ok := tp.cfg.CallPlans[tier]
	if !ok {
		c = tp.cfg.DefaultCallPlan
		want := strings.TrimSpace(tier)
		keys := make([]string, 0, len(tp.cfg.CallPlans))
		for k := range tp.cfg.CallPlans {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if want != "" && strings.EqualFold(strings.TrimSpace(k), want) {
				c = tp.cfg.CallPlans[k]
				break
			}
		}
	}
	tp.cache[tier] = c
	return c
}

// ConfigFor returns DefaultConfig with the planner's settings applied:
// every field of s that is set replaces the default (nil s gives the
// defaults).
func ConfigFor(s *engine.Settings) Config {
	c := DefaultConfig()
	if s == nil {
		return c
	}
	if s.CallPlans != nil {
		c.CallPlans = make(map[string]CallPlan, len(s.CallPlans))
		for t, cp := range s.CallPlans {
			c.CallPlans[t] = CallPlan(cp)
		}
	}
	if s.DefaultCallPlan != nil {
		c.DefaultCallPlan = CallPlan(*s.DefaultCallPlan)
	}
	if s.WeeksPerYear != 0 {
		c.WeeksPerYear = s.WeeksPerYear
	}
	if s.Weights != nil {
		c.Weights = s.Weights
	}
	if s.Targets != nil {
		c.Targets = s.Targets
	}
	if s.Bands != nil {
		c.Bands = s.Bands
	}
	return c
}

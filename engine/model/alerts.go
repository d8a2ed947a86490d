package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"territoria/engine"
	"territoria/engine/metrics"
	"territoria/engine/segment"
)

// Alert is one rule broken by one territory.
type Alert struct {
	// Rule is one of Rules.
	Rule string `json:"rule"`
	// Territory is the territory's id and Name its name.
	Territory string `json:"territory"`
	Name      string `json:"name"`
	// Metric is the figure of a balance alert ("" for the other rules).
	Metric string `json:"metric,omitempty"`
	// Value is what broke the rule: a deviation (balance, potential
	// shift, as fractions), a utilisation (a fraction), or the number of
	// overdue golden accounts.
	Value float64 `json:"value"`
	// Threshold is the limit that was passed.
	Threshold float64 `json:"threshold"`
	// Accounts lists overdue golden accounts, most overdue first (never
	// visited before any visited), at most MaxAlertAccounts.
	Accounts []OverdueAccount `json:"accounts,omitempty"`
	// Message says it in English, for the command line and logs.
	Message string `json:"message"`
}

// OverdueAccount is a golden account overdue for a visit.
type OverdueAccount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// LastVisit is the day of the last logged visit (days since
	// 1970-01-01), −1 when none is logged; DaysSince counts the days to now
	// (−1 when never visited); Interval is the planned days between visits.
	LastVisit int32   `json:"lastVisit"`
	DaysSince int32   `json:"daysSince"`
	Interval  float64 `json:"interval"`
}

// MaxAlertAccounts bounds the accounts listed in one alert.
const MaxAlertAccounts = 100

// AlertInput is what the alert rules look at.
type AlertInput struct {
	Plan *engine.Plan
	// Live holds the scenario's figures; Nodes and AccountTerr its alignment.
	Live        *metrics.Live
	Nodes       []engine.Territory
	AccountTerr []int32
	// BaselinePotential maps territory ids to their potential in the
	// baseline (nil: no baseline, no potential-shift alerts).
	BaselinePotential map[string]float64
	Segments          *segment.Result
	// Now is today as days since 1970-01-01 (the engine has no clock).
	Now    int32
	Params AlertParams
}

// AlertReport is the outcome of Alerts.
type AlertReport struct {
	Alerts []Alert `json:"alerts"`
	// VisitLog is false when the plan has no visit log, so that overdue
	// golden accounts cannot be found.
	VisitLog bool `json:"visitLog"`
	// Counts holds the number of alerts per rule.
	Counts map[string]int `json:"counts"`
}

// Alerts evaluates the rules of in.Params over the territories, sorted by
// rule (in Rules order), then territory name and id, then metric.
func Alerts(in AlertInput) AlertReport {
	a := in.Params
	off := map[string]bool{}
	for _, r := range a.Off {
		off[r] = true
	}
	rep := AlertReport{VisitLog: len(in.Plan.Visits) > 0, Counts: map[string]int{}, Alerts: []Alert{}}
	l := in.Live
	b := l.Base()
	infos := b.Metrics()
	var weighted []metrics.Metric
	for _, mb := range l.Balance().Metrics {
		if mb.Weight > 0 {
			weighted = append(weighted, mb.Metric)
		}
	}
	add := func(al Alert) {
		rep.Alerts = append(rep.Alerts, al)
		rep.Counts[al.Rule]++
	}
	pct := func(v float64) string { return fmt.Sprintf("%+.0f %%", 100*v) }
	for i := range in.Nodes {
		t := &in.Nodes[i]
		if t.Kind != engine.KindTerritory {
			continue
		}
		node := int32(i)
		if !off[RuleBalance] {
			for _, m := range weighted {
				d := l.Deviation(node, m)
				if d == d && math.Abs(d) > a.BalanceDeviation {
					add(Alert{Rule: RuleBalance, Territory: t.ID, Name: t.Name, Metric: infos[m].Name, Value: d, Threshold: a.BalanceDeviation,
						Message: fmt.Sprintf("%s: %s %s against target (limit ±%.0f %%)", t.Name, infos[m].Name, pct(d), 100*a.BalanceDeviation)})
				}
			}
		}
		if u := l.Value(node, metrics.Utilisation); u == u {
			if !off[RuleUtilisationLow] && u < a.UtilisationLow {
				add(Alert{Rule: RuleUtilisationLow, Territory: t.ID, Name: t.Name, Value: u, Threshold: a.UtilisationLow,
					Message: fmt.Sprintf("%s: utilisation %.0f %% is below %.0f %%", t.Name, 100*u, 100*a.UtilisationLow)})
			}
			if !off[RuleUtilisationHigh] && u > a.UtilisationHigh {
				add(Alert{Rule: RuleUtilisationHigh, Territory: t.ID, Name: t.Name, Value: u, Threshold: a.UtilisationHigh,
					Message: fmt.Sprintf("%s: utilisation %.0f %% is above %.0f %%", t.Name, 100*u, 100*a.UtilisationHigh)})
			}
		}
		if !off[RulePotentialShift] && in.BaselinePotential != nil {
			if was, ok := in.BaselinePotential[t.ID]; ok && was > 0 {
				d := l.Value(node, metrics.Potential)/was - 1
				if math.Abs(d) > a.PotentialShift {
					add(Alert{Rule: RulePotentialShift, Territory: t.ID, Name: t.Name, Value: d, Threshold: a.PotentialShift,
						Message: fmt.Sprintf("%s: potential %s against the baseline (limit ±%.0f %%)", t.Name, pct(d), 100*a.PotentialShift)})
				}
			}
		}
	}
	if !off[RuleGoldenOverdue] && rep.VisitLog && in.Segments != nil {
		for _, al := range overdue(in) {
			add(al)
		}
	}
	order := map[string]int{}
	for i, r := range Rules {
		order[r] = i
	}
	slices.SortStableFunc(rep.Alerts, func(x, y Alert) int {
		return cmp.Or(cmp.Compare(order[x.Rule], order[y.Rule]), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Territory, y.Territory), cmp.Compare(x.Metric, y.Metric))
	})
	return rep
}

// overdue finds the golden accounts whose last logged visit is older than
// OverdueFactor planned intervals (365 / planned visits a year), one alert
// per territory.
func overdue(in AlertInput) []Alert {
	p := in.Plan
	idx := make(map[string]int32, len(p.Accounts))
	for i := range p.Accounts {
		idx[p.Accounts[i].ID] = int32(i)
	}
	last := make([]int32, len(p.Accounts))
	for i := range last {
		last[i] = -1 << 31
	}
	for _, v := range p.Visits {
		if v.Day > in.Now {
			continue // logged after "now": not yet
		}
		if i, ok := idx[v.AccountID]; ok && v.Day > last[i] {
			last[i] = v.Day
		}
	}
	b := in.Live.Base()
	byTerr := map[int32][]OverdueAccount{}
	for i := range p.Accounts {
		if !in.Segments.Flags[i].Has(segment.Golden) {
			continue
		}
		t := in.AccountTerr[i]
		if t == engine.NoIndex {
			continue
		}
		visits := b.AccountValue(i, metrics.Visits)
		if !(visits > 0) {
			continue
		}
		interval := 365 / visits
		o := OverdueAccount{ID: p.Accounts[i].ID, Name: p.Accounts[i].Name, LastVisit: -1, DaysSince: -1, Interval: interval}
		if last[i] != -1<<31 {
			o.LastVisit, o.DaysSince = last[i], in.Now-last[i]
			if float64(o.DaysSince) <= in.Params.OverdueFactor*interval {
				continue
			}
		}
		byTerr[t] = append(byTerr[t], o)
	}
	var out []Alert
	for t, list := range byTerr {
		slices.SortFunc(list, func(x, y OverdueAccount) int {
			if (x.DaysSince < 0) != (y.DaysSince < 0) {
				if x.DaysSince < 0 {
					return -1
				}
				return 1
			}
			return cmp.Or(cmp.Compare(y.DaysSince, x.DaysSince), cmp.Compare(x.ID, y.ID))
		})
		n := len(list)
		if len(list) > MaxAlertAccounts {
			list = list[:MaxAlertAccounts]
		}
		nd := &in.Nodes[t]
		out = append(out, Alert{Rule: RuleGoldenOverdue, Territory: nd.ID, Name: nd.Name, Value: float64(n), Threshold: in.Params.OverdueFactor,
			Accounts: list, Message: fmt.Sprintf("%s: %d golden account(s) overdue for a visit (last visit older than %.1f planned intervals, or none logged)", nd.Name, n, in.Params.OverdueFactor)})
	}
	return out
}

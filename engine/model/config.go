package model

import (
	"fmt"

	"territoria/engine"
	"territoria/engine/metrics"
	"territoria/engine/segment"
)

// ConfigFor returns the assumptions of the live figures of plan p under
// settings s with the planning model switched on: metrics.ConfigFor(s),
// the accounts' segments, each account's call plan chosen as below, and the
// model (travel, admin, response curves, disruption, costs, sizing, segment
// counts).
//
// An account's call plan is, in order: its own (AccountCallPlans, by
// account id); the plan of its first flag that has one (CallPlans keys
// "golden", "sleeping", "whiteSpace", in that order); the plan of its class
// (CallPlans by class name: A, B, C, or the imported tier); the default
// call plan. Its response curve is its class's.
func ConfigFor(p *engine.Plan, s *engine.Settings) (metrics.Config, *segment.Result, error) {
	cfg := metrics.ConfigFor(s)
	par := Resolve(s)
	if err := par.Check(); err != nil {
		return metrics.Config{}, nil, err
	}
	seg, err := segment.Classify(p, par.segmentConfig())
	if err != nil {
		return metrics.Config{}, nil, err
	}
	// Plans per class and flag, resolved once.
	classPlan := make([]metrics.CallPlan, len(seg.Classes))
	for i, c := range seg.Classes {
		classPlan[i] = lookupPlan(cfg.CallPlans, cfg.DefaultCallPlan, c)
	}
	var flagPlan [len(segment.FlagNames)]*metrics.CallPlan
	for b, name := range segment.FlagNames {
		if cp, ok := hasPlan(cfg.CallPlans, name); ok {
			flagPlan[b] = &cp
		}
	}
	own := par.AccountCallPlans
	cfg.AccountCallPlan = func(i int, a *engine.Account) (metrics.CallPlan, bool) {
		if len(own) > 0 {
			if cp, ok := own[a.ID]; ok {
				return cp, true
			}
		}
		if f := seg.Flags[i]; f != 0 {
			for b := range segment.FlagNames {
				if f&(1<<b) != 0 && flagPlan[b] != nil {
					return *flagPlan[b], true
				}
			}
		}
		return classPlan[seg.Class[i]], true
	}
	m := par.metricsModel()
	if par.RepHoursPerWeek > 0 {
		m.RepHoursPerYear = par.RepHoursPerWeek * cfg.WeeksPerYear
	}
	m.Classes, m.Class = seg.Classes, seg.Class
	m.FlagNames = segment.FlagNames[:]
	m.Flags = make([]uint8, len(seg.Flags))
	for i, f := range seg.Flags {
		m.Flags[i] = uint8(f)
	}
	m.Curves = make([]metrics.Response, len(seg.Classes))
	for i, c := range seg.Classes {
		r, ok := par.Responses[c]
		if !ok {
			r = par.DefaultResponse
			r.ReferenceVisits = defaultVisits(c)
		}
		m.Curves[i] = responseOf(r)
	}
	m.AccountCurve = seg.Class
	cfg.Model = m
	return cfg, seg, nil
}

// CheckAgainst validates p's per-account parts against plan pl: every
// account with its own call plan exists.
func (p Params) CheckAgainst(pl *engine.Plan) error {
	if len(p.AccountCallPlans) == 0 {
		return nil
	}
	ids := make(map[string]bool, len(pl.Accounts))
	for i := range pl.Accounts {
		ids[pl.Accounts[i].ID] = true
	}
	for _, id := range sortedKeys(p.AccountCallPlans) {
		if !ids[id] {
			return fmt.Errorf("call plan for account %q: no such account in the plan", id)
		}
	}
	return nil
}

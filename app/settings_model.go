package app

import (
	"reflect"

	"territoria/engine"
	"territoria/engine/edit"
	"territoria/engine/metrics"
	"territoria/engine/model"
)

// settingsDTO is settings s with every default filled in.
func settingsDTO(s *engine.Settings) PlanSettings {
	c := metrics.ConfigFor(s)
	out := PlanSettings{CallPlans: map[string]CallPlan{}, DefaultCallPlan: CallPlan(c.DefaultCallPlan),
		WeeksPerYear: c.WeeksPerYear, Weights: map[string]float64{}, Targets: map[string]float64{}, Bands: append([]float64{}, c.Bands...),
		Model: model.Resolve(s)}
	for t, cp := range c.CallPlans {
		out.CallPlans[t] = CallPlan(cp)
	}
	for k, w := range c.Weights {
		out.Weights[k] = w
	}
	for k, w := range c.Targets {
		out.Targets[k] = w
	}
	return out
}

// engineSettings stores only what differs from the defaults, so that a
// plan keeps following documented defaults it was never told to change.
// A PlanSettings without model (no segment basis) keeps cur's model.
func engineSettings(in PlanSettings, cur *engine.Settings) *engine.Settings {
	def := settingsDTO(nil)
	s := &engine.Settings{}
	if !reflect.DeepEqual(in.CallPlans, def.CallPlans) && in.CallPlans != nil {
		s.CallPlans = map[string]engine.CallPlan{}
		for t, cp := range in.CallPlans {
			s.CallPlans[t] = engine.CallPlan(cp)
		}
	}
	if in.DefaultCallPlan != def.DefaultCallPlan {
		d := engine.CallPlan(in.DefaultCallPlan)
		s.DefaultCallPlan = &d
	}
	if in.WeeksPerYear != def.WeeksPerYear {
		s.WeeksPerYear = in.WeeksPerYear
	}
	if !reflect.DeepEqual(in.Weights, def.Weights) && in.Weights != nil {
		s.Weights = in.Weights
	}
	if len(in.Targets) > 0 {
		s.Targets = in.Targets
	}
	if !reflect.DeepEqual(in.Bands, def.Bands) && in.Bands != nil {
		s.Bands = in.Bands
	}
	if in.Model.Segments.Basis == "" {
		if cur != nil {
			s.Model = cur.Model.Clone()
		}
	} else {
		s.Model = model.Store(normalParams(in.Model))
	}
	if reflect.DeepEqual(s, &engine.Settings{}) {
		return nil
	}
	return s
}

// normalParams fills the maps and lists a page may send as null, so that
// they compare equal to the defaults.
func normalParams(p model.Params) model.Params {
	d := model.Defaults()
	if p.AccountCallPlans == nil {
		p.AccountCallPlans = d.AccountCallPlans
	}
	if p.Responses == nil {
		p.Responses = d.Responses
	}
	if p.Quota.NewReps == nil {
		p.Quota.NewReps = []string{}
	}
	if p.Alerts.Off == nil {
		p.Alerts.Off = []string{}
	}
	return p
}

// Settings returns the plan's assumptions with every default filled in.
func (e *EditService) Settings() (PlanSettings, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.plan == nil {
		return PlanSettings{}, ErrNoPlan
	}
	return settingsDTO(s.plan.Settings), nil
}

// DefaultSettings returns the documented defaults every setting takes when
// a plan does not set it (docs/model.md): what "Reset to defaults" restores.
// It needs no open plan.
func (e *EditService) DefaultSettings() (PlanSettings, error) {
	return settingsDTO(nil), nil
}

// SetSettings changes the plan's assumptions as one edit (undoable like
// any other); every figure is recomputed. Invalid values are refused with
// the reason.
func (e *EditService) SetSettings(in PlanSettings) (EditResult, error) {
	return e.commit(func(p *engine.Plan, v *view, sc *engine.Scenario) (edit.Edit, error) {
		after := engineSettings(in, p.Settings)
		// Values as given: a zero, which the plan would store as "the
		// default", is refused like any other value out of range.
		if in.Model.Segments.Basis != "" {
			if err := normalParams(in.Model).Check(); err != nil {
				return edit.Edit{}, err
			}
		}
		cfg := metrics.ConfigFor(after)
		cfg.WeeksPerYear = in.WeeksPerYear
		cfg.Weights = nil // checked against the plan's figures when the edit is applied
		if _, err := metrics.NewBase(&engine.Plan{}, cfg); err != nil {
			return edit.Edit{}, err
		}
		if reflect.DeepEqual(after, p.Settings) {
			return edit.Edit{Kind: edit.KindSettings}, nil
		}
		par := model.Resolve(after)
		if err := par.Check(); err != nil {
			return edit.Edit{}, err
		}
		if err := par.CheckAgainst(p); err != nil {
			return edit.Edit{}, err
		}
		return edit.Edit{Kind: edit.KindSettings, Settings: &edit.SettingsChange{Before: p.Settings.Clone(), After: after}}, nil
	})
}

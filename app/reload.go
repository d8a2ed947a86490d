package app

import (
	"fmt"

	"territoria/engine"
	"territoria/storage/planfile"
)

// planAccess is what services working on the open plan (import, export,
// editing) read under the service lock: the file, the plan held in memory and
// the active scenario. The plan must not be modified outside the lock.
type planAccess struct {
	File     *planfile.File
	Plan     *engine.Plan
	Active   string
	ReadOnly bool
}

// access returns the open plan, or an error when none is open.
func (s *PlanService) access() (planAccess, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.file == nil || s.plan == nil {
		return planAccess{}, ErrNoPlan
	}
	return planAccess{File: s.file, Plan: s.plan, Active: s.active, ReadOnly: s.readOnly}, nil
}

// reloadPlan re-reads the open plan from its file after data other than an
// edit of the active scenario was committed (an import, a replaced set of
// units), rebuilds everything derived from it and tells the page.
func (s *PlanService) reloadPlan() (PlanInfo, error) {
	s.mu.Lock()
	if s.file == nil {
		s.mu.Unlock()
		return PlanInfo{}, ErrNoPlan
	}
	p, err := s.file.Load()
	if err != nil {
		s.mu.Unlock()
		return PlanInfo{}, fmt.Errorf("cannot read %s: %w", s.path, err)
	}
	active := s.active
	if p.Scenario(active) == nil && len(p.Scenarios) > 0 {
		active = p.Scenarios[0].ID
	}
	v, err := buildView(p, p.Scenario(active), nil)
	if err != nil {
		s.mu.Unlock()
		return PlanInfo{}, fmt.Errorf("cannot show %s: %w", s.path, err)
	}
	s.plan, s.active, s.meta = p, active, s.file.Meta()
	s.version++
	v.version = s.version
	s.view = v
	info := s.infoLocked()
	s.mu.Unlock()
	s.emit(EventPlanChanged, info)
	return info, nil
}

package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"territoria/engine"
)

// Scenarios lists the plan's scenarios.
func (s *PlanService) Scenarios() ([]ScenarioInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.plan == nil {
		return nil, ErrNoPlan
	}
	return scenarioInfos(s.plan), nil
}

// ResolveScenario finds a scenario by id, or else by exact name.
func ResolveScenario(s *PlanService, idOrName string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.plan == nil {
		return "", ErrNoPlan
	}
	if sc := s.plan.Scenario(idOrName); sc != nil {
		return sc.ID, nil
	}
	var found []string
	for _, sc := range s.plan.Scenarios {
		if sc.Name == idOrName {
			found = append(found, sc.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("no scenario with id or name %q", idOrName)
	default:
		return "", fmt.Errorf("%d scenarios are named %q; use an id (%s)", len(found), idOrName, strings.Join(found, ", "))
	}
}

// writable returns the plan for an edit, or why it cannot be edited.
func (s *PlanService) writableLocked() error {
	if s.plan == nil {
		return ErrNoPlan
	}
	if s.readOnly {
		return ErrReadOnly
	}
	return nil
}

func cleanName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("a scenario needs a name")
	}
	if len([]rune(name)) > 120 {
		return "", errors.New("a scenario name can have at most 120 characters")
	}
	return name, nil
}

// nextScenarioID returns an id not used in p: s1, s2, ...
func nextScenarioID(p *engine.Plan) string {
	max := 0
	for _, sc := range p.Scenarios {
		if n, err := strconv.Atoi(strings.TrimPrefix(sc.ID, "s")); err == nil && strings.HasPrefix(sc.ID, "s") && n > max {
			max = n
		}
	}
	return "s" + strconv.Itoa(max+1)
}

// CreateScenario adds an empty scenario (no territories, every unit unassigned).
func (s *PlanService) CreateScenario(name string) (ScenarioInfo, error) {
	name, err := cleanName(name)
	if err != nil {
		return ScenarioInfo{}, err
	}
	return s.addScenario(func(p *engine.Plan) (*engine.Scenario, error) {
		return &engine.Scenario{ID: nextScenarioID(p), Name: name, UnitTerritory: map[string]string{}, AccountTerritory: map[string]string{}}, nil
	})
}

// CloneScenario adds a copy of scenario id under a new name.
func (s *PlanService) CloneScenario(id, name string) (ScenarioInfo, error) {
	name, err := cleanName(name)
	if err != nil {
		return ScenarioInfo{}, err
	}
	return s.addScenario(func(p *engine.Plan) (*engine.Scenario, error) {
		src := p.Scenario(id)
		if src == nil {
			return nil, fmt.Errorf("no scenario %q", id)
		}
		return src.Clone(nextScenarioID(p), name), nil
	})
}

func (s *PlanService) addScenario(build func(*engine.Plan) (*engine.Scenario, error)) (ScenarioInfo, error) {
	s.mu.Lock()
	if err := s.writableLocked(); err != nil {
		s.mu.Unlock()
		return ScenarioInfo{}, err
	}
	sc, err := build(s.plan)
	if err == nil {
		err = s.file.PutScenario(sc)
	}
	if err != nil {
		s.mu.Unlock()
		return ScenarioInfo{}, err
	}
	s.plan.Scenarios = append(s.plan.Scenarios, sc)
	list := scenarioInfos(s.plan)
	s.mu.Unlock()
	s.emit(EventScenariosChanged, list)
	return list[len(list)-1], nil
}

// RenameScenario renames scenario id.
func (s *PlanService) RenameScenario(id, name string) (ScenarioInfo, error) {
	name, err := cleanName(name)
	if err != nil {
		return ScenarioInfo{}, err
	}
	s.mu.Lock()
	if err := s.writableLocked(); err != nil {
		s.mu.Unlock()
		return ScenarioInfo{}, err
	}
	sc := s.plan.Scenario(id)
	if sc == nil {
		s.mu.Unlock()
		return ScenarioInfo{}, fmt.Errorf("no scenario %q", id)
	}
	if err := s.file.RenameScenario(id, name); err != nil {
		s.mu.Unlock()
		return ScenarioInfo{}, err
	}
	sc.Name = name
	list := scenarioInfos(s.plan)
	var out ScenarioInfo
	for _, x := range list {
		if x.ID == id {
			out = x
		}
	}
	s.mu.Unlock()
	s.emit(EventScenariosChanged, list)
	return out, nil
}

// DeleteScenario removes scenario id. The last scenario cannot be deleted;
// deleting the active one switches to the first remaining.
func (s *PlanService) DeleteScenario(id string) error {
	s.mu.Lock()
	if err := s.writableLocked(); err != nil {
		s.mu.Unlock()
		return err
	}
	idx := -1
	for i, sc := range s.plan.Scenarios {
		if sc.ID == id {
			idx = i
		}
	}
	if idx < 0 {
		s.mu.Unlock()
		return fmt.Errorf("no scenario %q", id)
	}
	if len(s.plan.Scenarios) == 1 {
		s.mu.Unlock()
		return errors.New("a plan needs at least one scenario; create another before deleting this one")
	}
	if err := s.file.DeleteScenario(id); err != nil {
		s.mu.Unlock()
		return err
	}
	s.plan.Scenarios = append(s.plan.Scenarios[:idx:idx], s.plan.Scenarios[idx+1:]...)
	switchTo := ""
	if s.active == id {
		switchTo = s.plan.Scenarios[0].ID
	}
	list := scenarioInfos(s.plan)
	s.mu.Unlock()
	s.emit(EventScenariosChanged, list)
	if switchTo != "" {
		_, err := s.SwitchScenario(switchTo)
		return err
	}
	return nil
}

// SwitchScenario makes scenario id the one shown and edited.
func (s *PlanService) SwitchScenario(id string) (PlanInfo, error) {
	s.mu.Lock()
	if s.plan == nil {
		s.mu.Unlock()
		return PlanInfo{}, ErrNoPlan
	}
	sc := s.plan.Scenario(id)
	if sc == nil {
		s.mu.Unlock()
		return PlanInfo{}, fmt.Errorf("no scenario %q", id)
	}
	v, err := buildView(s.plan, sc, s.view)
	if err != nil {
		s.mu.Unlock()
		return PlanInfo{}, err
	}
	if !s.readOnly {
		if err := s.file.SetActiveScenario(id); err != nil {
			s.mu.Unlock()
			return PlanInfo{}, err
		}
	}
	s.active = id
	s.version++
	v.version = s.version
	s.view = v
	info := s.infoLocked()
	s.mu.Unlock()
	s.emit(EventPlanChanged, info)
	return info, nil
}

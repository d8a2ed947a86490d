package app

import (
	"fmt"
	"strings"

	"territoria/engine"
	"territoria/engine/edit"
)

// MetricsReport is every figure of one scenario: the side panel's rows
// (territories, districts, regions, unassigned, plan) and the balance.
type MetricsReport struct {
	ScenarioID   string         `json:"scenarioId"`
	ScenarioName string         `json:"scenarioName"`
	Rows         []TerritoryRow `json:"rows"`
	Balance      BalanceView    `json:"balance"`
}

// ScenarioMetrics computes the figures of a scenario ("" = the active one)
// without making it active. It is a function, not a bound method: the page
// reads the active scenario's figures through Territories and edits.
func ScenarioMetrics(s *PlanService, scenarioID string) (MetricsReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return MetricsReport{}, err
	}
	if scenarioID == "" {
		scenarioID = s.active
	}
	sc := p.Scenario(scenarioID)
	if sc == nil {
		return MetricsReport{}, fmt.Errorf("unknown scenario %q", scenarioID)
	}
	if v.scenario != scenarioID {
		if v, err = buildView(p, sc, v); err != nil {
			return MetricsReport{}, err
		}
	}
	return MetricsReport{ScenarioID: sc.ID, ScenarioName: sc.Name, Rows: territoryRows(p, v, s.baselineOf(v)), Balance: balanceView(v)}, nil
}

// AlignmentRow is one line of an alignment table: a unit or account id and
// the territory id it belongs to ("" = unassigned / back to geography).
// Row is the line number in the file, for messages.
type AlignmentRow struct {
	Row       int
	ID        string
	Territory string
}

// AlignmentError lists every line of an alignment table that cannot be
// applied; nothing is applied when there is one.
type AlignmentError struct {
	Problems []string
}

func (e *AlignmentError) Error() string {
	more := ""
	list := e.Problems
	if len(list) > 20 {
		more = fmt.Sprintf("\n  ... and %d more", len(list)-20)
		list = list[:20]
	}
	return fmt.Sprintf("%d problem(s); nothing was changed:\n  %s%s", len(e.Problems), strings.Join(list, "\n  "), more)
}

// ApplyAlignment assigns units and accounts of a scenario ("" = active) to
// territories from alignment tables, as one edit (one undo step). Unknown
// unit, account or territory ids are reported with their line; then
// nothing changes.
func ApplyAlignment(s *PlanService, scenarioID, unitsFile, accountsFile string, units, accounts []AlignmentRow) (EditResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return EditResult{}, err
	}
	if scenarioID == "" {
		scenarioID = s.active
	}
	sc := p.Scenario(scenarioID)
	if sc == nil {
		return EditResult{}, fmt.Errorf("unknown scenario %q", scenarioID)
	}
	// Edit that scenario as if it were active, then restore.
	activeID, activeView := s.active, v
	if v.scenario != scenarioID {
		if v, err = buildView(p, sc, v); err != nil {
			return EditResult{}, err
		}
		s.active, s.view = scenarioID, v
		defer func() { s.active, s.view = activeID, activeView }()
	}
	st := v.st()
	var problems []string
	terr := func(file string, r AlignmentRow) (string, bool) {
		if r.Territory == "" {
			return "", true
		}
		t := st.Node(r.Territory)
		if t == engine.NoIndex {
			problems = append(problems, fmt.Sprintf("%s row %d, column territory_id: unknown territory %q", file, r.Row, r.Territory))
			return "", false
		}
		if st.Nodes[t].Kind != engine.KindTerritory {
			problems = append(problems, fmt.Sprintf("%s row %d, column territory_id: %q is a %s, not a territory", file, r.Row, r.Territory, st.Nodes[t].Kind))
			return "", false
		}
		return r.Territory, true
	}
	ed := edit.Edit{Kind: edit.KindPaint}
	seen := map[string]int{}
	for _, r := range units {
		u := st.UnitIndex(r.ID)
		if u == engine.NoIndex {
			problems = append(problems, fmt.Sprintf("%s row %d, column unit_id: unknown unit %q", unitsFile, r.Row, r.ID))
			continue
		}
		if prev, dup := seen["u"+r.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s row %d, column unit_id: unit %q already given on row %d", unitsFile, r.Row, r.ID, prev))
			continue
		}
		seen["u"+r.ID] = r.Row
		to, ok := terr(unitsFile, r)
		if !ok {
			continue
		}
		if from := nodeID(st, st.UnitTerr[u]); from != to {
			ed.Units = append(ed.Units, edit.Move{ID: r.ID, From: from, To: to})
		}
	}
	for _, r := range accounts {
		a := st.AccountIndex(r.ID)
		if a == engine.NoIndex {
			problems = append(problems, fmt.Sprintf("%s row %d, column account_id: unknown account %q", accountsFile, r.Row, r.ID))
			continue
		}
		if prev, dup := seen["a"+r.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s row %d, column account_id: account %q already given on row %d", accountsFile, r.Row, r.ID, prev))
			continue
		}
		seen["a"+r.ID] = r.Row
		to, ok := terr(accountsFile, r)
		if !ok {
			continue
		}
		if from := nodeID(st, st.Override(a)); from != to {
			ed.Overrides = append(ed.Overrides, edit.Move{ID: r.ID, From: from, To: to})
		}
	}
	if len(problems) > 0 {
		return EditResult{}, &AlignmentError{Problems: problems}
	}
	if len(ed.Units) == 0 {
		ed.Kind = edit.KindMoveAccounts
	}
	return s.commitLocked(ed)
}

// ActiveScenarioID returns the id of the active scenario ("" with no plan).
// A function, not a method, so it is not bound: the page learns it from PlanInfo.
func ActiveScenarioID(s *PlanService) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.active
}

// OnScenario runs fn with scenario id ("" = the active one) as the one the
// edit service works on, without changing which scenario the plan file
// marks active. For the command line.
func OnScenario[T any](s *PlanService, id string, fn func(e *EditService) (T, error)) (T, error) {
	var zero T
	s.mu.Lock()
	p, v, err := s.current()
	if err != nil {
		s.mu.Unlock()
		return zero, err
	}
	if id != "" && id != s.active {
		sc := p.Scenario(id)
		if sc == nil {
			s.mu.Unlock()
			return zero, fmt.Errorf("unknown scenario %q", id)
		}
		nv, err := buildView(p, sc, v)
		if err != nil {
			s.mu.Unlock()
			return zero, err
		}
		activeID, activeView := s.active, v
		s.active, s.view = id, nv
		defer func() {
			s.mu.Lock()
			s.active, s.view = activeID, activeView
			s.mu.Unlock()
		}()
	}
	s.mu.Unlock()
	return fn(NewEditService(s))
}

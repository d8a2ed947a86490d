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
	// moves reads one table: index finds an id, current its territory now.
	moves := func(rows []AlignmentRow, file, what string, index func(string) int32, current func(int32) int32) []edit.Move {
		var out []edit.Move
		seen := map[string]int{}
		for _, r := range rows {
			i := index(r.ID)
			if i == engine.NoIndex {
				problems = append(problems, fmt.Sprintf("%s row %d, column %s_id: unknown %s %q", file, r.Row, what, what, r.ID))
				continue
			}
			if prev, dup := seen[r.ID]; dup {
				problems = append(problems, fmt.Sprintf("%s row %d, column %s_id: %s %q already given on row %d", file, r.Row, what, what, r.ID, prev))
				continue
			}
			seen[r.ID] = r.Row
			to, ok := terr(file, r)
			if !ok {
				continue
			}
			if from := nodeID(st, current(i)); from != to {
				out = append(out, edit.Move{ID: r.ID, From: from, To: to})
			}
		}
		return out
	}
	ed.Units = moves(units, unitsFile, "unit", st.UnitIndex, func(u int32) int32 { return st.UnitTerr[u] })
	ed.Overrides = moves(accounts, accountsFile, "account", st.AccountIndex, st.Override)
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

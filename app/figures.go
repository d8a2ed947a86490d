package app

import (
	"errors"
	"fmt"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/metrics"
)

// tallyMetrics are the figures a row carries, by name.
var tallyMetrics = []metrics.Metric{metrics.Accounts, metrics.Units, metrics.Potential, metrics.Revenue, metrics.LifetimeValue}

func valuesOf(t metrics.Tally) map[string]float64 {
	m := make(map[string]float64, len(tallyMetrics))
	for _, k := range tallyMetrics {
		m[k.String()] = t.Value(k)
	}
	return m
}

// territoryRows builds the side panel's rows: every node depth first, what
// no territory holds, then the plan; base holds the baseline's figures by
// node id (nil for none).
func territoryRows(p *engine.Plan, v *view, base *baselineFigures) []TerritoryRow {
	reps := repNames(p)
	rep := metrics.Rollup(v.st, v.tally)
	means := map[string]float64{}
	for _, m := range tallyMetrics {
		means[m.String()] = metrics.TerritoryBalance(v.st, v.tally, m).Mean
	}
	out := make([]TerritoryRow, 0, len(rep.Rows)+2)
	baseOf := func(id string) map[string]float64 {
		if base == nil {
			return nil
		}
		return base.nodes[id]
	}
	for _, r := range rep.Rows {
		t := v.st.Nodes[r.Node]
		row := TerritoryRow{ID: t.ID, Name: t.Name, Kind: string(t.Kind), Parent: t.Parent, Rep: reps[t.RepID], RepID: t.RepID,
			Color: t.Color, Locked: t.Locked, Depth: r.Depth, Figures: figures(r.Tally), Values: valuesOf(r.Tally), Baseline: baseOf(t.ID)}
		if rep.Plan.Potential > 0 {
			row.PotentialShare = r.Potential / rep.Plan.Potential
		}
		if t.Kind == engine.KindTerritory {
			row.PotentialDeviation = metrics.Deviation(r.Potential, means["potential"])
			row.Deviation = map[string]float64{}
			for k, val := range row.Values {
				row.Deviation[k] = metrics.Deviation(val, means[k])
			}
		}
		out = append(out, row)
	}
	if u := rep.Unassigned; u.Accounts > 0 || u.Units > 0 {
		row := TerritoryRow{Kind: "unassigned", Figures: figures(u), Values: valuesOf(u), Baseline: baseOf("\x00unassigned")}
		if rep.Plan.Potential > 0 {
			row.PotentialShare = u.Potential / rep.Plan.Potential
		}
		out = append(out, row)
	}
	out = append(out, TerritoryRow{Kind: "plan", Name: p.Name, Figures: figures(rep.Plan), Values: valuesOf(rep.Plan),
		PotentialShare: 1, Baseline: baseOf("\x00plan")})
	return out
}

func figures(t metrics.Tally) Figures {
	return Figures{Accounts: t.Accounts, Units: t.Units, Potential: t.Potential, Revenue: t.Revenue, LifetimeValue: t.LifetimeValue}
}

// balanceView measures the spread of each figure across territories.
func balanceView(v *view) BalanceView {
	out := BalanceView{Metrics: map[string]MetricBalance{}}
	weights := map[metrics.Metric]float64{metrics.Potential: 0.6, metrics.Revenue: 0.3, metrics.Accounts: 0.1}
	var sum, wsum float64
	for _, m := range tallyMetrics {
		b := metrics.TerritoryBalance(v.st, v.tally, m)
		w := weights[m]
		out.Metrics[m.String()] = MetricBalance{Mean: b.Mean, CV: b.CV, Gini: b.Gini, MaxAbsDeviation: b.MaxAbsDeviation, Weight: w}
		sum += w * b.CV
		wsum += w
	}
	if wsum > 0 {
		out.Index = max(0, 100*(1-sum/wsum))
	}
	return out
}

// baselineFigures are the figures of the baseline an active scenario is
// compared with, by node id ("\x00plan" and "\x00unassigned" for those rows).
type baselineFigures struct {
	choice string
	nodes  map[string]map[string]float64
}

// baselineLocked returns the figures of the active scenario's baseline,
// computing them on first use: another scenario chosen by SetBaseline, or
// by default the scenario as it was before its first recorded edit.
func (s *PlanService) baselineLocked() *baselineFigures {
	return s.baselineOf(s.view)
}

// baselineOf returns the baseline figures of the scenario of view v.
func (s *PlanService) baselineOf(v *view) *baselineFigures {
	if v == nil || s.plan == nil {
		return nil
	}
	choice := s.baselines[v.scenario]
	if v.baseline != nil && v.baseline.choice == choice {
		return v.baseline
	}
	sc, err := s.baselineScenarioLocked(v.scenario, choice)
	if err != nil || sc == nil {
		return nil
	}
	st, err := assign.Compute(s.plan, sc)
	if err != nil {
		return nil
	}
	t := metrics.Compute(s.plan, st)
	rep := metrics.Rollup(st, t)
	bf := &baselineFigures{choice: choice, nodes: map[string]map[string]float64{}}
	for _, r := range rep.Rows {
		bf.nodes[st.Nodes[r.Node].ID] = valuesOf(r.Tally)
	}
	bf.nodes["\x00unassigned"] = valuesOf(rep.Unassigned)
	bf.nodes["\x00plan"] = valuesOf(rep.Plan)
	v.baseline = bf
	return bf
}

func (s *PlanService) baselineScenarioLocked(scenarioID, choice string) (*engine.Scenario, error) {
	if choice != "" {
		sc := s.plan.Scenario(choice)
		if sc == nil {
			return nil, fmt.Errorf("unknown scenario %q", choice)
		}
		return sc, nil
	}
	cur := s.plan.Scenario(scenarioID)
	if cur == nil {
		return nil, errors.New("no such scenario")
	}
	orig := cur.Clone(cur.ID, cur.Name)
	if s.file == nil {
		return orig, nil
	}
	es, c, err := s.file.History(scenarioID)
	if err != nil {
		return nil, err
	}
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Seq > c {
			continue
		}
		if err := edit.ApplyTo(orig, es[i].Edit.Inverse()); err != nil {
			return nil, fmt.Errorf("history entry %d: %w", es[i].Seq, err)
		}
	}
	return orig, nil
}

// SetBaseline chooses what the active scenario's figures are compared with:
// another scenario's id, or "" for the scenario as it was before its first
// recorded edit. It returns the side panel rows with the new baseline.
func (e *EditService) SetBaseline(scenarioID string) ([]TerritoryRow, error) {
	s := e.p
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	if scenarioID != "" && p.Scenario(scenarioID) == nil {
		return nil, fmt.Errorf("unknown scenario %q", scenarioID)
	}
	if s.baselines == nil {
		s.baselines = map[string]string{}
	}
	s.baselines[s.active] = scenarioID
	v.baseline = nil
	return territoryRows(p, v, s.baselineLocked()), nil
}

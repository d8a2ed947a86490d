package app

import (
	"errors"
	"fmt"
	"math"

	"territoria/engine"
	"territoria/engine/edit"
	"territoria/engine/metrics"
	"territoria/engine/session"
)

// rowFigures turns a metrics row into named values (undefined ones left
// out), deviations and bands.
func rowFigures(infos []metrics.MetricInfo, r metrics.Row) (vals, dev map[string]float64, band map[string]int) {
	vals = make(map[string]float64, len(infos))
	for i, mi := range infos {
		if i < len(r.Values) && !math.IsNaN(r.Values[i]) {
			vals[mi.Name] = r.Values[i]
		}
	}
	if r.Deviation != nil {
		dev, band = map[string]float64{}, map[string]int{}
		for i, mi := range infos {
			if i < len(r.Deviation) && !math.IsNaN(r.Deviation[i]) {
				dev[mi.Name] = r.Deviation[i]
				band[mi.Name] = int(r.Band[i])
			}
		}
	}
	return vals, dev, band
}

func legacyFigures(v map[string]float64) Figures {
	return Figures{Accounts: int(v["accounts"]), Units: int(v["units"]), Potential: v["potential"], Revenue: v["revenue"], LifetimeValue: v["lifetimeValue"]}
}

// territoryRows builds the side panel's rows: every node depth first, what
// no territory holds, then the plan; base holds the baseline's figures by
// node id (nil for none).
func territoryRows(p *engine.Plan, v *view, base *baselineFigures) []TerritoryRow {
	reps := repNames(p)
	rep := v.sess.Live.Report()
	st := v.st()
	baseOf := func(id string) map[string]float64 {
		if base == nil {
			return nil
		}
		return base.nodes[id]
	}
	planPotential := 0.0
	if n := len(rep.Rows); n > 0 {
		planPotential = rep.Rows[n-1].Values[metrics.Potential]
	}
	out := make([]TerritoryRow, 0, len(rep.Rows))
	for _, r := range rep.Rows {
		vals, dev, band := rowFigures(rep.Metrics, r)
		row := TerritoryRow{Kind: r.Kind, Name: r.Name, Depth: r.Depth, Figures: legacyFigures(vals), Values: vals, Deviation: dev, Band: band}
		switch r.Kind {
		case metrics.KindUnassigned:
			if vals["accounts"] == 0 && vals["units"] == 0 {
				continue
			}
			row.Name, row.Baseline = "", baseOf("\x00unassigned")
		case metrics.KindPlan:
			row.Name, row.Baseline = p.Name, baseOf("\x00plan")
		default:
			t := st.Nodes[r.Node]
			row.ID, row.Parent, row.Rep, row.RepID, row.Color, row.Locked = t.ID, t.Parent, reps[t.RepID], t.RepID, t.Color, t.Locked
			row.Baseline = baseOf(t.ID)
			if t.Kind == engine.KindTerritory && dev != nil {
				row.PotentialDeviation = dev["potential"]
			}
		}
		if planPotential > 0 {
			row.PotentialShare = vals["potential"] / planPotential
		}
		out = append(out, row)
	}
	return out
}

// balanceView is the plan-wide balance of the view's alignment.
func balanceView(v *view) BalanceView {
	sum := v.sess.Live.Balance()
	out := BalanceView{Metrics: map[string]MetricBalance{}}
	if sum.HasIndex {
		out.Index = sum.Index
	}
	for _, m := range sum.Metrics {
		if !m.Defined {
			continue
		}
		out.Metrics[m.Name] = MetricBalance{Mean: m.Mean, CV: m.CV, Gini: m.Gini, MaxAbsDeviation: m.MaxAbsDeviation, Weight: m.Weight}
	}
	return out
}

// baselineFigures are the figures of the baseline an active scenario is
// compared with, by node id ("\x00plan" and "\x00unassigned" for those rows).
type baselineFigures struct {
	choice string
	nodes  map[string]map[string]float64
	// reps holds each account's rep in the baseline, for the revenue at
	// risk (metrics.Live.SetBaseline).
	reps []int32
	// byRep holds each rep's figures in the baseline, by rep id.
	byRep map[string]map[string]float64
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
	bs, err := session.New(s.plan, sc.Clone(sc.ID, sc.Name), v.sess.Base())
	if err != nil {
		return nil
	}
	// The revenue at risk of the scenario is measured against the
	// baseline's reps.
	reps := bs.Base().BaselineReps(bs.State.AccountTerr, bs.State.Nodes)
	if err := v.sess.SetBaseline(reps); err != nil {
		return nil
	}
	rep := bs.Live.Report()
	bf := &baselineFigures{choice: choice, nodes: map[string]map[string]float64{}, reps: reps,
		byRep: repFigures(bs.Live, bs.State.Nodes)}
	for _, r := range rep.Rows {
		vals, _, _ := rowFigures(rep.Metrics, r)
		switch r.Kind {
		case metrics.KindUnassigned:
			bf.nodes["\x00unassigned"] = vals
		case metrics.KindPlan:
			bf.nodes["\x00plan"] = vals
		default:
			bf.nodes[r.ID] = vals
		}
	}
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

// Metrics lists the figures the rows carry, in display order.
func (e *EditService) Metrics() ([]MetricInfo, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, v, err := s.current()
	if err != nil {
		return nil, err
	}
	infos := v.sess.Base().Metrics()
	out := make([]MetricInfo, 0, len(infos))
	for _, mi := range infos {
		out = append(out, MetricInfo{Name: mi.Name, Unit: mi.Unit, Summed: mi.Summed, Balanced: mi.Balanced})
	}
	return out, nil
}

// Balance returns the plan-wide balance of the active scenario (edits
// return it too; this is for the page's first view).
func (e *EditService) Balance() (BalanceView, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, v, err := s.current()
	if err != nil {
		return BalanceView{}, err
	}
	return balanceView(v), nil
}

// Reps lists the plan's reps with the territories of the active scenario
// each one covers, for choosing a territory's rep.
func (s *PlanService) Reps() ([]RepInfo, error) {
	s.mu.Lock() // the baseline is computed on first use
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	// The baseline first: on first use it gives the session the baseline's
	// reps, which the revenue at risk is measured against.
	var base map[string]map[string]float64
	if bf := s.baselineLocked(); bf != nil {
		base = bf.byRep
	}
	figs := repFigures(v.sess.Live, v.st().Nodes)
	covers := map[string][]string{}
	for _, n := range v.st().Nodes {
		if n.RepID != "" {
			covers[n.RepID] = append(covers[n.RepID], n.ID)
		}
	}
	out := make([]RepInfo, 0, len(p.Reps))
	for _, r := range p.Reps {
		ts := covers[r.ID]
		if ts == nil {
			ts = []string{}
		}
		ri := RepInfo{ID: r.ID, Name: r.Name, Home: [2]float64{r.Home[0], r.Home[1]}, CapacityHours: r.CapacityHours, Cost: r.Cost,
			Territories: ts, Values: figs[r.ID]}
		if ri.Values == nil {
			ri.Values = map[string]float64{}
		}
		if base != nil {
			if ri.Baseline = base[r.ID]; ri.Baseline == nil {
				ri.Baseline = map[string]float64{}
			}
		}
		out = append(out, ri)
	}
	return out, nil
}

// repFigures returns each rep's figures in l (see RepInfo.Values), by rep
// id, for the reps that cover a territory of nodes.
func repFigures(l *metrics.Live, nodes []engine.Territory) map[string]map[string]float64 {
	infos := l.Metrics()
	out := map[string]map[string]float64{}
	for rep, ts := range metrics.RepGroups(nodes) {
		vals := l.GroupValues(ts)
		m := make(map[string]float64, len(infos))
		for i, mi := range infos {
			if !math.IsNaN(vals[i]) {
				m[mi.Name] = vals[i]
			}
		}
		out[rep] = m
	}
	return out
}

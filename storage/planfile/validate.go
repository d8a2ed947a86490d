package planfile

import (
	"fmt"

	"territoria/engine"
)

// validatePlan checks the rules Create relies on: ids are non-empty and
// unique, and every reference inside a scenario resolves.
func validatePlan(p *engine.Plan) error {
	if p.HistoryMonths < 0 || p.HistoryMonths > maxHistory {
		return fmt.Errorf("%w: history months %d is outside 0..%d", ErrInvalid, p.HistoryMonths, maxHistory)
	}
	accounts := make(map[string]struct{}, len(p.Accounts))
	for i := range p.Accounts {
		a := &p.Accounts[i]
		if err := checkAccount(a, i); err != nil {
			return err
		}
		if _, dup := accounts[a.ID]; dup {
			return fmt.Errorf("%w: account id %q appears twice", ErrInvalid, a.ID)
		}
		accounts[a.ID] = struct{}{}
	}
	reps := map[string]bool{}
	for i, r := range p.Reps {
		if r.ID == "" {
			return fmt.Errorf("%w: rep %d has an empty id", ErrInvalid, i)
		}
		if reps[r.ID] {
			return fmt.Errorf("%w: rep id %q appears twice", ErrInvalid, r.ID)
		}
		reps[r.ID] = true
	}
	units := make(map[string]bool, len(p.Units))
	for i, u := range p.Units {
		if u.ID == "" {
			return fmt.Errorf("%w: unit %d has an empty id", ErrInvalid, i)
		}
		if units[u.ID] {
			return fmt.Errorf("%w: unit id %q appears twice", ErrInvalid, u.ID)
		}
		units[u.ID] = true
		if len(u.Data) > maxAttrs {
			return fmt.Errorf("%w: unit %q has %d data values, more than the limit of %d", ErrInvalid, u.ID, len(u.Data), maxAttrs)
		}
		for _, nb := range u.Neighbors {
			if nb < 0 || int(nb) >= len(p.Units) {
				return fmt.Errorf("%w: unit %q has neighbor index %d, the plan has %d units", ErrInvalid, u.ID, nb, len(p.Units))
			}
		}
	}
	scenarios := map[string]bool{}
	for i, s := range p.Scenarios {
		if s == nil {
			return fmt.Errorf("%w: scenario %d is nil", ErrInvalid, i)
		}
		if scenarios[s.ID] {
			return fmt.Errorf("%w: scenario id %q appears twice", ErrInvalid, s.ID)
		}
		scenarios[s.ID] = true
		err := validateScenario(s,
			func(id string) bool { return units[id] },
			func(id string) bool { _, ok := accounts[id]; return ok })
		if err != nil {
			return err
		}
	}
	return nil
}

func checkAccount(a *engine.Account, i int) error {
	if a.ID == "" {
		return fmt.Errorf("%w: account %d has an empty id", ErrInvalid, i)
	}
	if len(a.History) > maxHistory {
		return fmt.Errorf("%w: account %q has %d months of history, more than the limit of %d", ErrInvalid, a.ID, len(a.History), maxHistory)
	}
	if len(a.Attrs) > maxAttrs {
		return fmt.Errorf("%w: account %q has %d attributes, more than the limit of %d", ErrInvalid, a.ID, len(a.Attrs), maxAttrs)
	}
	return nil
}

// validateScenario checks a scenario against itself and the plan's units and
// accounts.
func validateScenario(s *engine.Scenario, unitExists, accountExists func(string) bool) error {
	if s.ID == "" {
		return fmt.Errorf("%w: scenario id is empty", ErrInvalid)
	}
	byID := make(map[string]*engine.Territory, len(s.Territories))
	for i := range s.Territories {
		t := &s.Territories[i]
		if err := checkTerritory(*t); err != nil {
			return fmt.Errorf("scenario %q: %w", s.ID, err)
		}
		if byID[t.ID] != nil {
			return fmt.Errorf("%w: scenario %q: territory id %q appears twice", ErrInvalid, s.ID, t.ID)
		}
		byID[t.ID] = t
	}
	for _, t := range s.Territories {
		steps := 0
		for p := t.Parent; p != ""; p = byID[p].Parent {
			if byID[p] == nil {
				return fmt.Errorf("%w: scenario %q: territory %q has parent %q, which does not exist", ErrInvalid, s.ID, t.ID, p)
			}
			if steps++; steps > len(s.Territories) {
				return fmt.Errorf("%w: scenario %q: territory %q is its own ancestor", ErrInvalid, s.ID, t.ID)
			}
		}
	}
	holder := func(what, id, tid string) error {
		t := byID[tid]
		if t == nil {
			return fmt.Errorf("%w: scenario %q: %s %q is placed in territory %q, which does not exist", ErrInvalid, s.ID, what, id, tid)
		}
		if t.Kind != engine.KindTerritory {
			return fmt.Errorf("%w: scenario %q: %s %q is placed in %s %q; only territories hold %ss", ErrInvalid, s.ID, what, id, t.Kind, tid, what)
		}
		return nil
	}
	for uid, tid := range s.UnitTerritory {
		if !unitExists(uid) {
			return fmt.Errorf("%w: scenario %q assigns unit %q, which the plan does not have", ErrInvalid, s.ID, uid)
		}
		if err := holder("unit", uid, tid); err != nil {
			return err
		}
	}
	for aid, tid := range s.AccountTerritory {
		if !accountExists(aid) {
			return fmt.Errorf("%w: scenario %q places account %q, which the plan does not have", ErrInvalid, s.ID, aid)
		}
		if err := holder("account", aid, tid); err != nil {
			return err
		}
	}
	for uid, locked := range s.LockedUnits {
		if locked && !unitExists(uid) {
			return fmt.Errorf("%w: scenario %q locks unit %q, which the plan does not have", ErrInvalid, s.ID, uid)
		}
	}
	for aid, locked := range s.LockedAccounts {
		if locked && !accountExists(aid) {
			return fmt.Errorf("%w: scenario %q locks account %q, which the plan does not have", ErrInvalid, s.ID, aid)
		}
	}
	return nil
}

func checkTerritory(t engine.Territory) error {
	if t.ID == "" {
		return fmt.Errorf("%w: territory %q has an empty id", ErrInvalid, t.Name)
	}
	switch t.Kind {
	case engine.KindRegion, engine.KindDistrict, engine.KindTerritory:
	default:
		return fmt.Errorf("%w: territory %q has kind %q; want %q, %q or %q", ErrInvalid, t.ID, t.Kind,
			engine.KindRegion, engine.KindDistrict, engine.KindTerritory)
	}
	if t.Parent == t.ID {
		return fmt.Errorf("%w: territory %q is its own parent", ErrInvalid, t.ID)
	}
	return nil
}

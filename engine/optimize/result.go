package optimize

import "territoria/engine"

// scenario builds the result scenario for assignment a.
func (pr *problem) scenario(a []int32) *engine.Scenario {
	p := pr.plan
	s := pr.skel.Clone(pr.skel.ID, pr.skel.Name)
	if pr.level == LevelUnits {
		for u := range p.Units {
			if !pr.movable[u] {
				continue
			}
			if t := a[u]; t >= 0 {
				s.UnitTerritory[p.Units[u].ID] = pr.terrs[t].id
			} else {
				delete(s.UnitTerritory, p.Units[u].ID)
			}
		}
	} else {
		for i := range p.Accounts {
			if !pr.movable[i] {
				continue
			}
			t := a[i]
			switch {
			case t < 0:
			case pr.opts.Mode == Build || t != pr.init[i]:
				s.AccountTerritory[p.Accounts[i].ID] = pr.terrs[t].id
			}
		}
	}
	// Locked accounts stay where they were even when their unit moves.
	for _, pn := range pr.pins {
		t := pn.skelT
		if pr.level == LevelUnits && pr.movable[pn.unit] {
			t = a[pn.unit]
		}
		if t != pn.t {
			s.AccountTerritory[p.Accounts[pn.acc].ID] = pr.terrs[pn.t].id
		}
	}
	return s
}

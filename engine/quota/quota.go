// Package quota splits a plan total into quotas: to territories by a
// blended fair share of history, potential and an even split (with a ramp
// factor for new reps), then each territory's year by quarter, month and
// ISO week in proportion to seasonality and working days, in whole
// currency units such that every level adds up exactly to its parent.
//
// Formulas and defaults are in docs/model.md ("Quotas").
package quota

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"territoria/engine"
)

// Territory is what a quota is shared by.
type Territory struct {
	ID string
	// History is the revenue of the last 12 months; Potential the
	// potential.
	History, Potential float64
	// Ramp is true when the territory's rep is new or it has none: its
	// share is multiplied by the ramp factor.
	Ramp bool
}

// Config sets a split.
type Config struct {
	// Total is the plan total, rounded to whole currency units.
	Total float64
	// History, Potential and Even weigh the blended fair share; they are
	// used relative to their sum.
	History, Potential, Even float64
	// Ramp multiplies the share of ramping territories (0 < Ramp ≤ 1).
	Ramp float64
	// Year is the calendar year the quota is for.
	Year int
	// Seasonality holds an index per calendar month (January first) of
	// revenue per working day; all ones (or all zeros) is flat.
	Seasonality [12]float64
}

// Week is the part of a month in one ISO week.
type Week struct {
	ISOYear int `json:"isoYear"`
	ISOWeek int `json:"isoWeek"`
	// Month is 1 to 12; From and To are the first and last day of the part
	// as days since 1970-01-01, and Start the first as YYYY-MM-DD.
	Month       int    `json:"month"`
	From        int32  `json:"from"`
	To          int32  `json:"to"`
	Start       string `json:"start"`
	WorkingDays int    `json:"workingDays"`
	Quota       int64  `json:"quota"`
}

// Quota is one territory's (or node's) quota.
type Quota struct {
	ID string `json:"id"`
	// Share is the territory's share of the total after the ramp.
	Share    float64   `json:"share"`
	Ramp     bool      `json:"ramp"`
	Year     int64     `json:"year"`
	Quarters [4]int64  `json:"quarters"`
	Months   [12]int64 `json:"months"`
	Weeks    []Week    `json:"weeks,omitempty"`
}

// Result is a split of a total.
type Result struct {
	Year        int     `json:"year"`
	Total       int64   `json:"total"`
	Territories []Quota `json:"territories"`
	// MonthWeights are the weights of the months: seasonality × working days.
	MonthWeights [12]float64 `json:"monthWeights"`
}

// Split shares c.Total among ts and breaks each share down by quarter,
// month and ISO week.
func Split(ts []Territory, c Config) (*Result, error) {
	if !(c.Total >= 0) || c.Total > 1e17 {
		return nil, fmt.Errorf("quota: total %v, want a number from 0 to 10¹⁷", c.Total)
	}
	if c.Year < 1 || c.Year > 9999 {
		return nil, fmt.Errorf("quota: year %d, want 1 to 9999", c.Year)
	}
	if !(c.Ramp > 0 && c.Ramp <= 1) {
		return nil, fmt.Errorf("quota: ramp factor %v, want more than 0 and at most 1", c.Ramp)
	}
	for _, w := range []float64{c.History, c.Potential, c.Even} {
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("quota: weights %v, %v, %v; want finite numbers ≥ 0", c.History, c.Potential, c.Even)
		}
	}
	if len(ts) == 0 {
		return nil, errors.New("quota: no territories to share the total")
	}
	shares := Shares(ts, c.History, c.Potential, c.Even, c.Ramp)
	r := &Result{Year: c.Year, Total: int64(math.Round(c.Total)), Territories: make([]Quota, len(ts))}
	years := Apportion(r.Total, shares)
	r.MonthWeights = MonthWeights(c.Year, c.Seasonality)
	pieces := weekPieces(c.Year)
	for k, t := range ts {
		q := &r.Territories[k]
		q.ID, q.Share, q.Ramp, q.Year = t.ID, shares[k], t.Ramp, years[k]
		breakDown(q, r.MonthWeights, pieces)
	}
	return r, nil
}

// Shares returns each territory's blended fair share,
// w_H·H_k/ΣH + w_P·P_k/ΣP + w_E/K over the weights' sum, times ramp for
// ramping territories, normalised to sum to 1. A part whose total is zero
// (no history, no potential) is left out and the other weights used.
func Shares(ts []Territory, wH, wP, wE, ramp float64) []float64 {
	var sumH, sumP float64
	for _, t := range ts {
		sumH += clean(t.History)
		sumP += clean(t.Potential)
	}
	if sumH <= 0 {
		wH = 0
	}
	if sumP <= 0 {
		wP = 0
	}
	if wH+wP+wE <= 0 {
		wE = 1
	}
	w := wH + wP + wE
	out := make([]float64, len(ts))
	var sum float64
	for k, t := range ts {
		s := wE / float64(len(ts))
		if wH > 0 {
			s += wH * clean(t.History) / sumH
		}
		if wP > 0 {
			s += wP * clean(t.Potential) / sumP
		}
		s /= w
		if t.Ramp {
			s *= ramp
		}
		out[k] = s
		sum += s
	}
	for k := range out {
		if sum > 0 {
			out[k] /= sum
		} else {
			out[k] = 1 / float64(len(out))
		}
	}
	return out
}

func clean(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// Apportion splits total (≥ 0) into whole units in proportion to weights
// by the largest remainder method (Hamilton): every part gets the floor of
// its exact share, and the units left go one each to the largest
// remainders (ties to the earlier part). The parts sum to total exactly;
// a part of weight 0 gets nothing. Without positive weights the total is
// split evenly.
func Apportion(total int64, weights []float64) []int64 {
	n := len(weights)
	out := make([]int64, n)
	if n == 0 {
		return out
	}
	w := make([]float64, n)
	var sum float64
	for i := range weights {
		w[i] = clean(weights[i])
		sum += w[i]
	}
	if sum <= 0 || math.IsInf(sum, 0) {
		for i := range w {
			w[i] = 1
		}
		sum = float64(n)
	}
	exact := make([]float64, n)
	var given int64
	for i := range w {
		exact[i] = float64(total) * (w[i] / sum)
		out[i] = int64(math.Floor(exact[i]))
		given += out[i]
	}
	eligible := make([]int, 0, n)
	for i := range w {
		if w[i] > 0 {
			eligible = append(eligible, i)
		}
	}
	slices.SortStableFunc(eligible, func(a, b int) int {
		ra, rb := exact[a]-math.Floor(exact[a]), exact[b]-math.Floor(exact[b])
		switch {
		case ra > rb:
			return -1
		case ra < rb:
			return 1
		}
		return 0
	})
	// Normally 0 ≤ left < n; float rounding of huge totals may add a unit
	// or two either way.
	for left := total - given; left != 0; {
		for i := range eligible {
			if left > 0 {
				out[eligible[i]]++
				left--
			} else if k := eligible[len(eligible)-1-i]; left < 0 && out[k] > 0 {
				out[k]--
				left++
			}
			if left == 0 {
				break
			}
		}
	}
	return out
}

// MonthWeights returns the weight of each month of year: its seasonality
// index (revenue per working day; flat when all zero) times its working
// days.
func MonthWeights(year int, season [12]float64) [12]float64 {
	flat := true
	for _, s := range season {
		if s != 0 && s != 1 {
			flat = false
		}
	}
	var w [12]float64
	for m := 1; m <= 12; m++ {
		s := 1.0
		if !flat && season[m-1] > 0 && !math.IsInf(season[m-1], 0) {
			s = season[m-1]
		}
		w[m-1] = s * float64(MonthWorkingDays(year, m))
	}
	return w
}

// weekPieces returns the ISO-week parts of each month of year.
func weekPieces(year int) [12][]Week {
	var out [12][]Week
	for m := 1; m <= 12; m++ {
		first := DaysFromCivil(year, m, 1)
		last := first + int32(DaysIn(year, m)) - 1
		for z := first; z <= last; {
			y, w := ISOWeek(z)
			end := z + int32(6-Weekday(z))
			if end > last {
				end = last
			}
			wd := WorkingDays(z, end)
			yy, mm, dd := CivilFromDays(z)
			if wd > 0 {
				out[m-1] = append(out[m-1], Week{ISOYear: y, ISOWeek: w, Month: m, From: z, To: end,
					Start: fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd), WorkingDays: wd})
			}
			z = end + 1
		}
	}
	return out
}

// breakDown splits q.Year into quarters, months and weeks.
func breakDown(q *Quota, mw [12]float64, pieces [12][]Week) {
	var qw [4]float64
	for m := 0; m < 12; m++ {
		qw[m/3] += mw[m]
	}
	quarters := Apportion(q.Year, qw[:])
	copy(q.Quarters[:], quarters)
	for k := 0; k < 4; k++ {
		months := Apportion(q.Quarters[k], mw[3*k:3*k+3])
		copy(q.Months[3*k:], months)
	}
	q.Weeks = q.Weeks[:0]
	for m := 0; m < 12; m++ {
		ws := make([]float64, len(pieces[m]))
		for i, p := range pieces[m] {
			ws[i] = float64(p.WorkingDays)
		}
		parts := Apportion(q.Months[m], ws)
		for i, p := range pieces[m] {
			p.Quota = parts[i]
			q.Weeks = append(q.Weeks, p)
		}
	}
}

// Node is a node of the hierarchy for Rollup.
type Node struct {
	ID     string
	Parent string
}

// Rollup returns the quotas of nodes (districts, regions) as sums of their
// territories' quotas, by id; territories not among the nodes' descendants
// are left out. Sums of whole units reconcile exactly.
func Rollup(r *Result, nodes []Node) map[string]*Quota {
	parent := map[string]string{}
	for _, n := range nodes {
		parent[n.ID] = n.Parent
	}
	out := map[string]*Quota{}
	for i := range r.Territories {
		t := &r.Territories[i]
		seen := map[string]bool{t.ID: true}
		for a := parent[t.ID]; a != "" && !seen[a]; a = parent[a] {
			seen[a] = true
			q := out[a]
			if q == nil {
				q = &Quota{ID: a}
				for _, w := range t.Weeks {
					w.Quota = 0
					q.Weeks = append(q.Weeks, w)
				}
				out[a] = q
			}
			q.Share += t.Share
			q.Year += t.Year
			for k := range q.Quarters {
				q.Quarters[k] += t.Quarters[k]
			}
			for k := range q.Months {
				q.Months[k] += t.Months[k]
			}
			for k := range q.Weeks {
				q.Weeks[k].Quota += t.Weeks[k].Quota
			}
		}
	}
	return out
}

// Seasonality returns monthly seasonal indices of revenue per working day
// (January first) by the ratio-to-moving-average method from the monthly
// totals starting at month start, and true; or all ones and false when
// fewer than 24 months are given or the history holds no revenue.
//
// Each month's revenue is divided by its working days; a centred 2×12
// moving average is taken where it is defined; the ratio of each month to
// its moving average is averaged per calendar month; the twelve averages
// are scaled to a mean of 1.
func Seasonality(monthly []float64, start engine.Month) ([12]float64, bool) {
	var flat [12]float64
	for i := range flat {
		flat[i] = 1
	}
	n := len(monthly)
	if n < 24 {
		return flat, false
	}
	y := make([]float64, n)
	for i, v := range monthly {
		m := start + engine.Month(i)
		wd := MonthWorkingDays(m.Year(), m.MonthNumber())
		y[i] = clean(v) / float64(wd)
	}
	var sums [12]float64
	var counts [12]int
	for t := 6; t+6 < n; t++ {
		cma := 0.5*y[t-6] + 0.5*y[t+6]
		for k := t - 5; k <= t+5; k++ {
			cma += y[k]
		}
		cma /= 12
		if cma <= 0 {
			continue
		}
		c := (start + engine.Month(t)).MonthNumber() - 1
		sums[c] += y[t] / cma
		counts[c]++
	}
	var idx [12]float64
	var mean float64
	for c := range idx {
		if counts[c] == 0 {
			return flat, false
		}
		idx[c] = sums[c] / float64(counts[c])
		mean += idx[c] / 12
	}
	if !(mean > 0) || math.IsInf(mean, 0) {
		return flat, false
	}
	for c := range idx {
		idx[c] /= mean
	}
	return idx, true
}

// PlanMonthly returns the plan's revenue per history month (the sum over
// its accounts).
func PlanMonthly(p *engine.Plan) []float64 {
	n := p.HistoryMonths
	for i := range p.Accounts {
		n = max(n, len(p.Accounts[i].History))
	}
	out := make([]float64, n)
	for i := range p.Accounts {
		for m, v := range p.Accounts[i].History {
			out[m] += float64(v)
		}
	}
	return out
}

// NextYear returns the first calendar year that starts after the plan's
// history: the year of the month after the last history month if that
// month is January, else the year after.
func NextYear(p *engine.Plan) int {
	next := p.HistoryStart + engine.Month(p.HistoryMonths)
	if next.MonthNumber() == 1 {
		return next.Year()
	}
	return next.Year() + 1
}

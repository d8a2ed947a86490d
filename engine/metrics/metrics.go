// Package metrics computes the figures of each territory of an alignment,
// rolls them up the hierarchy and measures how balanced the territories are.
//
// Live is the full pipeline: per node (territory, district, region), for
// what no territory holds, and for the plan, it keeps account and money
// figures, workload from a call plan per tier, rep capacity and utilisation,
// shape (area, perimeter, compactness, parts) and the balance of every
// summed figure across territories, and brings them up to date from each
// assign.Delta in time proportional to the change. Tallies is the older,
// smaller form holding only the five account and unit counts and sums.
package metrics

import (
	"cmp"
	"math"
	"slices"

	"territoria/engine"
	"territoria/engine/assign"
)

// Tally holds the figures of one node, or of the unassigned remainder, or
// of the whole plan.
type Tally struct {
	Accounts int
	Units    int
	// Potential is the sum of Account.Potential.
	Potential float64
	// Revenue is the sum of Account.Revenue12 (trailing 12 months).
	Revenue float64
	// LifetimeValue is the sum of Account.LifetimeValue.
	LifetimeValue float64
}

// Add adds o to t.
func (t *Tally) Add(o Tally) {
	t.Accounts += o.Accounts
	t.Units += o.Units
	t.Potential += o.Potential
	t.Revenue += o.Revenue
	t.LifetimeValue += o.LifetimeValue
}

// Metric names one figure. The first five are the figures of a Tally; a
// Live computes all the built-in metrics below, then the extra columns of
// its Config, then one metric per numeric key of Unit.Data (see
// Base.Metrics for the names of those).
type Metric int

// The built-in metrics.
const (
	// Accounts is the number of accounts.
	Accounts Metric = iota
	// Units is the number of units.
	Units
	// Potential is Σ Account.Potential.
	Potential
	// Revenue is Σ Account.Revenue12 (trailing 12 months).
	Revenue
	// LifetimeValue is Σ Account.LifetimeValue.
	LifetimeValue
	// Visits is Σ visits per year of the accounts' call plans.
	Visits
	// WorkloadHours is Σ visits × (visit + travel) per year, in hours.
	WorkloadHours
	// CapacityHours is the selling hours per year of the territory's rep.
	CapacityHours
	// Utilisation is WorkloadHours / CapacityHours (a fraction; undefined
	// without capacity).
	Utilisation
	// AreaKm2 is the units' area plus the drawn polygon's area.
	AreaKm2
	// PerimeterKm is the length of the dissolved outline of the units plus
	// the drawn polygon's perimeter.
	PerimeterKm
	// Compactness is the Polsby–Popper score 4π·area/perimeter².
	Compactness
	// Parts is the number of connected groups of units plus drawn polygons.
	Parts

	// NumBuiltin is the number of built-in metrics; extra metrics follow.
	NumBuiltin
)

var metricNames = [...]string{
	"accounts", "units", "potential", "revenue", "lifetimeValue",
	"visits", "workloadHours", "capacityHours", "utilisation",
	"areaKm2", "perimeterKm", "compactness", "parts",
}

// String returns the name of a built-in metric as used in settings and the
// bridge ("unknown" for others; a Base names its extra metrics).
func (m Metric) String() string {
	if m < 0 || int(m) >= len(metricNames) {
		return "unknown"
	}
	return metricNames[m]
}

// Value returns figure m of t (0 for a metric a Tally does not hold).
func (t Tally) Value(m Metric) float64 {
	switch m {
	case Accounts:
		return float64(t.Accounts)
	case Units:
		return float64(t.Units)
	case Potential:
		return t.Potential
	case Revenue:
		return t.Revenue
	case LifetimeValue:
		return t.LifetimeValue
	}
	return 0
}

// Tallies holds the figures of an alignment: per node (only territories
// hold units and accounts directly), for what no territory holds, and for
// the whole plan. Nodes[i] + ... + Unassigned == Plan for every figure.
//
// Tallies keep a copy of every account's figures to apply deltas quickly;
// recompute them when accounts change.
type Tallies struct {
	Nodes      []Tally
	Unassigned Tally
	Plan       Tally

	figs []figures // per account
}

// figures are the values of one account that a Tally sums.
type figures struct {
	potential, revenue, lifetimeValue float64
}

func (t *Tally) addFigures(f *figures, sign int) {
	s := float64(sign)
	t.Accounts += sign
	t.Potential += s * f.potential
	t.Revenue += s * f.revenue
	t.LifetimeValue += s * f.lifetimeValue
}

// Compute tallies the alignment st over its plan p.
func Compute(p *engine.Plan, st *assign.State) *Tallies {
	t := &Tallies{Nodes: make([]Tally, len(st.Nodes)), figs: make([]figures, len(p.Accounts))}
	for _, n := range st.UnitTerr {
		t.at(n).Units++
	}
	for a := range p.Accounts {
		acc := &p.Accounts[a]
		f := &t.figs[a]
		*f = figures{acc.Potential, acc.Revenue12(), acc.LifetimeValue}
		t.at(st.AccountTerr[a]).addFigures(f, 1)
	}
	t.Plan = t.Unassigned
	for _, n := range t.Nodes {
		t.Plan.Add(n)
	}
	return t
}

func (t *Tallies) at(n int32) *Tally {
	if n == engine.NoIndex {
		return &t.Unassigned
	}
	return &t.Nodes[n]
}

// Apply updates t by the changes in d, which must come from an edit of the
// alignment t was computed for. Plan totals do not change.
func (t *Tallies) Apply(p *engine.Plan, d assign.Delta) {
	for _, c := range d.Units {
		t.at(c.From).Units--
		t.at(c.To).Units++
	}
	if len(t.figs) != len(p.Accounts) {
		// Not from Compute over p: read the accounts themselves.
		for _, c := range d.Accounts {
			acc := &p.Accounts[c.Index]
			f := figures{acc.Potential, acc.Revenue12(), acc.LifetimeValue}
			t.at(c.From).addFigures(&f, -1)
			t.at(c.To).addFigures(&f, 1)
		}
		return
	}
	for _, c := range d.Accounts {
		f := &t.figs[c.Index]
		t.at(c.From).addFigures(f, -1)
		t.at(c.To).addFigures(f, 1)
	}
}

// TallyRow is one node of a roll-up of Tallies.
type TallyRow struct {
	// Node is the index into State.Nodes.
	Node int32
	// Depth is 0 for a top-level node, 1 for its children, and so on.
	Depth int
	// Tally is the node's own figures plus those of all its descendants.
	Tally
}

// TallyReport is a roll-up of Tallies along the hierarchy.
type TallyReport struct {
	// Rows lists every node depth-first, parents before children, siblings
	// ordered by name (then id).
	Rows       []TallyRow
	Unassigned Tally
	Plan       Tally
}

// Rollup sums t along the hierarchy of st (parents by Territory.Parent).
func Rollup(st *assign.State, t *Tallies) TallyReport {
	n := len(st.Nodes)
	children := make([][]int32, n)
	var roots []int32
	for i := 0; i < n; i++ {
		if p := st.Parent[i]; p == engine.NoIndex {
			roots = append(roots, int32(i))
		} else {
			children[p] = append(children[p], int32(i))
		}
	}
	byName := func(a, b int32) int {
		na, nb := &st.Nodes[a], &st.Nodes[b]
		return cmp.Or(cmp.Compare(na.Name, nb.Name), cmp.Compare(na.ID, nb.ID), cmp.Compare(a, b))
	}
	r := TallyReport{Rows: make([]TallyRow, 0, n), Unassigned: t.Unassigned, Plan: t.Plan}
	var visit func(i int32, depth int) Tally
	visit = func(i int32, depth int) Tally {
		at := len(r.Rows)
		r.Rows = append(r.Rows, TallyRow{Node: i, Depth: depth})
		sum := t.Nodes[i]
		slices.SortFunc(children[i], byName)
		for _, c := range children[i] {
			sum.Add(visit(c, depth+1))
		}
		r.Rows[at].Tally = sum
		return sum
	}
	slices.SortFunc(roots, byName)
	for _, i := range roots {
		visit(i, 0)
	}
	return r
}

// Deviation returns (v − mean)/mean, or 0 when mean is 0.
func Deviation(v, mean float64) float64 {
	if mean == 0 {
		return 0
	}
	return (v - mean) / mean
}

// Balance describes how evenly a figure is spread over territories.
type Balance struct {
	// N is the number of values.
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	// CV is the coefficient of variation: population standard deviation / mean.
	CV float64 `json:"cv"`
	// MaxAbsDeviation is the largest |Deviation(v, Mean)|.
	MaxAbsDeviation float64 `json:"maxAbsDeviation"`
	// Gini is the Gini coefficient: 0 when all values are equal, (N−1)/N
	// when one value holds everything. Meaningful for non-negative values.
	Gini float64 `json:"gini"`
}

// BalanceOf measures values; ratios are 0 when the mean is 0. values is not
// modified.
func BalanceOf(values []float64) Balance {
	b := Balance{N: len(values)}
	if b.N == 0 {
		return b
	}
	var sum float64
	for _, v := range values {
		sum += v
	}
	b.Mean = sum / float64(b.N)
	if b.Mean == 0 {
		return b
	}
	var ss float64
	for _, v := range values {
		d := v - b.Mean
		ss += d * d
		b.MaxAbsDeviation = math.Max(b.MaxAbsDeviation, math.Abs(Deviation(v, b.Mean)))
	}
	b.CV = math.Sqrt(ss/float64(b.N)) / math.Abs(b.Mean)
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	var w float64
	for i, v := range sorted {
		w += float64(i+1) * v
	}
	n := float64(b.N)
	b.Gini = 2*w/(n*sum) - (n+1)/n
	return b
}

// TerritoryValues returns figure m of every KindTerritory node, in node order.
func TerritoryValues(st *assign.State, t *Tallies, m Metric) []float64 {
	var v []float64
	for i := range st.Nodes {
		if st.Nodes[i].Kind == engine.KindTerritory {
			v = append(v, t.Nodes[i].Value(m))
		}
	}
	return v
}

// TerritoryBalance measures figure m over the KindTerritory nodes of st.
func TerritoryBalance(st *assign.State, t *Tallies, m Metric) Balance {
	return BalanceOf(TerritoryValues(st, t, m))
}

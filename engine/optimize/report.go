package optimize

import (
	"fmt"
	"math"
	"slices"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
)

// Note is a remark of the report: a bound the data sets, an option
// ignored, a constraint that could not be met. Code is stable (for
// translation); Text is English.
type Note struct {
	Code      string  `json:"code"`
	Text      string  `json:"text"`
	Territory string  `json:"territory,omitempty"`
	Metric    string  `json:"metric,omitempty"`
	Item      string  `json:"item,omitempty"`
	Value     float64 `json:"value,omitempty"`
}

// Spread is the balance of one metric across territories.
type Spread struct {
	// MaxAbsDeviation and MeanAbsDeviation are the largest and the mean
	// |value/target − 1| over the territories.
	MaxAbsDeviation  float64 `json:"maxAbsDeviation"`
	MeanAbsDeviation float64 `json:"meanAbsDeviation"`
	// Within counts the territories within the tolerance (or, for a
	// territory holding an item bigger than its target, within what that
	// item alone forces).
	Within int `json:"within"`
}

// MetricReport is the balance of one metric before and after.
type MetricReport struct {
	Metric string  `json:"metric"`
	Weight float64 `json:"weight"` // normalized: the weights sum to 1
	Before Spread  `json:"before"`
	After  Spread  `json:"after"`
	// Largest is the item (unit or account) with the largest value, and
	// LargestShare its value as a share of the average target.
	Largest      string  `json:"largest"`
	LargestShare float64 `json:"largestShare"`
	// Bound is a lower bound on the largest deviation the item sizes allow
	// (0 when none is known): an item bigger than a target, or, with
	// contiguity, a unit too small alone whose every neighbour makes the
	// pair too big. Above the tolerance, the tolerance cannot be met.
	Bound float64 `json:"bound"`
	// BoundItem is the item setting the bound.
	BoundItem string `json:"boundItem,omitempty"`
}

// TerritoryReport is one territory of the result.
type TerritoryReport struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Deviation holds the deviation from target per metric (in the order of
	// Report.Metrics) after, and DeviationBefore before (nil for a territory
	// the starting scenario did not have).
	Deviation       []float64 `json:"deviation"`
	DeviationBefore []float64 `json:"deviationBefore"`
	// Parts is the number of connected groups of units; Forced is true when
	// the geography leaves no choice (islands), so the territory counts as
	// contiguous.
	Parts  int  `json:"parts"`
	Forced bool `json:"forced"`
	// Compactness is the Polsby–Popper score (0 without unit borders).
	Compactness float64 `json:"compactness"`
	// AccountsOut and RevenueOut are what the territory gave away.
	AccountsOut int     `json:"accountsOut"`
	RevenueOut  float64 `json:"revenueOut"`
}

// Reason says why a unit or account moved. Code is "balance" (Over was
// over target, Under under it, by OverBy and UnderBy as fractions),
// "shape" (the border between the territories is shorter), "distance"
// (nearer its territory's anchor), "chain" (the move lets others balance)
// or "build" (the territory was drawn afresh).
type Reason struct {
	Code    string  `json:"code"`
	Text    string  `json:"text"`
	Over    string  `json:"over,omitempty"`
	Under   string  `json:"under,omitempty"`
	OverBy  float64 `json:"overBy,omitempty"`
	UnderBy float64 `json:"underBy,omitempty"`
}

// Move is one unit or account whose territory changed.
type Move struct {
	Kind     string  `json:"kind"` // "unit" or "account"
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Accounts int     `json:"accounts"`
	Revenue  float64 `json:"revenue"`
	Reason   Reason  `json:"reason"`
}

// Report explains a result: balance, shape and disruption before and
// after, the bounds the data set, and a reason for every move.
type Report struct {
	Mode        string  `json:"mode"`
	Level       string  `json:"level"`
	Tolerance   float64 `json:"tolerance"`
	Territories int     `json:"territories"`
	// Movable is the number of units or accounts the search could move.
	Movable int            `json:"movable"`
	Metrics []MetricReport `json:"metrics"`
	// IndexBefore and IndexAfter are the balance index (0–100, as in
	// engine/metrics) over the balanced metrics; HasBefore is false when
	// there was no starting scenario.
	IndexBefore float64 `json:"indexBefore"`
	IndexAfter  float64 `json:"indexAfter"`
	HasBefore   bool    `json:"hasBefore"`
	// WithinBefore and WithinAfter count the territories with every
	// balanced metric within the tolerance; Feasible is true when all are
	// and no limit is exceeded.
	WithinBefore int  `json:"withinBefore"`
	WithinAfter  int  `json:"withinAfter"`
	Feasible     bool `json:"feasible"`
	// CutEdges counts neighbouring unit pairs in different territories and
	// BorderKm the length of the borders between territories.
	CutEdgesBefore int     `json:"cutEdgesBefore"`
	CutEdgesAfter  int     `json:"cutEdgesAfter"`
	BorderKmBefore float64 `json:"borderKmBefore"`
	BorderKmAfter  float64 `json:"borderKmAfter"`
	// Compactness is the mean Polsby–Popper score of the territories.
	// HasBorders is false when the plan has no unit borders: BorderKm and
	// Compactness are then 0.
	HasBorders        bool    `json:"hasBorders"`
	CompactnessBefore float64 `json:"compactnessBefore"`
	CompactnessAfter  float64 `json:"compactnessAfter"`
	// NonContiguous counts territories in several parts that the geography
	// does not force; ForcedIslands those whose parts are islands.
	NonContiguousBefore int `json:"nonContiguousBefore"`
	NonContiguousAfter  int `json:"nonContiguousAfter"`
	ForcedIslands       int `json:"forcedIslands"`
	// Disruption: accounts and revenue (last 12 months) whose territory
	// changed, and their shares of the plan.
	AccountsMoved      int     `json:"accountsMoved"`
	AccountsMovedShare float64 `json:"accountsMovedShare"`
	RevenueMoved       float64 `json:"revenueMoved"`
	RevenueMovedShare  float64 `json:"revenueMovedShare"`
	UnitsMoved         int     `json:"unitsMoved"`
	// ProjectedRevenueBefore and ProjectedRevenueAfter are the territories'
	// projected revenue under the planning model (engine/metrics; after:
	// with the revenue at risk of the accounts changing rep against the
	// start); HasProjected is false when the figures carry no model.
	ProjectedRevenueBefore float64 `json:"projectedRevenueBefore"`
	ProjectedRevenueAfter  float64 `json:"projectedRevenueAfter"`
	HasProjected           bool    `json:"hasProjected"`
	// LimitsExceeded counts territories above a limit.
	LimitsExceeded int               `json:"limitsExceeded"`
	Rows           []TerritoryReport `json:"rows"`
	// Moves lists moved units (unit level) or accounts (account level),
	// largest revenue first, up to Options.MaxReasons; MovesOmitted counts
	// the others.
	Moves        []Move `json:"moves"`
	MovesOmitted int    `json:"movesOmitted"`
	Notes        []Note `json:"notes"`
	// Search figures.
	Iterations int64   `json:"iterations"`
	Restarts   int     `json:"restarts"`
	Objective  float64 `json:"objective"`
	Cancelled  bool    `json:"cancelled"`
}

// figs are the figures of one alignment over the problem's metrics.
type figs struct {
	ids, names []string
	pos        []int32   // node → territory position, −1 for others
	dev        []float64 // T*M
	up         []float64 // T*M: the largest deviation within tolerance (more for a territory holding an item bigger than its target)
	unitT      []int32   // per unit: territory position or −1
	accT       []int32   // per account
}

// figuresOf measures alignment st as engine/metrics does: every account
// and unit counted where the alignment puts it.
func (pr *problem) figuresOf(st *assign.State) figs {
	M := pr.M
	var f figs
	f.pos = make([]int32, len(st.Nodes))
	for i, nd := range st.Nodes {
		f.pos[i] = -1
		if nd.Kind == engine.KindTerritory {
			f.pos[i] = int32(len(f.ids))
			f.ids = append(f.ids, nd.ID)
			f.names = append(f.names, nd.Name)
		}
	}
	T := len(f.ids)
	load := make([]float64, T*M)
	f.accT = make([]int32, len(st.AccountTerr))
	for a, n := range st.AccountTerr {
		f.accT[a] = -1
		if n == engine.NoIndex {
			continue
		}
		t := f.pos[n]
		f.accT[a] = t
		for m, id := range pr.mids {
			load[int(t)*M+m] += pr.base.AccountValue(a, id)
		}
	}
	f.unitT = make([]int32, len(st.UnitTerr))
	for u, n := range st.UnitTerr {
		f.unitT[u] = -1
		if n == engine.NoIndex {
			continue
		}
		t := f.pos[n]
		f.unitT[u] = t
		for m, id := range pr.mids {
			load[int(t)*M+m] += pr.base.UnitValue(u, id)
		}
	}
	total := make([]float64, M)
	for t := 0; t < T; t++ {
		for m := 0; m < M; m++ {
			total[m] += load[t*M+m]
		}
	}
	f.dev = make([]float64, T*M)
	f.up = make([]float64, T*M)
	tgt := make([]float64, T*M)
	for t := 0; t < T; t++ {
		share := 1 / float64(T)
		if s, ok := pr.opts.Targets[f.ids[t]]; ok {
			share = s
		}
		for m := 0; m < M; m++ {
			f.up[t*M+m] = pr.tol
			if tg := share * total[m]; tg > 0 {
				tgt[t*M+m] = tg
				f.dev[t*M+m] = load[t*M+m]/tg - 1
			}
		}
	}
	itemT := f.accT
	if pr.level == LevelUnits {
		itemT = f.unitT
	}
	for _, i := range pr.big {
		if t := itemT[i]; t >= 0 {
			for m := 0; m < M; m++ {
				if tg := tgt[int(t)*M+m]; tg > 0 {
					f.up[int(t)*M+m] = math.Max(f.up[int(t)*M+m], pr.x[int(i)*M+m]/tg-1)
				}
			}
		}
	}
	return f
}

func (f figs) within(t, m, M int, low float64) bool {
	d := f.dev[t*M+m]
	return d >= -low-1e-12 && d <= f.up[t*M+m]+1e-12
}

// spread summarizes metric m of f.
func (pr *problem) spread(f figs, m int) Spread {
	var sp Spread
	T := len(f.ids)
	for t := 0; t < T; t++ {
		d := math.Abs(f.dev[t*pr.M+m])
		sp.MaxAbsDeviation = math.Max(sp.MaxAbsDeviation, d)
		sp.MeanAbsDeviation += d
		if f.within(t, m, pr.M, pr.lowTol[m]) {
			sp.Within++
		}
	}
	if T > 0 {
		sp.MeanAbsDeviation /= float64(T)
	}
	return sp
}

func (pr *problem) index(f figs) (idx float64, within int) {
	T := len(f.ids)
	for m := 0; m < pr.M; m++ {
		idx += pr.w[m] * 100 * math.Max(0, 1-pr.spread(f, m).MeanAbsDeviation)
	}
	for t := 0; t < T; t++ {
		ok := true
		for m := 0; m < pr.M; m++ {
			ok = ok && f.within(t, m, pr.M, pr.lowTol[m])
		}
		if ok {
			within++
		}
	}
	return idx, within
}

// shapeFigs are the graph figures of a unit alignment.
type shapeFigs struct {
	cut           int
	borderKm      float64
	parts         []int
	forced        []bool
	compactness   []float64
	meanCompact   float64
	nonContiguous int
	forcedIslands int
}

func (pr *problem) shapeOf(unitT []int32, T int) shapeFigs {
	var sf shapeFigs
	hasBorders := len(pr.plan.Borders) > 0
	area := make([]float64, T)
	perim := make([]float64, T)
	for u := 0; u < pr.n; u++ {
		t := unitT[u]
		if t < 0 {
			continue
		}
		area[t] += pr.areaKm2[u]
		perim[t] += pr.outerKm[u]
		for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
			if pr.virt[j] {
				continue
			}
			v := pr.adj[j]
			if unitT[v] != t {
				perim[t] += pr.adjW[j]
				if unitT[v] >= 0 && int32(u) < v {
					sf.cut++
					sf.borderKm += pr.adjW[j]
				}
			}
		}
	}
	if !hasBorders {
		sf.borderKm = math.NaN()
	}
	sf.parts = make([]int, T)
	sf.forced = make([]bool, T)
	sf.compactness = make([]float64, T)
	realParts := countParts(pr, unitT, T, false)
	allParts := countParts(pr, unitT, T, true)
	var sum float64
	var n int
	for t := 0; t < T; t++ {
		sf.parts[t] = realParts[t]
		if allParts[t] > 1 {
			sf.nonContiguous++
		} else if realParts[t] > 1 {
			sf.forced[t] = true
			sf.forcedIslands++
		}
		sf.compactness[t] = math.NaN()
		if hasBorders && perim[t] > 0 {
			sf.compactness[t] = 4 * math.Pi * area[t] / (perim[t] * perim[t])
			sum += sf.compactness[t]
			n++
		}
	}
	sf.meanCompact = math.NaN()
	if n > 0 {
		sf.meanCompact = sum / float64(n)
	}
	return sf
}

// countParts counts the connected groups of units of each territory, over
// the real borders only or with the virtual links too.
func countParts(pr *problem, unitT []int32, T int, virtual bool) []int {
	parts := make([]int, T)
	seen := make([]bool, pr.n)
	var stack []int32
	for s := 0; s < pr.n; s++ {
		t := unitT[s]
		if t < 0 || seen[s] {
			continue
		}
		parts[t]++
		seen[s] = true
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
				if pr.virt[j] && !virtual {
					continue
				}
				if w := pr.adj[j]; !seen[w] && unitT[w] == t {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
	}
	return parts
}

// makeReport measures the result scenario sc (assignment a) against the start.
func (pr *problem) makeReport(sc *engine.Scenario, a []int32) (Report, error) {
	after, err := assign.Compute(pr.plan, sc)
	if err != nil {
		return Report{}, fmt.Errorf("optimize: the result does not check: %w", err)
	}
	rep := Report{
		Mode: pr.opts.Mode.String(), Level: pr.level.String(), Tolerance: pr.tol,
		Territories: pr.K, Notes: slices.Clone(pr.notes),
	}
	for _, m := range pr.movable {
		if m {
			rep.Movable++
		}
	}
	fa := pr.figuresOf(after)
	var fb figs
	if pr.fromSt != nil {
		fb = pr.figuresOf(pr.fromSt)
		rep.HasBefore = true
		rep.IndexBefore, rep.WithinBefore = pr.index(fb)
	}
	rep.IndexAfter, rep.WithinAfter = pr.index(fa)
	// Metrics and bounds.
	for m := 0; m < pr.M; m++ {
		mr := MetricReport{Metric: pr.mnames[m], Weight: pr.w[m], After: pr.spread(fa, m)}
		if rep.HasBefore {
			mr.Before = pr.spread(fb, m)
		}
		big, bi := 0.0, -1
		for i := 0; i < pr.n; i++ {
			if pr.movable[i] && pr.x[i*pr.M+m] > big {
				big, bi = pr.x[i*pr.M+m], i
			}
		}
		avg := pr.total[m] / float64(pr.K)
		if bi >= 0 && avg > 0 {
			mr.Largest = pr.itemID(bi)
			mr.LargestShare = big / avg
			mr.Bound = math.Max(0, big/avg-1)
			if mr.Bound > pr.tol {
				rep.Notes = append(rep.Notes, Note{Code: "item-too-large", Metric: pr.mnames[m], Item: mr.Largest, Value: mr.LargestShare,
					Text: fmt.Sprintf("%s: %s alone holds %.0f %% of an average territory's target, so ±%s cannot be met; the smallest possible largest deviation is %.1f %%",
						pr.mnames[m], pr.itemName(bi), 100*mr.LargestShare, pct(pr.tol), 100*mr.Bound)})
				if pr.lowTol[m] > pr.tol {
					rep.Notes = append(rep.Notes, Note{Code: "others-short", Metric: pr.mnames[m], Value: pr.lowTol[m],
						Text: fmt.Sprintf("%s: what such items hold beyond their target leaves the other territories up to %.1f %% short", pr.mnames[m], 100*pr.lowTol[m])})
				}
			}
		}
		if pr.level == LevelUnits && pr.opts.Contiguous && avg > 0 {
			if b, u := pr.pairBound(m, avg); b > mr.Bound {
				mr.Bound, mr.BoundItem = b, pr.itemID(u)
				if b > pr.tol {
					rep.Notes = append(rep.Notes, Note{Code: "unit-cannot-combine", Metric: pr.mnames[m], Item: mr.BoundItem, Value: b,
						Text: fmt.Sprintf("%s: %s alone is %.1f %% short of a target and with any neighbour more than %s over it, so a contiguous territory holding it is at least %.1f %% off",
							pr.mnames[m], pr.itemName(u), 100*(1-pr.x[u*pr.M+m]/avg), pct(pr.tol), 100*b)})
				}
			}
		}
		if mr.BoundItem == "" && mr.Bound > 0 {
			mr.BoundItem = mr.Largest
		}
		if len(pr.dropped) > 0 && m == 0 {
			for _, d := range pr.dropped {
				rep.Notes = append(rep.Notes, Note{Code: "nothing-to-balance", Metric: d, Text: fmt.Sprintf("%s is zero everywhere: left out of the balance", d)})
			}
		}
		rep.Metrics = append(rep.Metrics, mr)
	}
	// Shape.
	rep.CompactnessBefore, rep.CompactnessAfter = math.NaN(), math.NaN()
	rep.BorderKmBefore, rep.BorderKmAfter = math.NaN(), math.NaN()
	var sa, sb shapeFigs
	if pr.level == LevelUnits {
		sa = pr.shapeOf(fa.unitT, len(fa.ids))
		rep.CutEdgesAfter, rep.BorderKmAfter, rep.CompactnessAfter = sa.cut, sa.borderKm, sa.meanCompact
		rep.NonContiguousAfter, rep.ForcedIslands = sa.nonContiguous, sa.forcedIslands
		if rep.HasBefore {
			sb = pr.shapeOf(fb.unitT, len(fb.ids))
			rep.CutEdgesBefore, rep.BorderKmBefore, rep.CompactnessBefore = sb.cut, sb.borderKm, sb.meanCompact
			rep.NonContiguousBefore = sb.nonContiguous
		}
		if pr.opts.Contiguous && sa.nonContiguous > 0 {
			rep.Notes = append(rep.Notes, Note{Code: "not-contiguous", Value: float64(sa.nonContiguous),
				Text: fmt.Sprintf("%d territories remain in several parts (locked units, or parts present at the start that the disruption caps keep)", sa.nonContiguous)})
		}
	}
	// Feasibility and limits.
	s := newState(pr, a, weights{bal: 1})
	rep.Feasible = s.feasible()
	if pr.limits {
		for t := 0; t < pr.K; t++ {
			for m := 0; m < pr.M; m++ {
				if s.load[t*pr.M+m] > pr.limit[t*pr.M+m]*(1+1e-9) {
					rep.LimitsExceeded++
					rep.Notes = append(rep.Notes, Note{Code: "limit-exceeded", Territory: pr.terrs[t].id, Metric: pr.mnames[m], Value: s.load[t*pr.M+m],
						Text: fmt.Sprintf("%s: %s is %.0f, above its limit %.0f", pr.terrs[t].name, pr.mnames[m], s.load[t*pr.M+m], pr.limit[t*pr.M+m])})
				}
			}
		}
	}
	// Rows.
	beforeRow := map[string]int{}
	for t, id := range fb.ids {
		beforeRow[id] = t
	}
	afterRow := map[string]int{}
	for t, id := range fa.ids {
		afterRow[id] = t
		row := TerritoryReport{ID: id, Name: fa.names[t], Deviation: slices.Clone(fa.dev[t*pr.M : (t+1)*pr.M]), Compactness: math.NaN(), Parts: 1}
		if b, ok := beforeRow[id]; ok {
			row.DeviationBefore = slices.Clone(fb.dev[b*pr.M : (b+1)*pr.M])
		}
		if pr.level == LevelUnits {
			row.Parts, row.Forced, row.Compactness = sa.parts[t], sa.forced[t], sa.compactness[t]
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.HasBorders = pr.level == LevelUnits && len(pr.plan.Borders) > 0
	if !rep.HasBorders {
		rep.CompactnessBefore, rep.CompactnessAfter, rep.BorderKmBefore, rep.BorderKmAfter = 0, 0, 0, 0
	}
	for i := range rep.Rows {
		if math.IsNaN(rep.Rows[i].Compactness) {
			rep.Rows[i].Compactness = 0
		}
	}
	// Disruption and moves.
	if rep.HasBefore {
		pr.moves(&rep, fb, fa, afterRow)
	}
	if err := pr.projected(&rep, after); err != nil {
		return Report{}, err
	}
	rep.clean()
	return rep, nil
}

// projected fills the projected revenue before and after from live figures
// of the planning model, when the metrics base carries it.
func (pr *problem) projected(rep *Report, after *assign.State) error {
	m, ok := pr.base.Metric("projectedRevenue")
	if !ok {
		return nil
	}
	sum := func(st *assign.State, baseline *assign.State) (float64, error) {
		l, err := pr.base.Live(st)
		if err != nil {
			return 0, err
		}
		if baseline != nil {
			if err := l.SetBaseline(pr.base.BaselineReps(baseline.AccountTerr, baseline.Nodes)); err != nil {
				return 0, err
			}
		}
		var v float64
		for i, nd := range st.Nodes {
			if nd.Kind == engine.KindTerritory {
				if x := l.Value(int32(i), m); !math.IsNaN(x) {
					v += x
				}
			}
		}
		return v, nil
	}
	var err error
	if rep.ProjectedRevenueAfter, err = sum(after, pr.fromSt); err != nil {
		return err
	}
	if pr.fromSt != nil {
		if rep.ProjectedRevenueBefore, err = sum(pr.fromSt, pr.fromSt); err != nil {
			return err
		}
	}
	rep.HasProjected = true
	return nil
}

// clean replaces figures that are undefined (no start, no borders) by 0,
// so that the report encodes as JSON.
func (r *Report) clean() {
	for _, f := range []*float64{&r.IndexBefore, &r.IndexAfter, &r.BorderKmBefore, &r.BorderKmAfter, &r.CompactnessBefore,
		&r.CompactnessAfter, &r.AccountsMovedShare, &r.RevenueMoved, &r.RevenueMovedShare, &r.Objective} {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			*f = 0
		}
	}
	for i := range r.Rows {
		for _, v := range [][]float64{r.Rows[i].Deviation, r.Rows[i].DeviationBefore} {
			for j := range v {
				if math.IsNaN(v[j]) || math.IsInf(v[j], 0) {
					v[j] = 0
				}
			}
		}
		if math.IsNaN(r.Rows[i].Compactness) {
			r.Rows[i].Compactness = 0
		}
	}
}

// pairBound is the largest, over units, of the smallest deviation of
// metric m that a contiguous territory holding the unit can have when the
// unit alone is below the tolerance and every neighbour takes it above:
// the territory is then the unit alone, or the unit and a neighbour at
// least. It returns the bound and the unit (−1 when none).
func (pr *problem) pairBound(m int, target float64) (float64, int) {
	best, at := 0.0, -1
	for u := 0; u < pr.n; u++ {
		if !pr.movable[u] && pr.init[u] < 0 {
			continue
		}
		xu := pr.x[u*pr.M+m]
		alone := 1 - xu/target
		if alone <= pr.tol {
			continue
		}
		pair := math.Inf(1)
		for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
			pair = math.Min(pair, (xu+pr.x[int(pr.adj[j])*pr.M+m])/target-1)
		}
		if pair <= pr.tol {
			continue
		}
		if b := math.Min(alone, pair); b > best {
			best, at = b, u
		}
	}
	return best, at
}

func pct(f float64) string { return fmt.Sprintf("%g %%", math.Round(f*1000)/10) }

func (pr *problem) itemID(i int) string {
	if pr.level == LevelUnits {
		return pr.plan.Units[i].ID
	}
	return pr.plan.Accounts[i].ID
}

func (pr *problem) itemName(i int) string {
	var n string
	if pr.level == LevelUnits {
		n = pr.plan.Units[i].Name
	} else {
		n = pr.plan.Accounts[i].Name
	}
	if n == "" {
		n = pr.itemID(i)
	}
	return n
}

// composite is the weighted deviation of row t of f.
func (pr *problem) composite(f figs, t int) float64 {
	var c float64
	for m := 0; m < pr.M; m++ {
		c += pr.w[m] * f.dev[t*pr.M+m]
	}
	return c
}

// moves fills the disruption figures and the moves with their reasons.
func (pr *problem) moves(rep *Report, fb, fa figs, afterRow map[string]int) {
	p := pr.plan
	beforeRow := map[string]int{}
	for t, id := range fb.ids {
		beforeRow[id] = t
	}
	idOf := func(f figs, t int32) string {
		if t < 0 {
			return ""
		}
		return f.ids[t]
	}
	unitRev := make([]float64, len(p.Units))
	unitAcc := make([]int, len(p.Units))
	for a := range p.Accounts {
		from, to := idOf(fb, fb.accT[a]), idOf(fa, fa.accT[a])
		if from == "" || from == to {
			continue
		}
		rev := pr.base.AccountValue(a, metrics.Revenue)
		rep.AccountsMoved++
		rep.RevenueMoved += rev
		if r, ok := afterRow[from]; ok {
			rep.Rows[r].AccountsOut++
			rep.Rows[r].RevenueOut += rev
		}
		if u := p.Accounts[a].Unit; u != engine.NoIndex && pr.level == LevelUnits {
			unitRev[u] += rev
			unitAcc[u]++
		}
		if pr.level == LevelAccounts {
			rep.Moves = append(rep.Moves, Move{Kind: "account", ID: p.Accounts[a].ID, Name: p.Accounts[a].Name, From: from, To: to, Accounts: 1, Revenue: rev})
		}
	}
	if pr.totAcc > 0 {
		rep.AccountsMovedShare = float64(rep.AccountsMoved) / pr.totAcc
	}
	if pr.totRev > 0 {
		rep.RevenueMovedShare = rep.RevenueMoved / pr.totRev
	}
	if pr.level == LevelUnits {
		for u := range p.Units {
			from, to := idOf(fb, fb.unitT[u]), idOf(fa, fa.unitT[u])
			if from == "" || from == to {
				continue
			}
			rep.UnitsMoved++
			rep.Moves = append(rep.Moves, Move{Kind: "unit", ID: p.Units[u].ID, Name: p.Units[u].Name, From: from, To: to, Accounts: unitAcc[u], Revenue: unitRev[u]})
		}
	}
	slices.SortStableFunc(rep.Moves, func(x, y Move) int {
		switch {
		case x.Revenue > y.Revenue:
			return -1
		case x.Revenue < y.Revenue:
			return 1
		}
		return 0
	})
	limit := pr.opts.MaxReasons
	if limit <= 0 {
		limit = 5000
	}
	if len(rep.Moves) > limit {
		rep.MovesOmitted = len(rep.Moves) - limit
		rep.Moves = rep.Moves[:limit]
	}
	unitIdx := map[string]int{}
	if pr.level == LevelUnits {
		for _, mv := range rep.Moves {
			unitIdx[mv.ID] = -1
		}
		for u := range p.Units {
			if _, ok := unitIdx[p.Units[u].ID]; ok {
				unitIdx[p.Units[u].ID] = u
			}
		}
	}
	for k := range rep.Moves {
		mv := &rep.Moves[k]
		mv.Reason = pr.reason(mv, fb, fa, beforeRow, afterRow, unitIdx)
	}
}

// reason explains one move from the figures before and after.
func (pr *problem) reason(mv *Move, fb, fa figs, beforeRow, afterRow map[string]int, unitIdx map[string]int) Reason {
	bA, okA := beforeRow[mv.From]
	bB, okB := beforeRow[mv.To]
	name := func(f figs, row map[string]int, id string) string {
		if t, ok := row[id]; ok && f.names[t] != "" {
			return f.names[t]
		}
		return id
	}
	from, to := name(fb, beforeRow, mv.From), name(fa, afterRow, mv.To)
	if !okB || pr.opts.Mode == Build {
		return Reason{Code: "build", Text: fmt.Sprintf("build: %s drawn afresh", to)}
	}
	if !okA {
		return Reason{Code: "build", Text: fmt.Sprintf("build: %s no longer exists", from)}
	}
	cA, cB := pr.composite(fb, bA), pr.composite(fb, bB)
	if cA > cB+1e-9 {
		return Reason{Code: "balance", Over: mv.From, Under: mv.To, OverBy: cA, UnderBy: -cB,
			Text: fmt.Sprintf("balance: %s %s target by %s, %s %s by %s", from, overUnder(cA), pct(math.Abs(cA)), to, overUnder(cB), pct(math.Abs(cB)))}
	}
	if pr.level == LevelUnits {
		if u, ok := unitIdx[mv.ID]; ok && u >= 0 {
			t := int32(afterRow[mv.To])
			in, out := 0.0, 0.0
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				if pr.virt[j] {
					continue
				}
				if fa.unitT[pr.adj[j]] == t {
					in += pr.adjW[j]
				} else {
					out += pr.adjW[j]
				}
			}
			if in > out {
				return Reason{Code: "shape", Text: fmt.Sprintf("shape: most of its border is with %s", to)}
			}
		}
	}
	return Reason{Code: "chain", Text: fmt.Sprintf("chain: makes room so that %s and its neighbours balance", to)}
}

func overUnder(d float64) string {
	if d >= 0 {
		return "over"
	}
	return "under"
}

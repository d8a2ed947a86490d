package metrics

import (
	"fmt"
	"math"
	"slices"

	"territoria/engine"
)

// Model is the planning model's part of the live figures (docs/model.md,
// "The planning model"): travel per territory, administration, the sales
// response to the planned visits, the revenue lost to over-capacity, the
// revenue at risk when accounts change rep, costs and return, sizing and
// the mix of account segments. Config.Model nil leaves all of it out.
//
// The per-account slices are indexed like Plan.Accounts; nil leaves the
// figures that need them out (no segments, no response).
type Model struct {
	// Travel estimates each territory's travel from its rep's home and the
	// spread of its visits; nil keeps the call plans' travel minutes per
	// visit.
	Travel *Travel
	// AdminShare is the share of working time spent on administration,
	// 0 ≤ share < 1: workload = (visit time + travel) / (1 − AdminShare).
	AdminShare float64
	// Classes names the account segments and Class gives each account's
	// segment (an index into Classes); each class gets a count figure
	// "tier.<name>".
	Classes []string
	Class   []uint16
	// FlagNames names up to 8 flags and Flags gives each account's flags
	// (bit i is FlagNames[i]); each flag gets a count figure.
	FlagNames []string
	Flags     []uint8
	// Curves are the sales-response curves and AccountCurve each account's
	// curve (an index into Curves). Without curves the projected revenue is
	// the revenue of the last 12 months.
	Curves       []Response
	AccountCurve []uint16
	// DisruptionShare is the share of annual revenue at risk for an account
	// that changes rep against the baseline (Live.SetBaseline).
	DisruptionShare float64
	// CostPerKm is the cost of a driven kilometre (travel cost).
	CostPerKm float64
	// RepHoursPerYear is the yearly capacity of a standard rep for sizing;
	// 0 means the mean capacity of the plan's reps that have one (a
	// 40-hour week when none has).
	RepHoursPerYear float64
}

// Travel sets the travel estimate of a territory: a tour through its
// visits of length TourConstant·√(visits·A) over the area A its visits
// spread over, plus a drive from the rep's home to the visits and back on
// each field day (visits / VisitsPerDay days) of at most OvernightHours
// each way; straight-line distances times DetourFactor, driven at SpeedKmh.
type Travel struct {
	DetourFactor   float64
	SpeedKmh       float64
	VisitsPerDay   float64
	OvernightHours float64
	TourConstant   float64
}

// Default travel parameters; docs/model.md gives the sources.
const (
	DefaultDetourFactor   = 1.3
	DefaultSpeedKmh       = 50
	DefaultVisitsPerDay   = 4.3
	DefaultOvernightHours = 2
	DefaultTourConstant   = 0.7124
)

// DefaultTravel returns the documented travel defaults.
func DefaultTravel() Travel {
	return Travel{DefaultDetourFactor, DefaultSpeedKmh, DefaultVisitsPerDay, DefaultOvernightHours, DefaultTourConstant}
}

// Response is an ADBUDG sales-response curve (Little 1970; Lodish 1971):
// the share of an account's current revenue that a visit level x (planned
// visits / Reference) brings, r(x) = b + (a − b)·x^c / (d + x^c), with d =
// (a − 1)/(1 − b) so that r(1) = 1.
type Response struct {
	// Retention b is the share kept without visits, 0 ≤ b < 1.
	Retention float64
	// Saturation a is the share reached with unlimited visits, a > 1.
	Saturation float64
	// Shape c > 0 (c > 1: S-shaped).
	Shape float64
	// Reference is the number of visits a year at which the current
	// revenue was earned; 0 makes the revenue independent of visits.
	Reference float64
}

// At returns r(x) for x ≥ 0 (1 for a curve without reference).
func (r Response) At(x float64) float64 {
	if r.Reference <= 0 {
		return 1
	}
	if x <= 0 {
		return r.Retention
	}
	d := (r.Saturation - 1) / (1 - r.Retention)
	xc := math.Pow(x, r.Shape)
	return r.Retention + (r.Saturation-r.Retention)*xc/(d+xc)
}

// Revenue returns the revenue of an account with current revenue rev at v
// planned visits a year.
func (r Response) Revenue(rev, v float64) float64 {
	if r.Reference <= 0 {
		return rev
	}
	return rev * r.At(v/r.Reference)
}

// Elasticity returns the elasticity of r at x = 1: (a − b)·c·d/(d + 1)².
func (r Response) Elasticity() float64 {
	d := (r.Saturation - 1) / (1 - r.Retention)
	return (r.Saturation - r.Retention) * r.Shape * d / ((d + 1) * (d + 1))
}

// ShapeFor returns the shape c that gives a curve with retention b and
// saturation a the elasticity e at the reference level.
func ShapeFor(b, a, e float64) float64 {
	d := (a - 1) / (1 - b)
	return e * (d + 1) * (d + 1) / ((a - b) * d)
}

// Check validates r.
func (r Response) Check() error {
	switch {
	case !(r.Retention >= 0 && r.Retention < 1):
		return fmt.Errorf("retention %v, want 0 ≤ b < 1", r.Retention)
	case !(r.Saturation > 1) || math.IsInf(r.Saturation, 0):
		return fmt.Errorf("saturation %v, want a finite a > 1", r.Saturation)
	case !(r.Shape > 0) || r.Shape > 50:
		return fmt.Errorf("shape %v, want 0 < c ≤ 50", r.Shape)
	case !(r.Reference >= 0) || math.IsInf(r.Reference, 0):
		return fmt.Errorf("reference visits %v, want a finite number ≥ 0", r.Reference)
	}
	return nil
}

// Check validates what can be checked without the plan: travel, shares,
// costs and curves.
func (m *Model) Check() error {
	if t := m.Travel; t != nil {
		for _, f := range []struct {
			name string
			v    float64
		}{{"detour factor", t.DetourFactor}, {"speed", t.SpeedKmh}, {"visits per day", t.VisitsPerDay},
			{"overnight hours", t.OvernightHours}, {"tour constant", t.TourConstant}} {
			if !(f.v > 0) || math.IsInf(f.v, 0) {
				return fmt.Errorf("metrics: travel %s is %v, want a finite number > 0", f.name, f.v)
			}
		}
	}
	if !(m.AdminShare >= 0 && m.AdminShare < 1) {
		return fmt.Errorf("metrics: admin share %v, want 0 ≤ share < 1", m.AdminShare)
	}
	if !(m.DisruptionShare >= 0 && m.DisruptionShare <= 1) {
		return fmt.Errorf("metrics: disruption share %v, want 0 to 1", m.DisruptionShare)
	}
	if !(m.CostPerKm >= 0) || math.IsInf(m.CostPerKm, 0) {
		return fmt.Errorf("metrics: cost per km %v, want a finite number ≥ 0", m.CostPerKm)
	}
	if !(m.RepHoursPerYear >= 0) || math.IsInf(m.RepHoursPerYear, 0) {
		return fmt.Errorf("metrics: rep hours per year %v, want a finite number ≥ 0", m.RepHoursPerYear)
	}
	for i, r := range m.Curves {
		if err := r.Check(); err != nil {
			return fmt.Errorf("metrics: response curve %d: %w", i+1, err)
		}
	}
	return nil
}

// check validates m for a plan of the given number of accounts.
func (m *Model) check(accounts int) error {
	if err := m.Check(); err != nil {
		return err
	}
	if m.Class != nil {
		if len(m.Class) != accounts {
			return fmt.Errorf("metrics: %d account classes for %d accounts", len(m.Class), accounts)
		}
		for i, c := range m.Class {
			if int(c) >= len(m.Classes) {
				return fmt.Errorf("metrics: account %d has class %d of %d", i, c, len(m.Classes))
			}
		}
	}
	if len(m.FlagNames) > 8 {
		return fmt.Errorf("metrics: %d flags, at most 8", len(m.FlagNames))
	}
	if m.Flags != nil && len(m.Flags) != accounts {
		return fmt.Errorf("metrics: %d account flags for %d accounts", len(m.Flags), accounts)
	}
	if m.AccountCurve != nil {
		if len(m.AccountCurve) != accounts {
			return fmt.Errorf("metrics: %d account curves for %d accounts", len(m.AccountCurve), accounts)
		}
		for i, c := range m.AccountCurve {
			if int(c) >= len(m.Curves) {
				return fmt.Errorf("metrics: account %d has curve %d of %d", i, c, len(m.Curves))
			}
		}
	}
	return nil
}

// The model's per-account slots, after the columns.
const (
	mVisitH   = iota // visits × visit minutes / 60
	mPVTravel        // visits × the call plan's travel minutes / 60
	mWX              // visits × x (degrees of longitude from the plan's reference)
	mWY              // visits × latitude
	mWXX
	mWYY
	mWXY
	mResp // revenue at the planned visits (response curve)
	mSlots
)

// The model's derived per-group figures.
const (
	dKm    = iota // travel km (territory mode)
	dHours        // travel hours (territory mode)
	dLost         // revenue lost to over-capacity
	dCut          // visits cut by over-capacity
	dRisk         // revenue at risk (disruption)
	dCost         // rep cost
	dFigures
)

// The model's metrics, in order after the unit data metrics.
const (
	mmVisitHours = iota
	mmTravelHours
	mmTravelKm
	mmAdminHours
	mmRepsNeeded
	mmProjected
	mmLost
	mmCut
	mmRisk
	mmRepCost
	mmTravelCost
	mmROI
	mmFixed // class and flag counts follow
)

var modelMetricInfo = [mmFixed]MetricInfo{
	{Name: "visitHours", Unit: "hours", Summed: true},
	{Name: "travelHours", Unit: "hours", Summed: true, Balanced: true},
	{Name: "travelKm", Unit: "km", Summed: true},
	{Name: "adminHours", Unit: "hours", Summed: true},
	{Name: "repsNeeded", Unit: "reps", Summed: true},
	{Name: "projectedRevenue", Unit: "currency", Summed: true, Balanced: true},
	{Name: "revenueLost", Unit: "currency", Summed: true},
	{Name: "visitsCut", Unit: "visits", Summed: true},
	{Name: "revenueAtRisk", Unit: "currency", Summed: true},
	{Name: "repCost", Unit: "currency", Summed: true},
	{Name: "travelCost", Unit: "currency", Summed: true},
	{Name: "roi", Unit: "ratio"},
}

// kmPerDegree is the length of a degree of latitude on the mean Earth
// radius (6,371.0088 km).
const kmPerDegree = 6371.0088 * math.Pi / 180

// modelBase is the plan-level part of the model.
type modelBase struct {
	m      *Model
	off    int     // first model slot in an account's figures
	metric Metric  // first model metric
	nCat   int     // classes + flags
	lon0   float64 // reference longitude of the moments
	lat0   float64 // reference latitude of the moments
	admin  float64 // 1 / (1 − AdminShare)
	repIdx map[string]int32
	homes  []repHome
	stdCap float64 // yearly hours of a standard rep
}

type repHome struct {
	lon, lat float64
	ok       bool
	cost     float64
}

// initModel adds the model's metrics and plan-level data to b.
func (b *Base) initModel() error {
	m := b.cfg.Model
	if m == nil {
		return nil
	}
	p := b.plan
	if err := m.check(len(p.Accounts)); err != nil {
		return err
	}
	mb := &modelBase{m: m, metric: Metric(len(b.metrics)), admin: 1 / (1 - m.AdminShare), repIdx: map[string]int32{}}
	for _, mi := range modelMetricInfo {
		if _, clash := b.byName[mi.Name]; clash {
			return fmt.Errorf("metrics: the model's figure %q clashes with a column or unit value of that name", mi.Name)
		}
		b.addMetric(mi)
	}
	if m.Class != nil {
		for _, c := range m.Classes {
			name := "tier." + c
			if _, clash := b.byName[name]; clash {
				return fmt.Errorf("metrics: segment %q appears twice", c)
			}
			b.addMetric(MetricInfo{Name: name, Unit: "count", Summed: true})
			mb.nCat++
		}
	}
	if m.Flags != nil {
		for _, f := range m.FlagNames {
			if _, clash := b.byName[f]; clash {
				return fmt.Errorf("metrics: flag %q clashes with another figure", f)
			}
			b.addMetric(MetricInfo{Name: f, Unit: "count", Summed: true})
			mb.nCat++
		}
	}
	// Reference point of the moments, so that they stay small: the circular
	// mean of the accounts' longitudes and the mean of their latitudes.
	var sx, sy, slat float64
	for i := range p.Accounts {
		lon := finiteOr0(p.Accounts[i].Loc[0]) * math.Pi / 180
		sx += math.Cos(lon)
		sy += math.Sin(lon)
		slat += finiteOr0(p.Accounts[i].Loc[1])
	}
	if sx != 0 || sy != 0 {
		mb.lon0 = math.Atan2(sy, sx) * 180 / math.Pi
	}
	if len(p.Accounts) > 0 {
		mb.lat0 = slat / float64(len(p.Accounts))
	}
	var capSum float64
	var capN int
	for i, r := range p.Reps {
		mb.repIdx[r.ID] = int32(i)
		h := repHome{lon: r.Home[0], lat: r.Home[1], cost: max(0, finiteOr0(r.Cost))}
		h.ok = (r.Home[0] != 0 || r.Home[1] != 0) && math.Abs(r.Home[1]) <= 90 && math.Abs(r.Home[0]) <= 360
		mb.homes = append(mb.homes, h)
		if c, ok := b.repCap[r.ID]; ok {
			capSum += c
			capN++
		}
	}
	mb.stdCap = m.RepHoursPerYear
	if mb.stdCap == 0 {
		mb.stdCap = 40 * b.cfg.WeeksPerYear
		if capN > 0 {
			mb.stdCap = capSum / float64(capN)
		}
	}
	b.model = mb
	return nil
}

// wrapLon returns lon − lon0 in [−180, 180).
func wrapLon(lon, lon0 float64) float64 {
	d := math.Mod(lon-lon0+180, 360)
	if d < 0 {
		d += 360
	}
	return d - 180
}

// modelFigures fills account i's model slots f (mSlots values) for call plan cp.
func (b *Base) modelFigures(i int, a *engine.Account, cp CallPlan, f []float64, rev float64) {
	mb := b.model
	v := cp.VisitsPerYear
	f[mVisitH] = v * cp.VisitMinutes / 60
	f[mPVTravel] = v * cp.TravelMinutes / 60
	if mb.m.Travel != nil && v > 0 {
		x, y := wrapLon(finiteOr0(a.Loc[0]), mb.lon0), finiteOr0(a.Loc[1])-mb.lat0
		f[mWX], f[mWY] = v*x, v*y
		f[mWXX], f[mWYY], f[mWXY] = v*x*x, v*y*y, v*x*y
	}
	f[mResp] = rev
	if mb.m.AccountCurve != nil {
		f[mResp] = mb.m.Curves[mb.m.AccountCurve[i]].Revenue(rev, v)
	}
}

// accountWorkload is the account's own workload hours: its visit time, and
// under per-visit travel its travel, over the time left after admin.
func (b *Base) accountWorkload(f []float64) float64 {
	mb := b.model
	w := f[mVisitH]
	if mb.m.Travel == nil {
		w += f[mPVTravel]
	}
	return w * mb.admin
}

// ---- the Live part ----------------------------------------------------------

// modelLive is the model's state in a Live.
type modelLive struct {
	members  [][]member // per node and un: accounts held directly
	pos      []int32    // per account: index in its members list
	catOwn   []int64    // per node and un: nCat counts
	catGrp   []int64    // per group: nCat counts
	catVec   []int64    // scratch: one batch of moved accounts
	der      []float64  // per group: dFigures derived figures
	prev     []float64  // der before the step
	marg     []float64  // per node and un: travel hours per extra visit
	baseline []int32    // per account: rep index in the baseline, −1 none; nil: no baseline
	cut      cutHeap    // scratch of cut: accounts waiting for their next step
	ents     []cutEntry // scratch of cut: the accounts stepped
	keys     []cutKey   // scratch of cut: first steps
	sortBuf  []cutKey   // scratch of sortKeys
	kinds    []cutKind  // scratch of derive
	spare    cutKind
}

// member is an account held by a territory (or unassigned), with what the
// capacity cut and the revenue at risk read of it, kept together so that a
// territory's accounts are read from one block of memory.
type member struct {
	a     int32
	curve int32 // index in Model.Curves, −1 for none
	base  int32 // rep in the baseline, −1 for none
	v     float64
	hv    float64 // hours per visit: visit time (and per-visit travel) before admin
	rev   float64 // revenue of the last 12 months
	rv    float64 // revenue at the planned visits
}

// memberOf returns account a's member record.
func (l *Live) memberOf(a int32) member {
	b, mb := l.b, l.b.model
	af := b.acc[int(a)*b.accK : int(a+1)*b.accK]
	o := af[mb.off : mb.off+mSlots]
	r := member{a: a, curve: -1, base: -1, v: af[slotVisits], rev: af[slotRevenue], rv: o[mResp]}
	if r.v > 0 {
		r.hv = o[mVisitH] / r.v
		if mb.m.Travel == nil {
			r.hv += o[mPVTravel] / r.v
		}
	}
	if mb.m.AccountCurve != nil {
		r.curve = int32(mb.m.AccountCurve[a])
	}
	if l.ml.baseline != nil {
		r.base = l.ml.baseline[a]
	}
	return r
}

// modelInit builds the model's state of a new Live (after the sums).
func (l *Live) modelInit(accountTerr []int32) {
	mb := l.b.model
	if mb == nil {
		return
	}
	n := l.n
	ml := &l.ml
	ml.members = make([][]member, n+1)
	ml.pos = make([]int32, len(accountTerr))
	count := make([]int32, n+1)
	for _, t := range accountTerr {
		count[l.group(t)]++
	}
	for g := range ml.members {
		ml.members[g] = make([]member, 0, count[g])
	}
	for a, t := range accountTerr {
		g := l.group(t)
		ml.pos[a] = int32(len(ml.members[g]))
		ml.members[g] = append(ml.members[g], l.memberOf(int32(a)))
	}
	C := mb.nCat
	ml.catOwn = make([]int64, (n+1)*C)
	ml.catGrp = make([]int64, (n+2)*C)
	ml.catVec = make([]int64, C)
	if C > 0 {
		for a, t := range accountTerr {
			l.addCats(ml.catOwn[int(l.group(t))*C:], int32(a), 1)
		}
		l.rollCats()
	}
	ml.der = make([]float64, (n+2)*dFigures)
	ml.prev = make([]float64, (n+2)*dFigures)
	ml.marg = make([]float64, n+1)
	l.deriveAll()
}

// addCats adds sign × account a's class and flags to the counts dst.
func (l *Live) addCats(dst []int64, a int32, sign int64) {
	m := l.b.model.m
	k := 0
	if m.Class != nil {
		dst[m.Class[a]] += sign
		k = len(m.Classes)
	}
	if m.Flags != nil {
		f := m.Flags[a]
		for bit := range m.FlagNames {
			if f&(1<<bit) != 0 {
				dst[k+bit] += sign
			}
		}
	}
}

// rollCats sets every group's counts from the nodes' own counts.
func (l *Live) rollCats() {
	ml, C := &l.ml, l.b.model.nCat
	clear(ml.catGrp)
	add := func(g, from int32) {
		dst, src := ml.catGrp[int(g)*C:int(g+1)*C], ml.catOwn[int(from)*C:int(from+1)*C]
		for k := range dst {
			dst[k] += src[k]
		}
	}
	for i := int32(0); i < int32(l.n); i++ {
		for _, a := range l.chains[i] {
			add(a, i)
		}
		add(l.pl, i)
	}
	add(l.un, l.un)
	add(l.pl, l.un)
}

// moveAccountMember moves account a from group from to group to in the
// membership lists, and counts its segments in the batch.
func (l *Live) moveAccountMember(a, from, to int32) {
	ml := &l.ml
	m := ml.members[from]
	i := ml.pos[a]
	rec := m[i]
	last := m[len(m)-1]
	m[i] = last
	ml.pos[last.a] = i
	ml.members[from] = m[:len(m)-1]
	ml.pos[a] = int32(len(ml.members[to]))
	ml.members[to] = append(ml.members[to], rec)
	if l.b.model.nCat > 0 {
		l.addCats(ml.catVec, a, 1)
	}
}

// moveCats shifts the batch's segment counts from one territory (or
// NoIndex) to another along their chains, and clears the batch.
func (l *Live) moveCats(from, to int32) {
	ml, C := &l.ml, l.b.model.nCat
	if C == 0 {
		return
	}
	shift := func(dst []int64, sign int64) {
		for k, v := range ml.catVec {
			dst[k] += sign * v
		}
	}
	shift(ml.catOwn[int(l.group(from))*C:], -1)
	shift(ml.catOwn[int(l.group(to))*C:], 1)
	cf, ct := l.chainOf(from), l.chainOf(to)
	for _, g := range cf {
		if !has(ct, g) {
			shift(ml.catGrp[int(g)*C:], -1)
		}
	}
	for _, g := range ct {
		if !has(cf, g) {
			shift(ml.catGrp[int(g)*C:], 1)
		}
	}
	clear(ml.catVec)
}

// SetBaseline sets the rep each account had in the baseline scenario (an
// index into Plan.Reps, −1 for none; nil for no baseline), from which the
// revenue at risk is measured, and recomputes every figure. Use
// BaselineReps to build it from the baseline's alignment.
func (l *Live) SetBaseline(reps []int32) error {
	if l.b.model == nil {
		return nil
	}
	if reps != nil && len(reps) != len(l.b.plan.Accounts) {
		return fmt.Errorf("metrics: baseline of %d accounts, the plan has %d", len(reps), len(l.b.plan.Accounts))
	}
	l.ml.baseline = reps
	for _, ms := range l.ml.members {
		for i := range ms {
			ms[i].base = -1
			if reps != nil {
				ms[i].base = reps[ms[i].a]
			}
		}
	}
	l.deriveAll()
	l.bal.init(l)
	return nil
}

// BaselineReps returns, for every account, the index in the plan's reps of
// the rep of the territory holding it in the alignment accountTerr over
// nodes (−1 when unassigned or vacant), for Live.SetBaseline.
func (b *Base) BaselineReps(accountTerr []int32, nodes []engine.Territory) []int32 {
	idx := map[string]int32{}
	for i, r := range b.plan.Reps {
		idx[r.ID] = int32(i)
	}
	byNode := make([]int32, len(nodes))
	for i, n := range nodes {
		byNode[i] = -1
		if k, ok := idx[n.RepID]; ok && n.RepID != "" {
			byNode[i] = k
		}
	}
	out := make([]int32, len(accountTerr))
	for a, t := range accountTerr {
		out[a] = -1
		if t >= 0 && int(t) < len(byNode) {
			out[a] = byNode[t]
		}
	}
	return out
}

// deriveAll recomputes the derived figures of every territory and of the
// unassigned remainder, and every group's sums.
func (l *Live) deriveAll() {
	for i := int32(0); i < int32(l.n); i++ {
		if l.kinds[i] == engine.KindTerritory {
			l.derive(i)
		}
	}
	l.derive(l.un)
	l.sumDerived()
	copy(l.ml.prev, l.ml.der)
}

// modelStep brings the derived figures up to date after the step's
// changes: the touched territories (and unassigned) are derived again,
// every group's sums are added up again, and the groups whose derived
// figures changed are touched.
func (l *Live) modelStep() {
	if l.b.model == nil {
		return
	}
	ml := &l.ml
	for _, g := range l.touched {
		if g == l.un || g < int32(l.n) && l.kinds[g] == engine.KindTerritory {
			l.derive(g)
		}
	}
	l.sumDerived()
	for g := int32(0); g <= l.pl; g++ {
		a := int(g) * dFigures
		if !slices.Equal(ml.der[a:a+dFigures], ml.prev[a:a+dFigures]) {
			l.touch(g)
		}
	}
	copy(ml.prev, ml.der)
}

// sumDerived sets the derived figures of districts, regions and the plan
// to the sums of their territories' (the plan's includes unassigned), in
// node order, so that incremental and fresh figures agree exactly.
func (l *Live) sumDerived() {
	der := l.ml.der
	for g := int32(0); g <= l.pl; g++ {
		if g < int32(l.n) && l.kinds[g] == engine.KindTerritory || g == l.un {
			continue
		}
		clear(der[int(g)*dFigures : int(g+1)*dFigures])
	}
	add := func(g, t int32) {
		dst, src := der[int(g)*dFigures:int(g+1)*dFigures], der[int(t)*dFigures:int(t+1)*dFigures]
		for k := range dst {
			dst[k] += src[k]
		}
	}
	for t := int32(0); t < int32(l.n); t++ {
		if l.kinds[t] != engine.KindTerritory {
			continue
		}
		for _, a := range l.chains[t][1:] {
			if l.kinds[a] != engine.KindTerritory {
				add(a, t)
			}
		}
		add(l.pl, t)
	}
	add(l.pl, l.un)
}

// repOf returns the index in Plan.Reps of territory t's rep, or −1.
func (l *Live) repOf(t int32) int32 {
	if t == l.un || l.rep[t] == "" {
		return -1
	}
	if k, ok := l.b.model.repIdx[l.rep[t]]; ok {
		return k
	}
	return -1
}

// derive recomputes the derived figures of territory t (or un): rep
// cost, travel, and in one pass over its accounts the revenue at risk and
// the capacity cut.
func (l *Live) derive(t int32) {
	b, mb := l.b, l.b.model
	ml := &l.ml
	d := ml.der[int(t)*dFigures : int(t+1)*dFigures]
	clear(d)
	ml.marg[t] = 0
	K := b.accK
	f := l.own.acc[int(t)*K : int(t+1)*K]
	o := f[mb.off : mb.off+mSlots]
	rep := l.repOf(t)
	if rep >= 0 {
		d[dCost] = mb.homes[rep].cost
		if k := l.repN[l.rep[t]]; k > 1 {
			d[dCost] /= float64(k)
		}
	}
	if tr := mb.m.Travel; tr != nil && l.own.nAcc[t] > 0 {
		var home *repHome
		if rep >= 0 && mb.homes[rep].ok {
			home = &mb.homes[rep]
		}
		d[dKm], d[dHours], ml.marg[t] = travelOf(tr, f[slotVisits], o, mb.lon0, mb.lat0, home)
	}
	risk := ml.baseline != nil && mb.m.DisruptionShare > 0
	// The capacity cut: hours over capacity, in steps of chunk visits.
	var excess, chunk float64
	if capH := l.own.capacity[t]; t != l.un && capH > 0 {
		work := f[slotWorkload] + d[dHours]*mb.admin
		if excess = work - capH; excess > 1e-9*capH {
			chunk = 1
			if est := excess / (work / f[slotVisits]); est > maxCutSteps {
				chunk = math.Ceil(est / maxCutSteps)
			}
		} else {
			excess = 0
		}
	}
	if !risk && excess == 0 {
		return
	}
	ml.kinds = ml.kinds[:0]
	var atRisk float64
	ms := ml.members[t]
	if risk {
		for k := range ms {
			if br := ms[k].base; br >= 0 && br != rep {
				atRisk += ms[k].rev
			}
		}
	}
	d[dRisk] = atRisk * mb.m.DisruptionShare
	if excess > 0 {
		d[dLost], d[dCut] = l.cut(t, excess, chunk)
	}
}

// cut removes visits from territory t until excess workload hours are
// gone, in steps of chunk visits, the step that loses the least revenue
// per hour saved first (the lower account index on ties), and returns the
// revenue lost and the visits cut.
//
// The steps are taken in that order without a heap of every account:
// accounts are first stepped in the order of their first step's key, so
// the first steps come from a sorted batch of the cheapest ones (about
// twice as many as the cut is expected to take; the next cheapest when it
// runs out), and only the accounts already stepped that have visits left
// wait in a heap for their next step. Either way the order is the same,
// so the figures do not depend on the batch.
func (l *Live) cut(t int32, excess, chunk float64) (lost, cut float64) {
	mb, ml := l.b.model, &l.ml
	ms := ml.members[t]
	hOf := func(m *member) float64 {
		hv := m.hv
		if mb.m.Travel != nil {
			hv += ml.marg[t]
		}
		return hv * mb.admin
	}
	entryOf := func(m *member, hv float64) cutEntry {
		e := cutEntry{a: m.a, v: m.v, h: hv, rev: m.rev, rv: m.rv}
		if m.curve >= 0 {
			e.c = &mb.m.Curves[m.curve]
		}
		e.first(chunk, ml.kind(m.curve, e.c, m.v, chunk))
		return e
	}
	// The first step of every account that can relieve t.
	keys := ml.keys[:0]
	var stepHours float64
	for k := range ms {
		m := &ms[k]
		if !(m.v > 0) {
			continue
		}
		hv := hOf(m)
		if !(hv > 0) {
			continue // visits that take no time cannot relieve the territory
		}
		stepHours += math.Min(chunk, m.v) * hv
		// The first step's key, as cutEntry.first gives it (without the entry).
		var c *Response
		if m.curve >= 0 {
			c = &mb.m.Curves[m.curve]
		}
		kd := ml.kind(m.curve, c, m.v, chunk)
		keys = append(keys, cutKey{key: firstKey(m.rv, kd.after(m.rev), kd.step, hv), a: m.a, k: int32(k)})
	}
	ml.keys = keys[:0]
	batch := len(keys)
	if len(keys) > 0 && stepHours > 0 {
		batch = int(min(float64(len(keys)), cutFactor*excess*float64(len(keys))/stepHours+float64(cutCandidates)))
	}
	h, ents := ml.cut[:0], ml.ents[:0]
	var first []cutKey // the batch of first steps, sorted; first[pos] is next
	pos := 0
	for excess > 0 {
		if pos == len(first) && len(keys) > 0 {
			n := min(batch, len(keys))
			if n < len(keys) {
				selectCheapest(keys, n)
			}
			first, keys, pos = keys[:n], keys[n:], 0
			ml.sortBuf = sortKeys(first, ml.sortBuf)
			batch *= 2
		}
		var e *cutEntry
		var firstStep cutEntry // a first step's account, kept only if it must wait for another
		fresh := pos < len(first) && (len(h) == 0 || first[pos].less(h[0]))
		switch {
		case fresh:
			m := &ms[first[pos].k]
			pos++
			firstStep = entryOf(m, hOf(m))
			e = &firstStep
		case len(h) > 0:
			e = &ents[h[0].k]
		default:
			excess = 0 // nothing left to cut
			continue
		}
		step, next := e.step, e.next
		if step*e.h >= excess {
			step = excess / e.h
			next = e.revenueAt(e.v - step)
			excess = 0
		} else {
			excess -= step * e.h
		}
		lost += e.rv - next
		cut += step
		e.v -= step
		e.rv = next
		done := e.v <= 1e-12 || excess == 0
		switch {
		case fresh && !done:
			e.plan(chunk)
			ents = append(ents, *e)
			h.push(cutKey{key: e.key, a: e.a, k: int32(len(ents) - 1)})
		case fresh:
		case done:
			last := len(h) - 1
			h[0] = h[last]
			h = h[:last]
			h.down(0)
		default:
			e.plan(chunk)
			h[0].key = e.key
			h.down(0)
		}
	}
	ml.cut, ml.ents = h[:0], ents[:0]
	return lost, cut
}

// A capacity cut first sorts the first steps of cutFactor times the steps
// it expects, plus cutCandidates, accounts; variables so that tests can
// shrink them.
var (
	cutFactor     = 2.0
	cutCandidates = 64
)

// cutKey is a step in a capacity cut: its key, the account, and an index
// (in the territory's members for a first step, else of its entry).
type cutKey struct {
	key  float64
	a, k int32
}

// less orders steps by key, then account.
func (x cutKey) less(y cutKey) bool {
	if x.key != y.key {
		return x.key < y.key
	}
	return x.a < y.a
}

func (x cutKey) cmp(y cutKey) int {
	switch {
	case x.less(y):
		return -1
	case y.less(x):
		return 1
	}
	return 0
}

// selectCheapest reorders keys so that its first n are the n least (in
// cutKey order), by quickselect with a median-of-three pivot.
func selectCheapest(keys []cutKey, n int) {
	lo, hi := 0, len(keys)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if keys[mid].less(keys[lo]) {
			keys[mid], keys[lo] = keys[lo], keys[mid]
		}
		if keys[hi].less(keys[lo]) {
			keys[hi], keys[lo] = keys[lo], keys[hi]
		}
		if keys[hi].less(keys[mid]) {
			keys[hi], keys[mid] = keys[mid], keys[hi]
		}
		pivot := keys[mid]
		i, j := lo, hi
		for i <= j {
			for keys[i].less(pivot) {
				i++
			}
			for pivot.less(keys[j]) {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				i++
				j--
			}
		}
		// keys[lo..j] ≤ pivot ≤ keys[i..hi]; between them, equal to it.
		switch {
		case n-1 <= j:
			hi = j
		case n-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// cutKind is the first step of the accounts of one curve and one number
// of visits: the step and the curve's value after it.
type cutKind struct {
	curve    int32
	v, chunk float64
	step, r1 float64
	noCurve  bool
}

// kind returns the first step of accounts with curve ci (c; −1 and nil for
// none) and v visits, from a small cache of the kinds met in this pass.
func (ml *modelLive) kind(ci int32, c *Response, v, chunk float64) *cutKind {
	for i := range ml.kinds {
		if k := &ml.kinds[i]; k.curve == ci && k.v == v && k.chunk == chunk {
			return k
		}
	}
	k := cutKind{curve: ci, v: v, chunk: chunk, step: firstStep(v, chunk), noCurve: c == nil || c.Reference <= 0}
	if !k.noCurve {
		k.r1 = c.At(math.Max(0, v-k.step) / c.Reference)
	}
	if len(ml.kinds) < 64 {
		ml.kinds = append(ml.kinds, k)
		return &ml.kinds[len(ml.kinds)-1]
	}
	ml.spare = k
	return &ml.spare
}

// firstStep is the visits the next step removes from v: the fraction
// above the whole visits, else chunk visits, at most v.
func firstStep(v, chunk float64) float64 {
	step := v - (math.Ceil(v) - 1)
	if step >= 1 {
		step = math.Min(chunk, v)
	}
	return step
}

// first sets e's first step from its kind.
func (e *cutEntry) first(chunk float64, k *cutKind) {
	e.step, e.next = k.step, k.after(e.rev)
	e.key = firstKey(e.rv, e.next, e.step, e.h)
}

// after is the revenue, after the first step, of an account of this kind
// with revenue rev at the reference visits.
func (k *cutKind) after(rev float64) float64 {
	if k.noCurve {
		return rev
	}
	return rev * k.r1
}

// firstKey is the revenue lost per hour saved by a step from revenue rv to
// next that removes step visits of h hours each.
func firstKey(rv, next, step, h float64) float64 { return (rv - next) / (step * h) }

// travelOf estimates a year's travel for visits v with moments o (see
// Travel; coordinates relative to lon0, lat0) from home (nil: from the
// centre of the visits): kilometres, hours, and hours per additional visit.
func travelOf(tr *Travel, v float64, o []float64, lon0, lat0 float64, home *repHome) (km, hours, marg float64) {
	if !(v > 0) {
		return 0, 0, 0
	}
	mx, my := o[mWX]/v, o[mWY]/v
	vx := math.Max(0, o[mWXX]/v-mx*mx)
	vy := math.Max(0, o[mWYY]/v-my*my)
	cxy := o[mWXY]/v - mx*my
	my += lat0
	ky := kmPerDegree
	kx := ky * math.Cos(my*math.Pi/180)
	// Visits on a line (correlation ±1 but for rounding) spread over no area.
	det := vx*vy - cxy*cxy
	if det <= 1e-6*vx*vy {
		det = 0
	}
	area := 4 * math.Pi * math.Sqrt(det*kx*kx*ky*ky)
	spread2 := vx*kx*kx + vy*ky*ky
	r2 := spread2
	if home != nil {
		dc := haversineKm(home.lon, home.lat, lon0+mx, my)
		r2 += dc * dc
	}
	oneWay := math.Min(tr.DetourFactor*math.Sqrt(r2), tr.OvernightHours*tr.SpeedKmh)
	days := v / tr.VisitsPerDay
	local := tr.DetourFactor * tr.TourConstant * math.Sqrt(v*area)
	km = local + 2*oneWay*days
	hours = km / tr.SpeedKmh
	marg = (local/(2*v) + 2*oneWay/tr.VisitsPerDay) / tr.SpeedKmh
	return km, hours, marg
}

// haversineKm is the great-circle distance between two points, in km.
func haversineKm(lon1, lat1, lon2, lat2 float64) float64 {
	const r = math.Pi / 180
	dlat, dlon := (lat2-lat1)*r, (lon2-lon1)*r
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*r)*math.Cos(lat2*r)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371.0088 * math.Asin(math.Min(1, math.Sqrt(h)))
}

// cutEntry is an account in the capacity cut.
type cutEntry struct {
	key  float64 // revenue lost per hour saved by the next step
	a    int32
	v    float64 // visits left
	rv   float64 // revenue at v visits
	next float64 // revenue after the next step
	step float64 // visits the next step removes
	h    float64 // workload hours per visit
	rev  float64 // current revenue (at the reference visits)
	c    *Response
}

// cutHeap is a binary min-heap of steps by (key, account); each item's k
// is the index of its entry.
type cutHeap []cutKey

func (h cutHeap) less(i, j int) bool { return h[i].less(h[j]) }

// push adds x to the heap.
func (h *cutHeap) push(x cutKey) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s.less(i, p) {
			return
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h cutHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// maxCutSteps bounds the steps of one territory's capacity cut: a
// territory that must lose more visits removes them in steps of several
// visits (⌈visits to remove / maxCutSteps⌉), so that the cut stays fast
// however overloaded the territory is.
const maxCutSteps = 512

// plan sets e's next step (the fraction of a visit above the whole
// visits, else chunk visits, at most what is left), the revenue after it
// and its key.
func (e *cutEntry) plan(chunk float64) {
	step := firstStep(e.v, chunk)
	e.step = step
	e.next = e.revenueAt(e.v - step)
	e.key = (e.rv - e.next) / (step * e.h)
}

// revenueAt is the account's revenue at v visits a year.
func (e *cutEntry) revenueAt(v float64) float64 {
	if e.c == nil {
		return e.rev
	}
	return e.c.Revenue(e.rev, math.Max(0, v))
}

// modelValue returns model metric k (counted from the first model metric)
// of group g.
func (l *Live) modelValue(g int32, k int) float64 {
	b, mb := l.b, l.b.model
	s := &l.grp
	f := s.acc[int(g)*b.accK : int(g+1)*b.accK]
	o := f[mb.off : mb.off+mSlots]
	d := l.ml.der[int(g)*dFigures : int(g+1)*dFigures]
	travelH := func() float64 {
		if mb.m.Travel == nil {
			return o[mPVTravel]
		}
		return d[dHours]
	}
	travelKm := func() float64 {
		if mb.m.Travel == nil {
			return 0
		}
		return d[dKm]
	}
	projected := func() float64 { return o[mResp] - d[dLost] - d[dRisk] }
	cost := func() float64 { return d[dCost] + travelKm()*mb.m.CostPerKm }
	switch k {
	case mmVisitHours:
		return o[mVisitH]
	case mmTravelHours:
		return travelH()
	case mmTravelKm:
		return travelKm()
	case mmAdminHours:
		return l.workload(g) - o[mVisitH] - travelH()
	case mmRepsNeeded:
		if mb.stdCap > 0 {
			return l.workload(g) / mb.stdCap
		}
		return math.NaN()
	case mmProjected:
		return projected()
	case mmLost:
		return d[dLost]
	case mmCut:
		return d[dCut]
	case mmRisk:
		return d[dRisk]
	case mmRepCost:
		return d[dCost]
	case mmTravelCost:
		return travelKm() * mb.m.CostPerKm
	case mmROI:
		if c := cost(); c > 0 {
			return projected() / c
		}
		return math.NaN()
	}
	if c := k - mmFixed; c >= 0 && c < mb.nCat {
		return float64(l.ml.catGrp[int(g)*mb.nCat+c])
	}
	return math.NaN()
}

// workload is group g's workload hours.
func (l *Live) workload(g int32) float64 {
	f := l.grp.acc[int(g)*l.b.accK : int(g+1)*l.b.accK]
	w := f[slotWorkload]
	if mb := l.b.model; mb != nil && mb.m.Travel != nil {
		w += l.ml.der[int(g)*dFigures+dHours] * mb.admin
	}
	return w
}

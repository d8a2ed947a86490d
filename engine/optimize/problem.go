package optimize

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/metrics"
)

// xy is a point projected to kilometres on a plane around the plan's centre.
type xy struct{ x, y float64 }

func dist(a, b xy) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

// projection maps lon/lat to kilometres (equirectangular around a centre).
type projection struct{ lon0, lat0, kx, ky float64 }

// newProjection centres the projection at the median of pts.
func newProjection(pts []orb.Point) projection {
	if len(pts) == 0 {
		return projection{kx: 111.32, ky: 110.57}
	}
	lons := make([]float64, len(pts))
	lats := make([]float64, len(pts))
	for i, p := range pts {
		lons[i], lats[i] = p[0], p[1]
	}
	slices.Sort(lons)
	slices.Sort(lats)
	lon0, lat0 := lons[len(lons)/2], lats[len(lats)/2]
	return projection{lon0: lon0, lat0: lat0, kx: 111.32 * math.Cos(lat0*math.Pi/180), ky: 110.57}
}

func (p projection) at(pt orb.Point) xy {
	dl := pt[0] - p.lon0
	if dl > 180 {
		dl -= 360
	} else if dl < -180 {
		dl += 360
	}
	return xy{dl * p.kx, (pt[1] - p.lat0) * p.ky}
}

// terr is one territory of the result.
type terr struct {
	id, name string
	node     int // index in the result scenario's Territories
	locked   bool
	active   bool // takes part in the search
	anchor   xy
	anchored bool
	rep      string
	share    float64
}

// problem is a request translated to dense arrays: items (units or
// accounts) carrying loads, territories with targets, and for units the
// adjacency graph.
type problem struct {
	plan  *engine.Plan
	opts  Options
	level Level
	base  *metrics.Base

	// balanced metrics
	M       int
	mnames  []string
	mids    []metrics.Metric
	w       []float64 // normalized weights
	total   []float64 // per metric: the territories' total
	dropped []string  // weighted metrics with nothing to balance
	tol     float64   // tolerance (fraction)
	tolN    float64   // scale of deviations in the objective: the tolerance, or the typical item if larger

	// territories
	K      int
	terrs  []terr
	target []float64 // K*M
	extra  []float64 // K*M: load not carried by items (overridden, drawn, locked accounts)
	limit  []float64 // K*M: +Inf when none
	limits bool

	// items
	n       int
	x       []float64 // n*M
	comp    []float64 // per item: composite load share (sums to 1 over items and extra)
	pt      []xy
	rev     []float64 // revenue whose rep changes when the item moves
	nacc    []float64 // accounts that change rep when the item moves
	orig    []int32   // territory in the starting scenario (−1 none or no start)
	init    []int32   // starting assignment of the search (−1 unassigned)
	movable []bool
	hasFrom bool

	// graph (units level)
	adjStart []int32
	adj      []int32
	adjW     []float64
	virt     []bool    // per adjacency entry: added to join parts of the map
	outerKm  []float64 // per unit: border with the outside
	areaKm2  []float64
	realEdge int // number of real (undirected) edges

	totRev, totAcc   float64   // plan totals for the disruption caps
	origRev, origAcc []float64 // per territory: what it held at the start
	d0               float64   // typical territory radius, km

	// items bigger than (1 + tolerance) × a target for some metric
	big   []int32
	isBig []bool
	// lowTol is, per metric, the deviation below target accepted: the
	// tolerance, widened by what items bigger than a target leave short
	// for the other territories.
	lowTol []float64

	// locked accounts that follow their unit, kept in their territory
	pins []pin

	// the skeleton of the result and its alignment before the search
	skel   *engine.Scenario
	skelSt *assign.State
	fromSt *assign.State
	proj   projection
	notes  []Note
}

// prepare checks the request and builds the problem.
func prepare(p *engine.Plan, from *engine.Scenario, opts Options) (*problem, error) {
	if p == nil {
		return nil, fmt.Errorf("optimize: nil plan")
	}
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Mode == Rebalance && from == nil {
		return nil, fmt.Errorf("optimize: rebalancing needs a starting scenario")
	}
	pr := &problem{plan: p, opts: opts, hasFrom: from != nil}
	pr.level = opts.Level
	if pr.level == LevelAuto {
		pr.level = LevelAccounts
		if len(p.Units) > 0 {
			pr.level = LevelUnits
		}
	}
	if pr.level == LevelUnits && len(p.Units) == 0 {
		return nil, fmt.Errorf("optimize: the plan has no units to build territories of; import units or optimize at account level")
	}
	if pr.level == LevelAccounts && len(p.Accounts) == 0 {
		return nil, fmt.Errorf("optimize: the plan has no accounts to align")
	}
	pr.base = opts.Base
	if pr.base != nil && pr.base.Plan() != p {
		return nil, fmt.Errorf("optimize: the prepared metrics base is over another plan")
	}
	if pr.base == nil {
		cfg := metrics.DefaultConfig()
		if opts.Metrics != nil {
			cfg = *opts.Metrics
		}
		cfg.Weights, cfg.Targets = nil, nil
		b, err := metrics.NewBase(p, cfg)
		if err != nil {
			return nil, err
		}
		pr.base = b
	}
	if err := pr.pickMetrics(); err != nil {
		return nil, err
	}
	if from != nil {
		st, err := assign.Compute(p, from)
		if err != nil {
			return nil, err
		}
		pr.fromSt = st
	}
	if err := pr.skeleton(from); err != nil {
		return nil, err
	}
	pr.proj = newProjection(pr.points())
	if err := pr.items(); err != nil {
		return nil, err
	}
	if pr.level == LevelUnits {
		if err := pr.graph(); err != nil {
			return nil, err
		}
	}
	pr.territoryFigures()
	pr.focus()
	if o := &pr.opts; o.Mode == Build && from != nil && (o.MaxMovedRevenueShare > 0 || o.MaxMovedAccountsShare > 0 ||
		o.MaxMovedRevenueShareTerritory > 0 || o.MaxMovedAccountsShareTerritory > 0) {
		pr.notes = append(pr.notes, Note{Code: "caps-ignored", Text: "the caps on moved accounts and revenue apply to a rebalance; a build redraws every territory"})
	}
	return pr, nil
}

// pickMetrics resolves the balance weights against the base's metrics.
func (pr *problem) pickMetrics() error {
	bal := pr.opts.Balance
	if len(bal) == 0 {
		bal = DefaultBalance()
	}
	infos := pr.base.Metrics()
	var names []string
	for _, mi := range infos {
		if mi.Balanced {
			names = append(names, mi.Name)
		}
	}
	for _, raw := range sortedKeys(bal) {
		w := bal[raw]
		if w == 0 {
			continue
		}
		name := MetricName(raw)
		m, ok := pr.base.Metric(name)
		if !ok {
			return fmt.Errorf("optimize: balance on unknown metric %q; the plan has %s", raw, strings.Join(names, ", "))
		}
		if !infos[m].Balanced {
			return fmt.Errorf("optimize: %q cannot be balanced; balance one of %s", raw, strings.Join(names, ", "))
		}
		if pr.level == LevelAccounts && pr.base.PerUnit(m) {
			return fmt.Errorf("optimize: %q is a figure of units; an account-level alignment cannot balance it", raw)
		}
		if i := slices.Index(pr.mids, m); i >= 0 {
			pr.w[i] += w
			continue
		}
		pr.mids = append(pr.mids, m)
		pr.mnames = append(pr.mnames, name)
		pr.w = append(pr.w, w)
	}
	if len(pr.mids) == 0 {
		return fmt.Errorf("optimize: no metric to balance: give at least one weight above 0")
	}
	pr.M = len(pr.mids)
	pr.tol = pr.opts.Tolerance
	return nil
}

// points lists the locations of what is aligned (a sample of at most
// 100,000 for accounts), leaving out invalid ones.
func (pr *problem) points() []orb.Point {
	var out []orb.Point
	if pr.level == LevelUnits {
		for i := range pr.plan.Units {
			if pt := unitPoint(&pr.plan.Units[i]); finitePoint(pt) {
				out = append(out, pt)
			}
		}
		return out
	}
	step := max(1, len(pr.plan.Accounts)/100000)
	for i := 0; i < len(pr.plan.Accounts); i += step {
		if pt := pr.plan.Accounts[i].Loc; finitePoint(pt) {
			out = append(out, pt)
		}
	}
	return out
}

func unitPoint(u *engine.Unit) orb.Point {
	if !u.Label.Equal(orb.Point{}) || len(u.Geom) == 0 {
		return u.Label
	}
	return u.Geom.Bound().Center()
}

// skeleton builds the result scenario without the search's assignments:
// territories kept or created, overrides and locks kept, and the
// assignments that stay.
func (pr *problem) skeleton(from *engine.Scenario) error {
	opts := &pr.opts
	var s *engine.Scenario
	if from != nil {
		s = from.Clone(opts.ID, opts.Name)
	} else {
		s = &engine.Scenario{ID: opts.ID, Name: opts.Name}
	}
	if s.UnitTerritory == nil {
		s.UnitTerritory = map[string]string{}
	}
	if s.AccountTerritory == nil {
		s.AccountTerritory = map[string]string{}
	}
	// Which territories hold locked things.
	holdsLock := map[string]bool{}
	for _, id := range sortedKeys(s.LockedUnits) {
		if t, ok := s.UnitTerritory[id]; ok && s.LockedUnits[id] {
			holdsLock[t] = true
		}
	}
	if pr.fromSt != nil {
		for a := range pr.plan.Accounts {
			if s.LockedAccounts[pr.plan.Accounts[a].ID] {
				if t := pr.fromSt.AccountTerr[a]; t != engine.NoIndex {
					holdsLock[pr.fromSt.Nodes[t].ID] = true
				}
			}
		}
	}
	anchorOf := map[string]int{}
	for i, a := range opts.Anchors {
		if a.Territory != "" {
			if _, dup := anchorOf[a.Territory]; dup {
				return fmt.Errorf("optimize: territory %q has two anchors", a.Territory)
			}
			anchorOf[a.Territory] = i
		}
	}
	var leaves []int
	for i, t := range s.Territories {
		if t.Kind == engine.KindTerritory {
			leaves = append(leaves, i)
		}
	}
	if opts.Mode == Build {
		k := opts.K
		if k == 0 {
			k = len(opts.Anchors)
		}
		keep := map[string]bool{}
		must := 0
		for _, i := range leaves {
			t := &s.Territories[i]
			if _, anch := anchorOf[t.ID]; t.Locked || holdsLock[t.ID] || anch {
				keep[t.ID] = true
				must++
			}
		}
		if must > k {
			return fmt.Errorf("optimize: %d territories are locked, hold locked units or accounts, or are anchored; cannot build only %d", must, k)
		}
		for _, i := range leaves {
			if len(keep) == k {
				break
			}
			keep[s.Territories[i].ID] = true
		}
		// Drop the other territories (regions and districts stay).
		kept := s.Territories[:0]
		for _, t := range s.Territories {
			if t.Kind != engine.KindTerritory || keep[t.ID] {
				kept = append(kept, t)
			}
		}
		s.Territories = kept
		used := map[string]bool{}
		for _, t := range s.Territories {
			used[t.ID] = true
		}
		for n, next := len(keep), 1; n < k; n++ {
			id := ""
			for ; ; next++ {
				id = "T" + strconv.Itoa(next)
				if !used[id] {
					break
				}
			}
			used[id] = true
			s.Territories = append(s.Territories, engine.Territory{
				ID: id, Name: "Territory " + strconv.Itoa(next), Kind: engine.KindTerritory, Color: colour(n),
			})
		}
		// Only locked assignments survive a build.
		lockedTerr := map[string]bool{}
		for _, t := range s.Territories {
			if t.Kind == engine.KindTerritory && t.Locked {
				lockedTerr[t.ID] = true
			}
		}
		for _, id := range sortedKeys(s.UnitTerritory) {
			t := s.UnitTerritory[id]
			if !keep[t] && !lockedTerr[t] {
				delete(s.UnitTerritory, id)
				continue
			}
			if !s.LockedUnits[id] && !lockedTerr[t] {
				delete(s.UnitTerritory, id)
			}
		}
		for _, id := range sortedKeys(s.AccountTerritory) {
			if !keep[s.AccountTerritory[id]] {
				delete(s.AccountTerritory, id)
			}
		}
	}
	leaves = leaves[:0]
	for i, t := range s.Territories {
		if t.Kind == engine.KindTerritory {
			leaves = append(leaves, i)
		}
	}
	if len(leaves) == 0 {
		return fmt.Errorf("optimize: scenario %q has no territories to rebalance", s.ID)
	}
	pr.K = len(leaves)
	pr.terrs = make([]terr, pr.K)
	byID := map[string]int{}
	for k, i := range leaves {
		t := &s.Territories[i]
		pr.terrs[k] = terr{id: t.ID, name: t.Name, node: i, locked: t.Locked, active: !t.Locked, rep: t.RepID, share: 1 / float64(pr.K)}
		byID[t.ID] = k
	}
	for _, id := range sortedKeys(opts.Targets) {
		if k, ok := byID[id]; ok {
			pr.terrs[k].share = opts.Targets[id]
		} else {
			pr.notes = append(pr.notes, Note{Code: "unknown-target", Text: fmt.Sprintf("target share for %q ignored: no such territory", id), Territory: id})
		}
	}
	// Anchors: by id, or in order over the territories without one (Build).
	free := 0
	for i, a := range opts.Anchors {
		k := -1
		if a.Territory != "" {
			kk, ok := byID[a.Territory]
			if !ok {
				return fmt.Errorf("optimize: anchor %d names territory %q, which the scenario does not have", i+1, a.Territory)
			}
			k = kk
		} else {
			if opts.Mode != Build {
				return fmt.Errorf("optimize: anchor %d names no territory; a rebalance anchors existing territories by id", i+1)
			}
			for free < pr.K {
				if _, named := anchorOf[pr.terrs[free].id]; !named && !pr.terrs[free].anchored {
					break
				}
				free++
			}
			if free == pr.K {
				return fmt.Errorf("optimize: more anchors than territories")
			}
			k = free
			free++
		}
		pr.terrs[k].anchored = true
		pr.terrs[k].anchor = xy{} // projected once the projection is known
		if a.RepID != "" {
			pr.terrs[k].rep = a.RepID
			s.Territories[pr.terrs[k].node].RepID = a.RepID
		}
	}
	// Rebalance: anchor at the reps' homes for the distance term.
	pr.skel = s
	st, err := assign.Compute(pr.plan, s)
	if err != nil {
		return err
	}
	pr.skelSt = st
	return nil
}

// anchorPoints fills the projected anchors (after the projection is set).
func (pr *problem) anchorPoints() {
	byID := map[string]int{}
	for k := range pr.terrs {
		byID[pr.terrs[k].id] = k
	}
	free := 0
	named := map[string]bool{}
	for _, a := range pr.opts.Anchors {
		if a.Territory != "" {
			named[a.Territory] = true
		}
	}
	for _, a := range pr.opts.Anchors {
		var k int
		if a.Territory != "" {
			k = byID[a.Territory]
		} else {
			for named[pr.terrs[free].id] {
				free++
			}
			k = free
			free++
		}
		pr.terrs[k].anchor = pr.proj.at(a.Home)
	}
	if pr.opts.Mode == Rebalance && pr.opts.HomeDistanceWeight > 0 {
		homes := map[string]orb.Point{}
		for _, r := range pr.plan.Reps {
			if finitePoint(r.Home) && !r.Home.Equal(orb.Point{}) {
				homes[r.ID] = r.Home
			}
		}
		for k := range pr.terrs {
			t := &pr.terrs[k]
			if h, ok := homes[t.rep]; ok && !t.anchored {
				t.anchored, t.anchor = true, pr.proj.at(h)
			}
		}
	}
}

// pin is a locked account following unit u, to be kept in territory t
// (skelT: the unit's territory in the skeleton).
type pin struct {
	acc, unit, t, skelT int32
}

// items sets up what the search moves and the loads it cannot move.
func (pr *problem) items() error {
	pr.anchorPoints()
	p, st := pr.plan, pr.skelSt
	M, K := pr.M, pr.K
	pr.extra = make([]float64, K*M)
	ti := make([]int32, len(st.Nodes)) // node → territory position
	for i := range ti {
		ti[i] = -1
	}
	for k, t := range pr.terrs {
		ti[t.node] = int32(k)
	}
	pos := func(node int32) int32 {
		if node == engine.NoIndex {
			return -1
		}
		return ti[node]
	}
	var origPos func(kind string, i int) int32
	if pr.fromSt != nil {
		byID := map[string]int32{}
		for k := range pr.terrs {
			byID[pr.terrs[k].id] = int32(k)
		}
		fromPos := make([]int32, len(pr.fromSt.Nodes))
		for i, nd := range pr.fromSt.Nodes {
			fromPos[i] = -1
			if k, ok := byID[nd.ID]; ok {
				fromPos[i] = k
			}
		}
		origPos = func(kind string, i int) int32 {
			var t int32
			if kind == "unit" {
				t = pr.fromSt.UnitTerr[i]
			} else {
				t = pr.fromSt.AccountTerr[i]
			}
			if t == engine.NoIndex {
				return -1
			}
			return fromPos[t]
		}
	}
	lockedAcc := func(a int) bool { return pr.skel.LockedAccounts[p.Accounts[a].ID] }
	lockedUnit := func(u int) bool { return pr.skel.LockedUnits[p.Units[u].ID] }
	vals := make([]float64, M)
	accVals := func(a int) []float64 {
		for m, id := range pr.mids {
			vals[m] = pr.base.AccountValue(a, id)
		}
		return vals
	}
	for a := range p.Accounts {
		pr.totAcc++
		pr.totRev += pr.base.AccountValue(a, metrics.Revenue)
		u := p.Accounts[a].Unit
		if lockedAcc(a) && origPos != nil && u != engine.NoIndex && st.Override(int32(a)) == engine.NoIndex && st.Drawn(int32(a)) == engine.NoIndex {
			if o := origPos("account", a); o >= 0 {
				pr.pins = append(pr.pins, pin{acc: int32(a), unit: u, t: o, skelT: pos(st.UnitTerr[u])})
			}
		}
	}
	if pr.level == LevelUnits {
		n := len(p.Units)
		pr.n = n
		pr.x = make([]float64, n*M)
		pr.rev = make([]float64, n)
		pr.nacc = make([]float64, n)
		pr.pt = make([]xy, n)
		pr.init = make([]int32, n)
		pr.orig = make([]int32, n)
		pr.movable = make([]bool, n)
		for u := range p.Units {
			pr.pt[u] = pr.proj.at(unitPoint(&p.Units[u]))
			for m, id := range pr.mids {
				pr.x[u*M+m] = pr.base.UnitValue(u, id)
			}
			pr.init[u] = pos(st.UnitTerr[u])
			pr.orig[u] = -1
			if origPos != nil {
				pr.orig[u] = origPos("unit", u)
			}
			t := pr.init[u]
			switch {
			case lockedUnit(u):
			case t >= 0 && pr.terrs[t].locked:
			case pr.opts.Mode == Build:
				pr.movable[u], pr.init[u] = true, -1
			default:
				pr.movable[u] = t >= 0
			}
		}
		for a := range p.Accounts {
			u := p.Accounts[a].Unit
			follows := u != engine.NoIndex && st.Override(int32(a)) == engine.NoIndex && st.Drawn(int32(a)) == engine.NoIndex
			v := accVals(a)
			if follows && !lockedAcc(a) {
				for m := range v {
					pr.x[int(u)*M+m] += v[m]
				}
				pr.rev[u] += pr.base.AccountValue(a, metrics.Revenue)
				pr.nacc[u]++
				continue
			}
			// Pinned where it is: a locked account stays in its starting
			// territory, others with their override or drawn area.
			t := pos(st.AccountTerr[a])
			if follows && pr.fromSt != nil {
				t = origPos("account", a)
			}
			if t >= 0 {
				for m := range v {
					pr.extra[int(t)*M+m] += v[m]
				}
			}
		}
	} else {
		n := len(p.Accounts)
		pr.n = n
		pr.x = make([]float64, n*M)
		pr.rev = make([]float64, n)
		pr.nacc = make([]float64, n)
		pr.pt = make([]xy, n)
		pr.init = make([]int32, n)
		pr.orig = make([]int32, n)
		pr.movable = make([]bool, n)
		for a := range p.Accounts {
			copy(pr.x[a*M:(a+1)*M], accVals(a))
			pr.rev[a] = pr.base.AccountValue(a, metrics.Revenue)
			pr.nacc[a] = 1
			loc := p.Accounts[a].Loc
			if !finitePoint(loc) {
				loc = orb.Point{pr.proj.lon0, pr.proj.lat0}
			}
			pr.pt[a] = pr.proj.at(loc)
			pr.orig[a] = -1
			if origPos != nil {
				pr.orig[a] = origPos("account", a)
			}
			t := pos(st.AccountTerr[a])
			if lockedAcc(a) && origPos != nil {
				t = origPos("account", a)
			} else if pr.opts.Mode == Build && (t < 0 || !pr.terrs[t].locked) {
				t = -1
			}
			pr.init[a] = t
			pr.movable[a] = !lockedAcc(a) && (t < 0 || !pr.terrs[t].locked) && (pr.opts.Mode == Build || t >= 0)
		}
		// Units keep adding their own figures (area, unit data) to their
		// territory; account-level balance never weighs them.
	}
	return nil
}

// territoryFigures sets totals, targets, limits and composite shares.
func (pr *problem) territoryFigures() {
	M, K := pr.M, pr.K
	pr.total = make([]float64, M)
	for t := 0; t < K; t++ {
		for m := 0; m < M; m++ {
			pr.total[m] += pr.extra[t*M+m]
		}
	}
	for i := 0; i < pr.n; i++ {
		if pr.init[i] >= 0 || pr.movable[i] {
			for m := 0; m < M; m++ {
				pr.total[m] += pr.x[i*M+m]
			}
		}
	}
	// Drop metrics with nothing to balance; renormalize weights.
	var keep []int
	for m := 0; m < M; m++ {
		if pr.total[m] > 0 && !math.IsInf(pr.total[m], 0) {
			keep = append(keep, m)
		} else {
			pr.dropped = append(pr.dropped, pr.mnames[m])
		}
	}
	if len(keep) < M && len(keep) > 0 {
		pr.selectMetrics(keep)
		M = pr.M
	}
	var ws float64
	for _, w := range pr.w {
		ws += w
	}
	for m := range pr.w {
		pr.w[m] /= ws
	}
	pr.target = make([]float64, K*M)
	for t := 0; t < K; t++ {
		for m := 0; m < M; m++ {
			pr.target[t*M+m] = pr.terrs[t].share * pr.total[m]
		}
	}
	minTarget := make([]float64, M)
	for m := 0; m < M; m++ {
		minTarget[m] = math.Inf(1)
		for t := 0; t < K; t++ {
			minTarget[m] = math.Min(minTarget[m], pr.target[t*M+m])
		}
	}
	pr.isBig = make([]bool, pr.n)
	for i := 0; i < pr.n; i++ {
		if pr.init[i] < 0 && !pr.movable[i] {
			continue
		}
		for m := 0; m < M; m++ {
			if pr.x[i*M+m] > (1+pr.tol)*minTarget[m] {
				pr.big = append(pr.big, int32(i))
				pr.isBig[i] = true
				break
			}
		}
	}
	pr.lowTol = make([]float64, M)
	for m := 0; m < M; m++ {
		avg := pr.total[m] / float64(K)
		var excess float64
		nb := 0
		for _, i := range pr.big {
			if e := pr.x[int(i)*M+m] - (1+pr.tol)*avg; e > 0 {
				excess += e
				nb++
			}
		}
		pr.lowTol[m] = pr.tol
		if rest := pr.total[m] - float64(nb)*avg; excess > 0 && rest > 0 && nb < K {
			pr.lowTol[m] = pr.tol + excess/rest
		}
	}
	pr.comp = make([]float64, pr.n)
	var shares []float64
	for i := 0; i < pr.n; i++ {
		var c float64
		for m := 0; m < M; m++ {
			if pr.total[m] > 0 {
				c += pr.w[m] * pr.x[i*M+m] / pr.total[m]
			}
		}
		pr.comp[i] = c
		if pr.movable[i] && c > 0 {
			shares = append(shares, c*float64(K))
		}
	}
	// Deviations are measured in tolerances, or in typical items when
	// items are coarser than the tolerance: then a typical move changes
	// the objective by about one unit either way.
	pr.tolN = max(pr.tol, 0.001)
	if len(shares) > 0 {
		slices.Sort(shares)
		pr.tolN = max(pr.tolN, shares[len(shares)/2])
	}
	// Limits.
	pr.limit = make([]float64, K*M)
	for i := range pr.limit {
		pr.limit[i] = math.Inf(1)
	}
	setLimit := func(t, m int, v float64) {
		if v < pr.limit[t*M+m] {
			pr.limit[t*M+m] = v
			pr.limits = true
		}
	}
	for _, l := range pr.opts.Limits {
		name := MetricName(l.Metric)
		m := slices.Index(pr.mnames, name)
		if m < 0 {
			pr.notes = append(pr.notes, Note{Code: "limit-ignored", Text: fmt.Sprintf("limit on %q ignored: only balanced metrics can be limited", l.Metric)})
			continue
		}
		for t := 0; t < K; t++ {
			if l.Territory == "" || l.Territory == pr.terrs[t].id {
				setLimit(t, m, l.Max)
			}
		}
	}
	if pr.opts.RepCapacity {
		m := slices.Index(pr.mnames, "workloadHours")
		if m < 0 {
			pr.notes = append(pr.notes, Note{Code: "limit-ignored", Text: "rep capacity ignored: workload hours are not balanced"})
		} else {
			weeks := float64(metrics.DefaultWeeksPerYear)
			if pr.opts.Metrics != nil {
				weeks = pr.opts.Metrics.WeeksPerYear
			}
			repCap := map[string]float64{}
			for _, r := range pr.plan.Reps {
				if r.CapacityHours > 0 {
					repCap[r.ID] = r.CapacityHours * weeks
				}
			}
			repN := map[string]int{}
			for _, t := range pr.terrs {
				repN[t.rep]++
			}
			for t := 0; t < K; t++ {
				if c, ok := repCap[pr.terrs[t].rep]; ok {
					setLimit(t, m, c/float64(repN[pr.terrs[t].rep]))
				}
			}
		}
	}
	// Disruption: what each territory held at the start.
	pr.origRev = make([]float64, K)
	pr.origAcc = make([]float64, K)
	for i := 0; i < pr.n; i++ {
		if o := pr.orig[i]; o >= 0 {
			pr.origRev[o] += pr.rev[i]
			pr.origAcc[o] += pr.nacc[i]
		}
	}
	// Typical radius of a territory: from the extent of the middle 90 % of
	// the items (outliers such as remote islands left out).
	xs := make([]float64, 0, pr.n)
	ys := make([]float64, 0, pr.n)
	for i := 0; i < pr.n; i++ {
		if pr.movable[i] || pr.init[i] >= 0 {
			xs, ys = append(xs, pr.pt[i].x), append(ys, pr.pt[i].y)
		}
	}
	pr.d0 = 1
	if len(xs) > 0 {
		slices.Sort(xs)
		slices.Sort(ys)
		q := func(v []float64, f float64) float64 { return v[min(len(v)-1, int(f*float64(len(v))))] }
		w, h := q(xs, 0.95)-q(xs, 0.05), q(ys, 0.95)-q(ys, 0.05)
		pr.d0 = math.Max(1e-3, math.Sqrt(max(w*h/0.81, 1e-6)/float64(K)))
	}
}

// selectMetrics keeps only the metrics listed (indexes into the current ones).
func (pr *problem) selectMetrics(keep []int) {
	M, nM := pr.M, len(keep)
	pick := func(v []float64, rows int) []float64 {
		out := make([]float64, rows*nM)
		for r := 0; r < rows; r++ {
			for j, m := range keep {
				out[r*nM+j] = v[r*M+m]
			}
		}
		return out
	}
	pr.x = pick(pr.x, pr.n)
	pr.extra = pick(pr.extra, pr.K)
	pr.total = pick(pr.total, 1)
	var names []string
	var ids []metrics.Metric
	var w []float64
	for _, m := range keep {
		names, ids, w = append(names, pr.mnames[m]), append(ids, pr.mids[m]), append(w, pr.w[m])
	}
	pr.mnames, pr.mids, pr.w, pr.M = names, ids, w, nM
}

// focus marks the territories taking part in a local rebalance.
func (pr *problem) focus() {
	if len(pr.opts.Focus) == 0 {
		return
	}
	in := make([]bool, pr.K)
	byID := map[string]int{}
	for k, t := range pr.terrs {
		byID[t.id] = k
	}
	for _, id := range pr.opts.Focus {
		if k, ok := byID[id]; ok {
			in[k] = true
		} else {
			pr.notes = append(pr.notes, Note{Code: "unknown-focus", Text: fmt.Sprintf("focus territory %q ignored: no such territory", id), Territory: id})
		}
	}
	near := slices.Clone(in)
	if pr.level == LevelUnits {
		for u := 0; u < pr.n; u++ {
			t := pr.init[u]
			if t < 0 || !in[t] {
				continue
			}
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				if v := pr.init[pr.adj[j]]; v >= 0 && !pr.virt[j] {
					near[v] = true
				}
			}
		}
	} else {
		// Accounts: the territories whose centres lie nearest each focus
		// territory's centre.
		cs := pr.centroids(pr.init)
		for k := range in {
			if !in[k] {
				continue
			}
			type cand struct {
				t int
				d float64
			}
			var cands []cand
			for t := range cs {
				if t != k {
					cands = append(cands, cand{t, dist(cs[k], cs[t])})
				}
			}
			slices.SortFunc(cands, func(a, b cand) int {
				if a.d != b.d {
					if a.d < b.d {
						return -1
					}
					return 1
				}
				return a.t - b.t
			})
			for i := 0; i < len(cands) && i < 6; i++ {
				near[cands[i].t] = true
			}
		}
	}
	for k := range pr.terrs {
		if !near[k] {
			pr.terrs[k].active = false
		}
	}
	for i := 0; i < pr.n; i++ {
		if t := pr.init[i]; pr.movable[i] && (t < 0 || !pr.terrs[t].active) {
			pr.movable[i] = false
		}
	}
}

// centroids returns the composite-weighted centre of each territory's items
// under assignment a (the plan centre for an empty territory).
func (pr *problem) centroids(a []int32) []xy {
	cs := make([]xy, pr.K)
	ws := make([]float64, pr.K)
	for i, t := range a {
		if t < 0 {
			continue
		}
		w := pr.comp[i] + 1e-12
		cs[t].x += w * pr.pt[i].x
		cs[t].y += w * pr.pt[i].y
		ws[t] += w
	}
	for t := range cs {
		if ws[t] > 0 {
			cs[t].x /= ws[t]
			cs[t].y /= ws[t]
		}
	}
	return cs
}

// colour returns a distinct colour for the n-th territory created.
func colour(n int) string {
	h := math.Mod(float64(n)*0.618033988749895, 1)
	s, l := 0.55, 0.55
	if n%2 == 1 {
		l = 0.45
	}
	hue := func(t float64) float64 {
		t = math.Mod(t+1, 1)
		q := l + s - l*s
		p := 2*l - q
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	r, g, b := hue(h+1.0/3), hue(h), hue(h-1.0/3)
	return fmt.Sprintf("#%02x%02x%02x", int(r*255+0.5), int(g*255+0.5), int(b*255+0.5))
}

package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/geo"
)

// ErrRebuild is returned by Live.Apply when the scenario's structure
// changed: nodes were added or removed, or a node's id or kind changed.
// Build a new Live from the Base (Base.Live) after such an edit; the old
// one must not be used again.
var ErrRebuild = errors.New("metrics: the scenario's nodes were added, removed or changed id or kind; build the live figures again")

// polyFig is what a free-drawn polygon adds to its territory.
type polyFig struct {
	area float64 // km²
	um   int64   // perimeter
	n    int64   // 1 for a polygon, 0 for none
}

func polyFigOf(p orb.Polygon) polyFig {
	if len(p) == 0 || len(p[0]) < 3 {
		return polyFig{}
	}
	return polyFig{finiteOr0(geo.AreaKm2(p)), int64(math.Round(finiteOr0(geo.PerimeterKm(p)) * umPerKm)), 1}
}

// sums are the additive figures of a set of groups, indexed by group.
type sums struct {
	nAcc     []int64
	acc      []float64 // accK per group
	nUnit    []int64
	unit     []float64 // unitK per group
	capacity []float64
	polyArea []float64
	polyUM   []int64
	polys    []int64
}

func newSums(groups, accK, unitK int) sums {
	return sums{
		nAcc: make([]int64, groups), acc: make([]float64, groups*accK),
		nUnit: make([]int64, groups), unit: make([]float64, groups*unitK),
		capacity: make([]float64, groups), polyArea: make([]float64, groups),
		polyUM: make([]int64, groups), polys: make([]int64, groups),
	}
}

// Live keeps every figure of one alignment current: per node (territory,
// district, region), for the unassigned remainder and for the plan, plus
// the balance across territories. Build it with Base.Live (or NewLive), then
// hand it every assign.Delta of the State it was built from, in order.
//
// Groups: a node's figures are those of itself and all its descendants; the
// unassigned group holds what no territory holds; the plan group holds
// everything. Territories' and unassigned figures add up to the plan's for
// every summed metric.
//
// A Live is not safe for concurrent use.
type Live struct {
	b  *Base
	st *assign.State
	n  int   // nodes
	un int32 // group of the unassigned remainder (= n)
	pl int32 // group of the plan (= n+1)

	ids      []string
	kinds    []engine.Kind
	names    []string
	parent   []int32
	rep      []string
	chains   [][]int32 // node → itself and its ancestors
	unChain  []int32   // {un}
	children [][]int32

	unitTerr  []int32   // own copy, replayed change by change
	members   [][]int32 // per node (and un at index n): units held directly
	memberPos []int32   // per unit: index in its members list

	own    sums // per node and un: what the node holds directly
	grp    sums // per group: rolled up
	arcUM  []int64
	parts  []int64
	ownPol []polyFig // per node
	repN   map[string]int

	bal balance
	ml  modelLive // the planning model's state (Config.Model)

	// scratch, reused between Apply calls
	epoch     uint32
	touchMark []uint32
	touched   []int32
	unitEpoch uint32
	unitMark  []uint32
	unitLabel []int32
	queues    [][]int32
	heads     []int
	uf        []int
	seeds     []int32
	vec       []float64
	step      stepBuf
}

// NewLive builds a Base for p and cfg and the live figures of st over it.
func NewLive(p *engine.Plan, st *assign.State, cfg Config) (*Live, error) {
	b, err := NewBase(p, cfg)
	if err != nil {
		return nil, err
	}
	return b.Live(st)
}

// Live computes every figure of alignment st from scratch. st must be an
// alignment over b's plan; it is read now and again on each Apply.
func (b *Base) Live(st *assign.State) (*Live, error) {
	if st == nil {
		return nil, fmt.Errorf("metrics: nil alignment")
	}
	p := b.plan
	if st.Plan() != p {
		return nil, fmt.Errorf("metrics: the alignment is over another plan than the figures' base")
	}
	if len(st.UnitTerr) != len(p.Units) || len(st.AccountTerr) != len(p.Accounts) {
		return nil, fmt.Errorf("metrics: the alignment has %d units and %d accounts, the plan %d and %d; build the base again after changing the plan",
			len(st.UnitTerr), len(st.AccountTerr), len(p.Units), len(p.Accounts))
	}
	n := len(st.Nodes)
	if len(st.Parent) != n {
		return nil, fmt.Errorf("metrics: the alignment has %d nodes and %d parents", n, len(st.Parent))
	}
	l := &Live{b: b, st: st, n: n, un: int32(n), pl: int32(n + 1)}
	l.ids = make([]string, n)
	l.kinds = make([]engine.Kind, n)
	l.names = make([]string, n)
	l.rep = make([]string, n)
	for i := range st.Nodes {
		nd := &st.Nodes[i]
		l.ids[i], l.kinds[i], l.names[i], l.rep[i] = nd.ID, nd.Kind, nd.Name, nd.RepID
	}
	l.parent = slices.Clone(st.Parent)
	if err := l.rebuildChains(); err != nil {
		return nil, err
	}
	l.unChain = []int32{l.un}
	G := n + 2
	nu := len(p.Units)
	for _, t := range st.UnitTerr {
		if !l.validTerr(t) {
			return nil, fmt.Errorf("metrics: the alignment places a unit in node %d, which is not a territory", t)
		}
	}
	for _, t := range st.AccountTerr {
		if !l.validTerr(t) {
			return nil, fmt.Errorf("metrics: the alignment places an account in node %d, which is not a territory", t)
		}
	}
	l.unitTerr = slices.Clone(st.UnitTerr)

	K, U := b.accK, b.unitK
	l.own = newSums(n+1, K, U)
	for a, t := range st.AccountTerr {
		g := l.group(t)
		l.own.nAcc[g]++
		addTo(l.own.acc[int(g)*K:int(g+1)*K], b.acc[a*K:(a+1)*K], 1)
	}
	l.members = make([][]int32, n+1)
	l.memberPos = make([]int32, nu)
	for u, t := range l.unitTerr {
		g := l.group(t)
		l.own.nUnit[g]++
		addTo(l.own.unit[int(g)*U:int(g+1)*U], b.unit[u*U:(u+1)*U], 1)
		l.memberPos[u] = int32(len(l.members[g]))
		l.members[g] = append(l.members[g], int32(u))
	}
	l.ownPol = make([]polyFig, n)
	l.repN = map[string]int{}
	for i := range st.Nodes {
		if l.kinds[i] == engine.KindTerritory {
			l.ownPol[i] = polyFigOf(st.Nodes[i].Polygon)
			l.own.polyArea[i], l.own.polyUM[i], l.own.polys[i] = l.ownPol[i].area, l.ownPol[i].um, l.ownPol[i].n
			if l.rep[i] != "" {
				l.repN[l.rep[i]]++
			}
		}
	}
	for i := 0; i < n; i++ {
		l.own.capacity[i] = l.capacityOf(int32(i))
	}
	l.grp = newSums(G, K, U)
	l.rollUp()

	l.arcUM = make([]int64, G)
	l.parts = make([]int64, G)
	for i := range b.arcs {
		l.arcContrib(int32(i), 1)
	}
	l.arcUM[l.pl] = b.outerUM
	l.parts[l.pl] = b.planParts
	l.touchMark = make([]uint32, G)
	l.unitMark = make([]uint32, nu)
	l.unitLabel = make([]int32, nu)
	l.vec = make([]float64, max(K, U))
	for g := int32(0); g <= l.un; g++ {
		l.parts[g] = l.countParts(g)
	}
	l.modelInit(st.AccountTerr)
	l.bal.init(l)
	l.touched = l.touched[:0]
	return l, nil
}

// validTerr reports whether t is NoIndex or a territory node.
func (l *Live) validTerr(t int32) bool {
	return t == engine.NoIndex || (t >= 0 && int(t) < l.n && l.kinds[t] == engine.KindTerritory)
}

// group is the group holding what territory t (or NoIndex) holds directly.
func (l *Live) group(t int32) int32 {
	if t == engine.NoIndex {
		return l.un
	}
	return t
}

// chainOf lists the groups that what t holds directly rolls up into, plan excluded.
func (l *Live) chainOf(t int32) []int32 {
	if t == engine.NoIndex {
		return l.unChain
	}
	return l.chains[t]
}

// rebuildChains recomputes chains and children from parent.
func (l *Live) rebuildChains() error {
	n := l.n
	if l.chains == nil {
		l.chains = make([][]int32, n)
	}
	l.children = make([][]int32, n)
	for i := 0; i < n; i++ {
		c := l.chains[i][:0]
		for a, steps := int32(i), 0; a != engine.NoIndex; a, steps = l.parent[a], steps+1 {
			if a < 0 || int(a) >= n || steps > n {
				return fmt.Errorf("metrics: node %q has an invalid parent chain", l.ids[i])
			}
			c = append(c, a)
		}
		l.chains[i] = c
		if p := l.parent[i]; p != engine.NoIndex {
			l.children[p] = append(l.children[p], int32(i))
		}
	}
	return nil
}

func addTo(dst, src []float64, sign float64) {
	for k := range dst {
		dst[k] += sign * src[k]
	}
}

func has(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// capacityOf is territory t's share of its rep's capacity: the rep's
// capacity divided by the number of territories the rep covers.
func (l *Live) capacityOf(t int32) float64 {
	if l.kinds[t] != engine.KindTerritory || l.rep[t] == "" {
		return 0
	}
	c := l.b.repCap[l.rep[t]]
	if k := l.repN[l.rep[t]]; k > 1 {
		c /= float64(k)
	}
	return c
}

// rollUp sets every group's sums from the nodes' own sums.
func (l *Live) rollUp() {
	K, U := l.b.accK, l.b.unitK
	for g := int32(0); g <= l.pl; g++ {
		zeroSums(&l.grp, g, K, U)
	}
	for i := int32(0); i < int32(l.n); i++ {
		for _, a := range l.chains[i] {
			addSums(&l.grp, a, &l.own, i, K, U)
		}
		addSums(&l.grp, l.pl, &l.own, i, K, U)
	}
	addSums(&l.grp, l.un, &l.own, l.un, K, U)
	addSums(&l.grp, l.pl, &l.own, l.un, K, U)
}

// touch marks group g as changed in the current step.
func (l *Live) touch(g int32) {
	if l.touchMark[g] != l.epoch {
		l.touchMark[g] = l.epoch
		l.touched = append(l.touched, g)
	}
}

// Apply brings the figures up to date with the edit that produced d, which
// must be the latest edit of the State the Live was built from (or the
// State's view after it): the units, accounts, polygons and nodes d lists
// are read from the State. It returns the rows that changed and the
// balance after the edit; the Step is valid until the next Apply.
//
// It returns ErrRebuild when nodes were added or removed or changed id or
// kind, and another error when d refers to indexes out of range; in both
// cases nothing was changed and the Live should be built again.
func (l *Live) Apply(d assign.Delta) (Step, error) {
	if err := l.check(d); err != nil {
		return Step{}, err
	}
	l.epoch++
	l.touched = l.touched[:0]
	l.applyAccounts(d.Accounts)
	l.applyUnits(d.Units)
	for _, t := range d.Polygons {
		l.setPolygon(t, polyFigOf(l.st.Nodes[t].Polygon))
	}
	if err := l.applyNodes(d.Nodes); err != nil {
		return Step{}, err
	}
	l.modelStep()
	l.bal.refresh(l)
	return l.makeStep(), nil
}

// check validates d against the Live before anything changes.
func (l *Live) check(d assign.Delta) error {
	st := l.st
	if len(st.Nodes) != l.n || len(st.Parent) != l.n {
		return ErrRebuild
	}
	for i := range st.Nodes {
		if st.Nodes[i].ID != l.ids[i] || st.Nodes[i].Kind != l.kinds[i] {
			return ErrRebuild
		}
	}
	for _, c := range d.Units {
		if c.Index < 0 || int(c.Index) >= len(l.unitTerr) {
			return fmt.Errorf("metrics: delta moves unit index %d, want 0..%d", c.Index, len(l.unitTerr)-1)
		}
		if !l.validTerr(c.To) {
			return fmt.Errorf("metrics: delta moves unit %d to node %d, which is not a territory", c.Index, c.To)
		}
	}
	for _, c := range d.Accounts {
		if c.Index < 0 || int(c.Index) >= len(l.b.plan.Accounts) {
			return fmt.Errorf("metrics: delta moves account index %d, want 0..%d", c.Index, len(l.b.plan.Accounts)-1)
		}
		if !l.validTerr(c.From) || !l.validTerr(c.To) {
			return fmt.Errorf("metrics: delta moves account %d from node %d to node %d; both must be territories or NoIndex", c.Index, c.From, c.To)
		}
	}
	for _, t := range d.Polygons {
		if t < 0 || int(t) >= l.n {
			return fmt.Errorf("metrics: delta changes the polygon of node %d, want 0..%d", t, l.n-1)
		}
	}
	for _, t := range d.Nodes {
		if t < 0 || int(t) >= l.n {
			return fmt.Errorf("metrics: delta changes node %d, want 0..%d", t, l.n-1)
		}
		if p := st.Parent[t]; p != engine.NoIndex && (p < 0 || int(p) >= l.n) {
			return fmt.Errorf("metrics: node %q has parent index %d, want 0..%d", l.ids[t], p, l.n-1)
		}
	}
	for _, t := range d.Nodes {
		for a, steps := st.Parent[t], 0; a != engine.NoIndex; a, steps = st.Parent[a], steps+1 {
			if a < 0 || int(a) >= l.n || steps > l.n {
				return fmt.Errorf("metrics: node %q has an invalid chain of parents", l.ids[t])
			}
		}
	}
	return nil
}

// applyAccounts moves account figures, summing consecutive changes with the
// same source and destination (a unit's accounts) before touching groups.
// It trusts each change's From, as assign.Delta documents it.
func (l *Live) applyAccounts(cs []assign.Change) {
	K := l.b.accK
	vec := l.vec[:K]
	clear(vec)
	var cnt int64
	pf, pt := int32(-2), int32(-2)
	for _, c := range cs {
		from, to := c.From, c.To
		if from == to {
			continue
		}
		if from != pf || to != pt {
			l.moveAccounts(pf, pt, cnt, vec)
			pf, pt, cnt = from, to, 0
			clear(vec)
		}
		cnt++
		f := l.b.acc[int(c.Index)*K : int(c.Index+1)*K]
		for k := range vec {
			vec[k] += f[k]
		}
		if l.b.model != nil {
			l.moveAccountMember(c.Index, l.group(from), l.group(to))
		}
	}
	l.moveAccounts(pf, pt, cnt, vec)
}

func (l *Live) moveAccounts(from, to int32, cnt int64, vec []float64) {
	if cnt == 0 {
		return
	}
	K := l.b.accK
	shift := func(s *sums, g int32, sign int64) {
		s.nAcc[g] += sign * cnt
		dst := s.acc[int(g)*K : int(g+1)*K]
		if s.nAcc[g] == 0 {
			clear(dst)
		} else {
			addTo(dst, vec, float64(sign))
		}
	}
	shift(&l.own, l.group(from), -1)
	shift(&l.own, l.group(to), 1)
	cf, ct := l.chainOf(from), l.chainOf(to)
	for _, g := range cf {
		if !has(ct, g) {
			shift(&l.grp, g, -1)
			l.touch(g)
		}
	}
	for _, g := range ct {
		if !has(cf, g) {
			shift(&l.grp, g, 1)
			l.touch(g)
		}
	}
	if l.b.model != nil {
		l.moveCats(from, to)
	}
}

// applyUnits replays unit changes one by one on the Live's own copy of the
// unit assignment, so that perimeters and parts are updated exactly.
func (l *Live) applyUnits(cs []assign.Change) {
	U := l.b.unitK
	for _, c := range cs {
		u, to := c.Index, c.To
		from := l.unitTerr[u]
		if from == to {
			continue
		}
		arcs := l.b.unitArcs(u)
		for _, ai := range arcs {
			l.arcContrib(ai, -1)
		}
		l.unitTerr[u] = to
		l.moveMember(u, l.group(from), l.group(to))
		for _, ai := range arcs {
			l.arcContrib(ai, 1)
		}
		f := l.b.unit[int(u)*U : int(u+1)*U]
		shift := func(s *sums, g int32, sign int64) {
			s.nUnit[g] += sign
			dst := s.unit[int(g)*U : int(g+1)*U]
			if s.nUnit[g] == 0 {
				clear(dst)
			} else {
				addTo(dst, f, float64(sign))
			}
		}
		shift(&l.own, l.group(from), -1)
		shift(&l.own, l.group(to), 1)
		cf, ct := l.chainOf(from), l.chainOf(to)
		for _, g := range cf {
			if !has(ct, g) {
				shift(&l.grp, g, -1)
				l.parts[g] += int64(l.pieces(u, g)) - 1
				l.touch(g)
			}
		}
		for _, g := range ct {
			if !has(cf, g) {
				shift(&l.grp, g, 1)
				l.parts[g] += 1 - int64(l.pieces(u, g))
				l.touch(g)
			}
		}
	}
}

func (l *Live) moveMember(u, from, to int32) {
	m := l.members[from]
	i := l.memberPos[u]
	last := m[len(m)-1]
	m[i] = last
	l.memberPos[last] = i
	l.members[from] = m[:len(m)-1]
	l.memberPos[u] = int32(len(l.members[to]))
	l.members[to] = append(l.members[to], u)
}

// unitChain lists the groups unit u rolls up into (plan excluded); nil for
// the outside (NoIndex).
func (l *Live) unitChain(u int32) []int32 {
	if u == engine.NoIndex {
		return nil
	}
	return l.chainOf(l.unitTerr[u])
}

// arcContrib adds (sign 1) or removes (sign −1) arc ai's length to the
// perimeter of every group holding exactly one of its sides.
func (l *Live) arcContrib(ai int32, sign int64) {
	a := &l.b.arcs[ai]
	ca, cb := l.unitChain(a.a), l.unitChain(a.b)
	um := sign * a.um
	for _, g := range ca {
		if !has(cb, g) {
			l.arcAdd(g, um)
		}
	}
	for _, g := range cb {
		if !has(ca, g) {
			l.arcAdd(g, um)
		}
	}
}

// arcAdd adds um to group g's outline. A group's outline changes only when
// a unit enters or leaves it, and such groups are touched by applyUnits.
func (l *Live) arcAdd(g int32, um int64) { l.arcUM[g] += um }

// inGroup reports whether unit v belongs to group g.
func (l *Live) inGroup(v, g int32) bool {
	t := l.unitTerr[v]
	if t == engine.NoIndex {
		return g == l.un || g == l.pl
	}
	return g == l.pl || has(l.chains[t], g)
}

// pieces counts the connected groups of units of group g, without unit u,
// that contain a neighbour of u. It grows one breadth-first search from each
// such neighbour in turn, merging searches that meet, and stops as soon as a
// single search remains unfinished: the cost is bounded by the size of the
// smaller pieces, not of the group.
func (l *Live) pieces(u, g int32) int {
	seeds := l.seeds[:0]
	for _, v := range l.b.neighbors(u) {
		if l.inGroup(v, g) {
			seeds = append(seeds, v)
		}
	}
	l.seeds = seeds
	k := len(seeds)
	if k <= 1 {
		return k
	}
	l.unitEpoch++
	if l.unitEpoch == 0 { // wrapped: forget old marks
		clear(l.unitMark)
		l.unitEpoch = 1
	}
	ep := l.unitEpoch
	for len(l.queues) < k {
		l.queues = append(l.queues, nil)
	}
	l.heads = slices.Grow(l.heads[:0], k)[:k]
	l.uf = slices.Grow(l.uf[:0], k)[:k]
	for i, s := range seeds {
		l.queues[i] = append(l.queues[i][:0], s)
		l.heads[i] = 0
		l.uf[i] = i
		l.unitMark[s] = ep
		l.unitLabel[s] = int32(i)
	}
	l.unitMark[u] = ep // never enter u
	l.unitLabel[u] = -1
	find := func(i int) int {
		for l.uf[i] != i {
			l.uf[i] = l.uf[l.uf[i]]
			i = l.uf[i]
		}
		return i
	}
	classes := k
	for {
		for i := 0; i < k; i++ {
			q := l.queues[i]
			if l.heads[i] >= len(q) {
				continue
			}
			v := q[l.heads[i]]
			l.heads[i]++
			for _, w := range l.b.neighbors(v) {
				if l.unitMark[w] == ep {
					lw := l.unitLabel[w]
					if lw < 0 {
						continue
					}
					if ri, rw := find(i), find(int(lw)); ri != rw {
						l.uf[rw] = ri
						classes--
						if classes == 1 {
							return 1
						}
					}
					continue
				}
				if !l.inGroup(w, g) {
					continue
				}
				l.unitMark[w] = ep
				l.unitLabel[w] = int32(i)
				l.queues[i] = append(l.queues[i], w)
			}
		}
		// Classes with a search still running; the others are complete.
		running := -1
		more := false
		for i := 0; i < k; i++ {
			if l.heads[i] < len(l.queues[i]) {
				r := find(i)
				if running == -1 {
					running = r
				} else if r != running {
					more = true
					break
				}
			}
		}
		if !more {
			return classes
		}
	}
}

// groupUnits calls f for every unit of group g (not the plan).
func (l *Live) groupUnits(g int32, f func(u int32)) {
	if g == l.un {
		for _, u := range l.members[l.un] {
			f(u)
		}
		return
	}
	var walk func(x int32)
	walk = func(x int32) {
		for _, u := range l.members[x] {
			f(u)
		}
		for _, c := range l.children[x] {
			walk(c)
		}
	}
	walk(g)
}

// countParts counts the connected groups of units of group g (not the plan).
func (l *Live) countParts(g int32) int64 {
	l.unitEpoch++
	if l.unitEpoch == 0 {
		clear(l.unitMark)
		l.unitEpoch = 1
	}
	ep := l.unitEpoch
	var parts int64
	stack := l.seeds[:0]
	l.groupUnits(g, func(u int32) {
		if l.unitMark[u] == ep {
			return
		}
		parts++
		l.unitMark[u] = ep
		stack = append(stack[:0], u)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range l.b.neighbors(v) {
				if l.unitMark[w] != ep && l.inGroup(w, g) {
					l.unitMark[w] = ep
					stack = append(stack, w)
				}
			}
		}
	})
	l.seeds = stack
	return parts
}

// countArcs measures the dissolved outline of group g's units (not the plan).
func (l *Live) countArcs(g int32) int64 {
	var um int64
	l.groupUnits(g, func(u int32) {
		for _, ai := range l.b.unitArcs(u) {
			a := &l.b.arcs[ai]
			other := a.b
			if other == u {
				other = a.a
			}
			if other == engine.NoIndex || !l.inGroup(other, g) {
				um += a.um
			}
		}
	})
	return um
}

// setPolygon replaces territory t's polygon figures.
func (l *Live) setPolygon(t int32, nf polyFig) {
	of := l.ownPol[t]
	if of == nf {
		return
	}
	l.ownPol[t] = nf
	shift := func(s *sums, g int32) {
		s.polys[g] += nf.n - of.n
		s.polyUM[g] += nf.um - of.um
		if s.polys[g] == 0 {
			s.polyArea[g] = 0
		} else {
			s.polyArea[g] += nf.area - of.area
		}
	}
	shift(&l.own, t)
	for _, g := range l.chains[t] {
		shift(&l.grp, g)
		l.touch(g)
	}
	shift(&l.grp, l.pl)
	l.touch(l.pl)
}

// applyNodes handles rep and parent changes (and marks renamed nodes).
func (l *Live) applyNodes(nodes []int32) error {
	st := l.st
	var reps []string
	moved := false
	for _, t := range nodes {
		nd := &st.Nodes[t]
		l.names[t] = nd.Name
		l.touch(t)
		if nd.RepID != l.rep[t] {
			if l.kinds[t] == engine.KindTerritory {
				if old := l.rep[t]; old != "" {
					l.repN[old]--
					reps = append(reps, old)
				}
				if nd.RepID != "" {
					l.repN[nd.RepID]++
					reps = append(reps, nd.RepID)
				}
			}
			l.rep[t] = nd.RepID
		}
		if st.Parent[t] != l.parent[t] {
			moved = true
		}
	}
	if len(reps) > 0 {
		// A rep's capacity is shared by their territories: recompute all.
		for i := 0; i < l.n; i++ {
			if l.kinds[i] != engine.KindTerritory {
				continue
			}
			if l.b.model != nil && slices.Contains(reps, l.rep[i]) {
				l.touch(int32(i)) // its share of the rep's cost may change
			}
			c := l.capacityOf(int32(i))
			if c != l.own.capacity[i] {
				l.own.capacity[i] = c
				for _, g := range l.chains[i] {
					l.touch(g)
				}
				l.touch(l.pl)
			}
		}
		// Sum the groups' capacities again rather than by differences, so
		// that a group whose reps all left has exactly zero capacity (and
		// an undefined utilisation), not a rounding remainder.
		for g := range l.grp.capacity {
			l.grp.capacity[g] = 0
		}
		for i := 0; i < l.n; i++ {
			for _, g := range l.chains[i] {
				l.grp.capacity[g] += l.own.capacity[i]
			}
			l.grp.capacity[l.pl] += l.own.capacity[i]
		}
	}
	if moved {
		if err := l.reparent(nodes); err != nil {
			return err
		}
		if l.b.model != nil && l.b.model.nCat > 0 {
			l.rollCats()
		}
	}
	return nil
}

// reparent follows parent changes: every group that is an ancestor of a
// moved node, before or after the move, gets its sums added up again from
// the nodes' own sums and its outline and parts recounted; those whose
// figures changed are touched.
func (l *Live) reparent(nodes []int32) error {
	st := l.st
	var affected []int32
	for _, t := range nodes {
		if st.Parent[t] != l.parent[t] {
			affected = append(affected, l.chains[t][1:]...)
		}
	}
	for _, t := range nodes {
		l.parent[t] = st.Parent[t]
	}
	if err := l.rebuildChains(); err != nil {
		return err
	}
	for _, t := range nodes {
		affected = append(affected, l.chains[t][1:]...)
	}
	slices.Sort(affected)
	affected = slices.Compact(affected)
	K, U := l.b.accK, l.b.unitK
	old := newSums(1, K, U)
	for _, g := range affected {
		copySums(&old, 0, &l.grp, g, K, U)
		oldArc, oldParts := l.arcUM[g], l.parts[g]
		zeroSums(&l.grp, g, K, U)
		var walk func(x int32)
		walk = func(x int32) {
			addSums(&l.grp, g, &l.own, x, K, U)
			for _, c := range l.children[x] {
				walk(c)
			}
		}
		walk(g)
		l.arcUM[g] = l.countArcs(g)
		l.parts[g] = l.countParts(g)
		if l.arcUM[g] != oldArc || l.parts[g] != oldParts || !equalSums(&old, 0, &l.grp, g, K, U) {
			l.touch(g)
		}
	}
	return nil
}

func zeroSums(s *sums, g int32, K, U int) {
	s.nAcc[g], s.nUnit[g], s.capacity[g], s.polyArea[g], s.polyUM[g], s.polys[g] = 0, 0, 0, 0, 0, 0
	clear(s.acc[int(g)*K : int(g+1)*K])
	clear(s.unit[int(g)*U : int(g+1)*U])
}

func copySums(dst *sums, dg int32, src *sums, sg int32, K, U int) {
	zeroSums(dst, dg, K, U)
	addSums(dst, dg, src, sg, K, U)
}

func addSums(dst *sums, dg int32, src *sums, sg int32, K, U int) {
	dst.nAcc[dg] += src.nAcc[sg]
	addTo(dst.acc[int(dg)*K:int(dg+1)*K], src.acc[int(sg)*K:int(sg+1)*K], 1)
	dst.nUnit[dg] += src.nUnit[sg]
	addTo(dst.unit[int(dg)*U:int(dg+1)*U], src.unit[int(sg)*U:int(sg+1)*U], 1)
	dst.capacity[dg] += src.capacity[sg]
	dst.polyArea[dg] += src.polyArea[sg]
	dst.polyUM[dg] += src.polyUM[sg]
	dst.polys[dg] += src.polys[sg]
}

func equalSums(a *sums, ag int32, b *sums, bg int32, K, U int) bool {
	return a.nAcc[ag] == b.nAcc[bg] && a.nUnit[ag] == b.nUnit[bg] && a.capacity[ag] == b.capacity[bg] &&
		a.polyArea[ag] == b.polyArea[bg] && a.polyUM[ag] == b.polyUM[bg] && a.polys[ag] == b.polys[bg] &&
		slices.Equal(a.acc[int(ag)*K:int(ag+1)*K], b.acc[int(bg)*K:int(bg+1)*K]) &&
		slices.Equal(a.unit[int(ag)*U:int(ag+1)*U], b.unit[int(bg)*U:int(bg+1)*U])
}

package metrics

import (
	"fmt"
	"math"
	"slices"

	orbgeo "github.com/paulmach/orb/geo"

	"territoria/engine"
)

// MetricInfo describes one metric of a Base.
type MetricInfo struct {
	Metric Metric `json:"-"`
	// Name is the stable camelCase name used in JSON and settings.
	Name string `json:"name"`
	// Unit is "count", "currency", "visits", "hours", "fraction", "km2",
	// "km", "ratio", "reps" (reps needed), or "" for a unit data value of
	// unknown unit.
	Unit string `json:"unit"`
	// Summed is true when a node's value is the sum of its parts (false for
	// utilisation, perimeter, compactness and parts).
	Summed bool `json:"summed"`
	// Balanced is true when the metric's balance across territories is measured.
	Balanced bool `json:"balanced"`
}

// The slots of the per-account and per-unit figure vectors.
const (
	slotPotential = iota
	slotRevenue
	slotLifetimeValue
	slotVisits
	slotWorkload
	accBuiltin // columns follow
)

const (
	slotArea    = iota
	unitBuiltin // unit data values follow
)

// umPerKm converts perimeters, kept as integer micrometres so that
// incremental sums are exact.
const umPerKm = 1e9

// arc is a shared border between unit a and unit b (b NoIndex: the outside).
type arc struct {
	a, b int32
	um   int64 // geodesic length in millimetres
}

// Base holds what the live figures need from a plan under a Config, and
// what does not depend on the scenario: every account's and unit's figures,
// the border arcs and unit adjacency. Build one per plan and config, and a
// Live per scenario from it; rebuild it when the plan's accounts, units,
// borders or reps change. A Base is read-only after NewBase and may be
// shared by several Live values.
type Base struct {
	plan    *engine.Plan
	cfg     Config
	metrics []MetricInfo
	byName  map[string]Metric

	accK  int       // figures per account
	acc   []float64 // per account: accK values (see slot*)
	unitK int
	unit  []float64 // per unit: unitK values

	arcs     []arc
	arcStart []int32 // unit u's arcs are arcIdx[arcStart[u]:arcStart[u+1]]
	arcIdx   []int32
	nbrStart []int32 // unit u's neighbours are nbr[nbrStart[u]:nbrStart[u+1]]
	nbr      []int32

	outerUM   int64 // length of the arcs between a unit and the outside
	planParts int64 // connected groups of all units

	weights  []float64 // per metric
	balanced []Metric
	repCap   map[string]float64 // rep id → capacity hours per year

	model *modelBase // nil without Config.Model
}

// NewBase prepares the figures of plan p under cfg. It fails with a message
// naming the problem when cfg is invalid (negative call plans, bad bands,
// targets or weights, weights on unknown or unbalanced metrics, columns of
// the wrong length or with clashing names) or when p's borders or unit
// neighbours refer to units that do not exist.
func NewBase(p *engine.Plan, cfg Config) (*Base, error) {
	if p == nil {
		return nil, fmt.Errorf("metrics: nil plan")
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	b := &Base{plan: p, cfg: cfg, byName: map[string]Metric{}}
	for m := Metric(0); m < NumBuiltin; m++ {
		b.addMetric(builtinInfo(m))
	}
	for i, c := range cfg.Columns {
		if c.Name == "" {
			return nil, fmt.Errorf("metrics: column %d has no name", i+1)
		}
		if _, dup := b.byName[c.Name]; dup {
			return nil, fmt.Errorf("metrics: column %q: the name is already a metric", c.Name)
		}
		if len(c.Values) != len(p.Accounts) {
			return nil, fmt.Errorf("metrics: column %q has %d values, want one per account (%d)", c.Name, len(c.Values), len(p.Accounts))
		}
		b.addMetric(MetricInfo{Name: c.Name, Summed: true, Balanced: true})
	}
	keys := unitDataKeys(p)
	for _, k := range keys {
		name := k
		if _, clash := b.byName[name]; clash {
			name = "unit." + k
		}
		for n := 2; ; n++ {
			if _, clash := b.byName[name]; !clash {
				break
			}
			name = fmt.Sprintf("unit.%s.%d", k, n)
		}
		b.addMetric(MetricInfo{Name: name, Summed: true, Balanced: true})
	}
	b.repCap = make(map[string]float64, len(p.Reps))
	for _, r := range p.Reps {
		if c := r.CapacityHours * cfg.WeeksPerYear; c > 0 && !math.IsInf(c, 0) {
			b.repCap[r.ID] = c
		}
	}
	if err := b.initModel(); err != nil {
		return nil, err
	}
	b.weights = make([]float64, len(b.metrics))
	wnames := make([]string, 0, len(cfg.Weights))
	for name := range cfg.Weights {
		wnames = append(wnames, name)
	}
	slices.Sort(wnames)
	for _, name := range wnames {
		m, ok := b.byName[name]
		if !ok {
			return nil, fmt.Errorf("metrics: weight for unknown metric %q", name)
		}
		if !b.metrics[m].Balanced {
			return nil, fmt.Errorf("metrics: weight for %q, whose balance is not measured", name)
		}
		b.weights[m] = cfg.Weights[name]
	}
	for _, mi := range b.metrics {
		if mi.Balanced {
			b.balanced = append(b.balanced, mi.Metric)
		}
	}
	b.accountFigures()
	b.unitFigures(keys)
	if err := b.topology(); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *Base) addMetric(mi MetricInfo) {
	mi.Metric = Metric(len(b.metrics))
	b.metrics = append(b.metrics, mi)
	b.byName[mi.Name] = mi.Metric
}

func builtinInfo(m Metric) MetricInfo {
	mi := MetricInfo{Name: m.String(), Summed: true, Balanced: true}
	switch m {
	case Accounts, Units:
		mi.Unit = "count"
	case Potential, Revenue, LifetimeValue:
		mi.Unit = "currency"
	case Visits:
		mi.Unit = "visits"
	case WorkloadHours:
		mi.Unit = "hours"
	case CapacityHours:
		mi.Unit, mi.Balanced = "hours", false
	case Utilisation:
		mi.Unit, mi.Summed = "fraction", false
	case AreaKm2:
		mi.Unit = "km2"
	case PerimeterKm:
		mi.Unit, mi.Summed, mi.Balanced = "km", false, false
	case Compactness:
		mi.Unit, mi.Summed, mi.Balanced = "ratio", false, false
	case Parts:
		mi.Unit, mi.Summed, mi.Balanced = "count", false, false
	}
	return mi
}

// unitDataKeys returns the keys of Unit.Data over all units, sorted.
func unitDataKeys(p *engine.Plan) []string {
	seen := map[string]bool{}
	for i := range p.Units {
		for k := range p.Units[i].Data {
			seen[k] = true
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func finiteOr0(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func (b *Base) accountFigures() {
	p, cfg := b.plan, &b.cfg
	b.accK = accBuiltin + len(cfg.Columns)
	if b.model != nil {
		b.model.off = b.accK
		b.accK += mSlots
	}
	b.acc = make([]float64, len(p.Accounts)*b.accK)
	tp := tierPlans{cfg: cfg, cache: map[string]CallPlan{}}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		f := b.acc[i*b.accK : (i+1)*b.accK]
		f[slotPotential] = finiteOr0(a.Potential)
		f[slotRevenue] = finiteOr0(a.Revenue12())
		f[slotLifetimeValue] = finiteOr0(a.LifetimeValue)
		cp, ok := CallPlan{}, false
		if cfg.AccountCallPlan != nil {
			cp, ok = cfg.AccountCallPlan(i, a)
			if ok && cp.check("") != nil {
				ok = false
			}
		}
		if !ok {
			cp = tp.lookup(a.Tier)
		}
		f[slotVisits] = cp.VisitsPerYear
		f[slotWorkload] = cp.HoursPerYear()
		for c := range cfg.Columns {
			f[accBuiltin+c] = finiteOr0(cfg.Columns[c].Values[i])
		}
		if b.model != nil {
			o := f[b.model.off : b.model.off+mSlots]
			b.modelFigures(i, a, cp, o, f[slotRevenue])
			f[slotWorkload] = b.accountWorkload(o)
		}
	}
}

func (b *Base) unitFigures(keys []string) {
	p := b.plan
	b.unitK = unitBuiltin + len(keys)
	b.unit = make([]float64, len(p.Units)*b.unitK)
	for u := range p.Units {
		un := &p.Units[u]
		f := b.unit[u*b.unitK : (u+1)*b.unitK]
		area := finiteOr0(un.AreaKm2)
		if area == 0 && len(un.Geom) > 0 {
			area = finiteOr0(orbgeo.Area(un.Geom) / 1e6)
		}
		f[slotArea] = area
		if len(un.Data) > 0 {
			for j, k := range keys {
				f[unitBuiltin+j] = finiteOr0(un.Data[k])
			}
		}
	}
}

// topology indexes the border arcs and the (symmetrised) unit adjacency.
func (b *Base) topology() error {
	p := b.plan
	nu := int32(len(p.Units))
	valid := func(u int32) bool { return u == engine.NoIndex || (u >= 0 && u < nu) }
	count := make([]int32, nu+1)
	for i, br := range p.Borders {
		if !valid(br.Left) || !valid(br.Right) {
			return fmt.Errorf("metrics: border %d refers to units %d and %d, want NoIndex or 0..%d", i, br.Left, br.Right, nu-1)
		}
		l, r := br.Left, br.Right
		if l == engine.NoIndex {
			l, r = r, l
		}
		if l == engine.NoIndex || l == r || len(br.Line) < 2 {
			continue
		}
		um := int64(math.Round(orbgeo.Length(br.Line) * 1e6))
		b.arcs = append(b.arcs, arc{l, r, um})
		count[l+1]++
		if r == engine.NoIndex {
			b.outerUM += um
		} else {
			count[r+1]++
		}
	}
	for u := int32(0); u < nu; u++ {
		count[u+1] += count[u]
	}
	b.arcStart = count
	b.arcIdx = make([]int32, count[nu])
	next := slices.Clone(count[:nu])
	for i, a := range b.arcs {
		b.arcIdx[next[a.a]] = int32(i)
		next[a.a]++
		if a.b != engine.NoIndex {
			b.arcIdx[next[a.b]] = int32(i)
			next[a.b]++
		}
	}

	// Adjacency: Unit.Neighbors plus the reverse of every edge, sorted, unique.
	adj := make([][]int32, nu)
	for u := range p.Units {
		for _, v := range p.Units[u].Neighbors {
			if v < 0 || v >= nu {
				return fmt.Errorf("metrics: unit %q lists neighbour index %d, want 0..%d", p.Units[u].ID, v, nu-1)
			}
			if v == int32(u) {
				continue
			}
			adj[u] = append(adj[u], v)
			adj[v] = append(adj[v], int32(u))
		}
	}
	b.nbrStart = make([]int32, nu+1)
	for u := range adj {
		slices.Sort(adj[u])
		adj[u] = slices.Compact(adj[u])
		b.nbrStart[u+1] = b.nbrStart[u] + int32(len(adj[u]))
	}
	b.nbr = make([]int32, 0, b.nbrStart[nu])
	for u := range adj {
		b.nbr = append(b.nbr, adj[u]...)
	}

	// Connected groups of all units.
	seen := make([]bool, nu)
	var stack []int32
	for u := int32(0); u < nu; u++ {
		if seen[u] {
			continue
		}
		b.planParts++
		seen[u] = true
		stack = append(stack[:0], u)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range b.neighbors(v) {
				if !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
	}
	return nil
}

func (b *Base) neighbors(u int32) []int32 { return b.nbr[b.nbrStart[u]:b.nbrStart[u+1]] }

func (b *Base) unitArcs(u int32) []int32 { return b.arcIdx[b.arcStart[u]:b.arcStart[u+1]] }

// Plan returns the plan b was built from.
func (b *Base) Plan() *engine.Plan { return b.plan }

// Metrics lists every metric b computes, indexed by Metric: the built-in
// ones, then the Config's columns, then the numeric keys of Unit.Data
// (sorted; a key clashing with another name is prefixed "unit.").
func (b *Base) Metrics() []MetricInfo { return slices.Clone(b.metrics) }

// Metric returns the metric with the given name.
func (b *Base) Metric(name string) (Metric, bool) {
	m, ok := b.byName[name]
	return m, ok
}

// Name returns the name of metric m ("unknown" when out of range).
func (b *Base) Name(m Metric) string {
	if m < 0 || int(m) >= len(b.metrics) {
		return "unknown"
	}
	return b.metrics[m].Name
}

package metrics

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"territoria/engine"
)

// Row kinds besides the node kinds (region, district, territory).
const (
	KindUnassigned = "unassigned"
	KindPlan       = "plan"
)

// Row is the figures of one group: a node with its descendants, the
// unassigned remainder or the plan.
type Row struct {
	// Node is the index into State.Nodes, or NoIndex for the unassigned and
	// plan rows.
	Node int32
	ID   string
	Name string
	// Kind is the node's kind, KindUnassigned or KindPlan.
	Kind string
	// Depth is 0 for a top-level node (and the unassigned and plan rows).
	Depth int
	// Values holds every metric, indexed by Metric; NaN where undefined
	// (utilisation without capacity, compactness without perimeter).
	Values []float64
	// Deviation and Band hold, for territory rows, each balanced metric's
	// deviation from target and its band index (see Config.Bands), indexed
	// by Metric; NaN and −1 for other metrics and where undefined. Nil for
	// other rows.
	Deviation []float64
	Band      []int8
	// Composite is a territory's weighted mean deviation over the weighted
	// metrics (Config.Weights); NaN for other rows or without weights.
	Composite float64
}

// Step is what one Apply changed. Its slices belong to the Live and are
// valid until the next Apply.
type Step struct {
	// Rows are the groups whose figures changed (territories that gained
	// or lost something, those of their ancestors that did not hold both
	// sides of a move, the unassigned remainder when it changed), in node
	// order, then the plan row, always last.
	Rows []Row
	// Retargeted lists the balanced metrics whose targets moved (the
	// territories' total changed, as when units are assigned or unassigned;
	// for utilisation, the average utilisation): every territory's deviation
	// of these metrics changed, not only those of Rows. Read them with
	// Deviation or Report when they are shown.
	Retargeted []Metric
	// Rebanded lists the territories not in Rows whose deviation band
	// changed for some metric, so that a map coloured by band can repaint
	// just those.
	Rebanded []int32
	// Balance is the plan-wide balance after the step.
	Balance *Summary
}

type stepBuf struct {
	rows     []Row
	vals     []float64
	dev      []float64
	band     []int8
	rebanded []int32
}

// value is metric m of group g.
func (l *Live) value(g int32, m Metric) float64 {
	s := &l.grp
	K, U := l.b.accK, l.b.unitK
	ai, ui := int(g)*K, int(g)*U
	switch m {
	case Accounts:
		return float64(s.nAcc[g])
	case Units:
		return float64(s.nUnit[g])
	case Potential:
		return s.acc[ai+slotPotential]
	case Revenue:
		return s.acc[ai+slotRevenue]
	case LifetimeValue:
		return s.acc[ai+slotLifetimeValue]
	case Visits:
		return s.acc[ai+slotVisits]
	case WorkloadHours:
		return l.workload(g)
	case CapacityHours:
		return s.capacity[g]
	case Utilisation:
		if c := s.capacity[g]; c > 0 {
			return l.workload(g) / c
		}
		return math.NaN()
	case AreaKm2:
		return s.unit[ui+slotArea] + s.polyArea[g]
	case PerimeterKm:
		return float64(l.arcUM[g]+s.polyUM[g]) / umPerKm
	case Compactness:
		p := float64(l.arcUM[g]+s.polyUM[g]) / umPerKm
		if p > 0 {
			return 4 * math.Pi * (s.unit[ui+slotArea] + s.polyArea[g]) / (p * p)
		}
		return math.NaN()
	case Parts:
		return float64(l.parts[g] + s.polys[g])
	}
	if mb := l.b.model; mb != nil && m >= mb.metric {
		return l.modelValue(g, int(m-mb.metric))
	}
	x := int(m - NumBuiltin)
	if nc := len(l.b.cfg.Columns); x >= 0 && x < nc {
		return s.acc[ai+accBuiltin+x]
	} else if x >= nc && x-nc < U-unitBuiltin {
		return s.unit[ui+unitBuiltin+x-nc]
	}
	return math.NaN()
}

// groupOf maps a node index (NoIndex for the unassigned remainder) to its group.
func (l *Live) groupOf(node int32) (int32, bool) {
	if node == engine.NoIndex {
		return l.un, true
	}
	return node, node >= 0 && int(node) < l.n
}

// Value returns metric m of node (with its descendants); node NoIndex is
// the unassigned remainder. NaN when undefined or out of range.
func (l *Live) Value(node int32, m Metric) float64 {
	g, ok := l.groupOf(node)
	if !ok || m < 0 || int(m) >= len(l.b.metrics) {
		return math.NaN()
	}
	return l.value(g, m)
}

// PlanValue returns metric m of the whole plan.
func (l *Live) PlanValue(m Metric) float64 {
	if m < 0 || int(m) >= len(l.b.metrics) {
		return math.NaN()
	}
	return l.value(l.pl, m)
}

// Deviation returns territory node's deviation from target for metric m;
// NaN for other nodes, unbalanced metrics, or when undefined.
func (l *Live) Deviation(node int32, m Metric) float64 {
	if node < 0 || int(node) >= l.n || l.bal.pos[node] < 0 || m < 0 || int(m) >= len(l.bal.trkOf) || l.bal.trkOf[m] < 0 {
		return math.NaN()
	}
	return l.bal.trk[l.bal.trkOf[m]].dev[l.bal.pos[node]]
}

// Band returns territory node's deviation band for metric m (see
// Config.Bands), or −1 when it has none.
func (l *Live) Band(node int32, m Metric) int {
	if node < 0 || int(node) >= l.n || l.bal.pos[node] < 0 || m < 0 || int(m) >= len(l.bal.trkOf) || l.bal.trkOf[m] < 0 {
		return -1
	}
	return int(l.bal.trk[l.bal.trkOf[m]].band[l.bal.pos[node]])
}

// Balance returns a copy of the plan-wide balance.
func (l *Live) Balance() Summary { return l.bal.sum.clone() }

// Base returns the base the Live was built from.
func (l *Live) Base() *Base { return l.b }

// Metrics lists the metrics, indexed by Metric.
func (l *Live) Metrics() []MetricInfo { return l.b.Metrics() }

// row returns group g's row with its figures in vals and, for a territory,
// its deviations and bands in dev and band (each one per metric).
func (l *Live) row(g int32, vals, dev []float64, band []int8) Row {
	r := Row{Node: engine.NoIndex, Values: vals, Composite: math.NaN()}
	for m := range vals {
		vals[m] = l.value(g, Metric(m))
	}
	switch g {
	case l.un:
		r.Kind = KindUnassigned
	case l.pl:
		r.Kind = KindPlan
	default:
		r.Node, r.ID, r.Name, r.Kind = g, l.ids[g], l.names[g], string(l.kinds[g])
		r.Depth = len(l.chains[g]) - 1
		if p := l.bal.pos[g]; p >= 0 {
			for m, i := range l.bal.trkOf {
				dev[m], band[m] = math.NaN(), -1
				if i >= 0 {
					dev[m], band[m] = l.bal.trk[i].dev[p], l.bal.trk[i].band[p]
				}
			}
			r.Deviation, r.Band, r.Composite = dev, band, l.bal.comp[p]
		}
	}
	return r
}

func (l *Live) makeStep() Step {
	slices.Sort(l.touched)
	if !has(l.touched, l.pl) {
		l.touched = append(l.touched, l.pl)
	}
	M := len(l.b.metrics)
	sb := &l.step
	k := len(l.touched) * M
	sb.vals = slices.Grow(sb.vals[:0], k)[:k]
	sb.dev = slices.Grow(sb.dev[:0], k)[:k]
	sb.band = slices.Grow(sb.band[:0], k)[:k]
	sb.rows = sb.rows[:0]
	for i, g := range l.touched {
		a, z := i*M, (i+1)*M
		sb.rows = append(sb.rows, l.row(g, sb.vals[a:z:z], sb.dev[a:z:z], sb.band[a:z:z]))
	}
	sb.rebanded = sb.rebanded[:0]
	for _, t := range l.bal.rebanded {
		if l.touchMark[t] != l.epoch {
			sb.rebanded = append(sb.rebanded, t)
		}
	}
	slices.Sort(sb.rebanded)
	return Step{Rows: sb.rows, Retargeted: l.bal.retargeted, Rebanded: sb.rebanded, Balance: &l.bal.sum}
}

// Report is every figure of an alignment.
type Report struct {
	Metrics []MetricInfo
	// Rows lists every node depth-first, parents before children, siblings
	// ordered by name (then id), then the unassigned row, then the plan row.
	Rows    []Row
	Balance Summary
}

// Report returns every figure of the alignment; the report shares nothing
// with the Live.
func (l *Live) Report() Report {
	M := len(l.b.metrics)
	r := Report{Metrics: l.b.Metrics(), Balance: l.bal.sum.clone(), Rows: make([]Row, 0, l.n+2)}
	N := len(l.bal.terrs)
	vals := make([]float64, (l.n+2)*M)
	dev := make([]float64, N*M)
	band := make([]int8, N*M)
	k := 0
	add := func(g int32) {
		i := len(r.Rows)
		a, z := i*M, (i+1)*M
		var d []float64
		var bd []int8
		if g < int32(l.n) && l.bal.pos[g] >= 0 {
			d, bd = dev[k*M:(k+1)*M:(k+1)*M], band[k*M:(k+1)*M:(k+1)*M]
			k++
		}
		r.Rows = append(r.Rows, l.row(g, vals[a:z:z], d, bd))
	}
	byName := func(a, b int32) int {
		return cmp.Or(cmp.Compare(l.names[a], l.names[b]), cmp.Compare(l.ids[a], l.ids[b]), cmp.Compare(a, b))
	}
	var visit func(g int32)
	visit = func(g int32) {
		add(g)
		kids := slices.Clone(l.children[g])
		slices.SortFunc(kids, byName)
		for _, c := range kids {
			visit(c)
		}
	}
	var roots []int32
	for i := int32(0); i < int32(l.n); i++ {
		if l.parent[i] == engine.NoIndex {
			roots = append(roots, i)
		}
	}
	slices.SortFunc(roots, byName)
	for _, g := range roots {
		visit(g)
	}
	add(l.un)
	add(l.pl)
	return r
}

// MarshalJSON writes the report with named figures:
//
//	{"metrics": [...], "rows": [{"id", "name", "kind", "depth",
//	  "figures": {"accounts": 12, ..., "utilisation": null},
//	  "deviation": {...}, "band": {...}, "composite": ...}], "balance": {...}}
//
// Undefined values are null; deviation, band and composite appear on
// territory rows only, for the balanced metrics.
func (r Report) MarshalJSON() ([]byte, error) {
	ms, err := json.Marshal(r.Metrics)
	if err != nil {
		return nil, err
	}
	bal, err := json.Marshal(r.Balance)
	if err != nil {
		return nil, err
	}
	b := append([]byte(`{"metrics":`), ms...)
	b = append(b, `,"rows":[`...)
	for i, row := range r.Rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, row.ID)
		b = append(b, `,"name":`...)
		b = appendString(b, row.Name)
		b = append(b, `,"kind":`...)
		b = appendString(b, row.Kind)
		b = append(b, `,"depth":`...)
		b = strconv.AppendInt(b, int64(row.Depth), 10)
		b = append(b, `,"figures":{`...)
		for m, v := range row.Values {
			if m > 0 {
				b = append(b, ',')
			}
			b = appendString(b, r.Metrics[m].Name)
			b = append(b, ':')
			b = appendNumber(b, v)
		}
		b = append(b, '}')
		if row.Deviation != nil {
			b = append(b, `,"deviation":{`...)
			first := true
			for m, v := range row.Deviation {
				if !r.Metrics[m].Balanced {
					continue
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				b = appendString(b, r.Metrics[m].Name)
				b = append(b, ':')
				b = appendNumber(b, v)
			}
			b = append(b, `},"band":{`...)
			first = true
			for m, v := range row.Band {
				if !r.Metrics[m].Balanced {
					continue
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				b = appendString(b, r.Metrics[m].Name)
				b = append(b, ':')
				if v < 0 {
					b = append(b, "null"...)
				} else {
					b = strconv.AppendInt(b, int64(v), 10)
				}
			}
			b = append(b, `},"composite":`...)
			b = appendNumber(b, row.Composite)
		}
		b = append(b, '}')
	}
	b = append(b, `],"balance":`...)
	b = append(b, bal...)
	return append(b, '}'), nil
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}

func appendNumber(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

package metrics

import (
	"math"
	"slices"

	"territoria/engine"
)

// MetricBalance is the balance of one metric across the territories of an
// alignment.
//
// Each territory has a target: its share of the territories' total
// (Config.Targets), or the plan average total/N without one. For
// utilisation the target is the average utilisation of the territories that
// have capacity, and only those count. A territory's deviation is
// value/target − 1 and its ratio value/target.
type MetricBalance struct {
	Metric Metric `json:"-"`
	Name   string `json:"name"`
	// Balance holds N (territories counted), Mean (the plan average),
	// MaxAbsDeviation (the largest |deviation|), CV and Gini. CV is the root
	// mean square of the deviations, which is the coefficient of variation
	// when no targets are set. Gini is the Gini coefficient of the values
	// divided by their target shares, which is the Gini coefficient of the
	// values when no targets are set.
	Balance
	// Total is the territories' total (for utilisation, the sum of the
	// counted territories' utilisations).
	Total float64 `json:"total"`
	// MeanAbsDeviation is the mean of |deviation| over the territories.
	MeanAbsDeviation float64 `json:"meanAbsDeviation"`
	// Bands counts the territories per deviation band: within Config.Bands[0],
	// within Bands[1], ..., beyond the last.
	Bands []int `json:"bands"`
	// Score is 100 × max(0, 1 − MeanAbsDeviation): 100 when every territory
	// is on target.
	Score float64 `json:"score"`
	// Weight is the metric's weight in the composite index.
	Weight float64 `json:"weight"`
	// Defined is false when there is nothing to balance (no territory
	// counted, or a zero total); the ratios are then 0.
	Defined bool `json:"defined"`
}

// Summary is the balance of an alignment.
type Summary struct {
	// Metrics lists every balanced metric in Metric order.
	Metrics []MetricBalance `json:"metrics"`
	// Index is the composite balance index, 0 to 100: the weighted mean of
	// the Scores of the weighted metrics that are Defined. It is valid only
	// when HasIndex (some weighted metric is defined).
	Index    float64 `json:"index"`
	HasIndex bool    `json:"hasIndex"`
}

func (s Summary) clone() Summary {
	c := s
	c.Metrics = slices.Clone(s.Metrics)
	for i := range c.Metrics {
		c.Metrics[i].Bands = slices.Clone(c.Metrics[i].Bands)
	}
	return c
}

// tracker follows one balanced metric over the territories. All its
// slices are indexed by territory position.
type tracker struct {
	m    Metric
	util bool
	v    []float64 // value; NaN: not counted (utilisation without capacity)
	q    []float64 // v / share (utilisation: v); NaN: not counted
	dev  []float64 // q/ref − 1; NaN where undefined
	band []int8    // −1 where undefined
	// sorted holds the counted q ascending: its ends give the largest
	// deviation and it gives the Gini coefficient in one pass.
	sorted []float64
	// ref is the divisor of q in the deviations: the territories' total
	// (utilisation: the average), 0 when undefined.
	ref           float64
	total         float64 // Σ v over the counted territories
	sumAbs, sumSq float64 // Σ|dev|, Σdev² over the counted territories
	res           *MetricBalance
	dirty         bool
}

// balance holds the balance state of a Live.
type balance struct {
	terrs   []int32   // territory node indexes
	pos     []int32   // node → position in terrs, or −1
	shares  []float64 // per position: target share (1/N when none)
	trk     []tracker
	trkOf   []int     // metric → index in trk, or −1
	comp    []float64 // per position: composite deviation
	compW   []float64 // scratch: per position, the weights summed
	bands   []float64
	weights []float64
	sum     Summary
	touched []int // positions of the territories touched in the step

	retargeted []Metric
	rebanded   []int32  // territory nodes whose band changed in the step
	bandMark   []uint32 // per position: the step that last added it to rebanded
	step       uint32
}

func (b *balance) init(l *Live) {
	b.bands = l.b.cfg.Bands
	b.weights = l.b.weights
	b.pos = make([]int32, l.n)
	b.terrs = b.terrs[:0]
	for i := range b.pos {
		b.pos[i] = -1
		if l.kinds[i] == engine.KindTerritory {
			b.pos[i] = int32(len(b.terrs))
			b.terrs = append(b.terrs, int32(i))
		}
	}
	N := len(b.terrs)
	b.shares = make([]float64, N)
	for p, t := range b.terrs {
		b.shares[p] = 1 / float64(N)
		if s, ok := l.b.cfg.Targets[l.ids[t]]; ok {
			b.shares[p] = s
		}
	}
	b.comp = make([]float64, N)
	b.compW = make([]float64, N)
	b.bandMark = make([]uint32, N)
	b.sum.Metrics = make([]MetricBalance, len(l.b.balanced))
	b.trk = make([]tracker, len(l.b.balanced))
	b.trkOf = make([]int, len(l.b.metrics))
	for m := range b.trkOf {
		b.trkOf[m] = -1
	}
	for i, m := range l.b.balanced {
		b.trkOf[m] = i
		tr := &b.trk[i]
		tr.m, tr.util = m, m == Utilisation
		tr.v, tr.q, tr.dev, tr.band = make([]float64, N), make([]float64, N), make([]float64, N), make([]int8, N)
		tr.res = &b.sum.Metrics[i]
		tr.res.Metric, tr.res.Name, tr.res.Weight = m, l.b.metrics[m].Name, b.weights[m]
		tr.res.Bands = make([]int, len(b.bands)+1)
		tr.sorted = make([]float64, 0, N)
		for p, t := range b.terrs {
			tr.v[p] = l.value(t, m)
			tr.q[p] = b.norm(tr, p, tr.v[p])
			tr.band[p] = -1
			if !math.IsNaN(tr.q[p]) {
				tr.sorted = append(tr.sorted, tr.q[p])
			}
		}
		slices.Sort(tr.sorted)
		b.full(tr)
	}
	b.compositeAll()
}

func (b *balance) norm(tr *tracker, p int, v float64) float64 {
	if tr.util || math.IsNaN(v) {
		return v
	}
	return v / b.shares[p]
}

// refresh updates the balance after the touched groups of l changed. It
// lists the metrics whose targets moved (so that every territory's
// deviation changed) and the territories whose band changed.
func (b *balance) refresh(l *Live) {
	b.step = l.epoch
	b.retargeted = b.retargeted[:0]
	b.rebanded = b.rebanded[:0]
	b.touched = b.touched[:0]
	for _, g := range l.touched {
		if g < int32(l.n) && b.pos[g] >= 0 {
			b.touched = append(b.touched, int(b.pos[g]))
		}
	}
	if len(b.touched) == 0 {
		return
	}
	compAll, compSome := false, false
	for i := range b.trk {
		tr := &b.trk[i]
		tr.dirty = false
		for _, p := range b.touched {
			v := l.value(b.terrs[p], tr.m)
			if v == tr.v[p] || math.IsNaN(v) && math.IsNaN(tr.v[p]) {
				continue
			}
			q := b.norm(tr, p, v)
			if old := tr.q[p]; !math.IsNaN(old) {
				k, _ := slices.BinarySearch(tr.sorted, old)
				tr.sorted = slices.Delete(tr.sorted, k, k+1)
			}
			if !math.IsNaN(q) {
				k, _ := slices.BinarySearch(tr.sorted, q)
				tr.sorted = slices.Insert(tr.sorted, k, q)
			}
			tr.v[p], tr.q[p] = v, q
			tr.dirty = true
		}
		if !tr.dirty {
			continue
		}
		if ref, n, total := b.reference(tr); n != tr.res.N || !closeRel(ref, tr.ref) {
			b.full(tr)
			b.retargeted = append(b.retargeted, tr.m)
			compAll = compAll || b.weights[tr.m] > 0
		} else {
			tr.total = total
			b.partial(tr)
			compSome = compSome || b.weights[tr.m] > 0
		}
	}
	switch {
	case compAll:
		b.compositeAll()
	case compSome:
		for _, p := range b.touched {
			b.compositeAt(p)
		}
		b.index()
	}
}

func closeRel(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// reference returns the divisor of q for tr's current values, the number
// of territories counted and their total.
func (b *balance) reference(tr *tracker) (ref float64, n int, total float64) {
	for _, v := range tr.v {
		if v == v { // not NaN
			n++
			total += v
		}
	}
	switch {
	case n == 0 || total == 0 || math.IsInf(total, 0) || math.IsNaN(total):
		return 0, n, total
	case tr.util:
		return total / float64(n), n, total
	}
	return total, n, total
}

// bandOf is the deviation band of d.
func (b *balance) bandOf(d float64) int8 {
	a := math.Abs(d)
	for i, lim := range b.bands {
		if a <= lim+1e-12 {
			return int8(i)
		}
	}
	return int8(len(b.bands))
}

// setBand records territory p's band, listing it when it changed.
func (b *balance) setBand(tr *tracker, p int, bd int8) {
	if tr.band[p] == bd {
		return
	}
	tr.band[p] = bd
	if b.step != 0 && b.bandMark[p] != b.step {
		b.bandMark[p] = b.step
		b.rebanded = append(b.rebanded, b.terrs[p])
	}
}

// full recomputes tr's balance and every territory's deviation and band.
func (b *balance) full(tr *tracker) {
	ref, n, total := b.reference(tr)
	tr.ref, tr.total = ref, total
	r := tr.res
	clear(r.Bands)
	r.N = n
	tr.sumAbs, tr.sumSq = 0, 0
	for p, q := range tr.q {
		if q != q || ref == 0 {
			tr.dev[p] = math.NaN()
			b.setBand(tr, p, -1)
			continue
		}
		d := q/ref - 1
		tr.dev[p] = d
		bd := b.bandOf(d)
		b.setBand(tr, p, bd)
		r.Bands[bd]++
		tr.sumAbs += math.Abs(d)
		tr.sumSq += d * d
	}
	b.summarise(tr)
}

// partial updates the touched territories' deviations and bands when the
// reference did not move.
func (b *balance) partial(tr *tracker) {
	r := tr.res
	for _, p := range b.touched {
		if old := tr.dev[p]; old == old {
			tr.sumAbs -= math.Abs(old)
			tr.sumSq -= old * old
			r.Bands[tr.band[p]]--
		}
		q := tr.q[p]
		if q != q || tr.ref == 0 {
			tr.dev[p] = math.NaN()
			b.setBand(tr, p, -1)
			continue
		}
		d := q/tr.ref - 1
		tr.dev[p] = d
		bd := b.bandOf(d)
		b.setBand(tr, p, bd)
		r.Bands[bd]++
		tr.sumAbs += math.Abs(d)
		tr.sumSq += d * d
	}
	b.summarise(tr)
}

// summarise sets tr's figures from its sums and sorted values.
func (b *balance) summarise(tr *tracker) {
	r := tr.res
	n := r.N
	r.Defined = tr.ref != 0
	r.Total, r.Mean, r.CV, r.MaxAbsDeviation, r.Gini, r.MeanAbsDeviation, r.Score = tr.total, 0, 0, 0, 0, 0, 0
	if n > 0 {
		r.Mean = r.Total / float64(n)
	}
	if !r.Defined {
		return
	}
	r.MeanAbsDeviation = math.Max(0, tr.sumAbs) / float64(n)
	r.CV = math.Sqrt(math.Max(0, tr.sumSq) / float64(n))
	// Deviations grow with q: the largest |deviation| is at an end.
	lo, hi := tr.sorted[0]/tr.ref-1, tr.sorted[len(tr.sorted)-1]/tr.ref-1
	r.MaxAbsDeviation = math.Max(math.Abs(lo), math.Abs(hi))
	r.Score = 100 * math.Max(0, 1-r.MeanAbsDeviation)
	r.Gini = gini(tr.sorted)
}

// gini is the Gini coefficient of ascending values:
// Σ (2i − n − 1)·x_i / (n·Σ x), i from 1; 0 when the sum is 0.
func gini(sorted []float64) float64 {
	n := float64(len(sorted))
	var s, w float64
	for i, x := range sorted {
		s += x
		w += (2*float64(i+1) - n - 1) * x
	}
	if s == 0 {
		return 0
	}
	return w / (n * s)
}

// compositeAt recomputes territory p's composite deviation: the weighted
// mean of its defined deviations over the weighted metrics.
func (b *balance) compositeAt(p int) {
	var sw, sd float64
	for i := range b.trk {
		tr := &b.trk[i]
		if w := b.weights[tr.m]; w > 0 && tr.dev[p] == tr.dev[p] {
			sw += w
			sd += w * tr.dev[p]
		}
	}
	b.comp[p] = math.NaN()
	if sw > 0 {
		b.comp[p] = sd / sw
	}
}

// compositeAll recomputes every territory's composite deviation and the index.
func (b *balance) compositeAll() {
	clear(b.comp)
	clear(b.compW)
	for i := range b.trk {
		tr := &b.trk[i]
		w := b.weights[tr.m]
		if w <= 0 {
			continue
		}
		for p, d := range tr.dev {
			if d == d {
				b.comp[p] += w * d
				b.compW[p] += w
			}
		}
	}
	for p := range b.comp {
		if b.compW[p] > 0 {
			b.comp[p] /= b.compW[p]
		} else {
			b.comp[p] = math.NaN()
		}
	}
	b.index()
}

// index recomputes the composite balance index from the metrics' scores.
func (b *balance) index() {
	var sw, ss float64
	for i := range b.sum.Metrics {
		r := &b.sum.Metrics[i]
		if r.Weight > 0 && r.Defined {
			sw += r.Weight
			ss += r.Weight * r.Score
		}
	}
	b.sum.HasIndex = sw > 0
	b.sum.Index = 0
	if sw > 0 {
		b.sum.Index = ss / sw
	}
}

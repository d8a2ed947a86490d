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

// tracker follows one balanced metric over the territories.
type tracker struct {
	m    Metric
	util bool
	v    []float64 // per territory position; NaN: not counted
	q    []float64 // v / share (utilisation: v); NaN: not counted
	// sorted holds the counted q ascending, for the Gini coefficient.
	sorted []float64
	res    *MetricBalance
}

// balance holds the balance state of a Live.
type balance struct {
	terrs   []int32   // territory node indexes
	pos     []int32   // node → position in terrs, or −1
	shares  []float64 // per position: target share (1/N when none)
	trk     []tracker
	m       int       // metrics
	dev     []float64 // position × metric; NaN where undefined
	band    []int8    // position × metric; −1 where undefined
	comp    []float64 // per position: composite deviation
	bands   []float64
	weights []float64
	sum     Summary
	dirty   []bool

	retargeted []Metric
	rebanded   []int32  // territory nodes whose band changed in the step
	bandMark   []uint32 // per position: the step that last added it to rebanded
}

func (b *balance) init(l *Live) {
	b.m = len(l.b.metrics)
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
	b.dev = make([]float64, N*b.m)
	for i := range b.dev {
		b.dev[i] = math.NaN()
	}
	b.band = make([]int8, N*b.m)
	for i := range b.band {
		b.band[i] = -1
	}
	b.comp = make([]float64, N)
	b.bandMark = make([]uint32, N)
	b.sum.Metrics = make([]MetricBalance, len(l.b.balanced))
	b.trk = make([]tracker, len(l.b.balanced))
	b.dirty = make([]bool, len(b.trk))
	for i, m := range l.b.balanced {
		tr := &b.trk[i]
		tr.m, tr.util = m, m == Utilisation
		tr.v, tr.q = make([]float64, N), make([]float64, N)
		tr.res = &b.sum.Metrics[i]
		tr.res.Metric, tr.res.Name, tr.res.Weight = m, l.b.metrics[m].Name, b.weights[m]
		tr.res.Bands = make([]int, len(b.bands)+1)
		tr.sorted = make([]float64, 0, N)
		for p, t := range b.terrs {
			tr.v[p] = l.value(t, m)
			tr.q[p] = b.norm(tr, p, tr.v[p])
			if !math.IsNaN(tr.q[p]) {
				tr.sorted = append(tr.sorted, tr.q[p])
			}
		}
		slices.Sort(tr.sorted)
		b.stats(tr, 0)
	}
	b.composite()
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
	b.retargeted = b.retargeted[:0]
	b.rebanded = b.rebanded[:0]
	weighted := false
	for i := range b.trk {
		tr := &b.trk[i]
		b.dirty[i] = false
		for _, g := range l.touched {
			if g >= int32(l.n) || b.pos[g] < 0 {
				continue
			}
			p := int(b.pos[g])
			v := l.value(g, tr.m)
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
			b.dirty[i] = true
		}
	}
	for i := range b.trk {
		if !b.dirty[i] {
			continue
		}
		tr := &b.trk[i]
		total, n := tr.res.Total, tr.res.N
		b.stats(tr, l.epoch)
		if !closeRel(total, tr.res.Total) || n != tr.res.N {
			b.retargeted = append(b.retargeted, tr.m)
		}
		if b.weights[tr.m] > 0 {
			weighted = true
		}
	}
	if weighted {
		b.composite()
	}
}

func closeRel(a, b float64) bool {
	return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
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

// stats recomputes tr's balance and every territory's deviation and band;
// with step ≠ 0, territories whose band changes are listed in rebanded.
func (b *balance) stats(tr *tracker, step uint32) {
	r := tr.res
	clear(r.Bands)
	var n int
	var total float64
	for _, v := range tr.v {
		if !math.IsNaN(v) {
			n++
			total += v
		}
	}
	r.N, r.Total = n, total
	r.Mean, r.CV, r.MaxAbsDeviation, r.Gini, r.MeanAbsDeviation, r.Score = 0, 0, 0, 0, 0, 0
	if n > 0 {
		r.Mean = total / float64(n)
	}
	r.Defined = n > 0 && total != 0 && !math.IsInf(total, 0) && !math.IsNaN(total)
	m := int(tr.m)
	setBand := func(p int, bd int8) {
		if old := b.band[p*b.m+m]; old != bd {
			b.band[p*b.m+m] = bd
			if step != 0 && b.bandMark[p] != step {
				b.bandMark[p] = step
				b.rebanded = append(b.rebanded, b.terrs[p])
			}
		}
	}
	if !r.Defined {
		for p := range tr.v {
			b.dev[p*b.m+m] = math.NaN()
			setBand(p, -1)
		}
		return
	}
	var sumAbs, sumSq float64
	for p, v := range tr.v {
		if math.IsNaN(v) {
			b.dev[p*b.m+m] = math.NaN()
			setBand(p, -1)
			continue
		}
		target := r.Mean
		if !tr.util {
			target = b.shares[p] * total
		}
		d := v/target - 1
		b.dev[p*b.m+m] = d
		bd := b.bandOf(d)
		setBand(p, bd)
		r.Bands[bd]++
		a := math.Abs(d)
		sumAbs += a
		sumSq += d * d
		r.MaxAbsDeviation = math.Max(r.MaxAbsDeviation, a)
	}
	r.MeanAbsDeviation = sumAbs / float64(n)
	r.CV = math.Sqrt(sumSq / float64(n))
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

// composite recomputes every territory's composite deviation and the index.
func (b *balance) composite() {
	for p := range b.terrs {
		var sw, sd float64
		for i := range b.trk {
			m := int(b.trk[i].m)
			w := b.weights[m]
			if d := b.dev[p*b.m+m]; w > 0 && !math.IsNaN(d) {
				sw += w
				sd += w * d
			}
		}
		b.comp[p] = math.NaN()
		if sw > 0 {
			b.comp[p] = sd / sw
		}
	}
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

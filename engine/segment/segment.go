// Package segment sorts accounts into customer segments: ABC classes by a
// Pareto rule on potential and/or revenue (or the imported tiers), and the
// golden, sleeping and white-space flags.
//
// Defaults and their reasons are in docs/model.md ("Customer segments").
package segment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"territoria/engine"
)

// Basis is what the ABC classes rank accounts by.
type Basis string

// The bases of the ABC classes.
const (
	// ByPotential ranks by Account.Potential.
	ByPotential Basis = "potential"
	// ByRevenue ranks by the revenue of the last 12 months.
	ByRevenue Basis = "revenue"
	// ByBlend ranks by a weighted mix of each account's share of the
	// plan's potential and of its revenue.
	ByBlend Basis = "blend"
	// ByTier keeps the imported Account.Tier as the class.
	ByTier Basis = "tier"
)

// Flags mark accounts that deserve a call plan of their own.
type Flags uint8

// The flags.
const (
	// Golden: top class (A) and revenue in the recent months.
	Golden Flags = 1 << iota
	// Sleeping: revenue before the recent months, none in them.
	Sleeping
	// WhiteSpace: potential class A or B and revenue of the last 12 months
	// below a share of the potential.
	WhiteSpace
)

// Has reports whether f holds every flag of g.
func (f Flags) Has(g Flags) bool { return f&g == g && g != 0 }

// FlagNames are the names of the flags in settings, JSON and metric names,
// in bit order.
var FlagNames = [...]string{"golden", "sleeping", "whiteSpace"}

// Config sets the segmentation. DefaultConfig gives the documented defaults.
type Config struct {
	Basis Basis
	// BlendPotential is the weight of potential in the ByBlend basis (0..1).
	BlendPotential float64
	// CutA and CutB are the cumulative shares of the basis that classes A
	// and B reach: sorted by value, largest first, an account is in A when
	// the running total before it is below CutA × total, in B below CutB ×
	// total, else in C.
	CutA, CutB float64
	// RecentMonths is the window of recent revenue, in history months.
	RecentMonths int
	// WhiteSpaceShare is the revenue share of potential below which an
	// account of potential class A or B is white space.
	WhiteSpaceShare float64
}

// Defaults; docs/model.md gives the reasons.
const (
	DefaultCutA            = 0.80
	DefaultCutB            = 0.95
	DefaultRecentMonths    = 6
	DefaultWhiteSpaceShare = 0.10
	DefaultBlendPotential  = 0.5
)

// MaxTiers is the number of distinct imported tiers kept as classes; the
// others are counted together as "other".
const MaxTiers = 64

// DefaultConfig returns the documented defaults: Pareto ABC on potential
// with A up to 80 % and B up to 95 % of the cumulative potential, a recent
// window of 6 months and white space below 10 % of potential.
func DefaultConfig() Config {
	return Config{Basis: ByPotential, BlendPotential: DefaultBlendPotential, CutA: DefaultCutA, CutB: DefaultCutB,
		RecentMonths: DefaultRecentMonths, WhiteSpaceShare: DefaultWhiteSpaceShare}
}

// ConfigFor returns DefaultConfig with the fields set in s applied.
func ConfigFor(s *engine.SegmentSettings) Config {
	c := DefaultConfig()
	if s == nil {
		return c
	}
	if s.Basis != "" {
		c.Basis = Basis(s.Basis)
	}
	if s.BlendPotential != nil {
		c.BlendPotential = *s.BlendPotential
	}
	if s.CutA != 0 {
		c.CutA = s.CutA
	}
	if s.CutB != 0 {
		c.CutB = s.CutB
	}
	if s.RecentMonths != 0 {
		c.RecentMonths = s.RecentMonths
	}
	if s.WhiteSpaceShare != nil {
		c.WhiteSpaceShare = *s.WhiteSpaceShare
	}
	return c
}

// Check validates c and names what is wrong.
func (c Config) Check() error {
	switch c.Basis {
	case ByPotential, ByRevenue, ByBlend, ByTier:
	default:
		return fmt.Errorf("segments: basis %q, want potential, revenue, blend or tier", c.Basis)
	}
	if !(c.BlendPotential >= 0 && c.BlendPotential <= 1) {
		return fmt.Errorf("segments: blend weight of potential is %v, want 0 to 1", c.BlendPotential)
	}
	if !(c.CutA > 0 && c.CutA < c.CutB && c.CutB <= 1) {
		return fmt.Errorf("segments: cut-offs A %v and B %v, want 0 < A < B ≤ 1", c.CutA, c.CutB)
	}
	if c.RecentMonths < 1 || c.RecentMonths > 120 {
		return fmt.Errorf("segments: recent months %d, want 1 to 120", c.RecentMonths)
	}
	if !(c.WhiteSpaceShare >= 0 && c.WhiteSpaceShare <= 1) {
		return fmt.Errorf("segments: white-space revenue share %v, want 0 to 1", c.WhiteSpaceShare)
	}
	return nil
}

// Result is the segmentation of a plan's accounts.
type Result struct {
	// Classes are the class names: "A", "B", "C" for a Pareto basis; the
	// distinct imported tiers (trimmed, sorted; "" for none; "(other)" for
	// the rarest past MaxTiers) for ByTier.
	Classes []string
	// Class holds each account's index into Classes, in Plan.Accounts order.
	Class []uint16
	// Flags holds each account's flags.
	Flags []Flags
	// Top is the index of the top class ("A"), or −1 when there is none.
	Top int
}

// ClassName returns the class of account i ("" when out of range).
func (r *Result) ClassName(i int) string {
	if i < 0 || i >= len(r.Class) {
		return ""
	}
	return r.Classes[r.Class[i]]
}

// Classify segments the accounts of p under c.
func Classify(p *engine.Plan, c Config) (*Result, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	n := len(p.Accounts)
	r := &Result{Class: make([]uint16, n), Flags: make([]Flags, n), Top: 0}
	pot := make([]float64, n)
	rev := make([]float64, n)
	var sumP, sumR float64
	for i := range p.Accounts {
		pot[i] = max(0, finite(p.Accounts[i].Potential))
		rev[i] = max(0, finite(p.Accounts[i].Revenue12()))
		sumP += pot[i]
		sumR += rev[i]
	}
	potClass := pareto(pot, c.CutA, c.CutB)
	switch c.Basis {
	case ByPotential:
		r.Classes = []string{"A", "B", "C"}
		copy(r.Class, potClass)
	case ByRevenue:
		r.Classes = []string{"A", "B", "C"}
		copy(r.Class, pareto(rev, c.CutA, c.CutB))
	case ByBlend:
		r.Classes = []string{"A", "B", "C"}
		v := make([]float64, n)
		for i := range v {
			if sumP > 0 {
				v[i] += c.BlendPotential * pot[i] / sumP
			}
			if sumR > 0 {
				v[i] += (1 - c.BlendPotential) * rev[i] / sumR
			}
		}
		copy(r.Class, pareto(v, c.CutA, c.CutB))
	case ByTier:
		r.Top = tiers(p, r)
	}
	months := p.HistoryMonths
	for i := range p.Accounts {
		a := &p.Accounts[i]
		m := months
		if m <= 0 {
			m = len(a.History)
		}
		var recent, before float64
		for k, v := range a.History {
			if k >= m {
				break
			}
			if v := finite(float64(v)); v > 0 {
				if k >= m-c.RecentMonths {
					recent += v
				} else {
					before += v
				}
			}
		}
		var f Flags
		if r.Top >= 0 && int(r.Class[i]) == r.Top && recent > 0 {
			f |= Golden
		}
		if recent == 0 && before > 0 {
			f |= Sleeping
		}
		if potClass[i] <= 1 && pot[i] > 0 && rev[i] < c.WhiteSpaceShare*pot[i] {
			f |= WhiteSpace
		}
		r.Flags[i] = f
	}
	return r, nil
}

func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// pareto returns class 0 (A), 1 (B) or 2 (C) for each value: sorted
// largest first (ties by index), an account is A while the running total
// before it is below cutA × total, B below cutB × total. Values ≤ 0 are C.
func pareto(v []float64, cutA, cutB float64) []uint16 {
	type iv struct {
		v float64
		i int32
	}
	order := make([]iv, 0, len(v))
	var total float64
	for i, x := range v {
		if x > 0 {
			order = append(order, iv{x, int32(i)})
			total += x
		}
	}
	slices.SortFunc(order, func(a, b iv) int {
		switch {
		case a.v > b.v:
			return -1
		case a.v < b.v:
			return 1
		}
		return int(a.i - b.i)
	})
	out := make([]uint16, len(v))
	for i := range out {
		out[i] = 2
	}
	var run float64
	for _, o := range order {
		switch {
		case run < cutA*total:
			out[o.i] = 0
		case run < cutB*total:
			out[o.i] = 1
		}
		run += o.v
	}
	return out
}

// tiers sets the classes from the imported tiers and returns the index of
// the tier named A (ignoring case and spaces), or −1.
func tiers(p *engine.Plan, r *Result) int {
	count := map[string]int{}
	for i := range p.Accounts {
		count[strings.TrimSpace(p.Accounts[i].Tier)]++
	}
	names := make([]string, 0, len(count))
	for t := range count {
		names = append(names, t)
	}
	// The most common tiers are kept when there are too many.
	slices.SortFunc(names, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	other := false
	if len(names) > MaxTiers {
		names, other = names[:MaxTiers], true
	}
	slices.SortFunc(names, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	idx := make(map[string]uint16, len(names))
	for i, t := range names {
		idx[t] = uint16(i)
	}
	r.Classes = names
	if other {
		name := "(other)"
		for slices.Contains(names, name) {
			name = "(" + name + ")"
		}
		r.Classes = append(r.Classes, name)
	}
	for i := range p.Accounts {
		k, ok := idx[strings.TrimSpace(p.Accounts[i].Tier)]
		if !ok {
			k = uint16(len(names))
		}
		r.Class[i] = k
	}
	for i, t := range names {
		if strings.EqualFold(t, "A") {
			return i
		}
	}
	return -1
}

// Summary counts accounts per class and flag, with their potential and revenue.
type Summary struct {
	Classes []Group `json:"classes"`
	Flags   []Group `json:"flags"`
}

// Group is the accounts of one class or flag.
type Group struct {
	Name      string  `json:"name"`
	Accounts  int     `json:"accounts"`
	Potential float64 `json:"potential"`
	Revenue   float64 `json:"revenue"`
}

// Summarize counts the accounts of p per class and flag of r.
func (r *Result) Summarize(p *engine.Plan) Summary {
	s := Summary{Classes: make([]Group, len(r.Classes)), Flags: make([]Group, len(FlagNames))}
	for i, c := range r.Classes {
		s.Classes[i].Name = c
	}
	for i, f := range FlagNames {
		s.Flags[i].Name = f
	}
	for i := range p.Accounts {
		a := &p.Accounts[i]
		pot, rev := finite(a.Potential), finite(a.Revenue12())
		g := &s.Classes[r.Class[i]]
		g.Accounts++
		g.Potential += pot
		g.Revenue += rev
		for b := range FlagNames {
			if r.Flags[i]&(1<<b) != 0 {
				g := &s.Flags[b]
				g.Accounts++
				g.Potential += pot
				g.Revenue += rev
			}
		}
	}
	return s
}

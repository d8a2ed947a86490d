package optimize

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine/metrics"
)

// Mode says whether territories are drawn afresh or the given ones adjusted.
type Mode int

// The two modes of Run.
const (
	// Build draws K territories from scratch: every unit that is not locked
	// is reassigned. Territories of the starting scenario are reused (ids,
	// names, reps, hierarchy) as far as K allows.
	Build Mode = iota
	// Rebalance moves units (or accounts) between the territories of the
	// starting scenario, keeping what works.
	Rebalance
)

// String returns "build" or "rebalance".
func (m Mode) String() string {
	if m == Rebalance {
		return "rebalance"
	}
	return "build"
}

// Level says what the optimizer moves.
type Level int

// The levels of Run.
const (
	// LevelAuto moves units when the plan has units, otherwise accounts.
	LevelAuto Level = iota
	// LevelUnits moves building blocks (counties, ZIP codes); an account
	// follows its unit unless it is overridden, drawn or locked.
	LevelUnits
	// LevelAccounts moves accounts one by one (account overrides), for plans
	// without units or alignments that ignore them.
	LevelAccounts
)

// String returns "auto", "units" or "accounts".
func (l Level) String() string {
	switch l {
	case LevelUnits:
		return "units"
	case LevelAccounts:
		return "accounts"
	}
	return "auto"
}

// Anchor fixes where a territory is centred: usually its rep's home.
type Anchor struct {
	// Territory is the id of the territory anchored. In Build mode an empty
	// id anchors the i-th territory built (Anchors[i]).
	Territory string
	// RepID, when set, becomes the rep of the territory in the result.
	RepID string
	// Home is the anchor point (longitude, latitude).
	Home orb.Point
}

// Limit caps a summed figure of a territory, such as workload hours at the
// rep's capacity. Limits are kept as hard as the geography allows: the
// search pays a steep price for every excess, and the report lists those
// it could not remove.
type Limit struct {
	// Metric is a metric name (see metrics.Base.Metrics, or an alias of
	// MetricName).
	Metric string
	// Territory is the id of the territory limited; "" limits every territory.
	Territory string
	// Max is the largest value allowed.
	Max float64
}

// Options say what to optimize and under which constraints. The zero value
// is a valid request for Build with LevelAuto: K must be set (or Anchors
// given).
type Options struct {
	Mode  Mode
	Level Level
	// K is the number of territories to build (Build mode). Zero takes the
	// number of Anchors.
	K int
	// Anchors centre territories at given points (reps' homes). In Build
	// mode they seed the territories; with HomeDistanceWeight they also
	// keep each territory's units near its anchor.
	Anchors []Anchor
	// Balance maps metric names to weights in the balance objective, for
	// instance workloadHours 60, potential 30, revenue 10 (the default when
	// nil), or population 100 for a unit data value. Aliases: workload,
	// ltv, area.
	Balance map[string]float64
	// Tolerance is the accepted deviation from target as a fraction
	// (0.05 = ±5 %); the search first brings every territory within it,
	// then trades shape against balance. Zero asks for the closest balance
	// the units allow.
	Tolerance float64
	// Targets maps territory ids to target shares of the total (as in
	// metrics.Config.Targets); territories without one aim at the average.
	Targets map[string]float64
	// Contiguous requires every territory to be one connected group of
	// units, except where the geography forces an island (a unit or a
	// group of units with no land neighbour joins the territory nearest).
	Contiguous bool
	// Compactness, 0 to 100, trades shape (few and short borders between
	// territories) against balance within the tolerance: 0 balances as
	// closely as possible whatever the shape, 100 keeps the shortest
	// borders that stay within the tolerance.
	Compactness float64
	// HomeDistanceWeight, 0 to 100, keeps units near their territory's anchor.
	HomeDistanceWeight float64
	// MaxMovedRevenueShare caps the share (0..1) of the plan's revenue whose
	// territory changes, and MaxMovedAccountsShare the share of accounts;
	// the ...Territory caps apply to what each territory of the starting
	// scenario gives away. Zero means no cap. Caps apply when a starting
	// scenario is given.
	MaxMovedRevenueShare           float64
	MaxMovedAccountsShare          float64
	MaxMovedRevenueShareTerritory  float64
	MaxMovedAccountsShareTerritory float64
	// Limits cap territory figures (capacity).
	Limits []Limit
	// RepCapacity limits each territory's workload hours to its rep's
	// capacity hours per year (Rep.CapacityHours × weeks per year).
	RepCapacity bool
	// Focus restricts a rebalance to these territories and the territories
	// bordering them (a local rebalance after a manual edit); nothing else
	// changes. Empty: every territory takes part.
	Focus []string
	// Seed makes the search reproducible: the same plan, scenario, options
	// and seed give the same result.
	Seed uint64
	// Effort scales the length of the search (1 when zero): 0.2 is quick,
	// 5 is thorough.
	Effort float64
	// Metrics holds the assumptions behind the figures (call plans, weeks
	// per year); nil takes metrics.DefaultConfig. Its Weights and Targets
	// are ignored: Balance and Targets rule.
	Metrics *metrics.Config
	// Base, when not nil, is a prepared metrics.Base for the plan, saving
	// its construction on repeated runs. It must be built over the same plan.
	Base *metrics.Base
	// ID and Name are given to the resulting scenario.
	ID, Name string
	// MaxReasons caps the number of moves listed with a reason in the
	// report (largest revenue first); 0 takes 5,000.
	MaxReasons int
}

// DefaultBalance returns the default balance weights: workload hours 60,
// potential 30, revenue 10.
func DefaultBalance() map[string]float64 {
	return map[string]float64{"workloadHours": 60, "potential": 30, "revenue": 10}
}

// metricAliases are short names accepted for metrics.
var metricAliases = map[string]string{
	"workload": "workloadHours",
	"ltv":      "lifetimeValue",
	"area":     "areaKm2",
}

// MetricName returns the metric name an alias stands for (workload →
// workloadHours, ltv → lifetimeValue, area → areaKm2), or name itself.
func MetricName(name string) string {
	if n, ok := metricAliases[name]; ok {
		return n
	}
	return name
}

// ParseBalance reads weights written as "workload=60,potential=30,revenue=10".
func ParseBalance(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("optimize: balance %q: want metric=weight, e.g. workload=60", part)
		}
		var w float64
		if _, err := fmt.Sscan(strings.TrimSpace(val), &w); err != nil || w < 0 || math.IsInf(w, 0) || math.IsNaN(w) {
			return nil, fmt.Errorf("optimize: balance %q: weight %q is not a number ≥ 0", part, val)
		}
		out[MetricName(strings.TrimSpace(name))] += w
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("optimize: balance %q names no metric", s)
	}
	return out, nil
}

// check validates what can be checked without the plan.
func (o *Options) check() error {
	if o.Mode != Build && o.Mode != Rebalance {
		return fmt.Errorf("optimize: unknown mode %d", o.Mode)
	}
	if o.Level < LevelAuto || o.Level > LevelAccounts {
		return fmt.Errorf("optimize: unknown level %d", o.Level)
	}
	if o.Mode == Build && o.K <= 0 && len(o.Anchors) == 0 {
		return fmt.Errorf("optimize: building territories needs their number (K ≥ 1) or anchors")
	}
	if o.K < 0 {
		return fmt.Errorf("optimize: K is %d, want ≥ 1", o.K)
	}
	if o.Mode == Build && o.K > 0 && len(o.Anchors) > o.K {
		return fmt.Errorf("optimize: %d anchors for %d territories; give at most one anchor per territory", len(o.Anchors), o.K)
	}
	for _, f := range []struct {
		name   string
		v, max float64
	}{
		{"tolerance", o.Tolerance, 10},
		{"compactness", o.Compactness, 100},
		{"home distance weight", o.HomeDistanceWeight, 100},
		{"max moved revenue share", o.MaxMovedRevenueShare, 1},
		{"max moved accounts share", o.MaxMovedAccountsShare, 1},
		{"max moved revenue share per territory", o.MaxMovedRevenueShareTerritory, 1},
		{"max moved accounts share per territory", o.MaxMovedAccountsShareTerritory, 1},
		{"effort", o.Effort, 1000},
	} {
		if !(f.v >= 0 && f.v <= f.max) {
			return fmt.Errorf("optimize: %s is %v, want 0 to %v", f.name, f.v, f.max)
		}
	}
	for i, a := range o.Anchors {
		if !finitePoint(a.Home) {
			return fmt.Errorf("optimize: anchor %d (%q) has no valid home point: %v", i+1, a.Territory, a.Home)
		}
	}
	for _, name := range sortedKeys(o.Balance) {
		if w := o.Balance[name]; !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("optimize: balance weight of %q is %v, want a finite number ≥ 0", name, w)
		}
	}
	for _, id := range sortedKeys(o.Targets) {
		if s := o.Targets[id]; !(s > 0) || math.IsInf(s, 0) {
			return fmt.Errorf("optimize: target share of territory %q is %v, want a finite share > 0", id, s)
		}
	}
	for i, l := range o.Limits {
		if !(l.Max >= 0) || math.IsInf(l.Max, 0) {
			return fmt.Errorf("optimize: limit %d on %q is %v, want a finite number ≥ 0", i+1, l.Metric, l.Max)
		}
	}
	return nil
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0) &&
		p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Package export writes a scenario of a plan to the files people share:
// an Excel workbook (figures per level, assignments, a change report, native
// charts), GIS layers (GeoJSON, KML, zipped Shapefile), the alignment as CSV
// tables, map pictures (PNG, SVG) and a one-page PDF brief.
//
// Every figure comes from the caller (the same rows the app shows); this
// package only lays them out. Writers stream: a workbook of a million
// accounts is written row by row with bounded memory.
package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/segment"
)

// Metric describes one figure of the rows: Name is the key in Row.Values.
type Metric struct {
	Name string
	// Unit is "count", "currency", "visits", "hours", "fraction", "km2",
	// "km", "ratio", or "" for an imported unit value.
	Unit string
	// Summed is true when a parent's value is the sum of its children's.
	Summed bool
	// Balanced is true when the metric's balance across territories is measured.
	Balanced bool
}

// Row is one node's figures as the side panel shows them: a territory,
// district or region, what no territory holds (Kind "unassigned") or the
// plan (Kind "plan").
type Row struct {
	ID, Name, Kind, Parent string
	RepID, Rep, Color      string
	Depth                  int
	// Values holds every figure by metric name; an undefined figure is absent.
	Values map[string]float64
	// Deviation holds a territory's relative deviation from target per metric.
	Deviation map[string]float64
	// Baseline holds the node's figures in the baseline (nil when absent there).
	Baseline map[string]float64
}

// MetricBalance is the spread of one metric across territories.
type MetricBalance struct {
	Mean, CV, Gini, MaxAbsDeviation, Weight float64
}

// Balance is the plan-wide balance: the composite index (0–100, 100 =
// perfectly balanced) and each metric's spread.
type Balance struct {
	Index   float64
	Metrics map[string]MetricBalance
}

// Side is one scenario as exported: its alignment and its figures.
type Side struct {
	Scenario *engine.Scenario
	State    *assign.State
	Rows     []Row
	Balance  Balance
}

// Data is everything an export writes.
type Data struct {
	Plan *engine.Plan
	// Current is the scenario exported.
	Current Side
	// Baseline is what the change report compares with; nil for none.
	Baseline *Side
	// BaselineName names the baseline for people ("Scenario 2", "as it was
	// before its first edit").
	BaselineName string
	// Metrics are the figures of the rows, in display order.
	Metrics []Metric
	// Lang is "en" or "zh-CN": headings, sheet names and labels.
	Lang string
	// Now is the time printed on the export.
	Now time.Time
	// RiskShare is the share of an account's annual revenue at risk when it
	// changes rep (the plan's disruption share); nil means DefaultRiskShare.
	RiskShare *float64
	// Segments are the accounts' customer segments under the plan's
	// settings (class and golden, sleeping, white-space flags); nil leaves
	// them out, and the tier mix counts the imported tiers.
	Segments *segment.Result
}

// segmentsOK reports whether d carries segments of its plan's accounts.
func (d *Data) segmentsOK() bool {
	s := d.Segments
	return s != nil && len(s.Class) == len(d.Plan.Accounts) && len(s.Flags) == len(d.Plan.Accounts)
}

// DefaultRiskShare is the revenue at risk when an account changes rep: 15 %
// of its annual revenue. A field study of a Fortune-500 B2B sales force
// (Shi, Sridhar, Grewal & Lilien 2017) measured a loss of 13.2–17.6 % of a
// customer's annual sales after a rep change.
const DefaultRiskShare = 0.15

func (d *Data) riskShare() float64 {
	if r := d.RiskShare; r != nil && *r >= 0 && *r <= 1 {
		return *r
	}
	return DefaultRiskShare
}

func (d *Data) check() error {
	if d == nil || d.Plan == nil {
		return errors.New("export: no plan")
	}
	if d.Current.Scenario == nil || d.Current.State == nil {
		return errors.New("export: no scenario")
	}
	if len(d.Current.State.AccountTerr) != len(d.Plan.Accounts) || len(d.Current.State.UnitTerr) != len(d.Plan.Units) {
		return errors.New("export: the alignment does not match the plan")
	}
	if b := d.Baseline; b != nil && (b.State == nil || len(b.State.AccountTerr) != len(d.Plan.Accounts) || len(b.State.UnitTerr) != len(d.Plan.Units)) {
		return errors.New("export: the baseline alignment does not match the plan")
	}
	return nil
}

// Progress reports how far an export has come: Done of Total steps of the
// current Stage ("accounts", "units", "territories", "write", ...).
type Progress struct {
	Stage string `json:"stage"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
}

// Options control a writer.
type Options struct {
	// Ctx cancels a running export; nil never cancels.
	Ctx context.Context
	// Progress, when not nil, is told how far the export has come. It may
	// be called often; throttle it when it is expensive.
	Progress func(Progress)
}

// ErrCancelled is returned when Options.Ctx is cancelled; no output file is left.
var ErrCancelled = errors.New("export cancelled")

func (o *Options) cancelled() error {
	if o != nil && o.Ctx != nil && o.Ctx.Err() != nil {
		return ErrCancelled
	}
	return nil
}

func (o *Options) progress(stage string, done, total int64) {
	if o != nil && o.Progress != nil {
		o.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

// tick reports progress and checks for cancellation every 4096 items.
func (o *Options) tick(stage string, i, total int) error {
	if i&4095 != 0 {
		return nil
	}
	o.progress(stage, int64(i), int64(total))
	return o.cancelled()
}

// nodeInfo resolves the hierarchy of a state: every node's nearest
// district and region, and rep names.
type nodeInfo struct {
	st       *assign.State
	district []int32
	region   []int32
	reps     map[string]string
}

func newNodeInfo(p *engine.Plan, st *assign.State) *nodeInfo {
	ni := &nodeInfo{st: st, district: ancestors(st, engine.KindDistrict), region: ancestors(st, engine.KindRegion), reps: make(map[string]string, len(p.Reps))}
	for _, r := range p.Reps {
		ni.reps[r.ID] = r.Name
	}
	return ni
}

// ancestors returns for every node the nearest node of the given kind
// among itself and its ancestors, or NoIndex.
func ancestors(st *assign.State, kind engine.Kind) []int32 {
	out := make([]int32, len(st.Nodes))
	for i := range st.Nodes {
		out[i] = engine.NoIndex
		for n, hops := int32(i), 0; n != engine.NoIndex && hops <= len(st.Nodes); n, hops = st.Parent[n], hops+1 {
			if st.Nodes[n].Kind == kind {
				out[i] = n
				break
			}
		}
	}
	return out
}

func (ni *nodeInfo) id(t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return ni.st.Nodes[t].ID
}

func (ni *nodeInfo) name(t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return ni.st.Nodes[t].Name
}

func (ni *nodeInfo) repID(t int32) string {
	if t == engine.NoIndex {
		return ""
	}
	return ni.st.Nodes[t].RepID
}

func (ni *nodeInfo) repName(t int32) string { return ni.reps[ni.repID(t)] }

// groupOf returns the unit → group index map for a level: the territory,
// or the nearest district or region, of each unit.
func (ni *nodeInfo) groupOf(kind engine.Kind) []int32 {
	g := make([]int32, len(ni.st.UnitTerr))
	for u, t := range ni.st.UnitTerr {
		switch {
		case t == engine.NoIndex || kind == engine.KindTerritory:
			g[u] = t
		case kind == engine.KindDistrict:
			g[u] = ni.district[t]
		default:
			g[u] = ni.region[t]
		}
	}
	return g
}

// finite returns v, or 0 for NaN and infinities (which no file format here
// can hold).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// tr picks the English or Chinese text.
func (d *Data) tr(en, zh string) string {
	if d.Lang == "zh-CN" {
		return zh
	}
	return en
}

// metricLabels are people's names of the built-in metrics, English and Chinese.
var metricLabels = map[string][2]string{
	"accounts":      {"Accounts", "客户数"},
	"units":         {"Units", "单元数"},
	"potential":     {"Potential", "潜力"},
	"revenue":       {"Revenue (12 months)", "近12个月收入"},
	"lifetimeValue": {"Lifetime value", "客户终身价值"},
	"visits":        {"Visits / year", "年拜访次数"},
	"workloadHours": {"Workload (h / year)", "工作量（小时/年）"},
	"travelHours":   {"Travel (h / year)", "路途时间（小时/年）"},
	"capacityHours": {"Capacity (h / year)", "产能（小时/年）"},
	"utilisation":   {"Utilisation", "利用率"},
	"areaKm2":       {"Area (km²)", "面积（平方千米）"},
	"perimeterKm":   {"Perimeter (km)", "周长（千米）"},
	"compactness":   {"Compactness", "紧凑度"},
	"parts":         {"Parts", "分块数"},
	// The planning model's figures.
	"visitHours":       {"Visit time (h / year)", "拜访时间（小时/年）"},
	"travelKm":         {"Travel (km / year)", "路程（千米/年）"},
	"adminHours":       {"Admin time (h / year)", "行政时间（小时/年）"},
	"repsNeeded":       {"Reps needed", "所需代表数"},
	"projectedRevenue": {"Projected revenue", "预测收入"},
	"revenueLost":      {"Revenue lost (visits cut)", "损失收入（削减拜访）"},
	"visitsCut":        {"Visits cut / year", "削减拜访次数/年"},
	"revenueAtRisk":    {"Revenue at risk", "风险收入"},
	"repCost":          {"Rep cost", "代表成本"},
	"travelCost":       {"Travel cost", "差旅成本"},
	"roi":              {"Return on cost", "投入产出比"},
}

// MetricLabel is the name people read for metric name in lang; an unknown
// metric (an imported unit value) is shown by its name.
func MetricLabel(name, lang string) string {
	l, ok := metricLabels[name]
	if !ok {
		return name
	}
	if lang == "zh-CN" {
		return l[1]
	}
	return l[0]
}

func (d *Data) label(m Metric) string { return MetricLabel(m.Name, d.Lang) }

func kindLabel(k, lang string) string {
	zh := lang == "zh-CN"
	switch k {
	case string(engine.KindTerritory):
		return map[bool]string{false: "Territory", true: "辖区"}[zh]
	case string(engine.KindDistrict):
		return map[bool]string{false: "District", true: "片区"}[zh]
	case string(engine.KindRegion):
		return map[bool]string{false: "Region", true: "大区"}[zh]
	case "unassigned":
		return map[bool]string{false: "Unassigned", true: "未分配"}[zh]
	case "plan":
		return map[bool]string{false: "Plan", true: "全计划"}[zh]
	}
	return k
}

// change is one account whose territory differs between baseline and current.
type change struct {
	account  int32
	from, to int32 // territory indexes in the baseline and current states
	fromRep  string
	toRep    string
	revenue  float64
	atRisk   float64
}

// changes lists the accounts whose territory (by id) differs between the
// baseline and the current alignment. Revenue at risk is RiskShare of the
// account's trailing 12-month revenue when its rep changes.
func (d *Data) changes(opts *Options) ([]change, error) {
	if d.Baseline == nil {
		return nil, nil
	}
	cur, base := newNodeInfo(d.Plan, d.Current.State), newNodeInfo(d.Plan, d.Baseline.State)
	share := d.riskShare()
	var out []change
	for a := range d.Plan.Accounts {
		if err := opts.tick("changes", a, len(d.Plan.Accounts)); err != nil {
			return nil, err
		}
		to, from := d.Current.State.AccountTerr[a], d.Baseline.State.AccountTerr[a]
		if cur.id(to) == base.id(from) {
			continue
		}
		c := change{account: int32(a), from: from, to: to, fromRep: base.repID(from), toRep: cur.repID(to)}
		c.revenue = finite(d.Plan.Accounts[a].Revenue12())
		if c.fromRep != c.toRep {
			c.atRisk = share * c.revenue
		}
		out = append(out, c)
	}
	return out, nil
}

func orNone(s, lang string) string {
	if s != "" {
		return s
	}
	if lang == "zh-CN" {
		return "（无）"
	}
	return "(none)"
}

func errf(path string, err error) error {
	if err == nil || errors.Is(err, ErrCancelled) {
		return err
	}
	return fmt.Errorf("cannot write %s: %w", path, err)
}

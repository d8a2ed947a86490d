package export

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"territoria/engine"
	"territoria/engine/segment"
)

// maxSheetRows is the most data rows one worksheet holds (Excel's limit of
// 1,048,576 rows, less the header); longer lists continue on "Name (2)".
var maxSheetRows = 1<<20 - 1

// WriteXLSX writes the scenario as an Excel workbook:
//
//   - Summary: plan, scenario, baseline, the balance of every metric (now
//     and in the baseline), the plan and unassigned totals, and two native
//     charts (each territory's deviation from target; the tier mix);
//   - Territories, Districts, Regions: every figure of every node of that
//     level, and each territory's deviation from target;
//   - Accounts (account → territory → rep) and Units (unit → territory);
//   - with a baseline: Changes (accounts that move, from whom to whom,
//     revenue moved and at risk), Unit changes and Change by territory;
//   - Tier mix: accounts per tier and territory.
//
// Data sheets hold values, never formulas; text is stored as text even
// when it begins with = + - or @. Header rows are frozen and filtered.
// Rows are streamed to temporary files, so memory stays bounded however
// many accounts there are.
func WriteXLSX(path string, d *Data, opts *Options) error {
	if err := d.check(); err != nil {
		return err
	}
	return writeAtomic(path, func(w io.Writer) error { return writeWorkbook(w, d, opts) })
}

type xbook struct {
	f     *excelize.File
	d     *Data
	opts  *Options
	st    styles
	sheet map[string]string // key → sheet name (for chart references)
	nTerr int               // territory rows on the Territories sheet
	tiers []string          // tier columns of the Tier mix sheet
}

type styles struct {
	title, header, bold, text, int, dec1, dec2, dec3, times, pct, coord, date, general int
}

func writeWorkbook(w io.Writer, d *Data, opts *Options) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xbook{f: f, d: d, opts: opts, sheet: map[string]string{}}
	if err := x.makeStyles(); err != nil {
		return err
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: d.Plan.Name + " — " + d.Current.Scenario.Name, Creator: "Territoria",
		Created: d.Now.UTC().Format("2006-01-02T15:04:05Z"), Language: d.Lang})
	// Sheets in the order people read them.
	summary := d.tr("Summary", "概览")
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	x.sheet["summary"] = summary
	steps := []func() error{x.territories, x.level(engine.KindDistrict), x.level(engine.KindRegion),
		x.accounts, x.units, x.changes, x.tierMix}
	for _, step := range steps {
		if err := opts.cancelled(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
	}
	if err := x.summary(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	opts.progress("write", 0, 1)
	if err := opts.cancelled(); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return err
	}
	opts.progress("write", 1, 1)
	return nil
}

func (x *xbook) makeStyles() error {
	f := x.f
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	custom := func(fmt string) *excelize.Style { return &excelize.Style{CustomNumFmt: &fmt} }
	x.st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	x.st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F8FA6", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	x.st.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	x.st.text = mk(&excelize.Style{NumFmt: 49})
	x.st.int = mk(&excelize.Style{NumFmt: 3})
	x.st.dec1 = mk(custom("#,##0.0"))
	x.st.dec2 = mk(custom("#,##0.00"))
	x.st.dec3 = mk(custom("0.000"))
	x.st.times = mk(custom(`#,##0.00"×"`))
	x.st.pct = mk(custom("0.0%"))
	x.st.coord = mk(custom("0.000000"))
	x.st.date = mk(custom("yyyy-mm-dd hh:mm"))
	x.st.general = mk(&excelize.Style{})
	return err
}

// metricStyle is the number format of a metric's unit.
func (x *xbook) metricStyle(m Metric) int {
	switch m.Unit {
	case "count", "currency", "visits", "hours":
		return x.st.int
	case "fraction":
		return x.st.pct
	case "km2", "km", "reps":
		return x.st.dec1
	case "ratio":
		if m.Name == "roi" {
			return x.st.times // a multiple of the cost
		}
		return x.st.dec3
	}
	return x.st.dec2
}

func (x *xbook) metricHeader(m Metric) string {
	l := x.d.label(m)
	if m.Unit == "currency" && x.d.Plan.Currency != "" {
		l += " (" + x.d.Plan.Currency + ")"
	}
	return l
}

// ---- streamed sheets -------------------------------------------------------

type col struct {
	header string
	style  int
	width  float64
}

// stream is a worksheet written row by row, continued on a new sheet when
// it reaches Excel's row limit; each sheet gets a filtered table and a
// frozen header row.
type stream struct {
	x     *xbook
	name  string
	table string
	cols  []col
	part  int
	sw    *excelize.StreamWriter
	rows  int
	buf   []interface{}
	cells []excelize.Cell
}

func (x *xbook) newStream(name, table string, cols []col) (*stream, error) {
	s := &stream{x: x, name: name, table: table, cols: cols, buf: make([]interface{}, len(cols)), cells: make([]excelize.Cell, len(cols))}
	return s, s.open()
}

func (s *stream) sheetName() string {
	if s.part <= 1 {
		return s.name
	}
	return fmt.Sprintf("%s (%d)", s.name, s.part)
}

func (s *stream) open() error {
	s.part++
	name := s.sheetName()
	if _, err := s.x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := s.x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	s.sw, s.rows = sw, 0
	for i, c := range s.cols {
		w := c.width
		if hw := displayWidth(c.header)*1.1 + 2; hw > w {
			w = min(hw, 40)
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]interface{}, len(s.cols))
	for i, c := range s.cols {
		hdr[i] = excelize.Cell{StyleID: s.x.st.header, Value: c.header}
	}
	return sw.SetRow("A1", hdr, excelize.RowOpts{Height: 30})
}

// add writes one row; values are strings, numbers or nil (an empty cell).
func (s *stream) add(vals ...interface{}) error {
	if s.rows >= maxSheetRows {
		if err := s.finish(); err != nil {
			return err
		}
		if err := s.open(); err != nil {
			return err
		}
	}
	for i, v := range vals {
		if v == nil {
			s.buf[i] = nil
			continue
		}
		s.cells[i] = excelize.Cell{StyleID: s.cols[i].style, Value: v}
		s.buf[i] = &s.cells[i]
	}
	s.rows++
	cell, _ := excelize.CoordinatesToCellName(1, s.rows+1)
	return s.sw.SetRow(cell, s.buf[:len(vals)])
}

func (s *stream) finish() error {
	if s.rows > 0 {
		last, _ := excelize.CoordinatesToCellName(len(s.cols), s.rows+1)
		name := s.table
		if s.part > 1 {
			name = fmt.Sprintf("%s_%d", s.table, s.part)
		}
		show := false
		if err := s.sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: name, StyleName: "TableStyleLight1", ShowRowStripes: &show}); err != nil {
			return err
		}
	}
	return s.sw.Flush()
}

// displayWidth estimates the width of s in characters of a spreadsheet
// column: CJK characters count twice.
func displayWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6) || r >= 0x20000) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// textWidth is a column width fitting the longest of the first few
// thousand values, between 8 and 50.
func textWidth(n int, get func(i int) string) float64 {
	w := 8.0
	for i := 0; i < n && i < 5000; i++ {
		if dw := displayWidth(get(i)) + 2; dw > w {
			w = dw
		}
	}
	return min(w, 50)
}

// cellText returns s as a cell value: "" becomes an empty cell.
func cellText(s string) interface{} {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// ---- the sheets ------------------------------------------------------------

func (x *xbook) rowsOf(kind engine.Kind) []Row {
	var out []Row
	for _, r := range x.d.Current.Rows {
		if r.Kind == string(kind) {
			out = append(out, r)
		}
	}
	return out
}

// deviationMetrics are the metrics whose deviation from target territory
// rows carry, in display order.
func (x *xbook) deviationMetrics() []Metric {
	var out []Metric
	for _, m := range x.d.Metrics {
		for _, r := range x.d.Current.Rows {
			if _, ok := r.Deviation[m.Name]; ok {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

func (x *xbook) territories() error {
	d := x.d
	rows := x.rowsOf(engine.KindTerritory)
	ni := newNodeInfo(d.Plan, d.Current.State)
	name := d.tr("Territories", "辖区")
	x.sheet["territories"] = name
	x.nTerr = len(rows)
	cols := []col{
		{d.tr("Territory ID", "辖区编码"), x.st.text, textWidth(len(rows), func(i int) string { return rows[i].ID })},
		{d.tr("Territory", "辖区"), x.st.text, textWidth(len(rows), func(i int) string { return rows[i].Name })},
		{d.tr("District", "片区"), x.st.text, 14},
		{d.tr("Region", "大区"), x.st.text, 14},
		{d.tr("Rep ID", "代表编号"), x.st.text, 10},
		{d.tr("Rep", "销售代表"), x.st.text, textWidth(len(rows), func(i int) string { return rows[i].Rep })},
	}
	for _, m := range d.Metrics {
		cols = append(cols, col{x.metricHeader(m), x.metricStyle(m), 14})
	}
	devs := x.deviationMetrics()
	for _, m := range devs {
		cols = append(cols, col{d.tr("Deviation: ", "偏差：") + d.label(m), x.st.pct, 14})
	}
	s, err := x.newStream(name, "Territories", cols)
	if err != nil {
		return err
	}
	vals := make([]interface{}, len(cols))
	for _, r := range rows {
		t := d.Current.State.Node(r.ID)
		var dist, reg string
		if t != engine.NoIndex {
			dist, reg = ni.name(ni.district[t]), ni.name(ni.region[t])
		}
		vals = append(vals[:0], cellText(r.ID), cellText(r.Name), cellText(dist), cellText(reg), cellText(r.RepID), cellText(r.Rep))
		vals = x.appendValues(vals, r.Values)
		for _, m := range devs {
			if v, ok := r.Deviation[m.Name]; ok {
				vals = append(vals, finite(v))
			} else {
				vals = append(vals, nil)
			}
		}
		if err := s.add(vals...); err != nil {
			return err
		}
	}
	return s.finish()
}

func (x *xbook) appendValues(vals []interface{}, values map[string]float64) []interface{} {
	for _, m := range x.d.Metrics {
		if v, ok := values[m.Name]; ok {
			vals = append(vals, finite(v))
		} else {
			vals = append(vals, nil)
		}
	}
	return vals
}

// level writes the sheet of districts or regions (none when the scenario
// has no node of that kind).
func (x *xbook) level(kind engine.Kind) func() error {
	return func() error {
		d := x.d
		rows := x.rowsOf(kind)
		if len(rows) == 0 {
			return nil
		}
		st := d.Current.State
		name, table := d.tr("Districts", "片区"), "Districts"
		if kind == engine.KindRegion {
			name, table = d.tr("Regions", "大区"), "Regions"
		}
		cols := []col{
			{kindLabel(string(kind), d.Lang) + d.tr(" ID", "编码"), x.st.text, textWidth(len(rows), func(i int) string { return rows[i].ID })},
			{kindLabel(string(kind), d.Lang), x.st.text, textWidth(len(rows), func(i int) string { return rows[i].Name })},
			{d.tr("Parent", "上级"), x.st.text, 14},
			{d.tr("Territories", "辖区数"), x.st.int, 10},
			{d.tr("Rep ID", "代表编号"), x.st.text, 10},
			{d.tr("Rep", "销售代表"), x.st.text, 16},
		}
		for _, m := range d.Metrics {
			cols = append(cols, col{x.metricHeader(m), x.metricStyle(m), 14})
		}
		// Territories under each node.
		under := map[string]int{}
		for i, t := range st.Nodes {
			if t.Kind != engine.KindTerritory {
				continue
			}
			for n, hops := st.Parent[i], 0; n != engine.NoIndex && hops <= len(st.Nodes); n, hops = st.Parent[n], hops+1 {
				under[st.Nodes[n].ID]++
			}
		}
		s, err := x.newStream(name, table, cols)
		if err != nil {
			return err
		}
		vals := make([]interface{}, len(cols))
		for _, r := range rows {
			parent := ""
			if p := st.Node(r.Parent); p != engine.NoIndex {
				parent = st.Nodes[p].Name
			}
			vals = append(vals[:0], cellText(r.ID), cellText(r.Name), cellText(parent), under[r.ID], cellText(r.RepID), cellText(r.Rep))
			vals = x.appendValues(vals, r.Values)
			if err := s.add(vals...); err != nil {
				return err
			}
		}
		return s.finish()
	}
}

func (x *xbook) accounts() error {
	d, p, st := x.d, x.d.Plan, x.d.Current.State
	ni := newNodeInfo(p, st)
	acc := p.Accounts
	cur := func(h string) string {
		if p.Currency != "" {
			return h + " (" + p.Currency + ")"
		}
		return h
	}
	cols := []col{
		{d.tr("Account ID", "客户编号"), x.st.text, textWidth(len(acc), func(i int) string { return acc[i].ID })},
		{d.tr("Account", "客户名称"), x.st.text, textWidth(len(acc), func(i int) string { return acc[i].Name })},
		{d.tr("Tier", "客户分级"), x.st.text, 8},
		{d.tr("Industry", "行业"), x.st.text, textWidth(len(acc), func(i int) string { return acc[i].Industry })},
		{d.tr("Size", "规模"), x.st.text, 10},
		{d.tr("Unit ID", "单元编码"), x.st.text, 10},
		{d.tr("Territory ID", "辖区编码"), x.st.text, 12},
		{d.tr("Territory", "辖区"), x.st.text, textWidth(len(st.Nodes), func(i int) string { return st.Nodes[i].Name })},
		{d.tr("Rep ID", "代表编号"), x.st.text, 10},
		{d.tr("Rep", "销售代表"), x.st.text, 16},
		{d.tr("Placed by", "归属方式"), x.st.text, 12},
		{cur(d.tr("Potential", "潜力")), x.st.int, 14},
		{cur(d.tr("Revenue (12 months)", "近12个月收入")), x.st.int, 14},
		{cur(d.tr("Lifetime value", "客户终身价值")), x.st.int, 14},
		{d.tr("Longitude", "经度"), x.st.coord, 12},
		{d.tr("Latitude", "纬度"), x.st.coord, 12},
		{d.tr("Approximate location", "位置为近似"), x.st.text, 10},
	}
	seg := d.Segments
	if d.segmentsOK() {
		cols = append(cols, col{d.tr("Class", "客户类别"), x.st.text, 8}, col{d.tr("Golden", "黄金客户"), x.st.text, 9},
			col{d.tr("Sleeping", "沉睡客户"), x.st.text, 9}, col{d.tr("White space", "空白市场"), x.st.text, 11})
	} else {
		seg = nil
	}
	placed := [4]string{d.tr("unit", "单元"), d.tr("override", "指定"), d.tr("drawn area", "手绘区域"), d.tr("none", "无")}
	yes := d.tr("yes", "是")
	flag := func(a int, f segment.Flags) interface{} {
		if seg.Flags[a].Has(f) {
			return yes
		}
		return nil
	}
	s, err := x.newStream(d.tr("Accounts", "客户"), "Accounts", cols)
	if err != nil {
		return err
	}
	vals := make([]interface{}, len(cols))
	for i := range acc {
		if err := x.opts.tick("accounts", i, len(acc)); err != nil {
			return err
		}
		a := &acc[i]
		t := st.AccountTerr[i]
		how := placed[0]
		switch {
		case t == engine.NoIndex:
			how = placed[3]
		case st.Override(int32(i)) == t:
			how = placed[1]
		case st.Drawn(int32(i)) == t:
			how = placed[2]
		}
		unit := ""
		if a.Unit != engine.NoIndex && int(a.Unit) < len(p.Units) {
			unit = p.Units[a.Unit].ID
		}
		var approx interface{}
		if a.Approx {
			approx = yes
		}
		vals = append(vals[:0], cellText(a.ID), cellText(a.Name), cellText(a.Tier), cellText(a.Industry), cellText(a.Size), cellText(unit),
			cellText(ni.id(t)), cellText(ni.name(t)), cellText(ni.repID(t)), cellText(ni.repName(t)), how,
			finite(a.Potential), finite(a.Revenue12()), finite(a.LifetimeValue), finite(a.Loc[0]), finite(a.Loc[1]), approx)
		if seg != nil {
			vals = append(vals, cellText(seg.ClassName(i)), flag(i, segment.Golden), flag(i, segment.Sleeping), flag(i, segment.WhiteSpace))
		}
		if err := s.add(vals...); err != nil {
			return err
		}
	}
	x.opts.progress("accounts", int64(len(acc)), int64(len(acc)))
	return s.finish()
}

func (x *xbook) units() error {
	d, p, st := x.d, x.d.Plan, x.d.Current.State
	ni := newNodeInfo(p, st)
	us := p.Units
	cols := []col{
		{d.tr("Unit ID", "单元编码"), x.st.text, textWidth(len(us), func(i int) string { return us[i].ID })},
		{d.tr("Unit", "单元名称"), x.st.text, textWidth(len(us), func(i int) string { return us[i].Name })},
		{d.tr("Level", "层级"), x.st.text, 10},
		{d.tr("Territory ID", "辖区编码"), x.st.text, 12},
		{d.tr("Territory", "辖区"), x.st.text, 18},
		{d.tr("Rep", "销售代表"), x.st.text, 16},
		{d.tr("Accounts", "客户数"), x.st.int, 10},
		{d.tr("Area (km²)", "面积（平方千米）"), x.st.dec1, 12},
		{d.tr("Locked", "已锁定"), x.st.text, 8},
	}
	yes := d.tr("yes", "是")
	s, err := x.newStream(d.tr("Units", "单元"), "Units", cols)
	if err != nil {
		return err
	}
	vals := make([]interface{}, len(cols))
	for i := range us {
		if err := x.opts.tick("units", i, len(us)); err != nil {
			return err
		}
		u := &us[i]
		t := st.UnitTerr[i]
		var locked interface{}
		if st.UnitLocked(int32(i)) {
			locked = yes
		}
		vals = append(vals[:0], cellText(u.ID), cellText(u.Name), cellText(u.Level), cellText(ni.id(t)), cellText(ni.name(t)),
			cellText(ni.repName(t)), len(st.UnitAccounts(int32(i))), finite(u.AreaKm2), locked)
		if err := s.add(vals...); err != nil {
			return err
		}
	}
	return s.finish()
}

// changes writes the change report against the baseline: accounts and
// units that move, and the movement per territory.
func (x *xbook) changes() error {
	d := x.d
	if d.Baseline == nil {
		return nil
	}
	p := d.Plan
	moved, err := d.changes(x.opts)
	if err != nil {
		return err
	}
	cur, base := newNodeInfo(p, d.Current.State), newNodeInfo(p, d.Baseline.State)
	cur2 := func(h string) string {
		if p.Currency != "" {
			return h + " (" + p.Currency + ")"
		}
		return h
	}
	cols := []col{
		{d.tr("Account ID", "客户编号"), x.st.text, 12},
		{d.tr("Account", "客户名称"), x.st.text, textWidth(len(moved), func(i int) string { return p.Accounts[moved[i].account].Name })},
		{d.tr("From territory ID", "原辖区编码"), x.st.text, 12},
		{d.tr("From territory", "原辖区"), x.st.text, 18},
		{d.tr("From rep", "原销售代表"), x.st.text, 16},
		{d.tr("To territory ID", "新辖区编码"), x.st.text, 12},
		{d.tr("To territory", "新辖区"), x.st.text, 18},
		{d.tr("To rep", "新销售代表"), x.st.text, 16},
		{cur2(d.tr("Revenue moved (12 months)", "转移收入（近12个月）")), x.st.int, 16},
		{cur2(d.tr("Potential", "潜力")), x.st.int, 14},
		{cur2(d.tr("Revenue at risk", "风险收入")), x.st.int, 14},
	}
	s, err := x.newStream(d.tr("Changes", "变更"), "Changes", cols)
	if err != nil {
		return err
	}
	none := orNone("", d.Lang)
	vals := make([]interface{}, len(cols))
	for i, c := range moved {
		if err := x.opts.tick("changes", i, len(moved)); err != nil {
			return err
		}
		a := &p.Accounts[c.account]
		from, to := base.name(c.from), cur.name(c.to)
		if c.from == engine.NoIndex {
			from = none
		}
		if c.to == engine.NoIndex {
			to = none
		}
		vals = append(vals[:0], cellText(a.ID), cellText(a.Name), cellText(base.id(c.from)), from, cellText(base.reps[c.fromRep]),
			cellText(cur.id(c.to)), to, cellText(cur.reps[c.toRep]), c.revenue, finite(a.Potential), c.atRisk)
		if err := s.add(vals...); err != nil {
			return err
		}
	}
	if err := s.finish(); err != nil {
		return err
	}

	// Units that move.
	ucols := []col{
		{d.tr("Unit ID", "单元编码"), x.st.text, 10},
		{d.tr("Unit", "单元名称"), x.st.text, 18},
		{d.tr("From territory ID", "原辖区编码"), x.st.text, 12},
		{d.tr("From territory", "原辖区"), x.st.text, 18},
		{d.tr("To territory ID", "新辖区编码"), x.st.text, 12},
		{d.tr("To territory", "新辖区"), x.st.text, 18},
	}
	us, err := x.newStream(d.tr("Unit changes", "单元变更"), "UnitChanges", ucols)
	if err != nil {
		return err
	}
	for u := range p.Units {
		from, to := d.Baseline.State.UnitTerr[u], d.Current.State.UnitTerr[u]
		if base.id(from) == cur.id(to) {
			continue
		}
		fromName, toName := base.name(from), cur.name(to)
		if from == engine.NoIndex {
			fromName = none
		}
		if to == engine.NoIndex {
			toName = none
		}
		if err := us.add(cellText(p.Units[u].ID), cellText(p.Units[u].Name), cellText(base.id(from)), fromName, cellText(cur.id(to)), toName); err != nil {
			return err
		}
	}
	if err := us.finish(); err != nil {
		return err
	}

	// Movement per territory (by id, over both scenarios' territories).
	type sum struct {
		name                          string
		gained, lost                  int
		revIn, revOut, risk           float64
		before, after, unitsIn, unOut int
	}
	order := []string{}
	sums := map[string]*sum{}
	get := func(id, name string) *sum {
		if s, ok := sums[id]; ok {
			if s.name == "" {
				s.name = name
			}
			return s
		}
		s := &sum{name: name}
		sums[id] = s
		order = append(order, id)
		return s
	}
	for _, t := range d.Current.State.Nodes {
		if t.Kind == engine.KindTerritory {
			get(t.ID, t.Name)
		}
	}
	for _, t := range d.Baseline.State.Nodes {
		if t.Kind == engine.KindTerritory {
			get(t.ID, t.Name)
		}
	}
	for a := range p.Accounts {
		if t := d.Current.State.AccountTerr[a]; t != engine.NoIndex {
			get(cur.id(t), cur.name(t)).after++
		}
		if t := d.Baseline.State.AccountTerr[a]; t != engine.NoIndex {
			get(base.id(t), base.name(t)).before++
		}
	}
	for _, c := range moved {
		if c.to != engine.NoIndex {
			s := get(cur.id(c.to), cur.name(c.to))
			s.gained++
			s.revIn += c.revenue
			s.risk += c.atRisk
		}
		if c.from != engine.NoIndex {
			s := get(base.id(c.from), base.name(c.from))
			s.lost++
			s.revOut += c.revenue
		}
	}
	for u := range p.Units {
		from, to := d.Baseline.State.UnitTerr[u], d.Current.State.UnitTerr[u]
		if base.id(from) == cur.id(to) {
			continue
		}
		if to != engine.NoIndex {
			get(cur.id(to), cur.name(to)).unitsIn++
		}
		if from != engine.NoIndex {
			get(base.id(from), base.name(from)).unOut++
		}
	}
	tcols := []col{
		{d.tr("Territory ID", "辖区编码"), x.st.text, 12},
		{d.tr("Territory", "辖区"), x.st.text, 18},
		{d.tr("Accounts before", "原客户数"), x.st.int, 12},
		{d.tr("Accounts after", "现客户数"), x.st.int, 12},
		{d.tr("Accounts gained", "转入客户"), x.st.int, 12},
		{d.tr("Accounts lost", "转出客户"), x.st.int, 12},
		{cur2(d.tr("Revenue in", "转入收入")), x.st.int, 14},
		{cur2(d.tr("Revenue out", "转出收入")), x.st.int, 14},
		{cur2(d.tr("Revenue at risk", "风险收入")), x.st.int, 14},
		{d.tr("Units gained", "转入单元"), x.st.int, 10},
		{d.tr("Units lost", "转出单元"), x.st.int, 10},
	}
	ts, err := x.newStream(d.tr("Change by territory", "辖区变更汇总"), "ChangeByTerritory", tcols)
	if err != nil {
		return err
	}
	for _, id := range order {
		s := sums[id]
		if err := ts.add(cellText(id), cellText(s.name), s.before, s.after, s.gained, s.lost, s.revIn, s.revOut, s.risk, s.unitsIn, s.unOut); err != nil {
			return err
		}
	}
	return ts.finish()
}

// tierMix writes accounts per tier and territory (the data of the tier
// chart): per class of the plan's segments, with the golden, sleeping and
// white-space counts, when the export has segments; else per imported tier.
func (x *xbook) tierMix() error {
	d, p, st := x.d, x.d.Plan, x.d.Current.State
	var tiers []string
	tierOf := func(a int) int { return 0 }
	var flags []segment.Flags
	if d.segmentsOK() {
		seg := d.Segments
		tiers = seg.Classes
		tierOf = func(a int) int { return int(seg.Class[a]) }
		flags = []segment.Flags{segment.Golden, segment.Sleeping, segment.WhiteSpace}
	} else {
		idx := map[string]int{}
		for i := range p.Accounts {
			if _, ok := idx[p.Accounts[i].Tier]; !ok {
				idx[p.Accounts[i].Tier] = 0
			}
		}
		for t := range idx {
			tiers = append(tiers, t)
		}
		slices.Sort(tiers)
		if len(tiers) > 0 && tiers[0] == "" {
			tiers = append(tiers[1:], "") // untiered last
		}
		if len(tiers) > 40 {
			return nil // a free-text field, not tiers
		}
		for i, t := range tiers {
			idx[t] = i
		}
		tierOf = func(a int) int { return idx[p.Accounts[a].Tier] }
	}
	width := len(tiers) + len(flags)
	counts := make([][]int, len(st.Nodes))
	for a := range p.Accounts {
		if t := st.AccountTerr[a]; t != engine.NoIndex {
			if counts[t] == nil {
				counts[t] = make([]int, width)
			}
			counts[t][tierOf(a)]++
			for k, f := range flags {
				if d.Segments.Flags[a].Has(f) {
					counts[t][len(tiers)+k]++
				}
			}
		}
	}
	name := d.tr("Tier mix", "客户分级构成")
	x.sheet["tiers"] = name
	x.tiers = tiers
	cols := []col{{d.tr("Territory ID", "辖区编码"), x.st.text, 12}, {d.tr("Territory", "辖区"), x.st.text, 18}}
	for _, t := range tiers {
		h := d.tr("Tier ", "分级 ") + t
		switch {
		case flags != nil:
			h = d.tr("Class ", "类别 ") + t
		case t == "":
			h = d.tr("No tier", "未分级")
		}
		cols = append(cols, col{h, x.st.int, 10})
	}
	cols = append(cols, col{d.tr("Accounts", "客户数"), x.st.int, 10})
	if flags != nil {
		cols = append(cols, col{d.tr("Golden", "黄金客户"), x.st.int, 10}, col{d.tr("Sleeping", "沉睡客户"), x.st.int, 10},
			col{d.tr("White space", "空白市场"), x.st.int, 11})
	}
	s, err := x.newStream(name, "TierMix", cols)
	if err != nil {
		return err
	}
	vals := make([]interface{}, len(cols))
	for _, r := range x.rowsOf(engine.KindTerritory) {
		t := st.Node(r.ID)
		n := func(k int) int {
			if t != engine.NoIndex && counts[t] != nil {
				return counts[t][k]
			}
			return 0
		}
		vals = append(vals[:0], cellText(r.ID), cellText(r.Name))
		total := 0
		for k := range tiers {
			total += n(k)
			vals = append(vals, n(k))
		}
		vals = append(vals, total)
		for k := range flags {
			vals = append(vals, n(len(tiers)+k))
		}
		if err := s.add(vals...); err != nil {
			return err
		}
	}
	return s.finish()
}

// ---- the summary -----------------------------------------------------------

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func (x *xbook) summary() error {
	f, d := x.f, x.d
	sh := x.sheet["summary"]
	set := func(cell string, v interface{}, style int) error {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(sh, cell, cell, style)
	}
	row := 1
	line := func(cells ...interface{}) error {
		for i := 0; i+1 < len(cells); i += 2 {
			c, _ := excelize.CoordinatesToCellName(i/2+1, row)
			if cells[i] == nil {
				continue
			}
			if err := set(c, cells[i], cells[i+1].(int)); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := line(d.Plan.Name+" — "+d.Current.Scenario.Name, x.st.title); err != nil {
		return err
	}
	base := d.BaselineName
	if d.Baseline == nil {
		base = orNone("", d.Lang)
	}
	for _, kv := range [][2]interface{}{
		{d.tr("Scenario", "方案"), d.Current.Scenario.Name + " (" + d.Current.Scenario.ID + ")"},
		{d.tr("Compared with", "对比基准"), base},
		{d.tr("Currency", "货币"), d.Plan.Currency},
		{d.tr("Accounts", "客户数"), len(d.Plan.Accounts)},
		{d.tr("Exported", "导出时间"), d.Now},
	} {
		st := x.st.text
		switch kv[1].(type) {
		case int:
			st = x.st.int
		case interface{ Unix() int64 }:
			st = x.st.date
		}
		if err := line(kv[0], x.st.bold, kv[1], st); err != nil {
			return err
		}
	}
	row++

	// Balance, now and in the baseline.
	if err := line(d.tr("Balance across territories", "辖区均衡度"), x.st.title); err != nil {
		return err
	}
	idx := []interface{}{d.tr("Balance index (0–100)", "均衡指数（0–100）"), x.st.bold, finite(d.Current.Balance.Index), x.st.dec1}
	if d.Baseline != nil {
		idx = append(idx, d.tr("baseline", "基准"), x.st.text, finite(d.Baseline.Balance.Index), x.st.dec1)
	}
	if err := line(idx...); err != nil {
		return err
	}
	hdr := []string{d.tr("Metric", "指标"), d.tr("Weight", "权重"), d.tr("Mean", "平均值"), d.tr("CV", "变异系数"), d.tr("Gini", "基尼系数"), d.tr("Max |deviation|", "最大偏差")}
	if d.Baseline != nil {
		hdr = append(hdr, d.tr("Baseline CV", "基准变异系数"), d.tr("Baseline max |deviation|", "基准最大偏差"))
	}
	for i, h := range hdr {
		c, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := set(c, h, x.st.header); err != nil {
			return err
		}
	}
	row++
	for _, m := range d.Metrics {
		b, ok := d.Current.Balance.Metrics[m.Name]
		if !ok {
			continue
		}
		cells := []interface{}{d.label(m), x.st.text, finite(b.Weight), x.st.general, finite(b.Mean), x.metricStyle(m), finite(b.CV), x.st.dec3, finite(b.Gini), x.st.dec3, finite(b.MaxAbsDeviation), x.st.pct}
		if d.Baseline != nil {
			if bb, ok := d.Baseline.Balance.Metrics[m.Name]; ok {
				cells = append(cells, finite(bb.CV), x.st.dec3, finite(bb.MaxAbsDeviation), x.st.pct)
			}
		}
		if err := line(cells...); err != nil {
			return err
		}
	}
	row++

	// Totals: the plan, what no territory holds, and the baseline plan.
	if err := line(d.tr("Totals", "合计"), x.st.title); err != nil {
		return err
	}
	c, _ := excelize.CoordinatesToCellName(1, row)
	if err := set(c, "", x.st.header); err != nil {
		return err
	}
	for i, m := range d.Metrics {
		c, _ := excelize.CoordinatesToCellName(i+2, row)
		if err := set(c, x.metricHeader(m), x.st.header); err != nil {
			return err
		}
	}
	row++
	var planRow, unRow, basePlan map[string]float64
	for _, r := range d.Current.Rows {
		switch r.Kind {
		case "plan":
			planRow, basePlan = r.Values, r.Baseline
		case "unassigned":
			unRow = r.Values
		}
	}
	totals := []struct {
		label string
		vals  map[string]float64
	}{{d.tr("Plan", "全计划"), planRow}, {d.tr("Unassigned", "未分配"), unRow}}
	if d.Baseline != nil {
		for _, r := range d.Baseline.Rows {
			if r.Kind == "plan" {
				basePlan = r.Values
			}
		}
		totals = append(totals, struct {
			label string
			vals  map[string]float64
		}{d.tr("Plan (baseline)", "全计划（基准）"), basePlan})
	}
	for _, t := range totals {
		if t.vals == nil {
			continue
		}
		c, _ := excelize.CoordinatesToCellName(1, row)
		if err := set(c, t.label, x.st.bold); err != nil {
			return err
		}
		for i, m := range d.Metrics {
			v, ok := t.vals[m.Name]
			if !ok {
				continue
			}
			c, _ := excelize.CoordinatesToCellName(i+2, row)
			if err := set(c, finite(v), x.metricStyle(m)); err != nil {
				return err
			}
		}
		row++
	}
	widths := []float64{30, 18, 16, 12, 12, 16, 16, 20}
	for i, w := range widths {
		cn, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, cn, cn, w); err != nil {
			return err
		}
	}
	for i := len(widths); i <= len(d.Metrics); i++ {
		cn, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, cn, cn, 14); err != nil {
			return err
		}
	}
	row += 2
	return x.charts(row)
}

// charts adds the two native charts below the summary tables.
func (x *xbook) charts(row int) error {
	d, f := x.d, x.f
	sh := x.sheet["summary"]
	if x.nTerr == 0 {
		return nil
	}
	terr := quoteSheet(x.sheet["territories"])
	last := x.nTerr + 1
	categories := fmt.Sprintf("%s!$B$2:$B$%d", terr, last)
	// Balance by territory: each territory's deviation from target for the
	// weighted metrics (potential when none is weighted).
	devs := x.deviationMetrics()
	var series []excelize.ChartSeries
	firstDev := 6 + len(d.Metrics) + 1 // 1-based column of the first deviation
	for i, m := range devs {
		if b, ok := d.Current.Balance.Metrics[m.Name]; !ok || b.Weight <= 0 {
			continue
		}
		cn, _ := excelize.ColumnNumberToName(firstDev + i)
		series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$1", terr, cn), Categories: categories,
			Values: fmt.Sprintf("%s!$%s$2:$%s$%d", terr, cn, cn, last)})
	}
	if len(series) == 0 {
		for i, m := range devs {
			if m.Name == "potential" {
				cn, _ := excelize.ColumnNumberToName(firstDev + i)
				series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$1", terr, cn), Categories: categories,
					Values: fmt.Sprintf("%s!$%s$2:$%s$%d", terr, cn, cn, last)})
			}
		}
	}
	width := uint(min(1800, max(720, 18*x.nTerr)))
	if len(series) > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.AddChart(sh, cell, &excelize.Chart{
			Type:      excelize.Col,
			Series:    series,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.tr("Balance by territory: deviation from target", "各辖区均衡度：与目标的偏差")}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: width, Height: 360},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			XAxis:     excelize.ChartAxis{TickLabelSkip: 1, TickLabelPosition: excelize.ChartTickLabelLow},
		}); err != nil {
			return err
		}
		row += 20
	}
	if tiers := x.sheet["tiers"]; tiers != "" && len(x.tiers) > 0 {
		ts := quoteSheet(tiers)
		var ser []excelize.ChartSeries
		for k := range x.tiers {
			cn, _ := excelize.ColumnNumberToName(3 + k)
			ser = append(ser, excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$1", ts, cn), Categories: fmt.Sprintf("%s!$B$2:$B$%d", ts, last),
				Values: fmt.Sprintf("%s!$%s$2:$%s$%d", ts, cn, cn, last)})
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := f.AddChart(sh, cell, &excelize.Chart{
			Type:      excelize.ColStacked,
			Series:    ser,
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: d.tr("Tier mix by territory (accounts)", "各辖区客户分级构成（客户数）")}}},
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: width, Height: 360},
			YAxis:     excelize.ChartAxis{MajorGridLines: true},
			XAxis:     excelize.ChartAxis{TickLabelSkip: 1},
		}); err != nil {
			return err
		}
	}
	return nil
}

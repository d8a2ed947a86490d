package export

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/go-pdf/fpdf"
	"github.com/paulmach/orb"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"territoria/engine"
)

// PDFOptions configure the PDF brief.
type PDFOptions struct {
	// Map configures the map on the page (size in pixels of the embedded
	// picture, colouring, title).
	Map MapOptions
	// PerRegion adds one page per region: its map, its territories' figures.
	PerRegion bool
}

// WritePDF writes a brief for leadership on A4 landscape: the map, the key
// figures of every territory, and the balance before (the baseline) and
// after. With PerRegion, each region follows on a page of its own. It
// returns notes (such as a missing CJK font).
func WritePDF(path string, d *Data, o PDFOptions) ([]string, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if o.Map.Width <= 0 {
		o.Map.Width = 2000
	}
	if o.Map.Height <= 0 {
		o.Map.Height = 1250
	}
	o.Map.defaults()
	fs := loadFonts()
	b := &brief{d: d, o: o, fs: fs}
	if err := b.setup(); err != nil {
		return nil, err
	}
	if err := b.page("", nil, orb.Bound{}); err != nil {
		return nil, err
	}
	if o.PerRegion {
		st := d.Current.State
		for i, n := range st.Nodes {
			if n.Kind != engine.KindRegion {
				continue
			}
			only := map[string]bool{}
			var bound orb.Bound
			first := true
			for t := range st.Nodes {
				if st.Nodes[t].Kind == engine.KindTerritory && under(st.Parent, int32(t), int32(i), len(st.Nodes)) {
					only[st.Nodes[t].ID] = true
				}
			}
			for u, t := range st.UnitTerr {
				if t != engine.NoIndex && only[st.Nodes[t].ID] && len(d.Plan.Units[u].Geom) > 0 {
					if ub := d.Plan.Units[u].Geom.Bound(); first {
						bound, first = ub, false
					} else {
						bound = bound.Union(ub)
					}
				}
			}
			if len(only) == 0 || first {
				continue
			}
			if err := o.Map.cancelled(); err != nil {
				return nil, err
			}
			if err := b.page(n.Name, only, bound); err != nil {
				return nil, err
			}
		}
	}
	if err := b.pdf.Error(); err != nil {
		return nil, err
	}
	var notes []string
	if n := fs.note(b.text); n != "" {
		notes = append(notes, n)
	} else if fs.cjk != nil && fs.cjkTTF == nil && hasCJK(b.text) {
		notes = append(notes, "the Chinese font found ("+fs.cjkPath+") has no TrueType outlines, which PDF needs; Chinese text is missing from the PDF; install fonts-wqy-zenhei or set TERRITORIA_FONT to a .ttf/.ttc file")
	}
	err := writeAtomic(path, func(w io.Writer) error { return b.pdf.Output(w) })
	if err != nil {
		return nil, err
	}
	o.Map.progress("done", 1, 1)
	return notes, nil
}

// under tells whether node t lies under node anc.
func under(parent []int32, t, anc int32, limit int) bool {
	for n, hops := t, 0; n != engine.NoIndex && hops <= limit; n, hops = parent[n], hops+1 {
		if n == anc {
			return true
		}
	}
	return false
}

type brief struct {
	d      *Data
	o      PDFOptions
	fs     *fontSet
	pdf    *fpdf.Fpdf
	text   string // everything written, to tell whether CJK glyphs were needed
	region string // the region of the page being written ("" for the plan)
}

func (b *brief) setup() error {
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCreator("Territoria", true)
	pdf.SetTitle(b.d.Plan.Name+" — "+b.d.Current.Scenario.Name, true)
	pdf.SetCreationDate(b.d.Now)
	pdf.SetModificationDate(b.d.Now)
	pdf.SetMargins(10, 10, 10)
	pdf.SetAutoPageBreak(true, 10)
	if ttf := b.fs.cjkTTF; ttf != nil {
		// One font with every character: the CJK font has Latin letters too.
		pdf.AddUTF8FontFromBytes("body", "", ttf)
		pdf.AddUTF8FontFromBytes("body", "B", ttf)
	} else {
		pdf.AddUTF8FontFromBytes("body", "", goregular.TTF)
		pdf.AddUTF8FontFromBytes("body", "B", gobold.TTF)
	}
	b.pdf = pdf
	return pdf.Error()
}

func (b *brief) say(s string) string { b.text += s; return s }

// keyMetric is the metric whose deviation the table shows: the most
// heavily weighted balanced one (potential when none is weighted).
func (b *brief) keyMetric() string {
	best, w := "potential", 0.0
	for _, m := range b.d.Metrics {
		if mb, ok := b.d.Current.Balance.Metrics[m.Name]; ok && mb.Weight > w {
			best, w = m.Name, mb.Weight
		}
	}
	return best
}

func (b *brief) metricUnit(name string) string {
	for _, m := range b.d.Metrics {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}

// page writes one page: the whole plan (region "") or one region.
func (b *brief) page(region string, only map[string]bool, bound orb.Bound) error {
	d, pdf := b.d, b.pdf
	b.region = region
	pdf.AddPage()
	title := b.o.Map.Title
	if title == "" {
		title = d.Plan.Name + " — " + d.Current.Scenario.Name
	}
	if region != "" {
		title += " — " + region
	}
	pdf.SetTextColor(33, 37, 41)
	pdf.SetFont("body", "B", 15)
	pdf.SetXY(10, 9)
	pdf.CellFormat(277, 8, b.say(title), "", 1, "L", false, 0, "")
	pdf.SetFont("body", "", 8.5)
	pdf.SetTextColor(90, 98, 104)
	sub := d.tr("Scenario ", "方案 ") + d.Current.Scenario.Name
	if d.Baseline != nil {
		sub += d.tr(" · compared with ", " · 对比 ") + d.BaselineName
	}
	if cb := b.o.Map.ColorBy; cb != "" {
		sub += d.tr(" · coloured by ", " · 着色：") + MetricLabel(cb, d.Lang)
	}
	sub += d.tr(" · exported ", " · 导出于 ") + d.Now.Format("2006-01-02 15:04")
	pdf.CellFormat(277, 5, b.say(sub), "", 1, "L", false, 0, "")

	// The map, left.
	mo := b.o.Map
	mo.Title = title
	mo.Bound, mo.Only, mo.noTitle = bound, only, true
	if mo.TextScale <= 0 {
		mo.TextScale = 1.6
	}
	mo.Options = Options{Ctx: b.o.Map.Ctx}
	sc, err := buildScene(d, &mo)
	if err != nil {
		return err
	}
	b.text += sc.allText()
	var img bytes.Buffer
	if err := sc.writePNG(&img, mo.DPI, b.fs); err != nil {
		return err
	}
	name := fmt.Sprintf("map%d", pdf.PageNo())
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &img)
	mapW := 168.0
	mapH := mapW * float64(mo.Height) / float64(mo.Width)
	pdf.ImageOptions(name, 10, 24, mapW, mapH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetDrawColor(200, 205, 210)
	pdf.Rect(10, 24, mapW, mapH, "D")

	// Balance before and after, under the map (the whole plan's).
	b.balance(10, 24+mapH+5, mapW)

	// Key figures per territory, right.
	b.figures(10+mapW+5, 24, 277-mapW-5, only)
	return pdf.Error()
}

func (b *brief) balance(x, y, w float64) {
	d, pdf := b.d, b.pdf
	pdf.SetXY(x, y)
	pdf.SetTextColor(33, 37, 41)
	pdf.SetFont("body", "B", 10)
	head := d.tr("Balance across territories", "辖区均衡度")
	idx := fmt.Sprintf("  %s %.1f", d.tr("index", "指数"), d.Current.Balance.Index)
	if d.Baseline != nil {
		idx = fmt.Sprintf("  %s %.1f → %.1f", d.tr("index", "指数"), d.Baseline.Balance.Index, d.Current.Balance.Index)
	}
	if b.region != "" {
		head += d.tr(" (whole plan)", "（全计划）")
	}
	pdf.CellFormat(w, 6, b.say(head+idx), "", 1, "L", false, 0, "")
	cols := []struct {
		h string
		w float64
	}{{d.tr("Metric", "指标"), 52}, {d.tr("Weight", "权重"), 18}, {d.tr("CV before", "原变异系数"), 24}, {d.tr("CV now", "现变异系数"), 24}, {d.tr("Max dev. before", "原最大偏差"), 25}, {d.tr("Max dev. now", "现最大偏差"), 25}}
	pdf.SetFont("body", "B", 7.5)
	pdf.SetFillColor(221, 228, 238)
	pdf.SetX(x)
	for _, c := range cols {
		pdf.CellFormat(c.w, 5, b.say(c.h), "B", 0, "L", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("body", "", 7.5)
	n := 0
	for _, m := range d.Metrics {
		mb, ok := d.Current.Balance.Metrics[m.Name]
		if !ok || (mb.Weight <= 0 && n >= 6) {
			continue
		}
		pdf.SetX(x)
		before, beforeMax := "—", "—"
		if d.Baseline != nil {
			if bb, ok := d.Baseline.Balance.Metrics[m.Name]; ok {
				before, beforeMax = fmt.Sprintf("%.3f", bb.CV), fmt.Sprintf("%.0f %%", 100*bb.MaxAbsDeviation)
			}
		}
		cells := []string{MetricLabel(m.Name, d.Lang), fmt.Sprintf("%.0f %%", 100*mb.Weight/weightSum(d)), before, fmt.Sprintf("%.3f", mb.CV), beforeMax, fmt.Sprintf("%.0f %%", 100*mb.MaxAbsDeviation)}
		for i, c := range cells {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(cols[i].w, 4.2, b.say(c), "", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
		n++
		if n >= 9 {
			break
		}
	}
}

func weightSum(d *Data) float64 {
	s := 0.0
	for _, m := range d.Current.Balance.Metrics {
		s += m.Weight
	}
	if s <= 0 {
		return 1
	}
	return s
}

// figures writes the key figures of the territories (of one region when
// only is set), biggest deviations first marked by colour.
func (b *brief) figures(x, y, w float64, only map[string]bool) {
	d, pdf := b.d, b.pdf
	key := b.keyMetric()
	var rows []Row
	for _, r := range d.Current.Rows {
		if r.Kind == string(engine.KindTerritory) && (only == nil || only[r.ID]) {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Values["potential"] > rows[j].Values["potential"] })
	pdf.SetXY(x, y)
	pdf.SetFont("body", "B", 10)
	pdf.SetTextColor(33, 37, 41)
	pdf.CellFormat(w, 6, b.say(d.tr("Key figures per territory", "各辖区主要指标")), "", 1, "L", false, 0, "")
	cur := d.Plan.Currency
	cols := []struct {
		h, metric string
		w         float64
	}{
		{d.tr("Territory", "辖区"), "", 0.28},
		{d.tr("Rep", "销售代表"), "", 0.19},
		{d.tr("Accounts", "客户数"), "accounts", 0.12},
		{d.tr("Potential", "潜力") + " " + cur, "potential", 0.14},
		{d.tr("Revenue", "收入") + " " + cur, "revenue", 0.14},
		{d.tr("Δ ", "偏差 ") + MetricLabel(key, d.Lang), "", 0.13},
	}
	// Row height from the space left, between 3.2 and 4.6 mm.
	avail := 200 - (y + 6 + 5)
	rh := math.Max(3.2, math.Min(4.6, avail/float64(max(1, len(rows)))))
	fsz := math.Max(5.5, math.Min(7.5, rh*1.7))
	pdf.SetFillColor(221, 228, 238)
	header := func() {
		pdf.SetFont("body", "B", fsz*0.85)
		pdf.SetX(x)
		for _, c := range cols {
			pdf.CellFormat(c.w*w, rh+0.8, b.say(fit(pdf, c.h, c.w*w-1)), "B", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("body", "", fsz)
	}
	header()
	for _, r := range rows {
		if pdf.GetY()+rh > 200 {
			pdf.AddPage()
			pdf.SetXY(x, 12)
			header()
		}
		pdf.SetX(x)
		dev := "—"
		if v, ok := r.Deviation[key]; ok {
			dev = fmt.Sprintf("%+.0f %%", 100*v)
		}
		for i, c := range cols {
			var s string
			align := "R"
			switch {
			case i == 0:
				s, align = r.Name, "L"
			case i == 1:
				s, align = r.Rep, "L"
			case c.metric != "":
				s = fmtNumber(r.Values[c.metric], b.metricUnit(c.metric))
			default:
				s = dev
			}
			if i == len(cols)-1 {
				if v, ok := r.Deviation[key]; ok {
					c, _ := hexColor(bandColors[bandOf(v)])
					pdf.SetFillColor(int(c.r), int(c.g), int(c.b))
					pdf.CellFormat(c0(cols[i].w*w), rh, b.say(s), "", 0, align, true, 0, "")
					continue
				}
			}
			pdf.CellFormat(c0(c.w*w), rh, b.say(fit(pdf, s, c.w*w-1)), "", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
}

func c0(v float64) float64 { return v }

// fit shortens s with an ellipsis to fit width w in the current font.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

package export

import (
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/borders"
)

// MapOptions configure a map picture.
type MapOptions struct {
	Options
	// Width and Height are the picture's size in pixels (default 1600 ×
	// 1000; at most 20,000 each).
	Width, Height int
	// DPI is the resolution recorded in a PNG (default 144), which sets
	// its printed size.
	DPI float64
	// ColorBy colours territories by a metric: by the band of their
	// deviation from target for balanced metrics, else by quintile of
	// value. "" uses each territory's own colour.
	ColorBy string
	// Title is printed at the top (default: plan — scenario).
	Title string
	// Bound limits the map to an area (zero: where the accounts are).
	Bound orb.Bound
	// Only, when not nil, limits labels and the legend to these nodes
	// (the territories of one region); other territories are faded.
	Only map[string]bool
	// TextScale enlarges text and symbols (default 1), for pictures shown
	// small, as in the PDF brief.
	TextScale float64

	noTitle bool // the PDF prints its own title
}

func (o *MapOptions) defaults() {
	if o.Width <= 0 {
		o.Width = 1600
	}
	if o.Height <= 0 {
		o.Height = 1000
	}
	o.Width, o.Height = min(o.Width, 20000), min(o.Height, 20000)
	if o.DPI <= 0 {
		o.DPI = 144
	}
}

// WriteMap writes a picture of the scenario's map: territories coloured
// (by their colour or by a metric), their labels, outlines of districts
// and regions, drawn areas, a title, the date, a legend, a scale bar and a
// north arrow. The format follows path's extension: .png (rasterised here,
// headless) or .svg. It returns notes (such as a missing CJK font).
func WriteMap(path string, d *Data, o MapOptions) ([]string, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	o.defaults()
	sc, err := buildScene(d, &o)
	if err != nil {
		return nil, err
	}
	var notes []string
	if strings.EqualFold(extOf(path), ".svg") {
		err = writeAtomic(path, func(w io.Writer) error { return sc.writeSVG(w) })
	} else {
		fs := loadFonts()
		if n := fs.note(sc.allText()); n != "" {
			notes = append(notes, n)
		}
		err = writeAtomic(path, func(w io.Writer) error { return sc.writePNG(w, o.DPI, fs) })
	}
	if err != nil {
		return nil, err
	}
	o.progress("done", 1, 1)
	return notes, nil
}

func extOf(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 || strings.ContainsAny(path[i:], `/\`) {
		return ""
	}
	return path[i:]
}

// ---- the scene -------------------------------------------------------------

type rgba struct{ r, g, b, a uint8 }

func hexColor(s string) (rgba, bool) {
	s = validColor(s, "")
	if s == "" {
		return rgba{}, false
	}
	v := func(i int) uint8 {
		var n uint8
		for _, c := range s[i : i+2] {
			n <<= 4
			switch {
			case c >= '0' && c <= '9':
				n |= uint8(c - '0')
			case c >= 'a' && c <= 'f':
				n |= uint8(c - 'a' + 10)
			case c >= 'A' && c <= 'F':
				n |= uint8(c - 'A' + 10)
			}
		}
		return n
	}
	return rgba{v(1), v(3), v(5), 255}, true
}

func (c rgba) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

func (c rgba) alpha(a float64) rgba { c.a = uint8(math.Round(255 * a)); return c }

// path is a set of closed rings (fill) or open lines (stroke) in pixels.
type path [][]orb.Point

type fillItem struct {
	p    path
	c    rgba
	line rgba    // outline colour (alpha 0: none)
	lw   float64 // outline width
	dash bool
}

type lineItem struct {
	p    path
	c    rgba
	w    float64
	dash bool
}

type textItem struct {
	x, y   float64 // baseline position
	s      string
	size   float64
	c      rgba
	anchor byte // 's' start, 'm' middle, 'e' end
	bold   bool
	halo   bool
}

// scene is a picture as drawing operations, in pixels (y down), drawn in
// order: fills, lines, texts.
type scene struct {
	w, h  float64
	fills []fillItem
	lines []lineItem
	over  []fillItem // drawn after the lines (legend boxes, arrow)
	texts []textItem
	title string
	proj  proj
}

func (s *scene) allText() string {
	var b strings.Builder
	for _, t := range s.texts {
		b.WriteString(t.s)
	}
	return b.String()
}

// mercY is the Web Mercator ordinate of a latitude, in degrees.
func mercY(lat float64) float64 {
	lat = math.Max(-85, math.Min(85, lat))
	return math.Log(math.Tan(math.Pi/4+lat*math.Pi/360)) * 180 / math.Pi
}

// proj maps longitude/latitude into the map frame.
type proj struct {
	k, x0, y0 float64 // pixels per degree; frame offsets
	cx, cy    float64 // mercator centre
}

func (p proj) pt(q orb.Point) orb.Point {
	return orb.Point{p.x0 + (q[0]-p.cx)*p.k, p.y0 - (mercY(q[1])-p.cy)*p.k}
}

// mapBound is the area a map shows: where the accounts are (the 1st to
// 99th percentile in each direction, as the app opens), else the units.
func mapBound(p *engine.Plan) orb.Bound {
	var lons, lats []float64
	for i := range p.Accounts {
		if l := p.Accounts[i].Loc; !math.IsNaN(l[0]) && !math.IsNaN(l[1]) {
			lons, lats = append(lons, l[0]), append(lats, l[1])
		}
	}
	if len(lons) == 0 {
		for i := range p.Units {
			if len(p.Units[i].Geom) == 0 {
				continue
			}
			b := p.Units[i].Geom.Bound()
			lons, lats = append(lons, b.Min[0], b.Max[0]), append(lats, b.Min[1], b.Max[1])
		}
	}
	if len(lons) == 0 {
		return orb.Bound{Min: orb.Point{-125, 24}, Max: orb.Point{-66, 50}}
	}
	slices.Sort(lons)
	slices.Sort(lats)
	k := len(lons) / 100
	b := orb.Bound{Min: orb.Point{lons[k], lats[k]}, Max: orb.Point{lons[len(lons)-1-k], lats[len(lats)-1-k]}}
	if b.Max[0]-b.Min[0] < 0.01 {
		b.Min[0], b.Max[0] = b.Min[0]-0.5, b.Max[0]+0.5
	}
	if b.Max[1]-b.Min[1] < 0.01 {
		b.Min[1], b.Max[1] = b.Min[1]-0.5, b.Max[1]+0.5
	}
	return b
}

// palette is used for territories without a valid colour.
var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

var (
	colUnassigned = rgba{217, 217, 217, 255}
	colInk        = rgba{33, 37, 41, 255}
	colMuted      = rgba{90, 98, 104, 255}
	colWhite      = rgba{255, 255, 255, 255}
	colSea        = rgba{236, 241, 245, 255}
)

// deviation bands and their colours (blue below target, red above).
var bandEdges = []float64{-0.20, -0.10, -0.05, 0.05, 0.10, 0.20}
var bandColors = []string{"#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"}
var quintColors = []string{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"}

func bandOf(v float64) int {
	for i, e := range bandEdges {
		if v < e {
			return i
		}
	}
	return len(bandEdges)
}

func pct(v float64) string { return fmt.Sprintf("%+.0f %%", 100*v) }

type legendItem struct {
	c     rgba
	label string
}

// buildScene lays out the map picture.
func buildScene(d *Data, o *MapOptions) (*scene, error) {
	p, st := d.Plan, d.Current.State
	W, H := float64(o.Width), float64(o.Height)
	s := &scene{w: W, h: H}
	u := math.Min(W, H) / 1000 // layout unit
	if u <= 0 {
		return nil, fmt.Errorf("picture size %d × %d", o.Width, o.Height)
	}
	if o.TextScale > 0 {
		u *= o.TextScale
	}
	titleH := 70 * u
	if o.noTitle {
		titleH = 0
	}
	title := o.Title
	if title == "" {
		title = d.Plan.Name + " — " + d.Current.Scenario.Name
	}
	s.title = title

	// Colours of the territories.
	rows := map[string]*Row{}
	for i := range d.Current.Rows {
		if r := &d.Current.Rows[i]; r.ID != "" {
			rows[r.ID] = r
		}
	}
	nodeColor := make([]rgba, len(st.Nodes))
	var legend []legendItem
	colorBy := ""
	var metric Metric
	for _, m := range d.Metrics {
		if m.Name == o.ColorBy {
			colorBy, metric = m.Name, m
		}
	}
	if o.ColorBy != "" && colorBy == "" {
		return nil, fmt.Errorf("unknown metric %q to colour by", o.ColorBy)
	}
	shown := func(t int) bool { return o.Only == nil || o.Only[st.Nodes[t].ID] }
	hasDev := false
	for _, r := range d.Current.Rows {
		if _, ok := r.Deviation[colorBy]; ok {
			hasDev = true
			break
		}
	}
	switch {
	case colorBy == "":
		for i, t := range st.Nodes {
			c, ok := hexColor(t.Color)
			if !ok {
				c, _ = hexColor(palette[i%len(palette)])
			}
			nodeColor[i] = c
		}
		n := 0
		for i, t := range st.Nodes {
			if t.Kind != engine.KindTerritory || !shown(i) {
				continue
			}
			if n < 24 {
				legend = append(legend, legendItem{nodeColor[i], t.Name})
			}
			n++
		}
		if n > 24 {
			legend = append(legend, legendItem{rgba{}, fmt.Sprintf(d.tr("… and %d more", "… 另有 %d 个"), n-24)})
		}
	default:
		if hasDev {
			for i, t := range st.Nodes {
				nodeColor[i] = colUnassigned
				if r := rows[t.ID]; r != nil {
					if v, ok := r.Deviation[colorBy]; ok {
						nodeColor[i], _ = hexColor(bandColors[bandOf(v)])
					}
				}
			}
			for i := len(bandColors) - 1; i >= 0; i-- {
				c, _ := hexColor(bandColors[i])
				var l string
				switch {
				case i == 0:
					l = d.tr("below ", "低于 ") + pct(bandEdges[0])
				case i == len(bandColors)-1:
					l = d.tr("above ", "高于 ") + pct(bandEdges[len(bandEdges)-1])
				case bandEdges[i-1] < 0 && bandEdges[i] > 0:
					l = fmt.Sprintf("±%.0f %%", 100*bandEdges[i])
				default:
					l = pct(bandEdges[i-1]) + " … " + pct(bandEdges[i])
				}
				legend = append(legend, legendItem{c, l})
			}
		} else {
			var vals []float64
			for i, t := range st.Nodes {
				if r := rows[t.ID]; r != nil && t.Kind == engine.KindTerritory && shown(i) {
					if v, ok := r.Values[colorBy]; ok && !math.IsNaN(v) {
						vals = append(vals, v)
					}
				}
			}
			slices.Sort(vals)
			edges := make([]float64, 4)
			for q := range edges {
				if len(vals) > 0 {
					edges[q] = vals[min(len(vals)-1, (q+1)*len(vals)/5)]
				}
			}
			for i, t := range st.Nodes {
				nodeColor[i] = colUnassigned
				if r := rows[t.ID]; r != nil {
					if v, ok := r.Values[colorBy]; ok && !math.IsNaN(v) {
						q := sort.SearchFloat64s(edges, v)
						for q < len(edges) && v >= edges[q] {
							q++
						}
						nodeColor[i], _ = hexColor(quintColors[min(q, 4)])
					}
				}
			}
			prev := ""
			for q := 0; q < 5; q++ {
				c, _ := hexColor(quintColors[q])
				hi := ""
				if q < 4 {
					hi = fmtNumber(edges[q], metric.Unit)
				}
				var l string
				switch {
				case q == 0:
					l = "< " + hi
				case q == 4:
					l = "≥ " + prev
				default:
					l = prev + " – " + hi
				}
				prev = hi
				legend = append(legend, legendItem{c, l})
			}
		}
	}

	if o.Only != nil {
		for i := range nodeColor {
			if !shown(i) {
				c := nodeColor[i]
				nodeColor[i] = rgba{uint8((int(c.r) + 3*255) / 4), uint8((int(c.g) + 3*255) / 4), uint8((int(c.b) + 3*255) / 4), 255}
			}
		}
	}
	anyUnassigned := false
	for ui := range p.Units {
		if st.UnitTerr[ui] == engine.NoIndex && len(p.Units[ui].Geom) > 0 {
			anyUnassigned = true
			break
		}
	}
	if anyUnassigned {
		legend = append(legend, legendItem{colUnassigned, d.tr("Unassigned", "未分配")})
	}

	// Layout: a long legend gets a panel on the right; a short one sits in
	// the map's lower left corner. Labels keep clear of both.
	fs := loadFonts()
	ls, rowH := 12*u, 18*u
	maxW := 0.0
	for _, it := range legend {
		maxW = math.Max(maxW, fs.measure(it.label, ls, false))
	}
	frameW := W
	var legendBox orb.Bound
	if len(legend) > 0 {
		bw := math.Min(maxW+46*u, 0.3*W)
		bh := float64(len(legend))*rowH + 14*u
		if len(legend) > 9 {
			frameW = W - bw - 8*u
			legendBox = orb.Bound{Min: orb.Point{frameW + 4*u, titleH + 10*u}, Max: orb.Point{W - 8*u, titleH + 10*u + bh}}
		} else {
			legendBox = orb.Bound{Min: orb.Point{14 * u, H - 14*u - bh}, Max: orb.Point{14*u + bw, H - 14*u}}
		}
	}

	// Projection: fit the bound into the frame below the title.
	b := o.Bound
	if b.IsZero() {
		b = mapBound(p)
	}
	pad := 0.04
	mx0, mx1 := b.Min[0], b.Max[0]
	my0, my1 := mercY(b.Min[1]), mercY(b.Max[1])
	dx, dy := (mx1-mx0)*(1+2*pad), (my1-my0)*(1+2*pad)
	fw, fh := frameW, H-titleH
	k := math.Min(fw/math.Max(dx, 1e-9), fh/math.Max(dy, 1e-9))
	pr := proj{k: k, x0: fw / 2, y0: titleH + fh/2, cx: (mx0 + mx1) / 2, cy: (my0 + my1) / 2}
	s.proj = pr

	// Units, by colour.
	s.fills = append(s.fills, fillItem{p: path{{{0, titleH}, {frameW, titleH}, {frameW, H}, {0, H}}}, c: colSea})
	byColor := map[rgba]path{}
	var order []rgba
	for ui := range p.Units {
		if err := o.tick("units", ui, len(p.Units)); err != nil {
			return nil, err
		}
		c := colUnassigned
		if t := st.UnitTerr[ui]; t != engine.NoIndex {
			c = nodeColor[t]
		}
		if _, ok := byColor[c]; !ok {
			order = append(order, c)
		}
		for _, poly := range p.Units[ui].Geom {
			for _, r := range poly {
				byColor[c] = append(byColor[c], projectRing(pr, r))
			}
		}
	}
	for _, c := range order {
		s.fills = append(s.fills, fillItem{p: byColor[c], c: c})
	}
	// Drawn areas over the units.
	for i, t := range st.Nodes {
		if len(t.Polygon) == 0 || (o.Only != nil && !shown(i)) {
			continue
		}
		var pp path
		for _, r := range t.Polygon {
			pp = append(pp, projectRing(pr, r))
		}
		s.fills = append(s.fills, fillItem{p: pp, c: nodeColor[i].alpha(0.55), line: colInk, lw: 1.4 * u, dash: true})
	}

	// Borders: territories thin, districts and regions thicker, outer edges grey.
	set, err := borders.Compute(p, st)
	if err != nil {
		return nil, err
	}
	lines := func(ml orb.MultiLineString) path {
		out := make(path, 0, len(ml))
		for _, l := range ml {
			q := make([]orb.Point, len(l))
			for i, pt := range l {
				q[i] = pr.pt(pt)
			}
			out = append(out, q)
		}
		return out
	}
	s.lines = append(s.lines,
		lineItem{p: lines(set.Edge), c: rgba{120, 128, 135, 255}, w: 0.8 * u},
		lineItem{p: lines(set.Territory), c: rgba{255, 255, 255, 230}, w: 1.2 * u},
		lineItem{p: lines(set.District), c: rgba{60, 64, 68, 255}, w: 1.6 * u},
		lineItem{p: lines(set.Region), c: colInk, w: 2.6 * u})

	// Labels, biggest territories first, skipping those that would overlap.
	labels := borders.Labels(p, st)
	type cand struct {
		t      int
		weight float64
	}
	var cands []cand
	for t, l := range labels {
		if !l.OK || st.Nodes[t].Kind != engine.KindTerritory || !shown(t) {
			continue
		}
		w := 0.0
		if r := rows[st.Nodes[t].ID]; r != nil {
			w = r.Values["units"] + r.Values["accounts"]/1000
		}
		cands = append(cands, cand{t, w})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].weight > cands[j].weight })
	size := 13 * u
	scaleBox := orb.Bound{Min: orb.Point{frameW - W/5 - 40*u, H - 54*u}, Max: orb.Point{frameW, H}}
	arrowBox := orb.Bound{Min: orb.Point{frameW - 60*u, titleH}, Max: orb.Point{frameW, titleH + 80*u}}
	placed := []orb.Bound{scaleBox, arrowBox}
	if !legendBox.IsZero() {
		placed = append(placed, legendBox)
	}
	frame := orb.Bound{Min: orb.Point{0, titleH}, Max: orb.Point{frameW, H}}
	for _, c := range cands {
		name := st.Nodes[c.t].Name
		at := pr.pt(labels[c.t].Point)
		w := fs.measure(name, size, true)
		bx := orb.Bound{Min: orb.Point{at[0] - w/2 - 2*u, at[1] - size}, Max: orb.Point{at[0] + w/2 + 2*u, at[1] + 0.4*size}}
		if !frame.Contains(bx.Min) || !frame.Contains(bx.Max) {
			continue
		}
		clash := false
		for _, q := range placed {
			if q.Intersects(bx) {
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		placed = append(placed, bx)
		s.texts = append(s.texts, textItem{x: at[0], y: at[1] + 0.35*size, s: name, size: size, c: colInk, anchor: 'm', bold: true, halo: true})
	}

	// The map stops at its frame: cover what lies beyond it.
	if frameW < W {
		s.over = append(s.over, fillItem{p: path{{{frameW, titleH}, {W, titleH}, {W, H}, {frameW, H}}}, c: colWhite})
	}
	if !o.noTitle {
		// Title band.
		s.over = append(s.over, fillItem{p: path{{{0, 0}, {W, 0}, {W, titleH}, {0, titleH}}}, c: colWhite, line: rgba{200, 205, 210, 255}, lw: u})
		s.texts = append(s.texts, textItem{x: 18 * u, y: 34 * u, s: title, size: 26 * u, c: colInk, anchor: 's', bold: true})
		nTerr := 0
		for _, t := range st.Nodes {
			if t.Kind == engine.KindTerritory {
				nTerr++
			}
		}
		sub := d.Current.Scenario.Name + " · " + fmt.Sprintf(d.tr("%d territories · %d accounts", "%d 个辖区 · %d 个客户"), nTerr, len(p.Accounts))
		if colorBy != "" {
			what := d.tr("deviation from target: ", "与目标的偏差：")
			if !hasDev {
				what = ""
			}
			sub += " · " + d.tr("coloured by ", "着色：") + what + MetricLabel(colorBy, d.Lang)
		}
		s.texts = append(s.texts, textItem{x: 18 * u, y: 58 * u, s: sub, size: 14 * u, c: colMuted, anchor: 's'})
		s.texts = append(s.texts, textItem{x: W - 18*u, y: 58 * u, s: d.Now.Format("2006-01-02"), size: 14 * u, c: colMuted, anchor: 'e'})
	}
	// Legend.
	if len(legend) > 0 {
		x0, y0 := legendBox.Min[0], legendBox.Min[1]
		s.over = append(s.over, fillItem{p: path{{{x0, y0}, {legendBox.Max[0], y0}, {legendBox.Max[0], legendBox.Max[1]}, {x0, legendBox.Max[1]}}}, c: colWhite.alpha(0.92), line: rgba{180, 186, 192, 255}, lw: u})
		for i, it := range legend {
			cx, cy := x0+8*u, y0+7*u+float64(i)*rowH
			if it.c.a > 0 {
				s.over = append(s.over, fillItem{p: path{{{cx, cy + 2*u}, {cx + 18*u, cy + 2*u}, {cx + 18*u, cy + 14*u}, {cx, cy + 14*u}}}, c: it.c, line: rgba{120, 120, 120, 255}, lw: 0.6 * u})
			}
			label := it.label
			for len(label) > 1 && fs.measure(label, ls, false) > legendBox.Max[0]-cx-30*u {
				r := []rune(label)
				label = string(r[:len(r)-2]) + "…"
			}
			s.texts = append(s.texts, textItem{x: cx + 24*u, y: cy + 12.5*u, s: label, size: ls, c: colInk, anchor: 's'})
		}
	}

	// Scale bar, bottom right: a round distance near a fifth of the width.
	midLat := (b.Min[1] + b.Max[1]) / 2
	kmPerPx := 111.32 * math.Cos(midLat*math.Pi/180) / k
	if kmPerPx > 0 && !math.IsInf(kmPerPx, 0) {
		target := W / 5 * kmPerPx
		step := math.Pow(10, math.Floor(math.Log10(target)))
		for _, m := range []float64{5, 2, 1} {
			if m*step <= target {
				step *= m
				break
			}
		}
		bar := step / kmPerPx
		x1, y := frameW-24*u, H-28*u
		x0 := x1 - bar
		s.over = append(s.over, fillItem{p: path{{{x0 - 8*u, y - 22*u}, {x1 + 8*u, y - 22*u}, {x1 + 8*u, y + 10*u}, {x0 - 8*u, y + 10*u}}}, c: colWhite.alpha(0.85)})
		s.over = append(s.over, fillItem{p: path{{{x0, y - 4*u}, {x0 + bar/2, y - 4*u}, {x0 + bar/2, y + 2*u}, {x0, y + 2*u}}}, c: colInk, line: colInk, lw: u})
		s.over = append(s.over, fillItem{p: path{{{x0 + bar/2, y - 4*u}, {x1, y - 4*u}, {x1, y + 2*u}, {x0 + bar/2, y + 2*u}}}, c: colWhite, line: colInk, lw: u})
		s.texts = append(s.texts, textItem{x: x0, y: y - 9*u, s: "0", size: 11 * u, c: colInk, anchor: 's'},
			textItem{x: x1, y: y - 9*u, s: fmt.Sprintf("%g km", step), size: 11 * u, c: colInk, anchor: 'e'})
	}

	// North arrow, top right of the map.
	ax, ay := frameW-40*u, titleH+22*u
	s.over = append(s.over, fillItem{p: path{{{ax, ay}, {ax + 10*u, ay + 34*u}, {ax, ay + 26*u}}}, c: colInk, line: colInk, lw: 0.8 * u},
		fillItem{p: path{{{ax, ay}, {ax, ay + 26*u}, {ax - 10*u, ay + 34*u}}}, c: colWhite, line: colInk, lw: 0.8 * u})
	s.texts = append(s.texts, textItem{x: ax, y: ay + 52*u, s: "N", size: 15 * u, c: colInk, anchor: 'm', bold: true, halo: true})
	return s, nil
}

func projectRing(pr proj, r orb.Ring) []orb.Point {
	q := make([]orb.Point, len(r))
	for i, pt := range r {
		q[i] = pr.pt(pt)
	}
	return q
}

// fmtNumber writes a figure briefly: 1.2M, 34k, 0.85, 45 %.
func fmtNumber(v float64, unit string) string {
	if unit == "fraction" {
		return fmt.Sprintf("%.0f %%", 100*v)
	}
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return fmt.Sprintf("%.1fB", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a >= 100 || v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

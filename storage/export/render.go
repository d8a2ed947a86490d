package export

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// ---- text measuring and glyphs --------------------------------------------

// face picks, for each character, the first font that has it: the Go font
// (regular or bold) for Latin text, the system CJK font for the rest.
func (fs *fontSet) fontFor(r rune, bold bool, buf *sfnt.Buffer) (*sfnt.Font, sfnt.GlyphIndex) {
	lat := fs.regular
	if bold {
		lat = fs.bold
	}
	if lat != nil {
		if gi, err := lat.GlyphIndex(buf, r); err == nil && gi != 0 {
			return lat, gi
		}
	}
	if fs.cjk != nil {
		if gi, err := fs.cjk.GlyphIndex(buf, r); err == nil && gi != 0 {
			return fs.cjk, gi
		}
	}
	return lat, 0 // .notdef: a box
}

// measure returns the advance width of s at size pixels.
func (fs *fontSet) measure(s string, size float64, bold bool) float64 {
	if fs == nil || fs.regular == nil {
		return 0.55 * size * float64(len([]rune(s)))
	}
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	w := 0.0
	for _, r := range s {
		f, gi := fs.fontFor(r, bold, &buf)
		adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err != nil {
			continue
		}
		w += float64(adv) / 64
	}
	return w
}

// ---- PNG ---------------------------------------------------------------------

type rasterizer struct {
	img *image.RGBA
	z   vector.Rasterizer
}

// fill draws the union of closed rings (non-zero winding; rings wound the
// other way cut holes) in colour c.
func (r *rasterizer) fill(p path, c rgba) {
	if len(p) == 0 || c.a == 0 {
		return
	}
	b := r.img.Bounds()
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, ring := range p {
		for _, q := range ring {
			minX, minY = math.Min(minX, q[0]), math.Min(minY, q[1])
			maxX, maxY = math.Max(maxX, q[0]), math.Max(maxY, q[1])
		}
	}
	x0, y0 := max(b.Min.X, int(math.Floor(minX))), max(b.Min.Y, int(math.Floor(minY)))
	x1, y1 := min(b.Max.X, int(math.Ceil(maxX))+1), min(b.Max.Y, int(math.Ceil(maxY))+1)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	r.z.Reset(x1-x0, y1-y0)
	ox, oy := float64(x0), float64(y0)
	for _, ring := range p {
		if len(ring) < 3 {
			continue
		}
		r.z.MoveTo(float32(ring[0][0]-ox), float32(ring[0][1]-oy))
		for _, q := range ring[1:] {
			r.z.LineTo(float32(q[0]-ox), float32(q[1]-oy))
		}
		r.z.ClosePath()
	}
	src := image.NewUniform(color.NRGBA{c.r, c.g, c.b, c.a})
	r.z.Draw(r.img, image.Rect(x0, y0, x1, y1), src, image.Point{})
}

// strokePath turns lines into quads (one per segment) and small squares
// at the joins, all wound the same way, so that filling them draws the
// lines at width w.
func strokePath(p path, w float64, closed, dash bool) path {
	var out path
	h := w / 2
	dashOn, dashOff := 6*w, 4*w
	for _, l := range p {
		n := len(l)
		if closed && n > 2 && l[0] != l[n-1] {
			l = append(append([]orb.Point(nil), l...), l[0])
			n++
		}
		dashOnNow, dashLeft := true, dashOn
		for i := 0; i+1 < n; i++ {
			a, b := l[i], l[i+1]
			dx, dy := b[0]-a[0], b[1]-a[1]
			length := math.Hypot(dx, dy)
			if length == 0 {
				continue
			}
			ux, uy := dx/length, dy/length
			segs := [][2]float64{{0, length}}
			if dash {
				// Walk the segment through the dash pattern: on for dashOn,
				// off for dashOff, carrying the state into the next segment.
				segs = segs[:0]
				for t := 0.0; t < length; {
					step := math.Min(length-t, dashLeft)
					if dashOnNow {
						segs = append(segs, [2]float64{t, t + step})
					}
					t += step
					dashLeft -= step
					if dashLeft <= 1e-9 {
						dashOnNow = !dashOnNow
						dashLeft = dashOff
						if dashOnNow {
							dashLeft = dashOn
						}
					}
				}
			}
			for _, sg := range segs {
				p0 := orb.Point{a[0] + ux*sg[0], a[1] + uy*sg[0]}
				p1 := orb.Point{a[0] + ux*sg[1], a[1] + uy*sg[1]}
				nx, ny := -uy*h, ux*h
				out = append(out, []orb.Point{{p0[0] + nx, p0[1] + ny}, {p1[0] + nx, p1[1] + ny}, {p1[0] - nx, p1[1] - ny}, {p0[0] - nx, p0[1] - ny}})
			}
			if !dash && i+2 < n {
				out = append(out, []orb.Point{{b[0] - h, b[1] - h}, {b[0] + h, b[1] - h}, {b[0] + h, b[1] + h}, {b[0] - h, b[1] + h}})
			}
		}
	}
	// Make every piece wind the same way (a quad's winding depends on the
	// direction of its segment under y-down pixels).
	for i, q := range out {
		if signedArea(q) < 0 {
			for a, b := 0, len(q)-1; a < b; a, b = a+1, b-1 {
				q[a], q[b] = q[b], q[a]
			}
			out[i] = q
		}
	}
	return out
}

func signedArea(r []orb.Point) float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return s / 2
}

// text draws s with its baseline at (x, y).
func (r *rasterizer) text(t textItem, fs *fontSet) {
	if fs == nil || fs.regular == nil {
		return
	}
	w := fs.measure(t.s, t.size, t.bold)
	x := t.x
	switch t.anchor {
	case 'm':
		x -= w / 2
	case 'e':
		x -= w
	}
	if t.halo {
		hc := colWhite.alpha(0.85)
		d := math.Max(1, t.size/10)
		for _, off := range [][2]float64{{-d, 0}, {d, 0}, {0, -d}, {0, d}, {-d, -d}, {d, d}, {-d, d}, {d, -d}} {
			r.glyphs(t.s, x+off[0], t.y+off[1], t.size, t.bold, hc, fs)
		}
	}
	r.glyphs(t.s, x, t.y, t.size, t.bold, t.c, fs)
}

func (r *rasterizer) glyphs(s string, x, y, size float64, bold bool, c rgba, fs *fontSet) {
	var buf sfnt.Buffer
	ppem := fixed.Int26_6(size * 64)
	b := r.img.Bounds()
	// One rasterizer over the text's box.
	w := fs.measure(s, size, bold)
	x0, y0 := max(b.Min.X, int(math.Floor(x-2))), max(b.Min.Y, int(math.Floor(y-1.3*size)))
	x1, y1 := min(b.Max.X, int(math.Ceil(x+w+2))), min(b.Max.Y, int(math.Ceil(y+0.5*size)))
	if x1 <= x0 || y1 <= y0 {
		return
	}
	r.z.Reset(x1-x0, y1-y0)
	pen := x
	for _, ch := range s {
		f, gi := fs.fontFor(ch, bold, &buf)
		segs, err := f.LoadGlyph(&buf, gi, ppem, nil)
		if err == nil {
			ox, oy := float32(pen-float64(x0)), float32(y-float64(y0))
			open := false
			for _, sg := range segs {
				a := sg.Args
				switch sg.Op {
				case sfnt.SegmentOpMoveTo:
					// Close the previous contour: MoveTo does not.
					if open {
						r.z.ClosePath()
					}
					open = true
					r.z.MoveTo(ox+fx(a[0].X), oy+fx(a[0].Y))
				case sfnt.SegmentOpLineTo:
					r.z.LineTo(ox+fx(a[0].X), oy+fx(a[0].Y))
				case sfnt.SegmentOpQuadTo:
					r.z.QuadTo(ox+fx(a[0].X), oy+fx(a[0].Y), ox+fx(a[1].X), oy+fx(a[1].Y))
				case sfnt.SegmentOpCubeTo:
					r.z.CubeTo(ox+fx(a[0].X), oy+fx(a[0].Y), ox+fx(a[1].X), oy+fx(a[1].Y), ox+fx(a[2].X), oy+fx(a[2].Y))
				}
			}
			if open {
				r.z.ClosePath()
			}
		}
		if adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone); err == nil {
			pen += float64(adv) / 64
		}
	}
	r.z.Draw(r.img, image.Rect(x0, y0, x1, y1), image.NewUniform(color.NRGBA{c.r, c.g, c.b, c.a}), image.Point{})
}

func fx(v fixed.Int26_6) float32 { return float32(v) / 64 }

// render draws the scene into an image.
func (s *scene) render(fs *fontSet) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, int(s.w), int(s.h)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	r := &rasterizer{img: img}
	drawFill := func(f fillItem) {
		r.fill(f.p, f.c)
		if f.line.a > 0 && f.lw > 0 {
			r.fill(strokePath(f.p, f.lw, true, f.dash), f.line)
		}
	}
	for _, f := range s.fills {
		drawFill(f)
	}
	for _, l := range s.lines {
		r.fill(strokePath(l.p, l.w, false, l.dash), l.c)
	}
	for _, f := range s.over {
		drawFill(f)
	}
	for _, t := range s.texts {
		r.text(t, fs)
	}
	return img
}

// writePNG encodes the picture with its resolution in a pHYs chunk.
func (s *scene) writePNG(w io.Writer, dpi float64, fs *fontSet) error {
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, s.render(fs)); err != nil {
		return err
	}
	return writeWithDPI(w, buf.Bytes(), dpi)
}

// writeWithDPI copies a PNG, inserting a pHYs chunk (pixels per metre)
// after the header chunk.
func writeWithDPI(w io.Writer, pngData []byte, dpi float64) error {
	const ihdrEnd = 8 + 8 + 13 + 4 // signature, IHDR length+type, IHDR data, CRC
	if len(pngData) < ihdrEnd {
		return fmt.Errorf("png: too short")
	}
	ppm := uint32(math.Round(dpi / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	if _, err := w.Write(pngData[:ihdrEnd]); err != nil {
		return err
	}
	if _, err := w.Write(chunk); err != nil {
		return err
	}
	_, err := w.Write(pngData[ihdrEnd:])
	return err
}

// ---- SVG ---------------------------------------------------------------------

// svgFonts lets the viewer pick a font with the characters needed.
const svgFonts = `'Noto Sans', 'Segoe UI', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'WenQuanYi Zen Hei', sans-serif`

func svgNum(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, math.Round(v*100)/100, 'f', -1, 64)
}

func svgPath(p path, closed bool) string {
	var b []byte
	for _, l := range p {
		for i, q := range l {
			if i == 0 {
				b = append(b, 'M')
			} else {
				b = append(b, 'L')
			}
			b = svgNum(b, q[0])
			b = append(b, ' ')
			b = svgNum(b, q[1])
		}
		if closed {
			b = append(b, 'Z')
		}
	}
	return string(b)
}

func svgPaint(c rgba) string {
	if c.a == 255 {
		return c.hex()
	}
	return fmt.Sprintf("%s\" fill-opacity=\"%.3f", c.hex(), float64(c.a)/255)
}

func svgStroke(c rgba) string {
	if c.a == 255 {
		return c.hex()
	}
	return fmt.Sprintf("%s\" stroke-opacity=\"%.3f", c.hex(), float64(c.a)/255)
}

func (s *scene) writeSVG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", int(s.w), int(s.h), int(s.w), int(s.h))
	bw.WriteString("<title>")
	xmlText(bw, s.title)
	bw.WriteString("</title>\n")
	fmt.Fprintf(bw, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fill := func(f fillItem) {
		fmt.Fprintf(bw, `<path fill-rule="nonzero" fill="%s" d="%s"`, svgPaint(f.c), svgPath(f.p, true))
		if f.line.a > 0 && f.lw > 0 {
			fmt.Fprintf(bw, ` stroke="%s" stroke-width="%.2f" stroke-linejoin="round"`, svgStroke(f.line), f.lw)
			if f.dash {
				fmt.Fprintf(bw, ` stroke-dasharray="%.1f %.1f"`, 6*f.lw, 4*f.lw)
			}
		}
		bw.WriteString("/>\n")
	}
	for _, f := range s.fills {
		fill(f)
	}
	for _, l := range s.lines {
		if len(l.p) == 0 {
			continue
		}
		fmt.Fprintf(bw, `<path fill="none" stroke="%s" stroke-width="%.2f" stroke-linejoin="round" stroke-linecap="round" d="%s"/>`+"\n", svgStroke(l.c), l.w, svgPath(l.p, false))
	}
	for _, f := range s.over {
		fill(f)
	}
	fmt.Fprintf(bw, `<g font-family="%s">`+"\n", strings.ReplaceAll(svgFonts, `"`, ""))
	for _, t := range s.texts {
		anchor := map[byte]string{'s': "start", 'm': "middle", 'e': "end"}[t.anchor]
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" font-size="%.1f" text-anchor="%s" fill="%s"`, t.x, t.y, t.size, anchor, t.c.hex())
		if t.bold {
			bw.WriteString(` font-weight="bold"`)
		}
		if t.halo {
			fmt.Fprintf(bw, ` stroke="#ffffff" stroke-opacity="0.85" stroke-width="%.1f" paint-order="stroke" stroke-linejoin="round"`, math.Max(2, t.size/5))
		}
		bw.WriteString(">")
		xmlText(bw, t.s)
		bw.WriteString("</text>\n")
	}
	bw.WriteString("</g>\n</svg>\n")
	return bw.Flush()
}

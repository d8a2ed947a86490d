package export

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteMapPNG(t *testing.T) {
	d := fixture(t, "zh-CN")
	tests := []struct {
		name    string
		opts    MapOptions
		w, h    int
		dpi     float64
		colorAt string // expected colour at the centre of unit 110100 (T2)
	}{
		{"territory colours", MapOptions{}, 1600, 1000, 144, "#377eb8"},
		{"chosen size and DPI", MapOptions{Width: 800, Height: 600, DPI: 300}, 800, 600, 300, "#377eb8"},
		{"by deviation", MapOptions{ColorBy: "potential"}, 1600, 1000, 144, bandColors[bandOf(rowDev(d, "T2", "potential"))]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "map.png")
			o := tc.opts
			o.Bound = d.Plan.Units[0].Geom.Bound().Union(d.Plan.Units[5].Geom.Bound())
			if _, err := WriteMap(path, d, o); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Fatalf("size %v", b)
			}
			i := bytes.Index(raw, []byte("pHYs"))
			if i < 0 {
				t.Fatal("no pHYs chunk")
			}
			ppm := binary.BigEndian.Uint32(raw[i+4:])
			if got := float64(ppm) * 0.0254; math.Abs(got-tc.dpi) > 0.5 {
				t.Errorf("DPI %v, want %v", got, tc.dpi)
			}
			// Probe a point of unit 110100 away from labels: its lower left quarter.
			oo := o
			oo.defaults()
			pr := projFor(d, &oo)
			q := pr.pt(d.Plan.Units[1].Geom[0][0][0])
			q[0] += 0.08 * pr.k
			q[1] -= 0.08 * pr.k
			r, g, b, _ := img.At(int(q[0]), int(q[1])).RGBA()
			got := rgba{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 255}.hex()
			if got != tc.colorAt {
				t.Errorf("colour at T2 %s, want %s", got, tc.colorAt)
			}
		})
	}
}

func rowDev(d *Data, id, m string) float64 {
	for _, r := range d.Current.Rows {
		if r.ID == id {
			return r.Deviation[m]
		}
	}
	return math.NaN()
}

// projFor repeats buildScene's projection for tests.
func projFor(d *Data, o *MapOptions) proj {
	sc, _ := buildScene(d, o)
	return sc.proj
}

func TestWriteMapSVG(t *testing.T) {
	d := fixture(t, "zh-CN")
	path := filepath.Join(t.TempDir(), "map.svg")
	if _, err := WriteMap(path, d, MapOptions{Title: "计划 <A&B>"}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	var doc struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Title  string `xml:"title"`
		Texts  []struct {
			Text string `xml:",chardata"`
		} `xml:"g>text"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if doc.Width != "1600" || doc.Height != "1000" || doc.Title != "计划 <A&B>" {
		t.Errorf("svg %s × %s, title %q", doc.Width, doc.Height, doc.Title)
	}
	var texts []string
	for _, x := range doc.Texts {
		texts = append(texts, x.Text)
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"计划 <A&B>", "东区", "West", "N", "km", "2026-03-14", "未分配"} {
		if !strings.Contains(all, want) {
			t.Errorf("no text %q in %q", want, all)
		}
	}
}

func TestWriteMapErrors(t *testing.T) {
	d := fixture(t, "en")
	if _, err := WriteMap(filepath.Join(t.TempDir(), "m.png"), d, MapOptions{ColorBy: "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown metric: %v", err)
	}
}

func TestWritePDF(t *testing.T) {
	for _, tc := range []struct {
		name      string
		lang      string
		perRegion bool
		pages     int
	}{{"plan", "en", false, 1}, {"per region, Chinese", "zh-CN", true, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			d := fixture(t, tc.lang)
			path := filepath.Join(t.TempDir(), "brief.pdf")
			notes, err := WritePDF(path, d, PDFOptions{PerRegion: tc.perRegion})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(path)
			if !bytes.HasPrefix(raw, []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
			if n := bytes.Count(raw, []byte("/Type /Page\n")) + bytes.Count(raw, []byte("/Type /Page ")); n != tc.pages {
				t.Errorf("%d pages, want %d", n, tc.pages)
			}
			if loadFonts().cjkTTF != nil && len(notes) > 0 {
				t.Errorf("notes %v although a CJK font is installed", notes)
			}
		})
	}
}

func BenchmarkWriteMapPNG(b *testing.B) {
	d := fixture(b, "en")
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteMap(filepath.Join(dir, "m.png"), d, MapOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

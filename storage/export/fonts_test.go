package export

import (
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// ttcOf wraps single fonts into a TrueType collection: header, offsets,
// then each font with its table offsets moved by where it lands.
func ttcOf(fonts ...[]byte) []byte {
	head := 12 + 4*len(fonts)
	out := make([]byte, head)
	copy(out, "ttcf")
	binary.BigEndian.PutUint32(out[4:], 0x00010000)
	binary.BigEndian.PutUint32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		at := len(out)
		binary.BigEndian.PutUint32(out[12+4*i:], uint32(at))
		g := append([]byte(nil), f...)
		n := int(binary.BigEndian.Uint16(g[4:]))
		for k := 0; k < n; k++ {
			rec := 12 + 16*k
			binary.BigEndian.PutUint32(g[rec+8:], binary.BigEndian.Uint32(g[rec+8:])+uint32(at))
		}
		out = append(out, g...)
	}
	return out
}

func TestExtractTTC(t *testing.T) {
	ttc := ttcOf(goregular.TTF, goregular.TTF)
	for i := 0; i < 2; i++ {
		one, err := extractTTC(ttc, i)
		if err != nil {
			t.Fatal(err)
		}
		f, err := sfnt.Parse(one)
		if err != nil {
			t.Fatalf("font %d: %v", i, err)
		}
		var b sfnt.Buffer
		if gi, err := f.GlyphIndex(&b, 'A'); err != nil || gi == 0 {
			t.Errorf("font %d: no glyph for A (%v)", i, err)
		}
		if !hasTable(one, "glyf") || hasTable(one, "CFF ") {
			t.Errorf("font %d: tables", i)
		}
	}
	for _, tc := range []struct {
		name string
		data []byte
		i    int
	}{{"not a collection", goregular.TTF, 0}, {"no such font", ttc, 5}, {"truncated", ttc[:40], 1}} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := extractTTC(tc.data, tc.i); err == nil {
				t.Error("no error")
			}
		})
	}
	// The Go font has no Chinese characters: not a CJK font.
	if _, _, err := parseCJK(ttc); err == nil {
		t.Error("a Latin collection taken for a CJK font")
	}
}

func TestFontNote(t *testing.T) {
	without := &fontSet{}
	if n := without.note("Plain text"); n != "" {
		t.Errorf("note for Latin text: %q", n)
	}
	if n := without.note("北京"); !strings.Contains(n, "TERRITORIA_FONT") {
		t.Errorf("note without a CJK font: %q", n)
	}
	fs := loadFonts()
	if fs.regular == nil || fs.bold == nil {
		t.Fatal("the compiled-in fonts do not parse")
	}
	if fs.cjk != nil && fs.note("北京") != "" {
		t.Error("a note although a CJK font was found")
	}
	t.Logf("CJK font: %q (TrueType for PDF: %v)", fs.cjkPath, fs.cjkTTF != nil)
}

// FuzzExtractTTC: any bytes give a font or an error, never a panic.
func FuzzExtractTTC(f *testing.F) {
	f.Add(ttcOf(goregular.TTF)[:400], 0)
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xf0"), 0)
	f.Fuzz(func(t *testing.T, data []byte, i int) {
		if i < 0 || i > 4 {
			return
		}
		one, err := extractTTC(data, i)
		if err == nil {
			hasTable(one, "glyf")
		}
		parseCJK(data)
	})
}

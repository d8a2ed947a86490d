package export

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// Fonts for map pictures and the PDF brief.
//
// Latin text uses the Go fonts, which are compiled in. Chinese (and other
// CJK) text needs a font with those characters; none is compiled in (a
// CJK font is 10–20 MB), so one is looked up on the system: the file named
// by the TERRITORIA_FONT environment variable, else the first of a list of
// the usual places on Linux (WenQuanYi, Noto/Source Han, Droid, AR PL),
// Windows (Microsoft YaHei, SimHei, SimSun) and macOS (PingFang, Hiragino
// Sans GB, STHeiti, Arial Unicode). Collections (.ttc) are read too. The
// PDF writer needs TrueType outlines; a CFF-flavoured font (most .otf)
// serves PNG pictures only. Without a CJK font, such characters are drawn
// as boxes and the export says so in its notes. SVG pictures leave text to
// the viewer, which finds its own fonts.

// fontCandidates are the places CJK fonts are usually installed.
var fontCandidates = map[string][]string{
	"linux": {
		"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
		"/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
		"/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/truetype/arphic/uming.ttc",
		"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
		"/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf",
	},
	"windows": {
		`C:\Windows\Fonts\msyh.ttc`,
		`C:\Windows\Fonts\simhei.ttf`,
		`C:\Windows\Fonts\simsun.ttc`,
		`C:\Windows\Fonts\Deng.ttf`,
	},
	"darwin": {
		"/System/Library/Fonts/PingFang.ttc",
		"/System/Library/Fonts/Hiragino Sans GB.ttc",
		"/System/Library/Fonts/STHeiti Light.ttc",
		"/Library/Fonts/Arial Unicode.ttf",
		"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	},
}

// fontSet holds the parsed fonts.
type fontSet struct {
	regular, bold *sfnt.Font
	cjk           *sfnt.Font
	cjkPath       string
	// cjkTTF is the CJK font as a standalone TrueType file (extracted from a
	// collection), or nil when it has no TrueType outlines.
	cjkTTF []byte
}

var (
	fontsOnce sync.Once
	fonts     *fontSet
)

// loadFonts parses the compiled-in Latin fonts and looks for a CJK font.
func loadFonts() *fontSet {
	fontsOnce.Do(func() {
		fs := &fontSet{}
		fs.regular, _ = sfnt.Parse(goregular.TTF)
		fs.bold, _ = sfnt.Parse(gobold.TTF)
		var paths []string
		if p := os.Getenv("TERRITORIA_FONT"); p != "" {
			paths = append(paths, p)
		}
		paths = append(paths, fontCandidates[runtime.GOOS]...)
		if runtime.GOOS == "windows" {
			if dir := os.Getenv("WINDIR"); dir != "" {
				for _, n := range []string{"msyh.ttc", "simhei.ttf", "simsun.ttc"} {
					paths = append(paths, filepath.Join(dir, "Fonts", n))
				}
			}
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			f, ttf, err := parseCJK(data)
			if err != nil {
				continue
			}
			fs.cjk, fs.cjkPath, fs.cjkTTF = f, p, ttf
			break
		}
		fonts = fs
	})
	return fonts
}

// parseCJK parses a font file or the first font of a collection and checks
// that it has Chinese characters. It also returns the font as a standalone
// TrueType file when it has TrueType outlines (for the PDF writer).
func parseCJK(data []byte) (*sfnt.Font, []byte, error) {
	var f *sfnt.Font
	var err error
	single := data
	if bytes.HasPrefix(data, []byte("ttcf")) {
		// Parse the first font copied out of the collection: sfnt refuses
		// some collections (table offsets beyond what it expects) whose
		// fonts it reads well on their own.
		if single, err = extractTTC(data, 0); err == nil {
			f, err = sfnt.Parse(single)
		}
		if err != nil {
			single = nil
			c, err := sfnt.ParseCollection(data)
			if err != nil {
				return nil, nil, err
			}
			if f, err = c.Font(0); err != nil {
				return nil, nil, err
			}
		}
	} else if f, err = sfnt.Parse(data); err != nil {
		return nil, nil, err
	}
	var buf sfnt.Buffer
	if gi, err := f.GlyphIndex(&buf, '中'); err != nil || gi == 0 {
		return nil, nil, errors.New("no Chinese characters")
	}
	if single != nil && !hasTable(single, "glyf") {
		single = nil
	}
	return f, single, nil
}

// hasTable tells whether the font file's table directory lists tag.
func hasTable(font []byte, tag string) bool {
	if len(font) < 12 {
		return false
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return false
		}
		if string(font[rec:rec+4]) == tag {
			return true
		}
	}
	return false
}

// extractTTC copies font i of a TrueType collection into a standalone font
// file: its table directory with the tables' offsets rebased.
func extractTTC(data []byte, i int) ([]byte, error) {
	if len(data) < 16 || string(data[:4]) != "ttcf" {
		return nil, errors.New("not a font collection")
	}
	num := int(binary.BigEndian.Uint32(data[8:]))
	if i >= num || 12+4*(i+1) > len(data) {
		return nil, fmt.Errorf("the collection has %d fonts", num)
	}
	off := int(binary.BigEndian.Uint32(data[12+4*i:]))
	if off+12 > len(data) {
		return nil, errors.New("damaged collection")
	}
	n := int(binary.BigEndian.Uint16(data[off+4:]))
	dirLen := 12 + 16*n
	if off+dirLen > len(data) {
		return nil, errors.New("damaged collection")
	}
	out := make([]byte, dirLen)
	copy(out, data[off:off+dirLen])
	for k := 0; k < n; k++ {
		rec := 12 + 16*k
		toff := int(binary.BigEndian.Uint32(out[rec+8:]))
		tlen := int(binary.BigEndian.Uint32(out[rec+12:]))
		if toff < 0 || tlen < 0 || toff+tlen > len(data) {
			return nil, errors.New("damaged collection")
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		binary.BigEndian.PutUint32(out[rec+8:], uint32(len(out)))
		out = append(out, data[toff:toff+tlen]...)
	}
	return out, nil
}

// fontNote says what happens to Chinese text when no CJK font was found.
func (fs *fontSet) note(text string) string {
	if fs.cjk != nil || !hasCJK(text) {
		return ""
	}
	return "no font with Chinese characters was found on this system, so they are drawn as boxes; install one (Debian/Ubuntu: fonts-wqy-zenhei) or set TERRITORIA_FONT to a .ttf/.ttc file"
}

// hasCJK tells whether s has characters outside the Latin fonts' reach.
func hasCJK(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 {
			return true
		}
	}
	return false
}

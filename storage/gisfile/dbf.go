package gisfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// dbfField is one column of a dBASE table.
type dbfField struct {
	Name     string
	Type     byte
	Offset   int // within a record, after the deletion flag
	Length   int
	Decimals int
}

// dbfTable is a dBASE (.dbf) table held in memory.
type dbfTable struct {
	name     string
	Fields   []dbfField
	Records  int
	recLen   int
	data     []byte // the records, from the first one
	dec      *encoding.Decoder
	Encoding string
	// Note tells how the encoding was chosen when it was a guess.
	Note string
}

// ldidCodePages maps the language driver id in byte 29 of a dBASE header
// to a Windows or DOS code page (after the table in GDAL's shapefile
// driver and ArcGIS's documentation).
var ldidCodePages = map[byte]int{
	0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000, 0x08: 865, 0x09: 437, 0x0A: 850, 0x0B: 437, 0x0D: 437,
	0x0E: 850, 0x0F: 437, 0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850, 0x15: 437, 0x16: 850,
	0x17: 865, 0x18: 437, 0x19: 437, 0x1A: 850, 0x1B: 437, 0x1C: 863, 0x1D: 850, 0x1F: 852, 0x22: 852,
	0x23: 852, 0x24: 860, 0x25: 850, 0x26: 866, 0x37: 850, 0x40: 852, 0x4D: 936, 0x4E: 949, 0x4F: 950,
	0x50: 874, 0x58: 1252, 0x59: 1252, 0x64: 852, 0x65: 866, 0x66: 865, 0x67: 861, 0x6A: 737, 0x6B: 857,
	0x78: 950, 0x79: 949, 0x7A: 936, 0x7B: 932, 0x7C: 874, 0x7D: 1255, 0x7E: 1256, 0x86: 737, 0x87: 852,
	0x88: 857, 0xC8: 1250, 0xC9: 1251, 0xCA: 1254, 0xCB: 1253, 0xCC: 1257,
}

// codePage returns the decoder for a Windows or DOS code page number and
// its name; nil for UTF-8.
func codePage(cp int) (encoding.Encoding, string, bool) {
	switch cp {
	case 65001:
		return nil, "UTF-8", true
	case 936:
		return simplifiedchinese.GBK, "GBK", true
	case 54936:
		return simplifiedchinese.GB18030, "GB18030", true
	case 437:
		return charmap.CodePage437, "CP437", true
	case 850:
		return charmap.CodePage850, "CP850", true
	case 852:
		return charmap.CodePage852, "CP852", true
	case 860:
		return charmap.CodePage860, "CP860", true
	case 863:
		return charmap.CodePage863, "CP863", true
	case 865:
		return charmap.CodePage865, "CP865", true
	case 866:
		return charmap.CodePage866, "CP866", true
	case 874:
		return charmap.Windows874, "CP874", true
	case 10000:
		return charmap.Macintosh, "Macintosh", true
	case 28591:
		return charmap.ISO8859_1, "ISO-8859-1", true
	}
	if cp >= 1250 && cp <= 1258 {
		if e, err := htmlindex.Get(fmt.Sprintf("windows-%d", cp)); err == nil {
			return e, fmt.Sprintf("CP%d", cp), true
		}
	}
	labels := map[int]string{932: "shift_jis", 949: "euc-kr", 950: "big5"}
	if l := labels[cp]; l != "" {
		if e, err := htmlindex.Get(l); err == nil {
			return e, fmt.Sprintf("CP%d", cp), true
		}
	}
	return nil, "", false
}

// cpgEncoding reads the content of a .cpg file: a code page number or an
// encoding name ("UTF-8", "GBK", "CP936", "1252", "88591", "ISO-8859-1").
func cpgEncoding(cpg string) (encoding.Encoding, string, bool) {
	s := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(cpg, "\ufeff")))
	s = strings.TrimPrefix(s, "ANSI ")
	switch s {
	case "":
		return nil, "", false
	case "UTF-8", "UTF8", "65001":
		return nil, "UTF-8", true
	case "GBK", "GB2312", "EUC-CN", "CP936", "936", "MS936", "WINDOWS-936":
		return simplifiedchinese.GBK, "GBK", true
	case "GB18030", "54936":
		return simplifiedchinese.GB18030, "GB18030", true
	case "88591", "8859-1", "ISO-8859-1", "ISO8859-1", "ISO88591", "LATIN1":
		return charmap.ISO8859_1, "ISO-8859-1", true
	}
	digits := strings.TrimLeft(s, "CPWINDOWS-_ ")
	if n, err := strconv.Atoi(digits); err == nil {
		if n > 88590 && n < 88600 {
			n = 28590 + n - 88590 // "88592" → ISO-8859-2 is 28592
			if e, err := htmlindex.Get(fmt.Sprintf("iso-8859-%d", n-28590)); err == nil {
				return e, fmt.Sprintf("ISO-8859-%d", n-28590), true
			}
		}
		return codePage(n)
	}
	if e, err := htmlindex.Get(strings.ToLower(s)); err == nil {
		name, _ := htmlindex.Name(e)
		if name == "utf-8" {
			return nil, "UTF-8", true
		}
		return e, strings.ToUpper(name), true
	}
	return nil, "", false
}

// readDBF parses a dBASE table. cpg is the content of the .cpg file ("" when
// there is none). The text encoding is the .cpg's, else the header's
// language driver id's, else a guess from the bytes: UTF-8 when every text
// value is valid UTF-8, GBK when the other bytes read as Chinese, else
// Windows-1252.
func readDBF(data []byte, name, cpg string) (*dbfTable, error) {
	if len(data) < 32 {
		return nil, fmt.Errorf("%s: %w: %d bytes is too short for a dBASE header (truncated?)", name, ErrFormat, len(data))
	}
	le := binary.LittleEndian
	t := &dbfTable{name: name}
	records := int64(le.Uint32(data[4:]))
	headerLen := int(le.Uint16(data[8:]))
	t.recLen = int(le.Uint16(data[10:]))
	if headerLen < 33 || t.recLen < 1 {
		return nil, fmt.Errorf("%s: %w: the dBASE header gives a header of %d bytes and records of %d bytes", name, ErrFormat, headerLen, t.recLen)
	}
	if headerLen > len(data) {
		return nil, fmt.Errorf("%s: %w: the dBASE header is cut short (truncated?)", name, ErrFormat)
	}
	var rawNames [][]byte
	off := 1
	for p := 32; p+32 <= headerLen && data[p] != 0x0D; p += 32 {
		fd := data[p : p+32]
		n := bytes.IndexByte(fd[:11], 0)
		if n < 0 {
			n = 11
		}
		f := dbfField{Type: fd[11], Offset: off, Length: int(fd[16]), Decimals: int(fd[17])}
		off += f.Length
		rawNames = append(rawNames, bytes.TrimSpace(fd[:n]))
		t.Fields = append(t.Fields, f)
	}
	if off > t.recLen {
		return nil, fmt.Errorf("%s: %w: the fields need %d bytes per record but records have %d", name, ErrFormat, off, t.recLen)
	}
	body := data[headerLen:]
	have := int64(len(body)) / int64(t.recLen)
	if have < records {
		return nil, fmt.Errorf("%s: %w: the header announces %d records but the file ends after %d (truncated?)", name, ErrFormat, records, have)
	}
	t.Records = int(records)
	t.data = body[:records*int64(t.recLen)]

	enc, encName, ok := cpgEncoding(cpg)
	switch {
	case ok:
	case cpg != "":
		t.Note = fmt.Sprintf("the .cpg file names the unknown encoding %q", strings.TrimSpace(cpg))
		fallthrough
	default:
		if cp, known := ldidCodePages[data[29]]; known {
			enc, encName, ok = codePage(cp)
		}
		if !ok {
			enc, encName = t.guessEncoding(rawNames)
			note := "the file does not declare its text encoding; read as " + encName
			if t.Note != "" {
				note = t.Note + "; read as " + encName
			}
			t.Note = note
		}
	}
	if enc != nil {
		t.dec = enc.NewDecoder()
	}
	t.Encoding = encName
	for i := range t.Fields {
		t.Fields[i].Name = t.text(rawNames[i])
		if t.Fields[i].Name == "" {
			t.Fields[i].Name = fmt.Sprintf("field%d", i+1)
		}
	}
	return t, nil
}

// guessEncoding looks at every text value (and the field names).
func (t *dbfTable) guessEncoding(names [][]byte) (encoding.Encoding, string) {
	var high, pairs, wide int
	allUTF8 := true
	look := func(b []byte) {
		if !utf8.Valid(b) {
			allUTF8 = false
		}
		for i := 0; i < len(b); i++ {
			if b[i] < 0x80 {
				continue
			}
			high++
			if b[i] >= 0x81 && b[i] <= 0xFE && i+1 < len(b) && b[i+1] >= 0x40 && b[i+1] != 0x7F && b[i+1] <= 0xFE {
				pairs++
				if b[i+1] >= 0x80 {
					wide++
				}
				i++
				high++
			}
		}
	}
	for _, n := range names {
		look(n)
	}
	for r := 0; r < t.Records; r++ {
		rec := t.data[r*t.recLen : (r+1)*t.recLen]
		for _, f := range t.Fields {
			if f.Type == 'C' && f.Offset+f.Length <= len(rec) {
				look(rec[f.Offset : f.Offset+f.Length])
			}
		}
	}
	switch {
	case allUTF8:
		return nil, "UTF-8"
	case pairs > 0 && 2*pairs == high && 2*wide > pairs:
		return simplifiedchinese.GBK, "GBK"
	}
	return charmap.Windows1252, "CP1252"
}

// text decodes raw bytes of the table's encoding into trimmed UTF-8.
func (t *dbfTable) text(b []byte) string {
	b = bytes.TrimRight(b, " \x00")
	if t.dec == nil {
		if utf8.Valid(b) {
			return strings.TrimSpace(string(b))
		}
		return strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	out, err := t.dec.Bytes(b)
	if err != nil {
		return strings.TrimSpace(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return strings.TrimSpace(string(out))
}

// record returns the attributes of record i (0-based) and whether it is
// marked deleted. Values are string, float64, bool or nil.
func (t *dbfTable) record(i int) (map[string]any, bool) {
	rec := t.data[i*t.recLen : (i+1)*t.recLen]
	deleted := rec[0] == '*'
	props := make(map[string]any, len(t.Fields))
	for _, f := range t.Fields {
		raw := rec[f.Offset : f.Offset+f.Length]
		props[f.Name] = t.value(f, raw)
	}
	return props, deleted
}

func (t *dbfTable) value(f dbfField, raw []byte) any {
	switch f.Type {
	case 'C':
		return t.text(raw)
	case 'N', 'F':
		s := strings.TrimSpace(string(bytes.Trim(raw, "\x00")))
		if s == "" || strings.Trim(s, "*") == "" {
			return nil
		}
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return t.text(raw)
		}
		return v
	case 'L':
		switch strings.TrimSpace(string(raw)) {
		case "T", "t", "Y", "y":
			return true
		case "F", "f", "N", "n":
			return false
		}
		return nil
	case 'D':
		s := strings.TrimSpace(string(raw))
		if len(s) == 8 {
			return s[:4] + "-" + s[4:6] + "-" + s[6:]
		}
		if s == "" {
			return nil
		}
		return s
	case 'I':
		if len(raw) == 4 {
			return float64(int32(binary.LittleEndian.Uint32(raw)))
		}
	case 'O':
		if len(raw) == 8 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw))
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				return v
			}
			return nil
		}
	case 'M', 'G', 'B', 'P':
		return nil // memo blocks live in a .dbt file, which boundaries do not need
	}
	return t.text(raw)
}

// fieldNames returns the column names in order.
func (t *dbfTable) fieldNames() []string {
	out := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		out[i] = f.Name
	}
	return out
}

package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sampleSize is how much of a text file is read to detect its encoding and
// delimiter.
const sampleSize = 64 << 10

// Encodings a text file may be detected as.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncGB18030 = "gb18030"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncLatin1  = "windows-1252"
)

// countingReader counts the bytes read from the file, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type textSource struct {
	fh   *os.File
	cr   *countingReader
	size int64
	p    *csvParser
	row  int
}

func (s *textSource) next() ([]string, int, error) {
	cells, _, err := s.p.record()
	if err != nil {
		return nil, 0, err
	}
	s.row++
	if len(cells) > DefaultMaxColumns {
		return nil, 0, fmt.Errorf("row %d: %w: %d columns, more than %d", s.row, ErrTooLarge, len(cells), DefaultMaxColumns)
	}
	return cells, s.row, nil
}

func (s *textSource) progress() (int64, int64) { return s.cr.n, s.size }
func (s *textSource) close() error             { return s.fh.Close() }

// DetectEncoding names the encoding of a sample from the start of a text
// file: a byte-order mark decides; otherwise valid UTF-8 is UTF-8, text
// with NUL bytes in every other position is UTF-16, and anything else that
// decodes as GB18030 (a superset of GBK) is GB18030, else Windows-1252.
func DetectEncoding(sample []byte) string {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	}
	if len(sample) >= 4 {
		even, odd := 0, 0
		for i := 0; i+1 < len(sample); i += 2 {
			if sample[i] == 0 {
				even++
			}
			if sample[i+1] == 0 {
				odd++
			}
		}
		half := len(sample) / 2
		switch {
		case odd > half*3/5 && even == 0:
			return EncUTF16LE
		case even > half*3/5 && odd == 0:
			return EncUTF16BE
		}
	}
	if validUTF8Prefix(sample) {
		return EncUTF8
	}
	if decodesCleanly(simplifiedchinese.GB18030, sample) {
		return EncGB18030
	}
	return EncLatin1
}

func decodesCleanly(enc encoding.Encoding, sample []byte) bool {
	out, err := enc.NewDecoder().Bytes(sample)
	if err != nil {
		return false
	}
	// A character cut at the end of the sample may decode as one
	// replacement character; any other is a sign of another encoding.
	i := bytes.IndexRune(out, '\uFFFD')
	return i < 0 || i == len(out)-len("\uFFFD")
}

func decoder(name string) transform.Transformer {
	switch name {
	case EncUTF8BOM:
		return unicode.UTF8BOM.NewDecoder()
	case EncUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case EncUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	case EncGB18030:
		return simplifiedchinese.GB18030.NewDecoder()
	case EncLatin1:
		return charmap.Windows1252.NewDecoder()
	}
	return nil
}

// openText detects the encoding and delimiter of a text file and returns a
// source reading its records.
func openText(fh *os.File, name string, size int64, ext string, opts Options) (source, string, string, error) {
	sample := make([]byte, sampleSize)
	n, err := io.ReadFull(fh, sample)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, "", "", err
	}
	sample = sample[:n]
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return nil, "", "", err
	}
	if n == 0 {
		return nil, "", "", fmt.Errorf("%s: %w: the file is empty", name, ErrNotTable)
	}
	enc := DetectEncoding(sample)
	text := sample
	if d := decoder(enc); d != nil {
		text, _, _ = transform.Bytes(d, sample)
	}
	if bad := binaryText(text); bad != "" {
		return nil, "", "", fmt.Errorf("%s: %w: %s; it does not look like a CSV or text file", name, ErrNotTable, bad)
	}
	delim := DetectDelimiter(text, ext == ".tsv" || ext == ".tab")
	cr := &countingReader{r: fh}
	var r io.Reader = cr
	if d := decoder(enc); d != nil {
		r = transform.NewReader(cr, d)
	}
	p := newCSVParser(r, delim, opts.MaxLine)
	return &textSource{fh: fh, cr: cr, size: size, p: p}, enc, string(delim), nil
}

// binaryText describes why decoded text looks binary, or returns "".
func binaryText(text []byte) string {
	ctrl, total := 0, 0
	for _, r := range string(text) {
		total++
		switch {
		case r == 0:
			return "it contains NUL bytes"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f':
			ctrl++
		case r == '\uFFFD':
			ctrl++
		}
	}
	if total > 0 && ctrl*20 > total {
		return "it contains many control characters"
	}
	return ""
}

// DetectDelimiter picks the delimiter of delimited text from a sample: the
// candidate (comma, semicolon, tab, bar) that appears the same number of
// times, at least once, on the most lines (quoted text excluded); ties go
// to the larger count, then to the order listed. preferTab breaks a tie in
// favour of tab (for .tsv names). A single-column file gets a comma.
func DetectDelimiter(text []byte, preferTab bool) byte {
	lines := splitLines(text, 30)
	cands := []byte{',', ';', '\t', '|'}
	if preferTab {
		cands = []byte{'\t', ',', ';', '|'}
	}
	best, bestLines, bestCount := byte(','), 0, 0
	for _, c := range cands {
		freq := map[int]int{}
		for _, l := range lines {
			if n := countOutsideQuotes(l, c); n > 0 {
				freq[n]++
			}
		}
		mode, modeLines := 0, 0
		for n, k := range freq {
			if k > modeLines || (k == modeLines && n > mode) {
				mode, modeLines = n, k
			}
		}
		if modeLines > bestLines || (modeLines == bestLines && modeLines > 0 && mode > bestCount) {
			best, bestLines, bestCount = c, modeLines, mode
		}
	}
	return best
}

func splitLines(text []byte, max int) []string {
	var out []string
	for _, l := range strings.Split(string(text), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, l)
		if len(out) == max {
			break
		}
	}
	// The last line of a sample may be cut.
	if len(out) > 1 && !bytes.HasSuffix(text, []byte("\n")) {
		out = out[:len(out)-1]
	}
	return out
}

func countOutsideQuotes(line string, c byte) int {
	n, quoted := 0, false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			quoted = !quoted
		case c:
			if !quoted {
				n++
			}
		}
	}
	return n
}

// csvParser reads delimited records from UTF-8 text. Quoted fields may
// hold delimiters, doubled quotes and line breaks; a stray quote inside an
// unquoted field is kept as text. A line longer than max bytes fails.
type csvParser struct {
	r     *bufio.Reader
	delim byte
	max   int
	line  int
	buf   []byte
	field []byte
	cells []string
}

func newCSVParser(r io.Reader, delim byte, max int) *csvParser {
	return &csvParser{r: bufio.NewReaderSize(r, 64<<10), delim: delim, max: max}
}

// errLong is returned for a line over the limit.
func (p *csvParser) errLong() error {
	return fmt.Errorf("line %d: %w: longer than %d bytes (is it really a text file?)", p.line+1, ErrTooLarge, p.max)
}

// readLine returns the next physical line without its line break, and
// whether the file ended.
func (p *csvParser) readLine() ([]byte, error) {
	p.buf = p.buf[:0]
	for {
		chunk, err := p.r.ReadSlice('\n')
		if len(p.buf)+len(chunk) > p.max+2 {
			return nil, p.errLong()
		}
		p.buf = append(p.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(p.buf) == 0 {
			return nil, io.EOF
		}
		p.line++
		b := bytes.TrimSuffix(p.buf, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		return b, nil
	}
}

// record returns the cells of the next record and the number of physical
// lines it spans. A blank line is a record with no cells.
func (p *csvParser) record() ([]string, int, error) {
	start := p.line
	line, err := p.readLine()
	if err != nil {
		return nil, 0, err
	}
	p.cells = p.cells[:0]
	if len(line) == 0 {
		return []string{}, 1, nil
	}
	total := len(line)
	i := 0
	for {
		// One field starts at line[i].
		if i < len(line) && line[i] == '"' {
			p.field = p.field[:0]
			i++
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// The quoted field goes on past the line break.
					p.field = append(p.field, line[i:]...)
					p.field = append(p.field, '\n')
					next, err := p.readLine()
					if err == io.EOF {
						return nil, 0, fmt.Errorf("line %d: a quoted field opened here is never closed", start+1)
					}
					if err != nil {
						return nil, 0, err
					}
					if total += len(next); total > p.max {
						return nil, 0, p.errLong()
					}
					// p.buf was reused by readLine; line now aliases the new line.
					line, i = next, 0
					continue
				}
				p.field = append(p.field, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					p.field = append(p.field, '"')
					i++
					continue
				}
				break
			}
			// Text after the closing quote up to the delimiter is kept.
			k := bytes.IndexByte(line[i:], p.delim)
			if k < 0 {
				p.field = append(p.field, line[i:]...)
				p.cells = append(p.cells, string(p.field))
				return p.out(), p.line - start, nil
			}
			p.field = append(p.field, line[i:i+k]...)
			p.cells = append(p.cells, string(p.field))
			i += k + 1
			continue
		}
		k := bytes.IndexByte(line[i:], p.delim)
		if k < 0 {
			p.cells = append(p.cells, string(line[i:]))
			return p.out(), p.line - start, nil
		}
		p.cells = append(p.cells, string(line[i:i+k]))
		i += k + 1
	}
}

func (p *csvParser) out() []string {
	out := make([]string, len(p.cells))
	copy(out, p.cells)
	return out
}

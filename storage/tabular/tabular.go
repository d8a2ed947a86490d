package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Defaults of Options.
const (
	// DefaultMaxLine is the longest line (or quoted record) of a text file.
	DefaultMaxLine = 1 << 20
	// DefaultMaxUnzipped bounds the unpacked size of a workbook's parts.
	DefaultMaxUnzipped = 4 << 30
	// DefaultMaxColumns bounds the number of cells in one row.
	DefaultMaxColumns = 16384
	// headerScan is how many rows are read ahead to find the header.
	headerScan = 50
)

// Formats of a Table.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// ErrNotTable means the file is not a spreadsheet or delimited text file
// (a renamed binary, an old .xls, a damaged workbook). The returned errors
// wrap it with the file name and what was found.
var ErrNotTable = errors.New("not a readable table")

// ErrTooLarge means a limit that keeps memory bounded was reached: a line
// longer than Options.MaxLine, too many columns, or a workbook that would
// unpack to more than Options.MaxUnzipped bytes.
var ErrTooLarge = errors.New("too large")

// Options configure Open. The zero value detects everything.
type Options struct {
	// Sheet names the worksheet of a workbook to read; "" is the first.
	Sheet string
	// HeaderRow is the 1-based row holding the column names; 0 detects it,
	// -1 means the file has no header (columns are named "Column 1"...).
	HeaderRow int
	// MaxLine is the longest line of a text file in bytes (DefaultMaxLine when 0).
	MaxLine int
	// MaxUnzipped bounds the unpacked size of a workbook (DefaultMaxUnzipped when 0).
	MaxUnzipped int64
	// TmpDir is where excelize may unpack a large worksheet ("" is the system's).
	TmpDir string
}

func (o *Options) defaults() {
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	if o.MaxUnzipped <= 0 {
		o.MaxUnzipped = DefaultMaxUnzipped
	}
}

// Row is one row of data.
type Row struct {
	// Num is the row number a spreadsheet program shows (1-based, counting
	// the header and any rows above it).
	Num int
	// Cells holds the cell texts, as many as the row has (it may be shorter
	// or longer than the header). Workbook cells hold raw values: numbers
	// unformatted, dates as serial day numbers.
	Cells []string
}

// Cell returns cell i, or "" when the row is shorter.
func (r Row) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// source yields raw rows with their numbers; io.EOF at the end.
type source interface {
	next() ([]string, int, error)
	progress() (done, total int64)
	close() error
}

// Table is an open spreadsheet positioned after its header row.
type Table struct {
	// Path is the file as given to Open.
	Path string
	// Format is FormatXLSX or FormatCSV.
	Format string
	// Encoding is the detected text encoding ("utf-8", "utf-8-bom",
	// "gb18030", "utf-16le", "utf-16be"); "" for workbooks.
	Encoding string
	// Delimiter is the detected delimiter of a text file; "" for workbooks.
	Delimiter string
	// Sheets lists a workbook's worksheets; Sheet is the one being read.
	Sheets []string
	Sheet  string
	// HeaderRow is the row number of the header (0 when there is none) and
	// Header the column names: trimmed, never empty ("Column 3" stands in
	// for a blank), unique (a repeated name gets " (2)").
	HeaderRow int
	Header    []string
	// SerialDates is true for workbooks, whose date cells read as Excel
	// serial day numbers.
	SerialDates bool

	src     source
	pending []Row
	rows    int
}

// Open opens a spreadsheet and reads up to its header. The caller must
// Close it.
func Open(path string, opts Options) (*Table, error) {
	opts.defaults()
	name := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	if info.IsDir() {
		fh.Close()
		return nil, fmt.Errorf("%s: %w: it is a folder", name, ErrNotTable)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(fh, head)
	head = head[:n]
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		fh.Close()
		return nil, err
	}
	t := &Table{Path: path}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		fh.Close()
		t.Format, t.SerialDates = FormatXLSX, true
		src, sheets, sheet, err := openXLSX(path, info.Size(), opts)
		if err != nil {
			return nil, err
		}
		t.src, t.Sheets, t.Sheet = src, sheets, sheet
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		fh.Close()
		return nil, fmt.Errorf("%s: %w: it is an old Excel .xls workbook or an encrypted file; save it as .xlsx or .csv", name, ErrNotTable)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls":
		fh.Close()
		return nil, fmt.Errorf("%s: %w: the name says Excel workbook but the content is not one (a workbook is a zip archive)", name, ErrNotTable)
	default:
		src, enc, delim, err := openText(fh, name, info.Size(), ext, opts)
		if err != nil {
			fh.Close()
			return nil, err
		}
		t.Format, t.src, t.Encoding, t.Delimiter = FormatCSV, src, enc, delim
	}
	if err := t.readHeader(opts.HeaderRow); err != nil {
		t.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// Next returns the next non-blank data row, or io.EOF after the last.
func (t *Table) Next() (Row, error) {
	if len(t.pending) > 0 {
		r := t.pending[0]
		t.pending = t.pending[1:]
		t.rows++
		return r, nil
	}
	for {
		cells, num, err := t.src.next()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("%s: %w", filepath.Base(t.Path), err)
			}
			return Row{}, err
		}
		if blank(cells) {
			continue
		}
		t.rows++
		return Row{Num: num, Cells: cells}, nil
	}
}

// Rows is the number of data rows returned so far.
func (t *Table) Rows() int { return t.rows }

// Progress tells how far reading has come, in units of total; total is 0
// when the size is unknown.
func (t *Table) Progress() (done, total int64) { return t.src.progress() }

// Close releases the file.
func (t *Table) Close() error {
	if t.src == nil {
		return nil
	}
	err := t.src.close()
	t.src = nil
	return err
}

// Column returns the index of the column named name (exactly, then
// ignoring case and surrounding space), or -1.
func (t *Table) Column(name string) int {
	for i, h := range t.Header {
		if h == name {
			return i
		}
	}
	for i, h := range t.Header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readHeader reads ahead to the header row and keeps the rows after it.
func (t *Table) readHeader(want int) error {
	var ahead []Row
	for len(ahead) < headerScan {
		cells, num, err := t.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if want > 0 && num > want && len(ahead) == 0 {
			return fmt.Errorf("header row %d: the file has fewer rows", want)
		}
		if blank(cells) {
			continue
		}
		ahead = append(ahead, Row{Num: num, Cells: cells})
		if want > 0 && num >= want {
			break
		}
	}
	h := -1
	switch {
	case want < 0:
	case want > 0:
		for i, r := range ahead {
			if r.Num == want {
				h = i
			}
		}
		if h < 0 {
			return fmt.Errorf("header row %d is blank or missing", want)
		}
	default:
		h = DetectHeader(ahead)
	}
	width := 0
	for _, r := range ahead {
		width = max(width, len(r.Cells))
	}
	if h >= 0 {
		t.HeaderRow = ahead[h].Num
		width = max(width, len(ahead[h].Cells))
		t.Header = headerNames(ahead[h].Cells, width)
		t.pending = ahead[h+1:]
	} else {
		t.Header = headerNames(nil, width)
		t.pending = ahead
	}
	return nil
}

// headerNames cleans a header row: trimmed, blanks named "Column N",
// repeats suffixed " (2)", padded to width.
func headerNames(cells []string, width int) []string {
	out := make([]string, max(width, len(cells)))
	seen := map[string]int{}
	for i := range out {
		h := ""
		if i < len(cells) {
			h = strings.Join(strings.Fields(strings.TrimPrefix(cells[i], "\ufeff")), " ")
		}
		if h == "" {
			h = "Column " + strconv.Itoa(i+1)
		}
		base := h
		for seen[strings.ToLower(h)] > 0 {
			seen[strings.ToLower(base)]++
			h = base + " (" + strconv.Itoa(seen[strings.ToLower(base)]) + ")"
		}
		seen[strings.ToLower(h)]++
		out[i] = h
	}
	return out
}

// DetectHeader returns the index in rows of the first row that looks like
// a header, or -1 when the first row is already data. A header row fills
// at least half of the table's width, has at least two cells unless the
// table has one column, and mostly holds words rather than numbers; rows
// above it are titles.
func DetectHeader(rows []Row) int {
	width := 0
	for _, r := range rows {
		width = max(width, filled(r.Cells))
	}
	if width == 0 {
		return -1
	}
	need := max(min(2, width), (width+1)/2)
	for i, r := range rows {
		n := filled(r.Cells)
		if n < need {
			continue
		}
		words := 0
		for _, c := range r.Cells {
			if c = strings.TrimSpace(c); c != "" && !numeric(c) {
				words++
			}
		}
		if words*2 > n {
			return i
		}
		// The first full row is numbers: the file has no header.
		return -1
	}
	return -1
}

func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// numeric reports whether s reads as a number or a date-like value made of
// digits and separators.
func numeric(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-.,:/ %$¥€£eE", r):
		default:
			return false
		}
	}
	return digits > 0
}

// validUTF8Prefix reports whether b is valid UTF-8, ignoring a rune cut
// at the end.
func validUTF8Prefix(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i >= len(b)-4; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

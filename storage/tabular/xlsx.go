package tabular

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Zip-bomb guards for workbooks.
const (
	maxZipEntries = 10000
	// maxRatio is the largest unpacked/packed ratio accepted for a part
	// bigger than ratioFloor; real worksheets compress 5–100 times.
	maxRatio   = 1000
	ratioFloor = 10 << 20
)

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
	size int64
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return nil, 0, fmt.Errorf("row %d: %w", s.row+1, err)
		}
		return nil, 0, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, fmt.Errorf("row %d: %w", s.row, err)
	}
	if len(cells) > DefaultMaxColumns {
		return nil, 0, fmt.Errorf("row %d: %w: %d columns, more than %d", s.row, ErrTooLarge, len(cells), DefaultMaxColumns)
	}
	return cells, s.row, nil
}

// progress of a workbook is in rows; the total is unknown.
func (s *xlsxSource) progress() (int64, int64) { return int64(s.row), 0 }

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// CheckZip refuses an archive that would unpack to more than limit bytes,
// has too many parts, or a part compressed implausibly well (a zip bomb).
// The sizes checked are the declared ones; archive/zip fails a part that
// unpacks to more than it declared.
func CheckZip(path string, limit int64) error {
	name := filepath.Base(path)
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("%s: %w: the workbook (zip archive) is damaged: %v", name, ErrNotTable, err)
	}
	defer zr.Close()
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("%s: %w: the archive has %d parts, more than %d", name, ErrTooLarge, len(zr.File), maxZipEntries)
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return fmt.Errorf("%s: %w: the workbook would unpack to more than %d MiB", name, ErrTooLarge, limit>>20)
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > maxRatio*max(f.CompressedSize64, 1) {
			return fmt.Errorf("%s: %w: part %s unpacks %d times larger than stored (a zip bomb?)", name, ErrTooLarge, f.Name, f.UncompressedSize64/max(f.CompressedSize64, 1))
		}
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			workbook = true
		}
	}
	if !workbook {
		return fmt.Errorf("%s: %w: it is a zip archive but not an Excel workbook (no xl/workbook.xml)", name, ErrNotTable)
	}
	return nil
}

// openXLSX opens a workbook and starts iterating the chosen sheet.
func openXLSX(path string, size int64, opts Options) (source, []string, string, error) {
	name := filepath.Base(path)
	if err := CheckZip(path, opts.MaxUnzipped); err != nil {
		return nil, nil, "", err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: opts.MaxUnzipped, TmpDir: opts.TmpDir})
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w: %v", name, ErrNotTable, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, nil, "", fmt.Errorf("%s: %w: the workbook has no worksheet", name, ErrNotTable)
	}
	sheet := sheets[0]
	if opts.Sheet != "" {
		sheet = ""
		for _, s := range sheets {
			if s == opts.Sheet || (sheet == "" && strings.EqualFold(s, opts.Sheet)) {
				sheet = s
			}
		}
		if sheet == "" {
			f.Close()
			return nil, nil, "", fmt.Errorf("%s: there is no sheet %q; the sheets are %s", name, opts.Sheet, strings.Join(quoteAll(sheets), ", "))
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, nil, "", fmt.Errorf("%s: sheet %q: %w: %v", name, sheet, ErrNotTable, err)
	}
	return &xlsxSource{f: f, rows: rows, size: size}, sheets, sheet, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

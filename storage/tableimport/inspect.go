package tableimport

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"territoria/storage/tabular"
)

// PreviewRows is how many rows Inspect returns.
const PreviewRows = 20

// Preview is what a person sees before choosing a mapping.
type Preview struct {
	File      string   `json:"file"`
	Format    string   `json:"format"`
	Sheets    []string `json:"sheets"`
	Sheet     string   `json:"sheet"`
	Encoding  string   `json:"encoding"`
	Delimiter string   `json:"delimiter"`
	HeaderRow int      `json:"headerRow"`
	Header    []string `json:"header"`
	// Rows are the first data rows, Nums their row numbers.
	Rows [][]string `json:"rows"`
	Nums []int      `json:"nums"`
	// Fields are the fields of the kind, Suggested the proposed mapping.
	Fields    []Field `json:"fields"`
	Suggested Mapping `json:"suggested"`
}

// Inspect opens a table and proposes a mapping for kind k. sheet and
// headerRow are as in Mapping.
func Inspect(path string, k Kind, sheet string, headerRow int) (*Preview, error) {
	if Fields(k) == nil {
		return nil, fmt.Errorf("unknown kind %q (want one of %s)", k, kindList())
	}
	t, err := tabular.Open(path, tabular.Options{Sheet: sheet, HeaderRow: headerRow})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	p := &Preview{File: filepath.Base(path), Format: t.Format, Sheets: t.Sheets, Sheet: t.Sheet, Encoding: t.Encoding,
		Delimiter: t.Delimiter, HeaderRow: t.HeaderRow, Header: t.Header, Rows: [][]string{}, Nums: []int{}, Fields: Fields(k)}
	if p.Sheets == nil {
		p.Sheets = []string{}
	}
	for len(p.Rows) < PreviewRows {
		r, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p.Rows = append(p.Rows, r.Cells)
		p.Nums = append(p.Nums, r.Num)
	}
	p.Suggested = Suggest(k, t.Header, p.Rows)
	p.Suggested.Sheet = sheet
	p.Suggested.HeaderRow = headerRow
	return p, nil
}

// WriteRejects saves the rejected rows of a report as an .xlsx workbook:
// one line per rejected value with its row, column, value and reason,
// under a header naming the imported file.
func WriteRejects(path string, rep *Report, headers [5]string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	title := fmt.Sprintf("%s — %d of %d rows rejected", rep.File, rep.Rejected, rep.Rows)
	if err := sw.SetRow("A1", []any{title}); err != nil {
		return err
	}
	h := make([]any, len(headers))
	for i, s := range headers {
		h[i] = s
	}
	if err := sw.SetRow("A2", h); err != nil {
		return err
	}
	for i, r := range rep.Rejects {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, []any{r.Row, r.Column, r.Value, r.Code, r.Reason}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

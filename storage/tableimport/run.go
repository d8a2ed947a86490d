package tableimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"territoria/engine"
	"territoria/storage/planfile"
	"territoria/storage/tabular"
)

// MaxRejects is how many rejected cells a report keeps; Report.RejectsTotal
// counts them all.
const MaxRejects = 100000

// Codes of rejections, stable for translation.
const (
	CodeMissing          = "missing-value"
	CodeBadNumber        = "bad-number"
	CodeNegative         = "negative-number"
	CodeBadDate          = "bad-date"
	CodeFutureDate       = "future-date"
	CodeBadMonth         = "bad-month"
	CodeOutOfRange       = "out-of-range"
	CodeDuplicate        = "duplicate-id"
	CodeUnknownUnit      = "unknown-unit"
	CodeUnknownAccount   = "unknown-account"
	CodeUnknownRep       = "unknown-rep"
	CodeUnknownTerritory = "unknown-territory"
	CodeNoLocation       = "no-location"
	CodeConflict         = "conflict"
)

// Request describes one import.
type Request struct {
	Path    string
	Mapping Mapping
	// GoodRows commits the rows that pass even when others are rejected;
	// otherwise any rejection means nothing is committed.
	GoodRows bool
	// DryRun checks the rows and reports without committing anything.
	DryRun bool
	// RemoveMissing removes records the table does not list (accounts,
	// reps, visits; units and account overrides of an alignment; sales
	// history of accounts without a row).
	RemoveMissing bool
	// Scenario is the scenario an alignment or a rep's territory applies to.
	Scenario string
	// Now is the current time; dates after its day are refused.
	Now time.Time
	// TmpDir is where a large worksheet may be unpacked.
	TmpDir string
}

// Known is what an import checks rows against: the plan as it is open.
// The maps may be nil for kinds that do not need them.
type Known struct {
	Units    []engine.Unit
	Accounts map[string]bool
	Reps     map[string]bool
	// Territories maps the ids of the target scenario's nodes to their kind.
	Territories map[string]engine.Kind
}

// Reject is one rejected value.
type Reject struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Report tells what an import read, rejected and changed.
type Report struct {
	Kind      Kind   `json:"kind"`
	File      string `json:"file"`
	Sheet     string `json:"sheet"`
	Encoding  string `json:"encoding"`
	Delimiter string `json:"delimiter"`
	HeaderRow int    `json:"headerRow"`
	// Rows is the number of data rows read, Accepted and Rejected split them.
	Rows     int `json:"rows"`
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	// Added, Updated, Unchanged and Removed count records of the plan.
	Added     int  `json:"added"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Removed   int  `json:"removed"`
	Committed bool `json:"committed"`
	DryRun    bool `json:"dryRun"`
	// Rejects lists rejected values (at most MaxRejects), RejectsTotal counts them all.
	Rejects      []Reject `json:"rejects"`
	RejectsTotal int      `json:"rejectsTotal"`
	Warnings     []string `json:"warnings"`
}

// Progress is called while rows are read: rows so far, and how far through
// the file (done of total; total 0 when unknown).
type Progress func(rows int, done, total int64)

// ErrCancelled is returned when the context ends an import; the plan is
// unchanged.
var ErrCancelled = errors.New("import cancelled; the plan is unchanged")

// rowCtx collects the rejections of one row.
type rowCtx struct {
	row    tabular.Row
	header []string
	cols   map[string]int
	bad    bool
	rep    *Report
	serial bool
}

func (c *rowCtx) cell(key string) string {
	i, ok := c.cols[key]
	if !ok {
		return ""
	}
	return strings.TrimSpace(c.row.Cell(i))
}

func (c *rowCtx) has(key string) bool { _, ok := c.cols[key]; return ok }

func (c *rowCtx) colName(key string) string {
	if i, ok := c.cols[key]; ok {
		return c.header[i]
	}
	return key
}

// reject records a problem with field key (or a column named by header
// when key is not a field of the mapping).
func (c *rowCtx) reject(key, value, code, reason string) {
	c.bad = true
	c.rep.RejectsTotal++
	if len(c.rep.Rejects) < MaxRejects {
		c.rep.Rejects = append(c.rep.Rejects, Reject{Row: c.row.Num, Column: c.colName(key), Value: value, Code: code, Reason: reason})
	}
}

// number parses field key; empty gives def and false.
func (c *rowCtx) number(key string, nonNegative bool) (float64, bool) {
	s := c.cell(key)
	if s == "" {
		return 0, false
	}
	v, err := ParseNumber(s)
	if err != nil {
		c.reject(key, s, CodeBadNumber, "not a number")
		return 0, false
	}
	if nonNegative && v < 0 {
		c.reject(key, s, CodeNegative, "must not be negative")
		return 0, false
	}
	return v, true
}

// stager checks rows of one kind and commits them.
type stager interface {
	row(c *rowCtx)
	commit(ctx context.Context, tx *planfile.Tx, rep *Report) error
}

// Run reads the table, checks every row against known, and — unless asked
// for a dry run, or rows were rejected and GoodRows is false — commits the
// accepted rows to f in one transaction. A cancelled context stops it with
// ErrCancelled and the plan unchanged. Errors that concern the whole file
// (unreadable, a mapping that does not fit) are returned as errors; bad
// rows are in the report.
func Run(ctx context.Context, f *planfile.File, known Known, req Request, progress Progress) (*Report, error) {
	m := req.Mapping
	t, err := tabular.Open(req.Path, tabular.Options{Sheet: m.Sheet, HeaderRow: m.HeaderRow, TmpDir: req.TmpDir})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	name := filepath.Base(req.Path)
	if err := m.check(t.Header); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rep := &Report{Kind: m.Kind, File: name, Sheet: t.Sheet, Encoding: t.Encoding, Delimiter: t.Delimiter,
		HeaderRow: t.HeaderRow, DryRun: req.DryRun, Rejects: []Reject{}, Warnings: []string{}}
	cols := map[string]int{}
	for k, h := range m.Columns {
		if h != "" {
			cols[k] = t.Column(h)
		}
	}
	st, err := newStager(m, cols, t.Header, known, req, rep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &rowCtx{header: t.Header, cols: cols, rep: rep, serial: t.SerialDates}
	for {
		row, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		rep.Rows++
		if rep.Rows%1024 == 0 {
			if ctx.Err() != nil {
				return nil, ErrCancelled
			}
			if progress != nil {
				done, total := t.Progress()
				progress(rep.Rows, done, total)
			}
		}
		c.row, c.bad = row, false
		st.row(c)
		if c.bad {
			rep.Rejected++
		} else {
			rep.Accepted++
		}
	}
	if progress != nil {
		done, total := t.Progress()
		progress(rep.Rows, done, total)
	}
	if rep.Rows == 0 {
		rep.Warnings = append(rep.Warnings, "the table has no data rows")
	}
	if ctx.Err() != nil {
		return nil, ErrCancelled
	}
	if req.DryRun || (rep.Rejected > 0 && !req.GoodRows) || f == nil {
		return rep, nil
	}
	err = f.Update(func(tx *planfile.Tx) error {
		if ctx.Err() != nil {
			return ErrCancelled
		}
		if err := st.commit(ctx, tx, rep); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ErrCancelled
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrCancelled) {
			return nil, ErrCancelled
		}
		rep.Added, rep.Updated, rep.Unchanged, rep.Removed = 0, 0, 0, 0
		return nil, fmt.Errorf("%s: nothing was imported: %w", name, err)
	}
	rep.Committed = true
	return rep, nil
}

func newStager(m Mapping, cols map[string]int, header []string, known Known, req Request, rep *Report) (stager, error) {
	idx := func(names []string) []int {
		out := make([]int, len(names))
		for i, n := range names {
			for j, h := range header {
				if h == n {
					out[i] = j
				}
			}
		}
		return out
	}
	switch m.Kind {
	case KindAccounts:
		return &accountStager{units: newUnitIndex(known.Units), sys: m.Coords, extra: m.Extra, extraIdx: idx(m.Extra), seen: map[string]int{}, removeMissing: req.RemoveMissing}, nil
	case KindReps:
		return &repStager{units: newUnitIndex(known.Units), sys: m.Coords, known: known, seen: map[string]int{}, req: req}, nil
	case KindSales:
		s := &salesStager{known: known, history: map[string]map[engine.Month]float64{}, months: idx(m.MonthColumns), removeMissing: req.RemoveMissing}
		for _, h := range m.MonthColumns {
			mo, _ := ParseMonthHeader(h)
			s.monthOf = append(s.monthOf, mo)
		}
		s.names = m.MonthColumns
		return s, nil
	case KindVisits:
		return &visitStager{known: known, today: DayOf(req.Now.Year(), req.Now.Month(), req.Now.Day()), seen: map[visitKey]int{}, removeMissing: req.RemoveMissing}, nil
	case KindAlignment:
		return &alignStager{units: newUnitIndex(known.Units), known: known, req: req, unitT: map[string]string{}, acctT: map[string]string{}, repOf: map[string]string{}, names: map[string]string{}, rowOf: map[string]int{}}, nil
	case KindUnitData:
		return &unitDataStager{units: newUnitIndex(known.Units), extra: m.Extra, extraIdx: idx(m.Extra), values: map[string]map[string]float64{}, seen: map[string]int{}}, nil
	}
	return nil, fmt.Errorf("unknown kind %q", m.Kind)
}

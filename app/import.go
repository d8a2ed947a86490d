package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"territoria/engine"
	"territoria/storage/tableimport"
)

// Events of an import.
const (
	// EventImportProgress carries ImportProgress, at most ten times a second.
	EventImportProgress = "import:progress"
)

// ImportProgress tells how far a running import has come: Done of Total
// (bytes of a text file; Total is 0 when unknown, as for workbooks) and
// the data rows read so far.
type ImportProgress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
	Rows  int   `json:"rows"`
}

// ImportReject is one rejected value of an imported file.
type ImportReject struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Value  string `json:"value"`
	// Code is a stable key for the reason ("bad-number", "unknown-unit", ...);
	// Reason is the same in English.
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// ImportReport tells what an import read, rejected and changed. Boundary
// imports (kind "boundaries") fill it too: Rows are features, Row numbers
// are feature numbers.
type ImportReport struct {
	Kind      string `json:"kind"`
	File      string `json:"file"`
	Sheet     string `json:"sheet"`
	Encoding  string `json:"encoding"`
	Delimiter string `json:"delimiter"`
	HeaderRow int    `json:"headerRow"`
	Rows      int    `json:"rows"`
	Accepted  int    `json:"accepted"`
	Rejected  int    `json:"rejected"`
	Added     int    `json:"added"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Removed   int    `json:"removed"`
	// Committed is true when the plan was changed; false for a dry run, or
	// when rows were rejected and good rows were not asked for.
	Committed bool `json:"committed"`
	DryRun    bool `json:"dryRun"`
	// Rejects lists rejected values (the first 100,000); RejectsTotal counts all.
	Rejects      []ImportReject `json:"rejects"`
	RejectsTotal int            `json:"rejectsTotal"`
	Warnings     []string       `json:"warnings"`
	// Boundary tells what a boundary import read and would change or
	// changed (nil for tables).
	Boundary *BoundaryDetail `json:"boundary,omitempty"`
	// Millis is how long the import took.
	Millis int64 `json:"millis"`
}

// BoundaryOptions configure a boundary import (kind "boundaries").
type BoundaryOptions struct {
	IDField, NameField string
	Level              string
	DryRun             bool
	// Add keeps the plan's other units (see AddBoundaries).
	Add bool
}

// boundaryImporter imports a boundary layer; the boundary import sets it
// from its init function. Nil means this build cannot import boundaries.
var boundaryImporter func(ctx context.Context, s *PlanService, path string, opts BoundaryOptions, progress func(done, total int)) (ImportReport, error)

// ErrImportRunning is returned when an import is started while another runs.
var ErrImportRunning = errors.New("an import is already running")

// ImportOptions are the choices of one import.
type ImportOptions struct {
	// GoodRows imports the rows that pass even when others are rejected;
	// otherwise a rejected row means nothing is imported.
	GoodRows bool `json:"goodRows"`
	// DryRun checks the file and reports without changing the plan.
	DryRun bool `json:"dryRun"`
	// RemoveMissing removes records the file does not list.
	RemoveMissing bool `json:"removeMissing"`
	// Scenario is the scenario id or name for alignments and reps'
	// territories; "" is the active scenario.
	Scenario string `json:"scenario"`
	// Boundary configures a boundary import.
	IDField   string `json:"idField"`
	NameField string `json:"nameField"`
	Level     string `json:"level"`
	// AddUnits (boundaries) adds the file's units to the plan's, replacing
	// those with the same ids, instead of replacing all units.
	AddUnits bool `json:"addUnits"`
}

// ImportPreview is a table as the import wizard first shows it.
type ImportPreview = tableimport.Preview

// ImportMapping says which column holds which field (see tableimport.Mapping).
type ImportMapping = tableimport.Mapping

// ImportService is the bound service for bringing people's files into the
// plan: inspecting a file, importing it as a long job with progress and
// cancel, and saving the rejected rows. Reachable from the page as
// window.go.app.ImportService.
type ImportService struct {
	p *PlanService

	mu      sync.Mutex
	cancel  context.CancelFunc
	last    *tableimport.Report
	lastRep ImportReport
}

// NewImportService returns the import service over the plan service p.
func NewImportService(p *PlanService) *ImportService { return &ImportService{p: p} }

func init() { registerBinding(func(p *PlanService) any { return NewImportService(p) }) }

// Kinds lists what can be imported.
func (s *ImportService) Kinds() ([]string, error) {
	out := make([]string, 0, len(tableimport.Kinds)+1)
	for _, k := range tableimport.Kinds {
		out = append(out, string(k))
	}
	return append(out, "boundaries"), nil
}

var importFilters = []FileFilter{
	{DisplayName: "Spreadsheets (*.xlsx, *.csv, *.tsv, *.txt)", Pattern: "*.xlsx;*.xlsm;*.csv;*.tsv;*.txt"},
	{DisplayName: "Boundaries (*.geojson, *.json, *.topojson, *.kml, *.zip, *.shp)", Pattern: "*.geojson;*.json;*.topojson;*.kml;*.zip;*.shp"},
	{DisplayName: "All files", Pattern: "*"},
}

// ChooseImportFile shows the native open dialog; "" when cancelled, error
// "no-dialog" in browser mode (the page then uploads the file).
func (s *ImportService) ChooseImportFile() (string, error) {
	return s.p.dialogs().OpenFile(s.p.word("Import data", "导入数据"), importFilters)
}

// ChooseReportPath shows the native save dialog for the rejected-rows report.
func (s *ImportService) ChooseReportPath() (string, error) {
	return s.p.dialogs().SaveFile(s.p.word("Save import report", "保存导入报告"), "import-report.xlsx",
		[]FileFilter{{DisplayName: "Excel workbook (*.xlsx)", Pattern: "*.xlsx"}})
}

// Inspect opens a file and proposes how its columns map to the fields of
// kind: sheets, detected encoding and delimiter, header, the first rows.
// sheet "" is the first sheet; headerRow 0 detects the header.
func (s *ImportService) Inspect(kind, path, sheet string, headerRow int) (*ImportPreview, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("no file given")
	}
	return tableimport.Inspect(path, tableimport.Kind(kind), sheet, headerRow)
}

// Cancel stops the running import; the plan stays exactly as it was.
func (s *ImportService) Cancel() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	return nil
}

// Run imports a file of the given kind into the open plan with mapping,
// reporting progress with EventImportProgress. It returns when the import
// is done: committed, rejected, or cancelled (an error).
func (s *ImportService) Run(kind, path string, mapping ImportMapping, opts ImportOptions) (ImportReport, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	if s.cancel != nil {
		s.mu.Unlock()
		cancel()
		return ImportReport{}, ErrImportRunning
	}
	s.cancel = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}()
	rep, err := RunImport(ctx, s.p, kind, path, mapping, opts, s.p.emitProgress())
	if err == nil {
		s.mu.Lock()
		s.lastRep = rep
		s.mu.Unlock()
	}
	return rep, err
}

// emitProgress returns a progress callback that emits at most ten events a
// second, and always the last one.
func (s *PlanService) emitProgress() func(ImportProgress) {
	var last time.Time
	return func(p ImportProgress) {
		now := time.Now()
		if p.Total > 0 && p.Done >= p.Total || now.Sub(last) >= 100*time.Millisecond {
			last = now
			s.emit(EventImportProgress, p)
		}
	}
}

// SaveReport writes the rejected rows of the last import to path as an
// .xlsx workbook, headed in the user's language, and returns the path
// written. A relative path (typed in browser mode) is put in the user's
// data folder.
func (s *ImportService) SaveReport(path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", errors.New("no file name given")
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		path += ".xlsx"
	}
	if !filepath.IsAbs(path) && s.p.cfg.DataDir != "" {
		path = filepath.Join(s.p.cfg.DataDir, path)
	}
	s.mu.Lock()
	rep := s.lastRep
	s.mu.Unlock()
	if rep.File == "" {
		return "", errors.New("no import has been run yet")
	}
	return path, WriteImportReport(path, rep, s.p.word("en", "zh-CN"))
}

// WriteImportReport writes rep's rejected rows as an .xlsx workbook with
// headers in lang ("en" or "zh-CN").
func WriteImportReport(path string, rep ImportReport, lang string) error {
	h := [5]string{"Row", "Column", "Value", "Problem", "Reason"}
	if lang == "zh-CN" {
		h = [5]string{"行号", "列", "值", "问题", "原因"}
	}
	tr := &tableimport.Report{File: rep.File, Rows: rep.Rows, Rejected: rep.Rejected}
	for _, r := range rep.Rejects {
		tr.Rejects = append(tr.Rejects, tableimport.Reject(r))
	}
	if err := tableimport.WriteRejects(path, tr, h); err != nil {
		return fmt.Errorf("cannot write the report to %s: %w", path, err)
	}
	return nil
}

// RunImport imports a file into the plan open in s (the CLI and the bound
// service share it). After a commit the plan is re-read so the map and the
// figures follow.
func RunImport(ctx context.Context, s *PlanService, kind, path string, mapping ImportMapping, opts ImportOptions, progress func(ImportProgress)) (ImportReport, error) {
	start := time.Now()
	if strings.TrimSpace(path) == "" {
		return ImportReport{}, errors.New("no file given")
	}
	acc, err := s.access()
	if err != nil {
		return ImportReport{}, err
	}
	if acc.ReadOnly {
		return ImportReport{}, ErrReadOnly
	}
	if kind == "boundaries" {
		if boundaryImporter == nil {
			return ImportReport{}, errors.New("importing boundary layers is not available in this build")
		}
		bo := BoundaryOptions{IDField: opts.IDField, NameField: opts.NameField, Level: opts.Level, DryRun: opts.DryRun, Add: opts.AddUnits}
		var cb func(done, total int)
		if progress != nil {
			cb = func(done, total int) { progress(ImportProgress{Done: int64(done), Total: int64(total), Rows: done}) }
		}
		rep, err := boundaryImporter(ctx, s, path, bo, cb)
		if err == nil {
			rep.Millis = time.Since(start).Milliseconds()
		}
		return rep, err
	}
	k := tableimport.Kind(kind)
	if tableimport.Fields(k) == nil {
		return ImportReport{}, fmt.Errorf("unknown import kind %q (want accounts, reps, sales, visits, alignment, unit-data or boundaries)", kind)
	}
	if mapping.Kind == "" {
		mapping.Kind = k
	}
	if mapping.Kind != k {
		return ImportReport{}, fmt.Errorf("the mapping is for %s, not %s", mapping.Kind, kind)
	}
	scenario, known, err := s.importSnapshot(k, opts.Scenario)
	if err != nil {
		return ImportReport{}, err
	}
	req := tableimport.Request{Path: path, Mapping: mapping, GoodRows: opts.GoodRows, DryRun: opts.DryRun,
		RemoveMissing: opts.RemoveMissing, Scenario: scenario, Now: s.cfg.now()}
	var cb tableimport.Progress
	if progress != nil {
		cb = func(rows int, done, total int64) { progress(ImportProgress{Done: done, Total: total, Rows: rows}) }
	}
	tr, err := tableimport.Run(ctx, acc.File, known, req, cb)
	if err != nil {
		if errors.Is(err, tableimport.ErrCancelled) {
			return ImportReport{}, err
		}
		return ImportReport{}, err
	}
	rep := reportDTO(tr)
	if tr.Committed {
		// The staged rows are garbage now; return them before the plan is
		// read again, which needs as much memory once more.
		debug.FreeOSMemory()
		if _, err := s.reloadPlan(); err != nil {
			return rep, fmt.Errorf("the import was saved, but the plan could not be re-read: %w", err)
		}
	}
	rep.Millis = time.Since(start).Milliseconds()
	return rep, nil
}

func reportDTO(tr *tableimport.Report) ImportReport {
	rep := ImportReport{Kind: string(tr.Kind), File: tr.File, Sheet: tr.Sheet, Encoding: tr.Encoding, Delimiter: tr.Delimiter,
		HeaderRow: tr.HeaderRow, Rows: tr.Rows, Accepted: tr.Accepted, Rejected: tr.Rejected, Added: tr.Added,
		Updated: tr.Updated, Unchanged: tr.Unchanged, Removed: tr.Removed, Committed: tr.Committed, DryRun: tr.DryRun,
		Rejects: make([]ImportReject, len(tr.Rejects)), RejectsTotal: tr.RejectsTotal, Warnings: tr.Warnings}
	for i, r := range tr.Rejects {
		rep.Rejects[i] = ImportReject(r)
	}
	if rep.Warnings == nil {
		rep.Warnings = []string{}
	}
	return rep
}

// importSnapshot copies, under the service lock, what an import of kind k
// checks rows against, and resolves the target scenario (id or name; ""
// is the active one).
func (s *PlanService) importSnapshot(k tableimport.Kind, scenario string) (string, tableimport.Known, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.plan
	if p == nil {
		return "", tableimport.Known{}, ErrNoPlan
	}
	id := s.active
	if scenario != "" {
		id = ""
		for _, sc := range p.Scenarios {
			if sc.ID == scenario || (id == "" && sc.Name == scenario) {
				id = sc.ID
			}
		}
		if id == "" {
			return "", tableimport.Known{}, fmt.Errorf("the plan has no scenario %q", scenario)
		}
	}
	known := tableimport.Known{Units: p.Units, Territories: map[string]engine.Kind{}}
	if sc := p.Scenario(id); sc != nil {
		for _, t := range sc.Territories {
			known.Territories[t.ID] = t.Kind
		}
	}
	switch k {
	case tableimport.KindSales, tableimport.KindVisits, tableimport.KindAlignment:
		known.Accounts = make(map[string]bool, len(p.Accounts))
		for i := range p.Accounts {
			known.Accounts[p.Accounts[i].ID] = true
		}
	}
	known.Reps = make(map[string]bool, len(p.Reps))
	for _, r := range p.Reps {
		known.Reps[r.ID] = true
	}
	return id, known, nil
}

// ReadImportMapping reads a mapping saved as JSON (the CLI's --mapping).
func ReadImportMapping(path string) (ImportMapping, error) { return tableimport.ReadMapping(path) }

// SuggestImportMapping inspects path and returns the suggested mapping for
// kind (the CLI's default when no --mapping is given).
func SuggestImportMapping(kind, path, sheet string) (ImportMapping, error) {
	p, err := tableimport.Inspect(path, tableimport.Kind(kind), sheet, 0)
	if err != nil {
		return ImportMapping{}, err
	}
	return p.Suggested, nil
}

// WriteImportMapping saves a mapping as JSON, to reuse as a template.
func WriteImportMapping(path string, m ImportMapping) error { return tableimport.WriteMapping(path, m) }

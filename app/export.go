package app

import (
	"archive/zip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	osuser "os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/storage/export"
)

// Events of an export.
const (
	// EventExportProgress carries ExportProgress, at most ten times a second.
	EventExportProgress = "export:progress"
)

// Export formats.
const (
	FormatXLSX    = "xlsx"
	FormatGeoJSON = "geojson"
	FormatKML     = "kml"
	FormatSHP     = "shp"
	FormatCSV     = "csv"
	FormatPNG     = "png"
	FormatSVG     = "svg"
	FormatPDF     = "pdf"
	FormatShare   = "share"
)

// exportExt is each format's file extension (the CSV tables go to a folder).
var exportExt = map[string]string{
	FormatXLSX: ".xlsx", FormatGeoJSON: ".geojson", FormatKML: ".kml", FormatSHP: ".zip", FormatCSV: "",
	FormatPNG: ".png", FormatSVG: ".svg", FormatPDF: ".pdf", FormatShare: ".territoria",
}

// ExportRequest asks for one export.
type ExportRequest struct {
	// Format is xlsx, geojson, kml, shp, csv, png, svg, pdf or share.
	Format string `json:"format"`
	// Path is where to write (a folder for csv). "" in the browser mode: the
	// file is kept for download and ExportResult.Download is its URL.
	Path string `json:"path"`
	// Scenario is the scenario id ("" = the active one).
	Scenario string `json:"scenario"`
	// Baseline is what the change report and "before" figures compare with:
	// a scenario id, "" for the baseline the side panel uses (by default
	// the scenario before its first edit), or "none".
	Baseline string `json:"baseline"`
	// NoAccounts leaves accounts out of GIS files.
	NoAccounts bool `json:"noAccounts"`
	// Map pictures and the PDF brief.
	Width  int     `json:"width"`  // pixels of a PNG, or of the SVG's view box (default 1600)
	Height int     `json:"height"` // default 1000
	DPI    float64 `json:"dpi"`    // PNG resolution recorded in the file (default 144)
	// ColorBy colours territories by a metric's deviation from target
	// ("potential", "workloadHours" ...); "" uses the territories' colours.
	ColorBy string `json:"colorBy"`
	Title   string `json:"title"`
	// PerRegion gives the PDF brief one page per region after the plan page.
	PerRegion bool `json:"perRegion"`
	// Share plan: every scenario or only Scenario; names replaced by ids;
	// read-only when opened.
	AllScenarios bool `json:"allScenarios"`
	Anonymise    bool `json:"anonymise"`
	ReadOnly     bool `json:"readOnly"`
	// Lang is the language of headings ("" = the user's setting).
	Lang string `json:"lang"`
}

// ExportResult tells what an export wrote.
type ExportResult struct {
	Format string `json:"format"`
	// Path is the file (or folder) written; Files lists every file written.
	Path  string   `json:"path"`
	Files []string `json:"files"`
	// Download is the URL to fetch the file from in the browser mode ("" otherwise).
	Download string `json:"download"`
	// Name is the file name offered for the download.
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	Millis int64  `json:"millis"`
	// Layers counts features per layer of a GIS export.
	Layers map[string]int `json:"layers,omitempty"`
	// Notes lists things worth knowing (an outline that could not be
	// dissolved, a font that was missing).
	Notes []string `json:"notes"`
}

// ExportProgress tells how far a running export has come.
type ExportProgress struct {
	Format string `json:"format"`
	Stage  string `json:"stage"`
	Done   int64  `json:"done"`
	Total  int64  `json:"total"`
}

// ProvenanceInfo tells where a shared copy of a plan came from.
type ProvenanceInfo struct {
	ExportedBy   string    `json:"exportedBy"`
	ExportedAt   time.Time `json:"exportedAt"`
	FromScenario string    `json:"fromScenario"`
	ReadOnly     bool      `json:"readOnly"`
}

// ErrExportRunning is returned when an export is started while another runs.
var ErrExportRunning = errors.New("an export is already running")

// ExportService is the bound service for taking a plan out of the app:
// workbooks, GIS files, alignment tables, a shareable plan file, map
// pictures and a PDF brief. Reachable from the page as
// window.go.app.ExportService.
type ExportService struct {
	p *PlanService

	mu     sync.Mutex
	cancel context.CancelFunc
}

// NewExportService returns the export service over the plan service p.
func NewExportService(p *PlanService) *ExportService { return &ExportService{p: p} }

func init() { registerBinding(func(p *PlanService) any { return NewExportService(p) }) }

// Formats lists the export formats.
func (e *ExportService) Formats() ([]string, error) {
	return []string{FormatXLSX, FormatCSV, FormatGeoJSON, FormatKML, FormatSHP, FormatShare, FormatPNG, FormatSVG, FormatPDF}, nil
}

// ChoosePath shows the native save dialog for format; "" when cancelled,
// error "no-dialog" in the browser mode (export with an empty path, then
// download the file).
func (e *ExportService) ChoosePath(format string) (string, error) {
	ext, ok := exportExt[format]
	if !ok {
		return "", fmt.Errorf("unknown export format %q", format)
	}
	name := "territoria"
	e.p.mu.RLock()
	if e.p.plan != nil {
		name = safeName(e.p.plan.Name)
	}
	e.p.mu.RUnlock()
	if format == FormatCSV {
		name += "-alignment"
	}
	pattern := "*" + ext
	if ext == "" {
		pattern = "*"
	}
	return e.p.dialogs().SaveFile(e.p.word("Export", "导出"), name+ext,
		[]FileFilter{{DisplayName: strings.ToUpper(strings.TrimPrefix(ext, ".")) + " (" + pattern + ")", Pattern: pattern}})
}

// Cancel stops the running export; nothing is left at its path.
func (e *ExportService) Cancel() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		e.cancel()
	}
	return nil
}

// Provenance tells where the open plan came from when it is a shared copy
// (nil for a plan that was not exported).
func (e *ExportService) Provenance() (*ProvenanceInfo, error) {
	s := e.p
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.plan == nil {
		return nil, ErrNoPlan
	}
	pv := s.meta.Provenance
	if pv.ExportedBy == "" && pv.ExportedAt.IsZero() && pv.FromScenario == "" && !pv.ReadOnly {
		return nil, nil
	}
	return &ProvenanceInfo{ExportedBy: pv.ExportedBy, ExportedAt: pv.ExportedAt, FromScenario: pv.FromScenario, ReadOnly: pv.ReadOnly}, nil
}

// Export writes the open plan in one format, emitting EventExportProgress.
// With an empty path (the browser mode) the file is written to a
// temporary folder and offered at ExportResult.Download.
func (e *ExportService) Export(req ExportRequest) (ExportResult, error) {
	ctx, cancel := context.WithCancel(context.Background())
	e.mu.Lock()
	if e.cancel != nil {
		e.mu.Unlock()
		cancel()
		return ExportResult{}, ErrExportRunning
	}
	e.cancel = cancel
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.cancel = nil
		e.mu.Unlock()
		cancel()
	}()
	download := strings.TrimSpace(req.Path) == ""
	var dir string
	if download {
		var err error
		if dir, err = os.MkdirTemp("", "territoria-export-"); err != nil {
			return ExportResult{}, err
		}
		name := e.downloadName(req.Format)
		req.Path = filepath.Join(dir, name)
	}
	res, err := RunExport(ctx, e.p, req, e.p.exportProgress(req.Format))
	if err != nil {
		if dir != "" {
			os.RemoveAll(dir)
		}
		return res, err
	}
	if download {
		path := res.Path
		if req.Format == FormatCSV { // a folder: offer it zipped
			zipped := strings.TrimRight(path, string(filepath.Separator)) + ".zip"
			if err := zipFolder(zipped, path); err != nil {
				os.RemoveAll(dir)
				return res, err
			}
			path = zipped
		}
		if fi, err := os.Stat(path); err == nil {
			res.Bytes = fi.Size()
		}
		res.Name = filepath.Base(path)
		id := downloadsFor(e.p).add(path, dir)
		res.Download = "/download/" + id + "/" + url.PathEscape(res.Name)
	}
	return res, nil
}

func (e *ExportService) downloadName(format string) string {
	name := "territoria"
	e.p.mu.RLock()
	if e.p.plan != nil {
		name = safeName(e.p.plan.Name)
	}
	e.p.mu.RUnlock()
	if format == FormatCSV {
		return name + "-alignment"
	}
	return name + exportExt[format]
}

// safeName makes a plan name usable as a file name.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`<>:"/\|?*`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" || s == "." || s == ".." {
		return "territoria"
	}
	return s
}

// exportProgress returns a progress callback emitting at most ten events
// a second, and always the last one.
func (s *PlanService) exportProgress(format string) func(export.Progress) {
	var mu sync.Mutex
	var last time.Time
	return func(p export.Progress) {
		mu.Lock()
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond && !(p.Total > 0 && p.Done >= p.Total && p.Stage == "done") {
			mu.Unlock()
			return
		}
		last = now
		mu.Unlock()
		s.emit(EventExportProgress, ExportProgress{Format: format, Stage: p.Stage, Done: p.Done, Total: p.Total})
	}
}

// RunExport writes the plan open in s in one format (the CLI and the bound
// service share it). progress may be nil.
func RunExport(ctx context.Context, s *PlanService, req ExportRequest, progress func(export.Progress)) (ExportResult, error) {
	start := time.Now()
	req.Format = strings.ToLower(strings.TrimSpace(req.Format))
	if _, ok := exportExt[req.Format]; !ok {
		return ExportResult{}, fmt.Errorf("unknown export format %q (want xlsx, csv, geojson, kml, shp, share, png, svg or pdf)", req.Format)
	}
	path := strings.TrimSpace(req.Path)
	if path == "" {
		return ExportResult{}, errors.New("no file given to export to")
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if ext := exportExt[req.Format]; ext != "" && filepath.Ext(path) == "" {
		path += ext
	}
	if req.Lang == "" {
		req.Lang = s.word("en", "zh-CN")
	}
	opts := export.Options{Ctx: ctx, Progress: progress}
	res := ExportResult{Format: req.Format, Path: path, Notes: []string{}}
	var err error
	if req.Format == FormatShare {
		err = sharePlan(s, path, req)
		res.Files = []string{path}
	} else {
		var d *export.Data
		if d, err = exportData(s, req); err != nil {
			return res, err
		}
		switch req.Format {
		case FormatXLSX:
			err = export.WriteXLSX(path, d, &opts)
			res.Files = []string{path}
		case FormatCSV:
			res.Files, err = export.WriteCSV(path, d, &opts)
		case FormatGeoJSON, FormatKML, FormatSHP:
			o := &export.GISOptions{Options: opts, NoAccounts: req.NoAccounts}
			var g export.GISResult
			switch req.Format {
			case FormatGeoJSON:
				g, err = export.WriteGeoJSON(path, d, o)
			case FormatKML:
				g, err = export.WriteKML(path, d, o)
			default:
				g, err = export.WriteShapefile(path, d, o)
			}
			res.Files, res.Layers = []string{path}, g.Layers
			res.Notes = append(res.Notes, g.Notes...)
		case FormatPNG, FormatSVG:
			var notes []string
			notes, err = export.WriteMap(path, d, mapOptions(req, opts))
			res.Files = []string{path}
			res.Notes = append(res.Notes, notes...)
		case FormatPDF:
			var notes []string
			notes, err = export.WritePDF(path, d, export.PDFOptions{Map: mapOptions(req, opts), PerRegion: req.PerRegion})
			res.Files = []string{path}
			res.Notes = append(res.Notes, notes...)
		}
	}
	if err != nil {
		if errors.Is(err, export.ErrCancelled) || errors.Is(err, context.Canceled) {
			return res, errors.New("the export was cancelled; nothing was written")
		}
		return res, err
	}
	for _, f := range res.Files {
		if fi, err := os.Stat(f); err == nil {
			res.Bytes += fi.Size()
		}
	}
	res.Millis = time.Since(start).Milliseconds()
	if progress != nil {
		progress(export.Progress{Stage: "done", Done: 1, Total: 1})
	}
	return res, nil
}

func mapOptions(req ExportRequest, o export.Options) export.MapOptions {
	return export.MapOptions{Options: o, Width: req.Width, Height: req.Height, DPI: req.DPI, ColorBy: req.ColorBy, Title: req.Title}
}

// exportData takes, under the service lock, what an export of scenario
// req.Scenario needs: a copy of the scenario, its alignment, the rows and
// balance the side panel shows, and the baseline.
func exportData(s *PlanService, req ExportRequest) (*export.Data, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	id := req.Scenario
	if id == "" {
		id = s.active
	}
	sc := p.Scenario(id)
	if sc == nil {
		return nil, fmt.Errorf("unknown scenario %q", id)
	}
	cv, err := buildView(p, sc.Clone(sc.ID, sc.Name), v)
	if err != nil {
		return nil, err
	}
	d := &export.Data{Plan: p, Lang: req.Lang, Now: s.cfg.now(), Metrics: exportMetrics(cv.sess.Base().Metrics()), Segments: cv.model.seg}
	risk := model.Resolve(p.Settings).DisruptionShare
	d.RiskShare = &risk
	d.Current = export.Side{Scenario: sc.Clone(sc.ID, sc.Name), State: cv.st(), Rows: exportRows(territoryRows(p, cv, s.baselineOf(cv))), Balance: exportBalance(balanceView(cv))}
	switch req.Baseline {
	case "none", "-":
	default:
		choice := req.Baseline
		if choice == "" {
			choice = s.baselines[sc.ID]
		}
		if choice == sc.ID {
			choice = ""
		}
		bsc, err := s.baselineScenarioLocked(sc.ID, choice)
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		bsc = bsc.Clone(bsc.ID, bsc.Name)
		bv, err := buildView(p, bsc, v)
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
		d.Baseline = &export.Side{Scenario: bsc, State: bv.st(), Rows: exportRows(territoryRows(p, bv, nil)), Balance: exportBalance(balanceView(bv))}
		if choice == "" {
			d.BaselineName = fmt.Sprintf(s.wordLocked("%s before its first edit", "%s（首次编辑前）"), sc.Name)
		} else {
			d.BaselineName = bsc.Name
		}
	}
	return d, nil
}

// wordLocked is word for callers holding the lock.
func (s *PlanService) wordLocked(en, zh string) string {
	if s.settings.Language == "zh-CN" {
		return zh
	}
	return en
}

func exportMetrics(infos []metrics.MetricInfo) []export.Metric {
	out := make([]export.Metric, len(infos))
	for i, mi := range infos {
		out[i] = export.Metric{Name: mi.Name, Unit: mi.Unit, Summed: mi.Summed, Balanced: mi.Balanced}
	}
	return out
}

func exportRows(rows []TerritoryRow) []export.Row {
	out := make([]export.Row, len(rows))
	for i, r := range rows {
		out[i] = export.Row{ID: r.ID, Name: r.Name, Kind: r.Kind, Parent: r.Parent, RepID: r.RepID, Rep: r.Rep, Color: r.Color,
			Depth: r.Depth, Values: r.Values, Deviation: r.Deviation, Baseline: r.Baseline}
	}
	return out
}

func exportBalance(b BalanceView) export.Balance {
	out := export.Balance{Index: b.Index, Metrics: map[string]export.MetricBalance{}}
	for k, m := range b.Metrics {
		out.Metrics[k] = export.MetricBalance{Mean: m.Mean, CV: m.CV, Gini: m.Gini, MaxAbsDeviation: m.MaxAbsDeviation, Weight: m.Weight}
	}
	return out
}

// sharePlan writes a shareable copy of the open plan.
func sharePlan(s *PlanService, path string, req ExportRequest) error {
	s.mu.RLock()
	f, p, active := s.file, s.plan, s.active
	user, now := s.cfg.User, s.cfg.now()
	s.mu.RUnlock()
	if f == nil || p == nil {
		return ErrNoPlan
	}
	if user == "" {
		if u, err := osuser.Current(); err == nil {
			user = u.Username
		}
	}
	id := req.Scenario
	if id == "" {
		id = active
	}
	if p.Scenario(id) == nil {
		return fmt.Errorf("unknown scenario %q", id)
	}
	o := export.ShareOptions{FromScenario: id, Anonymise: req.Anonymise, ReadOnly: req.ReadOnly, ExportedBy: user, Now: now}
	if !req.AllScenarios {
		o.Scenario = id
	}
	return export.SharePlan(f, path, o)
}

// zipFolder writes the files of folder dir into a zip archive at path.
func zipFolder(path, dir string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	entries, err := os.ReadDir(dir)
	if err == nil {
		for _, en := range entries {
			if en.IsDir() {
				continue
			}
			var w io.Writer
			if w, err = zw.Create(filepath.Base(dir) + "/" + en.Name()); err != nil {
				break
			}
			var in *os.File
			if in, err = os.Open(filepath.Join(dir, en.Name())); err != nil {
				break
			}
			_, err = io.Copy(w, in)
			in.Close()
			if err != nil {
				break
			}
		}
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// ---- downloads (browser mode) ---------------------------------------------

// Downloads are the finished exports of a plan service that the browser
// mode offers at /download/{id}/{name}. The last few are kept; older ones
// are deleted.
type Downloads struct {
	mu    sync.Mutex
	files map[string]download
	order []string
}

type download struct{ path, dir string }

const keepDownloads = 8

var (
	downloadsMu  sync.Mutex
	downloadsMap = map[*PlanService]*Downloads{}
)

// DownloadsOf returns the finished exports of s, for the browser mode's
// download endpoint.
func DownloadsOf(s *PlanService) *Downloads { return downloadsFor(s) }

func downloadsFor(s *PlanService) *Downloads {
	downloadsMu.Lock()
	defer downloadsMu.Unlock()
	d := downloadsMap[s]
	if d == nil {
		d = &Downloads{files: map[string]download{}}
		downloadsMap[s] = d
	}
	return d
}

func (d *Downloads) add(path, dir string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	d.mu.Lock()
	defer d.mu.Unlock()
	d.files[id] = download{path, dir}
	d.order = append(d.order, id)
	for len(d.order) > keepDownloads {
		old := d.order[0]
		d.order = d.order[1:]
		if f, ok := d.files[old]; ok {
			os.RemoveAll(f.dir)
			delete(d.files, old)
		}
	}
	return id
}

// Download returns the file of a finished export by id, and the name to
// offer it under.
func (d *Downloads) Download(id string) (path, name string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f, ok := d.files[id]
	if !ok {
		return "", "", false
	}
	return f.path, filepath.Base(f.path), true
}

// Close deletes every kept export.
func (d *Downloads) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for id, f := range d.files {
		os.RemoveAll(f.dir)
		delete(d.files, id)
	}
	d.order = nil
}

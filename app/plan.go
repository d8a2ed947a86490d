package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"territoria/engine"
	"territoria/storage/demo"
	"territoria/storage/planfile"
	"territoria/storage/settings"
)

// PlanService is the bound service for the open plan: opening and saving
// plan files, scenarios, and what the map and side panel show. Every
// exported method is reachable from the page as window.go.app.PlanService.
//
// The plan lives here, in Go; the page only keeps view state.
type PlanService struct {
	cfg Config

	mu       sync.RWMutex
	wiring   Wiring
	settings settings.Settings

	file     *planfile.File
	path     string
	readOnly bool
	plan     *engine.Plan
	meta     planfile.Meta
	active   string
	view     *view // derived from plan + active scenario; nil when no plan
	version  int64

	baselines map[string]string // scenario id → id of the scenario it is compared with ("" = its original state)
}

// Wiring connects a service to the window or server that hosts it.
type Wiring struct {
	Emitter Emitter
	Dialogs Dialogs
	// OnReady is called when the page reports it has loaded (smoke tests wait for it).
	OnReady func(detail string)
	// OnMenuChanged is called when the native menu must be rebuilt (language, recent plans).
	OnMenuChanged func()
	// OnLog, when set, receives what the page reports through Log.
	OnLog func(level, message string)
	// OnEdit, when set, is called with the kind of every edit saved
	// ("paint", ...; "undo:paint" and "redo:paint" for steps through the
	// history). Smoke tests of the desktop window watch it.
	OnEdit func(kind string)
}

// NewPlanService returns a service with no plan open, settings loaded from cfg.
func NewPlanService(cfg Config) *PlanService {
	s := &PlanService{cfg: cfg, settings: settings.Defaults()}
	if cfg.SettingsPath != "" {
		if st, err := settings.Load(cfg.SettingsPath); err == nil {
			s.settings = st
		}
	}
	return s
}

// Wire connects s to its host. It is a function rather than a method so
// that it is not bound to the page.
func Wire(s *PlanService, w Wiring) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wiring = w
}

func (s *PlanService) emit(name string, data any) {
	if em := s.wiring.Emitter; em != nil {
		em.Emit(name, data)
	}
}

func (s *PlanService) dialogs() Dialogs {
	if s.wiring.Dialogs != nil {
		return s.wiring.Dialogs
	}
	return noDialogs{}
}

// Shutdown closes the open plan. Every change was already committed as it
// happened; closing only releases the file.
func Shutdown(s *PlanService) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closeLocked()
}

func (s *PlanService) closeLocked() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file, s.plan, s.view, s.path, s.active = nil, nil, nil, "", ""
	return err
}

// SchemaVersion is the plan-file schema this build writes.
func SchemaVersion() int { return planfile.SchemaVersion }

// ---- opening and saving ----------------------------------------------------

// Info describes the open plan; Open is false when none is.
func (s *PlanService) Info() (PlanInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.infoLocked(), nil
}

func (s *PlanService) infoLocked() PlanInfo {
	if s.plan == nil {
		return PlanInfo{Scenarios: []ScenarioInfo{}}
	}
	p := s.plan
	info := PlanInfo{
		Open: true, Path: s.path, Name: p.Name, Currency: p.Currency,
		SchemaVersion: s.meta.SchemaVersion, ReadOnly: s.readOnly,
		Accounts: len(p.Accounts), Reps: len(p.Reps), Units: len(p.Units),
		Scenarios: scenarioInfos(p), ActiveScenario: s.active,
	}
	if s.view != nil {
		info.Bounds = s.view.bounds
	}
	return info
}

func scenarioInfos(p *engine.Plan) []ScenarioInfo {
	out := make([]ScenarioInfo, 0, len(p.Scenarios))
	for _, sc := range p.Scenarios {
		n := 0
		for _, t := range sc.Territories {
			if t.Kind == engine.KindTerritory {
				n++
			}
		}
		out = append(out, ScenarioInfo{ID: sc.ID, Name: sc.Name, Territories: n})
	}
	return out
}

// OpenPlan opens the plan file at path for editing, closing the current one.
func (s *PlanService) OpenPlan(path string) (PlanInfo, error) {
	return OpenPlanWith(s, path, false)
}

// OpenPlanWith opens path, read-only when asked (the CLI's read commands).
func OpenPlanWith(s *PlanService, path string, readOnly bool) (PlanInfo, error) {
	if strings.TrimSpace(path) == "" {
		return PlanInfo{}, errors.New("no plan file given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return PlanInfo{}, err
	}
	f, err := planfile.Open(abs, planfile.Options{ReadOnly: readOnly})
	if err != nil {
		return PlanInfo{}, fmt.Errorf("cannot open %s: %w", path, err)
	}
	p, err := f.Load()
	if err != nil {
		f.Close()
		return PlanInfo{}, fmt.Errorf("cannot read %s: %w", path, err)
	}
	return s.adopt(f, abs, p, readOnly || f.Meta().Provenance.ReadOnly, !readOnly)
}

// adopt makes an opened file the current plan and tells the page.
// remember adds the plan to the recent plans; a plan opened only to be read
// (the command line's reports) is not one the planner worked on.
func (s *PlanService) adopt(f *planfile.File, path string, p *engine.Plan, readOnly, remember bool) (PlanInfo, error) {
	meta := f.Meta()
	active := meta.ActiveScenario
	if p.Scenario(active) == nil && len(p.Scenarios) > 0 {
		active = p.Scenarios[0].ID
	}
	v, err := buildView(p, p.Scenario(active), nil)
	if err != nil {
		f.Close()
		return PlanInfo{}, fmt.Errorf("cannot show %s: %w", path, err)
	}
	s.mu.Lock()
	s.closeLocked()
	s.file, s.path, s.plan, s.meta, s.readOnly, s.active = f, path, p, meta, readOnly, active
	s.version++
	v.version = s.version
	s.view = v
	info := s.infoLocked()
	if remember {
		s.settings.AddRecent(path)
		s.saveSettingsLocked()
	}
	menuChanged := s.wiring.OnMenuChanged
	s.mu.Unlock()
	s.emit(EventPlanChanged, info)
	if menuChanged != nil {
		menuChanged()
	}
	return info, nil
}

// NewPlan creates an empty plan at path and opens it.
func (s *PlanService) NewPlan(path string) (PlanInfo, error) {
	return CreatePlan(s, path, "", "USD")
}

// CreatePlan creates an empty plan with a name and currency and opens it.
func CreatePlan(s *PlanService, path, name, currency string) (PlanInfo, error) {
	if strings.TrimSpace(path) == "" {
		return PlanInfo{}, errors.New("no plan file given")
	}
	path = withExt(path)
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if currency == "" {
		currency = "USD"
	}
	now := s.cfg.now()
	p := &engine.Plan{Name: name, Currency: strings.ToUpper(currency), HistoryStart: engine.MonthOf(now.Year(), int(now.Month())) - 24, HistoryMonths: 24}
	p.Scenarios = []*engine.Scenario{{ID: "s1", Name: "Scenario 1", UnitTerritory: map[string]string{}, AccountTerritory: map[string]string{}}}
	return s.createAndOpen(path, p)
}

func (s *PlanService) createAndOpen(path string, p *engine.Plan) (PlanInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return PlanInfo{}, err
	}
	if _, err := os.Stat(abs); err == nil {
		return PlanInfo{}, fmt.Errorf("%s already exists; choose another name or open it", path)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return PlanInfo{}, err
	}
	now := s.cfg.now()
	f, err := planfile.Create(abs, p, planfile.Meta{Created: now, Modified: now, ActiveScenario: firstScenario(p)})
	if err != nil {
		return PlanInfo{}, fmt.Errorf("cannot create %s: %w", path, err)
	}
	loaded, err := f.Load()
	if err != nil {
		f.Close()
		return PlanInfo{}, err
	}
	return s.adopt(f, abs, loaded, false, true)
}

func firstScenario(p *engine.Plan) string {
	if len(p.Scenarios) == 0 {
		return ""
	}
	return p.Scenarios[0].ID
}

func withExt(path string) string {
	if filepath.Ext(path) == "" {
		return path + ".territoria"
	}
	return path
}

// OpenDemo opens the bundled demo plan. The first time, it is written to
// the user's data folder; later calls open that file, keeping the user's edits.
func (s *PlanService) OpenDemo() (PlanInfo, error) {
	if s.cfg.DataDir == "" {
		return PlanInfo{}, errors.New("no data folder to put the demo plan in")
	}
	path := filepath.Join(s.cfg.DataDir, "demo.territoria")
	if _, err := os.Stat(path); err == nil {
		return s.OpenPlan(path)
	}
	return WriteDemo(s, path)
}

// WriteDemo writes the bundled demo plan to path and opens it.
func WriteDemo(s *PlanService, path string) (PlanInfo, error) {
	p, err := demo.Plan()
	if err != nil {
		return PlanInfo{}, fmt.Errorf("the bundled demo plan is damaged: %w", err)
	}
	return s.createAndOpen(withExt(path), p)
}

// SaveAs writes a consistent copy of the plan to path and continues in the copy.
func (s *PlanService) SaveAs(path string) (PlanInfo, error) {
	if strings.TrimSpace(path) == "" {
		return PlanInfo{}, errors.New("no file name given")
	}
	abs, err := filepath.Abs(withExt(path))
	if err != nil {
		return PlanInfo{}, err
	}
	s.mu.RLock()
	f, cur := s.file, s.path
	s.mu.RUnlock()
	if f == nil {
		return PlanInfo{}, ErrNoPlan
	}
	if abs == cur {
		return s.Info()
	}
	if err := f.SaveAs(abs); err != nil {
		return PlanInfo{}, fmt.Errorf("cannot save a copy to %s: %w", path, err)
	}
	return s.OpenPlan(abs)
}

// ChooseOpenPath shows the native open dialog; "" when cancelled.
func (s *PlanService) ChooseOpenPath() (string, error) {
	return s.dialogs().OpenPlanFile(s.word("Open plan", "打开规划"))
}

// ChooseSavePath shows the native save dialog; "" when cancelled.
func (s *PlanService) ChooseSavePath() (string, error) {
	name := "plan.territoria"
	s.mu.RLock()
	if s.path != "" {
		name = filepath.Base(s.path)
	}
	s.mu.RUnlock()
	return s.dialogs().SavePlanFile(s.word("Save plan as", "规划另存为"), name)
}

func (s *PlanService) word(en, zh string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.settings.Language == "zh-CN" {
		return zh
	}
	return en
}

// RecentPlans lists recently opened plan files, most recent first, leaving
// out files that no longer exist.
func (s *PlanService) RecentPlans() ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []string{}
	for _, p := range s.settings.RecentPlans {
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// OpenAtStart opens what the window was started with: a file, the demo, or
// the most recent plan. Failures are reported to the page, not fatal.
func OpenAtStart(s *PlanService, path string, demoPlan bool) {
	var err error
	switch {
	case path != "":
		_, err = s.OpenPlan(path)
	case demoPlan:
		_, err = s.OpenDemo()
	default:
		if rec, _ := s.RecentPlans(); len(rec) > 0 {
			_, err = s.OpenPlan(rec[0])
		}
	}
	if err != nil {
		s.emit("app:error", err.Error())
	}
}

// ---- settings --------------------------------------------------------------

// Settings returns the user's preferences.
func (s *PlanService) Settings() (Settings, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settingsDTO(), nil
}

func (s *PlanService) settingsDTO() Settings {
	rec := append([]string{}, s.settings.RecentPlans...)
	return Settings{Language: s.settings.Language, BasemapURL: s.settings.BasemapURL, RecentPlans: rec}
}

// SetLanguage switches the UI language ("en" or "zh-CN") and relabels the menus.
func (s *PlanService) SetLanguage(lang string) (Settings, error) {
	ok := false
	for _, l := range MenuLanguages {
		ok = ok || l == lang
	}
	if !ok {
		return Settings{}, fmt.Errorf("unknown language %q (want en or zh-CN)", lang)
	}
	s.mu.Lock()
	s.settings.Language = lang
	s.saveSettingsLocked()
	out := s.settingsDTO()
	cb := s.wiring.OnMenuChanged
	s.mu.Unlock()
	if cb != nil {
		cb()
	}
	return out, nil
}

// SetBasemapURL sets an online MapLibre style URL; "" restores the bundled offline basemap.
func (s *PlanService) SetBasemapURL(url string) (Settings, error) {
	url = strings.TrimSpace(url)
	if url != "" && !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return Settings{}, fmt.Errorf("basemap URL %q must start with https:// or http://", url)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.BasemapURL = url
	s.saveSettingsLocked()
	return s.settingsDTO(), nil
}

func (s *PlanService) saveSettingsLocked() {
	if s.cfg.SettingsPath != "" {
		_ = settings.Save(s.cfg.SettingsPath, s.settings) // preferences are best effort
	}
}

// CurrentMenu is the native menu in the user's language.
func CurrentMenu(s *PlanService) []MenuItem {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return BuildMenu(s.settings.Language, s.settings.RecentPlans)
}

// WindowState is the remembered window geometry.
func WindowState(s *PlanService) settings.Window {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settings.Window
}

// SaveWindowState remembers the window geometry.
func SaveWindowState(s *PlanService, w settings.Window) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.Window = w
	s.saveSettingsLocked()
}

// Log lets the page report warnings and errors to the host (the desktop
// window prints them in smoke tests; otherwise they are dropped).
func (s *PlanService) Log(level, message string) error {
	s.mu.RLock()
	cb := s.wiring.OnLog
	s.mu.RUnlock()
	if cb != nil {
		if len(message) > 2000 {
			message = message[:2000] + "…"
		}
		cb(level, message)
	}
	return nil
}

// Ready is called by the page once it has drawn the map.
func (s *PlanService) Ready(detail string) error {
	s.mu.RLock()
	cb := s.wiring.OnReady
	s.mu.RUnlock()
	if cb != nil {
		cb(detail)
	}
	return nil
}

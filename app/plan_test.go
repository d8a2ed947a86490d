package app

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"territoria/storage/planfile"
)

// recorder is an Emitter that keeps what it was sent.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Emit(name string, _ any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e == name {
			n++
		}
	}
	return n
}

func testService(t *testing.T) (*PlanService, *recorder, string) {
	t.Helper()
	dir := t.TempDir()
	fixed := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	s := NewPlanService(Config{SettingsPath: filepath.Join(dir, "settings.json"), DataDir: dir, Now: func() time.Time { return fixed }})
	rec := &recorder{}
	Wire(s, Wiring{Emitter: rec})
	t.Cleanup(func() { Shutdown(s) })
	return s, rec, dir
}

func TestNewPlanAndScenarios(t *testing.T) {
	s, rec, dir := testService(t)
	info, err := s.NewPlan(filepath.Join(dir, "north"))
	if err != nil {
		t.Fatal(err)
	}
	if !info.Open || info.Name != "north" || !strings.HasSuffix(info.Path, "north.territoria") || len(info.Scenarios) != 1 {
		t.Fatalf("unexpected info %+v", info)
	}
	if rec.count(EventPlanChanged) != 1 {
		t.Fatalf("plan:changed sent %d times", rec.count(EventPlanChanged))
	}

	b, err := s.CreateScenario("  Rebalanced ")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name != "Rebalanced" || b.ID == info.Scenarios[0].ID {
		t.Fatalf("created %+v", b)
	}
	c, err := s.CloneScenario(b.ID, "Copy")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RenameScenario(c.ID, "Copy 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SwitchScenario(c.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteScenario(c.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Info()
	if got.ActiveScenario == c.ID {
		t.Fatal("deleting the active scenario left it active")
	}
	if rec.count(EventScenariosChanged) != 4 {
		t.Fatalf("scenarios:changed sent %d times, want 4", rec.count(EventScenariosChanged))
	}

	// Everything above was committed: a fresh service sees it.
	path := got.Path
	Shutdown(s)
	s2, _, _ := testService(t)
	again, err := s2.OpenPlan(path)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, sc := range again.Scenarios {
		names = append(names, sc.Name)
	}
	if strings.Join(names, ",") != "Scenario 1,Rebalanced" {
		t.Fatalf("scenarios after reopen: %v", names)
	}
	if again.ActiveScenario != got.ActiveScenario {
		t.Fatalf("active scenario after reopen %q, want %q", again.ActiveScenario, got.ActiveScenario)
	}
}

func TestScenarioRules(t *testing.T) {
	s, _, dir := testService(t)
	info, err := s.NewPlan(filepath.Join(dir, "p.territoria"))
	if err != nil {
		t.Fatal(err)
	}
	only := info.Scenarios[0].ID
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"delete last", func() error { return s.DeleteScenario(only) }, "at least one scenario"},
		{"empty name", func() error { _, err := s.CreateScenario("   "); return err }, "needs a name"},
		{"unknown clone", func() error { _, err := s.CloneScenario("nope", "x"); return err }, `no scenario "nope"`},
		{"unknown switch", func() error { _, err := s.SwitchScenario("nope"); return err }, `no scenario "nope"`},
		{"long name", func() error { _, err := s.RenameScenario(only, strings.Repeat("名", 121)); return err }, "at most 120"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestOpenElsewhereAndReadOnly(t *testing.T) {
	s, _, dir := testService(t)
	info, err := s.NewPlan(filepath.Join(dir, "p"))
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := testService(t)
	start := time.Now()
	_, err = other.OpenPlan(info.Path)
	if !errors.Is(err, planfile.ErrOpenElsewhere) || !strings.Contains(err.Error(), "plan is open elsewhere") {
		t.Fatalf("second open: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second open took %v; it must fail fast", d)
	}
	Shutdown(s)
	ro, _, _ := testService(t)
	if _, err := OpenPlanWith(ro, info.Path, true); err != nil {
		t.Fatal(err)
	}
	if _, err := ro.CreateScenario("x"); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("edit of a read-only plan: %v", err)
	}
}

func TestNoPlan(t *testing.T) {
	s, _, _ := testService(t)
	info, err := s.Info()
	if err != nil || info.Open {
		t.Fatalf("Info with no plan: %+v %v", info, err)
	}
	if _, err := s.Territories(); !errors.Is(err, ErrNoPlan) {
		t.Fatalf("Territories: %v", err)
	}
	if _, err := s.ChooseOpenPath(); !errors.Is(err, ErrNoDialog) {
		t.Fatalf("ChooseOpenPath without dialogs: %v", err)
	}
}

func TestSaveAsContinuesInCopy(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "a")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateScenario("Second"); err != nil {
		t.Fatal(err)
	}
	info, err := s.SaveAs(filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(info.Path) != "b.territoria" || len(info.Scenarios) != 2 {
		t.Fatalf("after SaveAs: %+v", info)
	}
	// The original is released and still holds its own content.
	o, _, _ := testService(t)
	orig, err := o.OpenPlan(filepath.Join(dir, "a.territoria"))
	if err != nil {
		t.Fatal(err)
	}
	if len(orig.Scenarios) != 2 {
		t.Fatalf("original has %d scenarios", len(orig.Scenarios))
	}
}

func TestSettings(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.SetLanguage("fr"); err == nil {
		t.Fatal("unknown language accepted")
	}
	if _, err := s.SetLanguage("zh-CN"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetBasemapURL("ftp://x"); err == nil {
		t.Fatal("non-http basemap accepted")
	}
	s2 := NewPlanService(Config{SettingsPath: filepath.Join(dir, "settings.json")})
	st, _ := s2.Settings()
	if st.Language != "zh-CN" {
		t.Fatalf("language not persisted: %+v", st)
	}
	if m := CurrentMenu(s2); m[0].Label != "文件" {
		t.Fatalf("menu not in Chinese: %q", m[0].Label)
	}
}

func TestTileHandlerValidates(t *testing.T) {
	s, _, _ := testService(t)
	h := TileHandler(s)
	tests := []struct {
		path string
		code int
	}{
		{"/tiles/accounts/1/1/1.pbf", http.StatusServiceUnavailable}, // no plan
		{"/tiles/accounts/1/2.pbf", http.StatusBadRequest},
		{"/tiles/accounts/a/0/0.pbf", http.StatusBadRequest},
		{"/tiles/accounts/2/4/0.pbf", http.StatusBadRequest},
		{"/tiles/other/0/0/0.pbf", http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.code {
				t.Fatalf("status %d, want %d", w.Code, tc.code)
			}
		})
	}
}

// The native menu speaks the page's words: in Chinese a plan is 规划 and a
// scenario is 方案 (frontend/src/i18n/zh-CN.json).
func TestMenuMatchesPageTerms(t *testing.T) {
	m := BuildMenu("zh-CN", nil)
	if m[1].Label != "方案" || m[0].Items[0].Label != "新建规划…" {
		t.Fatalf("zh-CN menu: %q / %q", m[1].Label, m[0].Items[0].Label)
	}
	en := BuildMenu("en", []string{"/plans/north.territoria"})
	if rec := en[0].Items[2].Items[0]; rec.ID != "open-recent:/plans/north.territoria" || !strings.HasPrefix(rec.Label, "north.territoria") {
		t.Fatalf("recent item %+v", rec)
	}
	if fr := BuildMenu("fr", nil); fr[0].Label != "File" {
		t.Fatalf("unknown language falls back to English, got %q", fr[0].Label)
	}
}

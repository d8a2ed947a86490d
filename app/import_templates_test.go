package app

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"territoria/storage/settings"
	"territoria/storage/tableimport"
)

func templateNames(list []ImportTemplate) []string {
	out := []string{}
	for _, t := range list {
		out = append(out, t.Kind+"/"+t.Name)
	}
	return out
}

func TestImportTemplates(t *testing.T) {
	s, _, dir := testService(t)
	svc := NewImportService(s)
	crm := ImportMapping{Kind: tableimport.KindAccounts, Columns: map[string]string{"id": "Kundennummer", "lon": "Länge", "lat": "Breite"},
		Extra: []string{"Mitarbeiter"}, Coords: "gcj02"}

	t.Run("none at first", func(t *testing.T) {
		list, err := svc.Templates("")
		if err != nil || list == nil || len(list) != 0 {
			t.Fatalf("templates %v %v", list, err)
		}
	})
	t.Run("saved, listed by kind, kept in the settings file", func(t *testing.T) {
		list, err := svc.SaveTemplate(" German CRM ", crm)
		if err != nil {
			t.Fatal(err)
		}
		if got := templateNames(list); !reflect.DeepEqual(got, []string{"accounts/German CRM"}) || !reflect.DeepEqual(list[0].Mapping, crm) {
			t.Fatalf("after saving: %q %+v", got, list)
		}
		if _, err := svc.SaveTemplate("HR", ImportMapping{Kind: tableimport.KindReps, Columns: map[string]string{"id": "工号"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := svc.Templates("reps"); !reflect.DeepEqual(templateNames(got), []string{"reps/HR"}) {
			t.Errorf("reps templates %q", templateNames(got))
		}
		st, err := settings.Load(filepath.Join(dir, "settings.json"))
		if err != nil || len(st.ImportTemplates) != 2 {
			t.Fatalf("settings file holds %+v (%v)", st.ImportTemplates, err)
		}
		// A new service over the same settings (the next start) has them.
		again := NewImportService(NewPlanService(Config{SettingsPath: filepath.Join(dir, "settings.json"), DataDir: dir}))
		if got, _ := again.Templates(""); !reflect.DeepEqual(templateNames(got), []string{"accounts/German CRM", "reps/HR"}) {
			t.Errorf("after a restart %q", templateNames(got))
		}
	})
	t.Run("same name replaces", func(t *testing.T) {
		changed := crm
		changed.Coords = "bd09"
		list, err := svc.SaveTemplate("german crm", changed)
		if err != nil || len(list) != 1 || list[0].Name != "german crm" || list[0].Mapping.Coords != "bd09" {
			t.Fatalf("%+v %v", list, err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		cases := []struct {
			name string
			m    ImportMapping
			err  string
		}{
			{"", crm, "needs a name"},
			{"x", ImportMapping{Columns: map[string]string{"id": "a"}}, "unknown import kind"},
			{"x", ImportMapping{Kind: "boundaries"}, "no column mapping"},
			{"x", ImportMapping{Kind: "reps", Columns: map[string]string{"potential": "P"}}, `no field "potential"`},
			{"x", ImportMapping{Kind: "accounts", Coords: "utm"}, "coordinate system"},
			{strings.Repeat("n", 81), crm, "longer than"},
		}
		for _, c := range cases {
			if _, err := svc.SaveTemplate(c.name, c.m); err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("SaveTemplate(%q, %+v): %v, want %q", c.name, c.m, err, c.err)
			}
		}
		if got, _ := svc.Templates(""); len(got) != 2 {
			t.Errorf("refused templates changed the list: %q", templateNames(got))
		}
	})
	t.Run("exported as the CLI's mapping file, read back", func(t *testing.T) {
		t.Cleanup(DownloadsOf(s).Close)
		path := filepath.Join(dir, "crm.json")
		f, err := svc.ExportTemplate("accounts", "GERMAN CRM", path)
		if err != nil || f.Path != path || f.Bytes == 0 || f.Download != "" {
			t.Fatalf("export %+v %v", f, err)
		}
		m, err := ReadImportMapping(path) // what --mapping reads
		if err != nil || m.Columns["lon"] != "Länge" || m.Coords != "bd09" {
			t.Fatalf("read back %+v %v", m, err)
		}
		m2, err := svc.ReadTemplateFile(path)
		if err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("ReadTemplateFile %+v %v", m2, err)
		}
		// The browser mode downloads it.
		f, err = svc.ExportTemplate("accounts", "german crm", "")
		if err != nil || f.Path != "" || f.Name != "german crm.json" || !strings.HasPrefix(f.Download, "/download/") {
			t.Fatalf("download %+v %v", f, err)
		}
		id := strings.Split(f.Download, "/")[2]
		p, name, ok := DownloadsOf(s).Download(id)
		if !ok || name != f.Name {
			t.Fatalf("download %s not kept", id)
		}
		if m3, err := tableimport.ReadMapping(p); err != nil || !reflect.DeepEqual(m3, m) {
			t.Errorf("downloaded mapping %+v %v", m3, err)
		}
		if _, err := svc.ExportTemplate("reps", "german crm", ""); err == nil {
			t.Error("exported a template of another kind")
		}
	})
	t.Run("bad template files", func(t *testing.T) {
		cases := map[string]string{
			"no kind":       `{"columns":{"id":"ID"}}`,
			"unknown field": `{"kind":"accounts","colums":{}}`,
			"not JSON":      "Kundennummer,Name\n1,x\n",
		}
		for name, text := range cases {
			p := writeFile(t, dir, strings.ReplaceAll(name, " ", "_")+".json", text)
			if _, err := svc.ReadTemplateFile(p); err == nil || !strings.Contains(err.Error(), filepath.Base(p)) {
				t.Errorf("%s: %v, want an error naming the file", name, err)
			}
		}
		if _, err := svc.ReadTemplateFile(" "); err == nil {
			t.Error("no path: no error")
		}
	})
	t.Run("deleted", func(t *testing.T) {
		list, err := svc.DeleteTemplate("accounts", "German CRM")
		if err != nil || len(list) != 0 {
			t.Fatalf("%v %v", list, err)
		}
		if _, err := svc.DeleteTemplate("accounts", "German CRM"); err == nil {
			t.Error("deleted twice")
		}
		if got, _ := svc.Templates(""); !reflect.DeepEqual(templateNames(got), []string{"reps/HR"}) {
			t.Errorf("left %q", templateNames(got))
		}
	})
	t.Run("browser mode has no dialogs", func(t *testing.T) {
		if _, err := svc.ChooseTemplateFile(); !errors.Is(err, ErrNoDialog) {
			t.Errorf("ChooseTemplateFile: %v", err)
		}
		if _, err := svc.ChooseTemplatePath("x"); !errors.Is(err, ErrNoDialog) {
			t.Errorf("ChooseTemplatePath: %v", err)
		}
	})
}

// TestImportTemplatesUnwritable: when the settings cannot be written the
// template is refused and the list stays as it was.
func TestImportTemplatesUnwritable(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewPlanService(Config{SettingsPath: filepath.Join(blocker, "settings.json"), DataDir: dir, Now: time.Now})
	svc := NewImportService(s)
	if _, err := svc.SaveTemplate("x", ImportMapping{Kind: "reps"}); err == nil || !strings.Contains(err.Error(), "not kept") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := svc.Templates(""); len(got) != 0 {
		t.Errorf("an unsaved template is listed: %q", templateNames(got))
	}
}

func TestReportDownload(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(DownloadsOf(s).Close)
	svc := NewImportService(s)
	if _, err := svc.ReportDownload(); err == nil {
		t.Error("a report before any import")
	}
	path := writeFile(t, dir, "客户.csv", "客户编号,客户名称,经度,纬度,潜力\nC1,甲,116.4,39.9,100\nC2,乙,116.5,39.8,abc\n")
	prev, err := svc.Inspect("accounts", path, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Run("accounts", path, prev.Suggested, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, name, head string }{{"en", "客户-rejected.xlsx", "Row"}, {"zh-CN", "客户-未导入.xlsx", "行号"}} {
		if _, err := s.SetLanguage(c.lang); err != nil {
			t.Fatal(err)
		}
		f, err := svc.ReportDownload()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != c.name || f.Path != "" || f.Bytes == 0 || !strings.HasPrefix(f.Download, "/download/") {
			t.Fatalf("%s: %+v", c.lang, f)
		}
		p, _, ok := DownloadsOf(s).Download(strings.Split(f.Download, "/")[2])
		if !ok {
			t.Fatal("not kept for download")
		}
		x, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Sheet1")
		x.Close()
		if len(rows) != 3 || rows[1][0] != c.head || rows[2][1] != "潜力" || rows[2][2] != "abc" {
			t.Errorf("%s: rows %q", c.lang, rows)
		}
		// Nothing is written into the data folder.
		if _, err := os.Stat(filepath.Join(dir, c.name)); err == nil {
			t.Errorf("%s written into the data folder", c.name)
		}
	}
}

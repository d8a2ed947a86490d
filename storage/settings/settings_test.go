package settings

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadMissingGivesDefaults(t *testing.T) {
	s, err := Load(filepath.Join(t.TempDir(), "nope", "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, Defaults()) {
		t.Fatalf("got %+v, want defaults %+v", s, Defaults())
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Territoria", "settings.json")
	want := Settings{
		Language:    "zh-CN",
		BasemapURL:  "https://tiles.example.com/style.json",
		RecentPlans: []string{"/home/li/计划.territoria", "/tmp/b.territoria"},
		Window:      Window{X: -20, Y: 40, Width: 1600, Height: 900, Maximised: true},
	}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	// Saving again replaces the file and leaves no temporary files.
	want.Language = "en"
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := Load(path); got.Language != "en" {
		t.Fatalf("second save not read back: %+v", got)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Fatalf("folder holds %d entries, want only settings.json", len(ents))
	}
}

func TestLoadPartialAndBad(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name    string
		content string
		want    func(s Settings) bool
		err     string
	}{
		{"missing fields keep defaults", `{"language":"zh-CN"}`,
			func(s Settings) bool { return s.Language == "zh-CN" && s.Window.Width == 1280 && s.RecentPlans != nil }, ""},
		{"duplicates and too many recent plans", `{"recentPlans":["/a","/a/","/b","/c","/d","/e","/f","/g","/h","/i","/j","/k","/l"]}`,
			func(s Settings) bool {
				return len(s.RecentPlans) == MaxRecent && s.RecentPlans[0] == "/a" && s.RecentPlans[1] == "/b"
			}, ""},
		{"not JSON", "language = en", nil, "not valid settings JSON"},
		{"wrong type", `{"window": {"width": "wide"}}`, nil, "not valid settings JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Load(path)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("err = %v, want one naming the file and %q", err, c.err)
				}
				if !reflect.DeepEqual(s, Defaults()) {
					t.Fatalf("bad file gave %+v, want defaults", s)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.want(s) {
				t.Fatalf("unexpected settings %+v", s)
			}
		})
	}
}

func TestAddRecent(t *testing.T) {
	cases := []struct {
		name  string
		start []string
		add   string
		want  []string
	}{
		{"into empty", nil, "/p/a.territoria", []string{"/p/a.territoria"}},
		{"newest first", []string{"/a", "/b"}, "/c", []string{"/c", "/a", "/b"}},
		{"existing moves to front", []string{"/a", "/b", "/c"}, "/c", []string{"/c", "/a", "/b"}},
		{"same path spelled differently", []string{"/a", "/p/b"}, "/p/./x/../b", []string{"/p/b", "/a"}},
		{"empty ignored", []string{"/a"}, "", []string{"/a"}},
		{"capped at the maximum", []string{"/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9", "/10"}, "/11",
			[]string{"/11", "/1", "/2", "/3", "/4", "/5", "/6", "/7", "/8", "/9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Settings{RecentPlans: c.start}
			s.AddRecent(c.add)
			if !reflect.DeepEqual(s.RecentPlans, c.want) {
				t.Fatalf("got %q, want %q", s.RecentPlans, c.want)
			}
		})
	}
}

func TestRemoveRecent(t *testing.T) {
	s := Settings{RecentPlans: []string{"/a", "/b", "/c"}}
	s.RemoveRecent("/b/")
	if want := []string{"/a", "/c"}; !reflect.DeepEqual(s.RecentPlans, want) {
		t.Fatalf("got %q, want %q", s.RecentPlans, want)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("HOME", "/home/u")
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := os.UserConfigDir()
	if want := filepath.Join(dir, "Territoria", "settings.json"); p != want {
		t.Fatalf("DefaultPath() = %q, want %q", p, want)
	}
	if !strings.HasSuffix(p, filepath.Join("Territoria", "settings.json")) {
		t.Fatalf("DefaultPath() = %q", p)
	}
}

func tpl(name, kind, mapping string) ImportTemplate {
	return ImportTemplate{Name: name, Kind: kind, Mapping: json.RawMessage(mapping)}
}

func names(list []ImportTemplate) []string {
	out := []string{}
	for _, t := range list {
		out = append(out, t.Kind+"/"+t.Name)
	}
	return out
}

func TestTemplatesBackwardCompatible(t *testing.T) {
	dir := t.TempDir()
	// A file as versions without templates wrote it.
	old := `{"language":"zh-CN","basemapUrl":"","recentPlans":["/a.territoria"],"window":{"x":1,"y":2,"width":1000,"height":700,"maximised":false}}`
	path := filepath.Join(dir, "settings.json")
	if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Language != "zh-CN" || len(s.ImportTemplates) != 0 || len(s.Templates("")) != 0 {
		t.Fatalf("old file read as %+v", s)
	}
	// Without templates the file is written as before: no new member.
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "importTemplates") {
		t.Fatalf("a file without templates gained the member:\n%s", b)
	}
	// With templates they survive a round trip, mapping JSON intact.
	if err := s.PutTemplate(tpl(" CRM export ", "accounts", `{"kind": "accounts", "columns": {"id": "客户编号"}}`)); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ImportTemplates) != 1 || got.ImportTemplates[0].Name != "CRM export" ||
		string(got.ImportTemplates[0].Mapping) != `{"kind":"accounts","columns":{"id":"客户编号"}}` {
		t.Fatalf("read back %+v (%s)", got.ImportTemplates, got.ImportTemplates[0].Mapping)
	}
}

func TestLoadDamagedTemplates(t *testing.T) {
	cases := []struct {
		name, content string
		want          []string
	}{
		{"not a list", `{"language":"zh-CN","importTemplates":"oops"}`, []string{}},
		{"wrong member type", `{"language":"zh-CN","importTemplates":[{"name":5}]}`, []string{}},
		{"bad entries dropped", `{"language":"zh-CN","importTemplates":[
			{"name":"","kind":"accounts","mapping":{}},
			{"name":"a","kind":"","mapping":{}},
			{"name":"b","kind":"reps","mapping":[1]},
			{"name":"z","kind":"sales","mapping":{"kind":"sales"}},
			{"name":"c","kind":"accounts","mapping":{"kind":"accounts"}},
			{"name":"C","kind":"accounts","mapping":{"kind":"accounts","columns":{}}}]}`,
			[]string{"accounts/c", "sales/z"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "settings.json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if s.Language != "zh-CN" {
				t.Errorf("the other settings were lost: %+v", s)
			}
			if got := names(s.ImportTemplates); !reflect.DeepEqual(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("templates %q, want %q", got, c.want)
			}
		})
	}
}

func TestPutAndRemoveTemplate(t *testing.T) {
	var s Settings
	steps := []struct {
		name string
		put  ImportTemplate
		err  string
		want []string
	}{
		{"first", tpl("CRM", "accounts", `{"kind":"accounts"}`), "", []string{"accounts/CRM"}},
		{"sorted by kind then name", tpl("HR", "reps", `{}`), "", []string{"accounts/CRM", "reps/HR"}},
		{"name without case", tpl("alpha", "accounts", `{}`), "", []string{"accounts/alpha", "accounts/CRM", "reps/HR"}},
		{"same name replaces", tpl("crm", "accounts", `{"kind":"accounts","extra":["x"]}`), "", []string{"accounts/alpha", "accounts/crm", "reps/HR"}},
		{"same name other kind is another", tpl("CRM", "reps", `{}`), "", []string{"accounts/alpha", "accounts/crm", "reps/CRM", "reps/HR"}},
		{"no name", tpl("  ", "reps", `{}`), "needs a name", nil},
		{"long name", tpl(strings.Repeat("名", MaxTemplateName+1), "reps", `{}`), "longer than", nil},
		{"no kind", tpl("x", "", `{}`), "no import kind", nil},
		{"not an object", tpl("x", "reps", `"columns"`), "not a JSON object", nil},
		{"not JSON", tpl("x", "reps", `{`), "not a JSON object", nil},
		{"too big", tpl("x", "reps", `{"a":"`+strings.Repeat("x", MaxTemplateBytes)+`"}`), "bytes", nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := names(s.ImportTemplates)
			err := s.PutTemplate(st.put)
			if st.err != "" {
				if err == nil || !strings.Contains(err.Error(), st.err) {
					t.Fatalf("err = %v, want %q", err, st.err)
				}
				if got := names(s.ImportTemplates); !reflect.DeepEqual(got, before) {
					t.Fatalf("a refused template changed the list: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := names(s.ImportTemplates); !reflect.DeepEqual(got, st.want) {
				t.Fatalf("templates %q, want %q", got, st.want)
			}
		})
	}
	if got := names(s.Templates("reps")); !reflect.DeepEqual(got, []string{"reps/CRM", "reps/HR"}) {
		t.Errorf("Templates(reps) = %q", got)
	}
	if string(s.Templates("accounts")[1].Mapping) != `{"kind":"accounts","extra":["x"]}` {
		t.Errorf("replaced mapping %s", s.Templates("accounts")[1].Mapping)
	}
	if !s.RemoveTemplate("accounts", " CRM ") || s.RemoveTemplate("accounts", "CRM") || s.RemoveTemplate("sales", "HR") {
		t.Error("RemoveTemplate removed the wrong templates")
	}
	if got := names(s.ImportTemplates); !reflect.DeepEqual(got, []string{"accounts/alpha", "reps/CRM", "reps/HR"}) {
		t.Errorf("after removal %q", got)
	}
}

func TestTemplateLimit(t *testing.T) {
	var s Settings
	for i := range MaxTemplates {
		if err := s.PutTemplate(tpl(fmt.Sprintf("t%03d", i), "accounts", `{}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutTemplate(tpl("one more", "accounts", `{}`)); err == nil || !strings.Contains(err.Error(), "delete some") {
		t.Fatalf("err = %v, want the limit", err)
	}
	if err := s.PutTemplate(tpl("T000", "accounts", `{"kind":"accounts"}`)); err != nil {
		t.Fatalf("replacing at the limit: %v", err)
	}
}

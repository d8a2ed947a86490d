package settings

import (
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

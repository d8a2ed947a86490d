// Package settings keeps the user's preferences, which belong to no plan, in
// a JSON file under the user's configuration folder.
package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxRecent is the number of recently opened plans remembered.
const MaxRecent = 10

// Window is the main window's last position and size, in screen pixels.
type Window struct {
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
}

// Settings are the user's preferences.
type Settings struct {
	// Language is "en" or "zh-CN".
	Language string `json:"language"`
	// BasemapURL is a style URL for the map background, "" for the bundled
	// offline basemap.
	BasemapURL string `json:"basemapUrl"`
	// RecentPlans lists plan file paths, most recent first.
	RecentPlans []string `json:"recentPlans"`
	Window      Window   `json:"window"`
	// ImportTemplates are the column mappings the user saved by name, in
	// order of kind and name. Absent from files written before templates
	// existed (and from files without any), which read as none.
	ImportTemplates []ImportTemplate `json:"importTemplates,omitempty"`
}

// ImportTemplate is a column mapping saved under a name for imports of one
// kind. Mapping is the mapping's JSON exactly as the import reads it (the
// command line's --mapping file); this package keeps it without reading it.
type ImportTemplate struct {
	Name    string          `json:"name"`
	Kind    string          `json:"kind"`
	Mapping json.RawMessage `json:"mapping"`
}

// Limits of import templates.
const (
	// MaxTemplates is the number of templates kept over all kinds.
	MaxTemplates = 200
	// MaxTemplateName is the longest template name, in characters.
	MaxTemplateName = 80
	// MaxTemplateBytes bounds the JSON of one template's mapping.
	MaxTemplateBytes = 64 << 10
)

// Defaults returns the settings of a first run.
func Defaults() Settings {
	return Settings{Language: "en", RecentPlans: []string{}, Window: Window{Width: 1280, Height: 800}}
}

// DefaultPath returns <user config folder>/Territoria/settings.json.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the settings folder: %w", err)
	}
	return filepath.Join(dir, "Territoria", "settings.json"), nil
}

// Load reads the settings at path. A missing file gives Defaults(); fields
// absent from the file keep their default values.
func Load(path string) (Settings, error) {
	s := Defaults()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		// Templates a hand edit broke must not cost the other settings.
		s = Defaults()
		if json.Unmarshal(withoutTemplates(b), &s) != nil {
			return Defaults(), fmt.Errorf("read settings %s: not valid settings JSON: %w", path, err)
		}
	}
	if s.RecentPlans == nil {
		s.RecentPlans = []string{}
	}
	s.RecentPlans = dedupe(s.RecentPlans)
	s.ImportTemplates = cleanTemplates(s.ImportTemplates)
	return s, nil
}

// Save writes s to path atomically: to a temporary file in the same
// folder, synced, then renamed over path. The folder is created if needed.
func Save(path string, s Settings) (err error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// AddRecent puts path first in RecentPlans, removing an earlier entry for
// the same path and keeping at most MaxRecent entries. Paths are compared
// after filepath.Clean; an empty path is ignored.
func (s *Settings) AddRecent(path string) {
	if path == "" {
		return
	}
	path = filepath.Clean(path)
	list := append([]string{path}, s.RecentPlans...)
	s.RecentPlans = dedupe(list)
}

// RemoveRecent drops path from RecentPlans, e.g. after it failed to open.
func (s *Settings) RemoveRecent(path string) {
	path = filepath.Clean(path)
	out := s.RecentPlans[:0]
	for _, p := range s.RecentPlans {
		if filepath.Clean(p) != path {
			out = append(out, p)
		}
	}
	s.RecentPlans = out
}

// dedupe keeps the first occurrence of each cleaned, non-empty path, at
// most MaxRecent of them.
func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, min(len(list), MaxRecent))
	for _, p := range list {
		if p == "" {
			continue
		}
		p = filepath.Clean(p)
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		if len(out) == MaxRecent {
			break
		}
	}
	return out
}

// CheckTemplate reports what is wrong with a template before it is kept:
// an empty or over-long name, no kind, a mapping that is not a JSON object
// or is larger than MaxTemplateBytes.
func CheckTemplate(t ImportTemplate) error {
	name := strings.TrimSpace(t.Name)
	switch {
	case name == "":
		return errors.New("a template needs a name")
	case utf8.RuneCountInString(name) > MaxTemplateName:
		return fmt.Errorf("template name %q is longer than %d characters", name, MaxTemplateName)
	case strings.TrimSpace(t.Kind) == "":
		return fmt.Errorf("template %q names no import kind", name)
	case len(t.Mapping) > MaxTemplateBytes:
		return fmt.Errorf("template %q is %d bytes; at most %d are kept", name, len(t.Mapping), MaxTemplateBytes)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(t.Mapping, &obj); err != nil || obj == nil {
		return fmt.Errorf("template %q: the mapping is not a JSON object", name)
	}
	return nil
}

// Templates returns the templates of kind ("" for every kind), in order
// of kind and name.
func (s *Settings) Templates(kind string) []ImportTemplate {
	out := []ImportTemplate{}
	for _, t := range s.ImportTemplates {
		if kind == "" || t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// PutTemplate keeps t (its name trimmed), replacing a template of the same
// kind whose name matches without regard to case. It refuses a template
// CheckTemplate refuses, and a new one beyond MaxTemplates.
func (s *Settings) PutTemplate(t ImportTemplate) error {
	if err := CheckTemplate(t); err != nil {
		return err
	}
	t.Name = strings.TrimSpace(t.Name)
	var compact bytes.Buffer
	if err := json.Compact(&compact, t.Mapping); err == nil {
		t.Mapping = compact.Bytes()
	}
	for i := range s.ImportTemplates {
		if sameTemplate(s.ImportTemplates[i], t.Kind, t.Name) {
			s.ImportTemplates[i] = t
			return nil
		}
	}
	if len(s.ImportTemplates) >= MaxTemplates {
		return fmt.Errorf("there are already %d templates; delete some before saving %q", MaxTemplates, t.Name)
	}
	s.ImportTemplates = append(s.ImportTemplates, t)
	sortTemplates(s.ImportTemplates)
	return nil
}

// RemoveTemplate deletes the template of kind named name (without regard
// to case) and reports whether there was one.
func (s *Settings) RemoveTemplate(kind, name string) bool {
	name = strings.TrimSpace(name)
	for i := range s.ImportTemplates {
		if sameTemplate(s.ImportTemplates[i], kind, name) {
			s.ImportTemplates = append(s.ImportTemplates[:i], s.ImportTemplates[i+1:]...)
			return true
		}
	}
	return false
}

func sameTemplate(t ImportTemplate, kind, name string) bool {
	return t.Kind == kind && strings.EqualFold(t.Name, name)
}

func sortTemplates(list []ImportTemplate) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Kind != list[j].Kind {
			return list[i].Kind < list[j].Kind
		}
		return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name)
	})
}

// cleanTemplates drops templates a hand-edited file got wrong (no name,
// no kind, a mapping that is not an object, a second one of the same kind
// and name) and keeps at most MaxTemplates, in order.
func cleanTemplates(list []ImportTemplate) []ImportTemplate {
	if len(list) == 0 {
		return nil
	}
	var s Settings
	for _, t := range list {
		if s.hasTemplate(t.Kind, strings.TrimSpace(t.Name)) {
			continue
		}
		_ = s.PutTemplate(t)
	}
	return s.ImportTemplates
}

// withoutTemplates returns the settings JSON b without its importTemplates
// member (b itself when it is not a JSON object).
func withoutTemplates(b []byte) []byte {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil || obj == nil {
		return b
	}
	delete(obj, "importTemplates")
	out, err := json.Marshal(obj)
	if err != nil {
		return b
	}
	return out
}

func (s *Settings) hasTemplate(kind, name string) bool {
	for _, t := range s.ImportTemplates {
		if sameTemplate(t, kind, name) {
			return true
		}
	}
	return false
}

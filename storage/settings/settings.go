// Package settings keeps the user's preferences, which belong to no plan, in
// a JSON file under the user's configuration folder.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
}

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
		return Defaults(), fmt.Errorf("read settings %s: not valid settings JSON: %w", path, err)
	}
	if s.RecentPlans == nil {
		s.RecentPlans = []string{}
	}
	s.RecentPlans = dedupe(s.RecentPlans)
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

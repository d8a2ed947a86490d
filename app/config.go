package app

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Config tells the services where the user's files live.
type Config struct {
	// SettingsPath is the user's settings file; "" keeps settings in memory only.
	SettingsPath string
	// DataDir holds files the app writes for the user, such as the demo plan.
	DataDir string
	// Now is the clock (time.Now when nil); tests pass a fixed one.
	Now func() time.Time
	// User names who writes plan files (provenance of shared copies).
	User string
}

// DefaultConfig uses the operating system's per-user configuration folder
// (TERRITORIA_HOME overrides it, which tests and smoke runs use to stay
// out of the user's own settings).
func DefaultConfig() (Config, error) {
	dir := os.Getenv("TERRITORIA_HOME")
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return Config{}, fmt.Errorf("no per-user configuration folder: %w (set TERRITORIA_HOME)", err)
		}
		dir = filepath.Join(base, "Territoria")
	}
	user := os.Getenv("USER")
	if user == "" {
		user = os.Getenv("USERNAME")
	}
	return Config{
		SettingsPath: filepath.Join(dir, "settings.json"),
		DataDir:      dir,
		User:         user,
	}, nil
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Package desktop opens Territoria's native window with Wails. It is the
// only package that imports the Wails runtime; it is compiled into the
// desktop build (-tags desktop,production) and replaced by a stub that
// reports the missing window in the headless build.
package desktop

import (
	"io/fs"

	"territoria/app"
)

// Options describe the window to open.
type Options struct {
	Assets fs.FS
	Plan   *app.PlanService
	// OpenPath is a plan to open at start; with Demo the demo plan is opened instead.
	OpenPath string
	Demo     bool
	// Smoke prints "ready: <detail>" on stdout once the page reports it is ready.
	Smoke bool
	// Stdout receives the smoke line.
	Stdout interface{ Write([]byte) (int, error) }
}

//go:build !desktop

package desktop

import "errors"

// Available reports whether this build can open a window.
const Available = false

// Run reports that this build has no window.
func Run(Options) error {
	return errors.New("this territoria binary is the headless build and has no desktop window: " +
		"use `territoria serve` to open the app in a browser, or build with -tags desktop,production (see README)")
}

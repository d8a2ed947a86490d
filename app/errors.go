package app

import "errors"

// ErrNoDialog is returned by the file-dialog methods where no native dialog
// exists (the browser mode); the page then asks for a path itself. Its
// message is a stable code the frontend matches on.
var ErrNoDialog = errors.New("no-dialog")

// ErrNoPlan is returned by methods that need an open plan when none is open.
var ErrNoPlan = errors.New("no plan is open")

// ErrReadOnly is returned by edits on a plan opened read-only.
var ErrReadOnly = errors.New("this plan is open read-only")

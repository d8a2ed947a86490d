// Package tableimport turns people's spreadsheets into plan data: accounts,
// reps, monthly sales history, visit logs, alignments and unit-level data.
//
// An import maps the columns of a table (read with storage/tabular) to the
// fields of a kind, checks every row, and stages the good ones. Rejected
// rows are reported with their row number, column, value and reason. The
// caller then chooses: commit the good rows, or nothing. The commit merges
// the staged records with the plan by id — reporting added, updated,
// unchanged and (when asked) removed records — in one planfile
// transaction, so a plan is never half-written, and a cancelled import
// leaves it exactly as it was.
//
// The package has no clock: "now", against which dates in the future are
// refused, is a parameter.
package tableimport

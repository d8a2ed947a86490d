// Package demo holds the bundled demo plan, "Demo — US field sales", and
// the encoding it is stored in.
//
// The plan is built from public data by scripts/gendemo (U.S. Census 2010
// county populations and boundaries, GeoNames places; see
// scripts/gendemo/data/SOURCES.md) and embedded as demo.bin.gz: every
// county of the 50 states and DC as a unit, about 50,000 synthetic
// accounts at real places, about 40 reps, and one scenario drawn along
// state lines. Plan decodes a fresh copy on every call, so callers may
// change what they get.
//
// The encoding (Encode, Decode) is a gzip stream holding a magic line, a
// version number and a gob record owned by this package; coordinates are
// delta-encoded fixed-point integers of 1e-6 degree.
package demo

import (
	"bytes"
	_ "embed"

	"territoria/engine"
)

//go:embed demo.bin.gz
var demoFile []byte

// Plan returns a fresh copy of the bundled demo plan.
func Plan() (*engine.Plan, error) {
	return Decode(bytes.NewReader(demoFile))
}

package planfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// benchSize is the plan of the storage benchmarks: a million accounts with
// two years of monthly history, US-county-sized geography, a thousand
// territories.
var benchSize = genSize{Accounts: 1_000_000, Units: 3000, Territories: 1000, Months: 24}

// benchFile returns the path of a plan of size sz, building it once and
// keeping it under os.TempDir() keyed by its parameters and format
// versions.
func benchFile(b *testing.B, sz genSize) string {
	b.Helper()
	name := fmt.Sprintf("territoria-bench-s%d-a%d-c%d-a%d-u%d-t%d-m%d.territoria",
		SchemaVersion, accountCodec, unitCodec, sz.Accounts, sz.Units, sz.Territories, sz.Months)
	path := filepath.Join(os.TempDir(), name)
	if f, err := Open(path, Options{ReadOnly: true}); err == nil {
		f.Close()
		return path
	} else if !errors.Is(err, fs.ErrNotExist) {
		b.Logf("rebuilding %s: %v", path, err)
		_ = os.Remove(path)
	}
	p := genPlan(1, sz)
	f, err := Create(path, p, Meta{Created: testTime, Modified: testTime})
	if err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// BenchmarkOpenLoad opens a plan of a million accounts and loads all of it.
func BenchmarkOpenLoad(b *testing.B) {
	path := benchFile(b, benchSize)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		p, err := f.Load()
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Accounts) != benchSize.Accounts || len(p.Units) != benchSize.Units {
			b.Fatalf("loaded %d accounts, %d units", len(p.Accounts), len(p.Units))
		}
		f.Close()
	}
	if info, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "MiB/file")
	}
}

// BenchmarkCommitEdit commits one unit reassignment per iteration in the
// million-account plan, each as its own durable transaction.
func BenchmarkCommitEdit(b *testing.B) {
	src := benchFile(b, benchSize)
	// Edit a copy so the cached file stays as generated.
	path := filepath.Join(b.TempDir(), "edit.territoria")
	g, err := Open(src, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	err = g.SaveAs(path)
	g.Close()
	if err != nil {
		b.Fatal(err)
	}
	f, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		unit := fmt.Sprintf("%05d", 1000+i%benchSize.Units)
		if err := f.SetUnitTerritory("s1", []string{unit}, fmt.Sprintf("T%04d", (i*7)%benchSize.Territories)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkDecodeAccountChunk(b *testing.B) {
	data := encodeAccounts(genPlan(2, genSize{Accounts: accountsPerChunk, Months: 24}).Accounts)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeAccounts(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreate writes the million-account plan to a new file.
func BenchmarkCreate(b *testing.B) {
	p := genPlan(1, benchSize)
	dir := b.TempDir()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		path := filepath.Join(dir, fmt.Sprintf("c%d.territoria", i))
		f, err := Create(path, p, Meta{})
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		os.Remove(path)
		i++
	}
}

// BenchmarkPutAccounts replaces 1,000 accounts spread over the plan.
func BenchmarkPutAccounts(b *testing.B) {
	src := benchFile(b, benchSize)
	path := filepath.Join(b.TempDir(), "put.territoria")
	g, err := Open(src, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	err = g.SaveAs(path)
	g.Close()
	if err != nil {
		b.Fatal(err)
	}
	f, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	batch := genPlan(3, genSize{Accounts: 1000, Months: 24}).Accounts
	for i := range batch {
		batch[i].ID = fmt.Sprintf("A%07d", i*997)
	}
	if err := f.PutAccounts(batch[:1]); err != nil { // build the index outside the loop
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := f.PutAccounts(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// Command exportbench measures exporting a plan of a million accounts (the
// demo plan's units, reps and territories with its accounts repeated,
// jittered, under new ids) through the same code path as the app and the
// CLI, and prints the time taken and the peak memory (VmHWM, Linux only):
// the peak after the plan is open, and the peak reached while exporting;
// and the live heap (after a collection) with the plan open and halfway
// through the export, which tells what the export keeps in memory apart
// from garbage the collector has not yet reclaimed.
//
//	go run ./scripts/exportbench [-accounts 1000000] [-dir /tmp/exportbench] [-formats xlsx,csv,geojson,shp,png,pdf]
//
// Each format runs in a child process of its own so that the peak memory
// figures do not mix. The generated plan is kept in -dir and reused.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"territoria/app"
	"territoria/engine"
	"territoria/scripts/internal/proc"
	"territoria/storage/demo"
	"territoria/storage/export"
	"territoria/storage/planfile"
)

func main() {
	n := flag.Int("accounts", 1000000, "accounts in the plan")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "exportbench"), "folder for the plan and the exports")
	formats := flag.String("formats", "xlsx,csv,geojson,shp,png,pdf", "formats to measure")
	one := flag.String("one", "", "internal: measure one format in this process")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	plan := filepath.Join(*dir, fmt.Sprintf("plan-%d.territoria", *n))
	if *one != "" {
		measure(*one, plan, *dir)
		return
	}
	if _, err := os.Stat(plan); err != nil {
		generate(plan, *n)
	}
	for _, f := range strings.Split(*formats, ",") {
		cmd := exec.Command(os.Args[0], "-one", f, "-accounts", strconv.Itoa(*n), "-dir", *dir)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "exportbench:", err)
	os.Exit(1)
}

// generate writes the demo plan with n accounts: its own, repeated with
// their locations moved by up to 0.05° and new ids.
func generate(path string, n int) {
	start := time.Now()
	p, err := demo.Plan()
	if err != nil {
		fail(err)
	}
	src := p.Accounts
	r := rand.New(rand.NewSource(1))
	accts := make([]engine.Account, n)
	for i := range accts {
		a := src[i%len(src)]
		if i >= len(src) {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i/len(src))
			a.Loc[0] += (r.Float64() - 0.5) * 0.1
			a.Loc[1] += (r.Float64() - 0.5) * 0.1
		}
		accts[i] = a
	}
	p.Accounts = accts
	for _, sc := range p.Scenarios {
		sc.AccountTerritory, sc.LockedAccounts = nil, nil
	}
	now := time.Now()
	f, err := planfile.Create(path, p, planfile.Meta{Created: now, Modified: now})
	if err != nil {
		fail(err)
	}
	f.Close()
	fmt.Printf("generated %s (%d accounts) in %.1f s\n", filepath.Base(path), n, time.Since(start).Seconds())
}

var ext = map[string]string{"xlsx": ".xlsx", "csv": "", "geojson": ".geojson", "kml": ".kml", "shp": ".zip", "png": ".png", "svg": ".svg", "pdf": ".pdf", "share": ".territoria"}

func measure(format, plan, dir string) {
	t0 := time.Now()
	svc := app.NewPlanService(app.Config{DataDir: dir})
	defer app.Shutdown(svc)
	info, err := app.OpenPlanWith(svc, plan, true)
	if err != nil {
		fail(err)
	}
	load := time.Since(t0)
	base := proc.PeakRSS()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapAlloc
	// The live heap halfway through the longest stage (after a collection),
	// to tell what the export keeps from what the collector has not yet
	// reclaimed.
	var heapMid uint64
	progress := func(p export.Progress) {
		if heapMid == 0 && p.Total > 1000 && p.Done >= p.Total/2 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			heapMid = m.HeapAlloc
		}
	}
	out := filepath.Join(dir, "out-"+format+ext[format])
	os.RemoveAll(out)
	cpu0 := cpuTime()
	start := time.Now()
	res, err := app.RunExport(context.Background(), svc, app.ExportRequest{Format: format, Path: out, Baseline: "none"}, progress)
	if err != nil {
		fail(err)
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	mid := "-"
	if heapMid > 0 {
		mid = fmt.Sprintf("%.0f MB", float64(heapMid)/1e6)
	}
	fmt.Printf("%-8s %d accounts: %5.1f s wall, %5.1f s CPU, %7.1f MB written; peak RSS %4.0f MB (%4.0f MB with the plan open, %.1f s to open); live heap %.0f MB with the plan open, %s halfway through\n",
		format, info.Accounts, el.Seconds(), cpu.Seconds(), float64(res.Bytes)/1e6, float64(proc.PeakRSS())/1e6, float64(base)/1e6, load.Seconds(), float64(heap0)/1e6, mid)
}

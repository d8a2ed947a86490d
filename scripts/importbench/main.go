// Command importbench measures importing a million accounts from CSV and
// from XLSX into the demo plan through the same code path as the app and
// the CLI (parse, check, commit in one transaction, re-read the plan and
// locate every account), and prints elapsed time and peak memory (the
// process's peak resident set, VmHWM, Linux only).
//
//	go run ./scripts/importbench [-rows 1000000] [-dir /tmp/importbench] [-formats csv,xlsx]
//
// On a machine shared with other work the wall time depends on what else
// runs; the CPU time (user + system) is printed too.
//
// Each format runs in a child process of its own so that the peak memory
// figures do not mix. Generated input files are kept in -dir and reused.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"territoria/app"
	"territoria/scripts/internal/proc"
)

func main() {
	rows := flag.Int("rows", 1000000, "account rows")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "importbench"), "folder for the generated files and plans")
	formats := flag.String("formats", "csv,xlsx", "formats to measure")
	one := flag.String("one", "", "internal: measure one format in this process")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of each import to this path + .FORMAT")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fail(err)
	}
	if *one != "" {
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile + "." + *one)
			if err != nil {
				fail(err)
			}
			defer f.Close()
			profile = f
		}
		measure(*one, *rows, *dir)
		return
	}
	for _, f := range strings.Split(*formats, ",") {
		path := input(f, *rows, *dir)
		st, _ := os.Stat(path)
		fmt.Printf("%s: %d rows, %.1f MB\n", filepath.Base(path), *rows, float64(st.Size())/1e6)
		cmd := exec.Command(os.Args[0], "-one", f, "-rows", strconv.Itoa(*rows), "-dir", *dir, "-cpuprofile", *cpuprofile)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "importbench:", err)
	os.Exit(1)
}

// input returns the generated file for a format, writing it when missing.
func input(format string, rows int, dir string) string {
	path := filepath.Join(dir, fmt.Sprintf("accounts-%d.%s", rows, format))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	start := time.Now()
	r := rand.New(rand.NewSource(1))
	header := []string{"Account ID", "Account Name", "Longitude", "Latitude", "Potential", "Tier", "Industry", "Employees"}
	tiers := []string{"A", "B", "C"}
	inds := []string{"Retail", "Health care", "Manufacturing", "Education", "Hospitality"}
	row := func(i int) []any {
		return []any{fmt.Sprintf("AC%07d", i), fmt.Sprintf("Account %d", i),
			round(-124 + r.Float64()*57), round(25 + r.Float64()*24), float64(r.Intn(200000)),
			tiers[r.Intn(3)], inds[r.Intn(len(inds))], r.Intn(5000)}
	}
	switch format {
	case "csv":
		f, err := os.Create(path + ".tmp")
		if err != nil {
			fail(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString(strings.Join(header, ",") + "\n")
		for i := 0; i < rows; i++ {
			v := row(i)
			fmt.Fprintf(w, "%s,%s,%v,%v,%v,%s,%s,%v\n", v...)
		}
		if err := w.Flush(); err != nil {
			fail(err)
		}
		f.Close()
	case "xlsx":
		x := excelize.NewFile()
		sw, err := x.NewStreamWriter("Sheet1")
		if err != nil {
			fail(err)
		}
		h := make([]any, len(header))
		for i, s := range header {
			h[i] = s
		}
		sw.SetRow("A1", h)
		for i := 0; i < rows; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row(i)); err != nil {
				fail(err)
			}
		}
		if err := sw.Flush(); err != nil {
			fail(err)
		}
		// excelize wants the .xlsx extension on the name it saves to.
		if err := x.SaveAs(path + ".tmp.xlsx"); err != nil {
			fail(err)
		}
		x.Close()
		if err := os.Rename(path+".tmp.xlsx", path+".tmp"); err != nil {
			fail(err)
		}
	default:
		fail(fmt.Errorf("unknown format %q", format))
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		fail(err)
	}
	fmt.Printf("generated %s in %.1f s\n", filepath.Base(path), time.Since(start).Seconds())
	return path
}

var profile *os.File

func round(v float64) float64 { return float64(int64(v*1e5)) / 1e5 }

// measure imports one file into a fresh copy of the demo plan.
func measure(format string, rows int, dir string) {
	path := filepath.Join(dir, fmt.Sprintf("accounts-%d.%s", rows, format))
	plan := filepath.Join(dir, "plan-"+format+".territoria")
	os.Remove(plan)
	svc := app.NewPlanService(app.Config{DataDir: dir})
	defer app.Shutdown(svc)
	if _, err := app.WriteDemo(svc, plan); err != nil {
		fail(err)
	}
	mapping, err := app.SuggestImportMapping("accounts", path, "")
	if err != nil {
		fail(err)
	}
	base := proc.PeakRSS()
	if profile != nil {
		pprof.StartCPUProfile(profile)
		defer pprof.StopCPUProfile()
	}
	cpu0 := cpuTime()
	start := time.Now()
	rep, err := app.RunImport(context.Background(), svc, "accounts", path, mapping, app.ImportOptions{}, nil)
	if err != nil {
		fail(err)
	}
	el := time.Since(start)
	cpu := cpuTime() - cpu0
	info, _ := svc.Info()
	fmt.Printf("%s: %d rows read, %d added, %d rejected, committed %v; plan now %d accounts\n",
		format, rep.Rows, rep.Added, rep.Rejected, rep.Committed, info.Accounts)
	fmt.Printf("%s: %.1f s wall, %.1f s CPU (parse + check + commit + re-read and locate), peak RSS %.0f MB (%.0f MB before the import)\n",
		format, el.Seconds(), cpu.Seconds(), float64(proc.PeakRSS())/1e6, float64(base)/1e6)
}

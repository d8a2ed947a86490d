package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"territoria/engine"
	"territoria/engine/optimize"
)

// small is a small districting instance: units with population and
// neighbours, k districts, a tolerance around the mean.
type small struct {
	name string
	p    *engine.Plan
	k    int
	tol  float64
}

// exact solves an instance with CBC: contiguous districts (one flow
// commodity per district from a chosen root), population within the
// tolerance, and either the fewest cut edges (minCut) or the smallest
// largest deviation from the mean. It returns the objective (cut edges, or
// the deviation as a fraction) and the district of each unit.
func exact(in small, minCut bool, dir string, limit int) (float64, bool, time.Duration, error) {
	p, k := in.p, in.k
	n := len(p.Units)
	var total float64
	for _, u := range p.Units {
		total += u.Data["population"]
	}
	mean := total / float64(k)
	type edge struct{ a, b int }
	var edges []edge
	for u := range p.Units {
		for _, v := range p.Units[u].Neighbors {
			if u < int(v) {
				edges = append(edges, edge{u, int(v)})
			}
		}
	}
	var b strings.Builder
	w := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	x := func(i, j int) string { return fmt.Sprintf("x_%d_%d", i, j) }
	r := func(i, j int) string { return fmt.Sprintf("r_%d_%d", i, j) }
	f := func(u, v, j int) string { return fmt.Sprintf("f_%d_%d_%d", u, v, j) }
	w("Minimize\n obj:")
	if minCut {
		for e := range edges {
			w(" + y_%d", e)
		}
	} else {
		w(" z")
	}
	w("\nSubject To\n")
	for i := 0; i < n; i++ {
		w(" one_%d:", i)
		for j := 0; j < k; j++ {
			w(" + %s", x(i, j))
		}
		w(" = 1\n")
	}
	for j := 0; j < k; j++ {
		var terms strings.Builder
		for i, u := range p.Units {
			fmt.Fprintf(&terms, " + %g %s", u.Data["population"], x(i, j))
		}
		if minCut {
			w(" lo_%d:%s >= %g\n", j, terms.String(), mean*(1-in.tol))
			w(" hi_%d:%s <= %g\n", j, terms.String(), mean*(1+in.tol))
		} else {
			// |pop − mean| ≤ z · mean
			w(" dlo_%d:%s + %g z >= %g\n", j, terms.String(), mean, mean)
			w(" dhi_%d:%s - %g z <= %g\n", j, terms.String(), mean, mean)
		}
		// One root per district, inside it.
		w(" root_%d:", j)
		for i := 0; i < n; i++ {
			w(" + %s", r(i, j))
		}
		w(" = 1\n")
		for i := 0; i < n; i++ {
			w(" rin_%d_%d: %s - %s <= 0\n", i, j, r(i, j), x(i, j))
		}
		// Flow: every unit of the district but the root consumes one unit
		// of flow, carried only between units of the district.
		for i := 0; i < n; i++ {
			w(" bal_%d_%d:", i, j)
			for _, v := range p.Units[i].Neighbors {
				w(" + %s - %s", f(int(v), i, j), f(i, int(v), j))
			}
			w(" - %s + %d %s >= 0\n", x(i, j), n, r(i, j))
		}
		for _, e := range edges {
			for _, d := range [][2]int{{e.a, e.b}, {e.b, e.a}} {
				w(" cap_%d_%d_%d: %s - %d %s <= 0\n", d[0], d[1], j, f(d[0], d[1], j), n-1, x(d[1], j))
			}
		}
	}
	if minCut {
		for e, ed := range edges {
			for j := 0; j < k; j++ {
				w(" cut_%d_%d: y_%d - %s + %s >= 0\n", e, j, e, x(ed.a, j), x(ed.b, j))
			}
		}
	}
	// Symmetry: unit 0 is in district 0.
	w(" sym: %s = 1\n", x(0, 0))
	w("Bounds\n")
	if !minCut {
		w(" 0 <= z <= 10\n")
	}
	w("Binaries\n")
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			w(" %s %s\n", x(i, j), r(i, j))
		}
	}
	if minCut {
		for e := range edges {
			w(" y_%d\n", e)
		}
	}
	w("End\n")
	kind := "-dev"
	if minCut {
		kind = "-cut"
	}
	lp := filepath.Join(dir, in.name+kind+".lp")
	sol := filepath.Join(dir, in.name+kind+".sol")
	// A model solved before (same text, solution present) is not solved again.
	var el time.Duration
	if old, err := os.ReadFile(lp); err != nil || string(old) != b.String() || !exists(sol) {
		os.Remove(sol)
		if err := os.WriteFile(lp, []byte(b.String()), 0o644); err != nil {
			return 0, false, 0, err
		}
		start := time.Now()
		out, err := exec.Command("cbc", lp, "-sec", strconv.Itoa(limit), "-solve", "-solu", sol).CombinedOutput()
		el = time.Since(start)
		if err != nil {
			return 0, false, el, fmt.Errorf("cbc: %v\n%s", err, out)
		}
	}
	fh, err := os.Open(sol)
	if err != nil {
		return 0, false, el, err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	if !sc.Scan() {
		return 0, false, el, fmt.Errorf("%s: empty solution", sol)
	}
	head := sc.Text()
	proven := strings.HasPrefix(head, "Optimal")
	if !proven && !strings.HasPrefix(head, "Stopped on time") {
		return 0, false, el, fmt.Errorf("cbc: %s", head)
	}
	obj, err := strconv.ParseFloat(strings.TrimSpace(head[strings.LastIndex(head, " "):]), 64)
	if err != nil {
		return 0, false, el, fmt.Errorf("cbc objective %q: %v", head, err)
	}
	return obj, proven, el, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// gridInstance is a cols × rows grid of units with random populations.
func gridInstance(seed uint64, cols, rows, k int, tol float64) small {
	rng := rand.New(rand.NewPCG(seed, 11))
	p := &engine.Plan{}
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			u := engine.Unit{ID: fmt.Sprintf("g%d_%d", i, j), Data: map[string]float64{"population": math.Round(1000 * math.Exp(0.7*rng.NormFloat64()))}}
			u.Label[0], u.Label[1] = float64(i)*0.3, float64(j)*0.3
			for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				x, y := i+d[0], j+d[1]
				if x >= 0 && y >= 0 && x < cols && y < rows {
					u.Neighbors = append(u.Neighbors, int32(y*cols+x))
				}
			}
			slices.Sort(u.Neighbors)
			p.Units = append(p.Units, u)
		}
	}
	return small{fmt.Sprintf("grid%dx%d-k%d-s%d", cols, rows, k, seed), p, k, tol}
}

// iowaPiece is a connected piece of n Iowa counties grown from one county.
func iowaPiece(p *engine.Plan, start, n, k int, tol float64) small {
	keep := map[int32]bool{int32(start): true}
	queue := []int32{int32(start)}
	for len(queue) > 0 && len(keep) < n {
		u := queue[0]
		queue = queue[1:]
		for _, v := range p.Units[u].Neighbors {
			if !keep[v] && len(keep) < n {
				keep[v] = true
				queue = append(queue, v)
			}
		}
	}
	sp := subPlan(p, func(u *engine.Unit) bool {
		for i := range p.Units {
			if &p.Units[i] == u {
				return keep[int32(i)]
			}
		}
		return false
	})
	return small{fmt.Sprintf("iowa%d-from%s-k%d", n, p.Units[start].ID, k), sp, k, tol}
}

func mip(args []string) error {
	fs := newFlags("mip")
	dir := fs.String("dir", "../shared/benchmarks/districting", "folder of the districting instances")
	tmp := fs.String("tmp", filepath.Join(os.TempDir(), "optimize-mip"), "folder for the LP models and solutions")
	limit := fs.Int("limit", 300, "CBC time limit per model, seconds")
	fs.Parse(args)
	if err := os.MkdirAll(*tmp, 0o755); err != nil {
		return err
	}
	if _, err := exec.LookPath("cbc"); err != nil {
		return fmt.Errorf("cbc not found: apt-get install coinor-cbc")
	}
	iowa, err := loadInstance(filepath.Join(*dir, "county19.json"))
	if err != nil {
		return err
	}
	maine, err := loadInstance(filepath.Join(*dir, "county23.json"))
	if err != nil {
		return err
	}
	ins := []small{
		{"maine16-k2", maine, 2, 0.005},
		gridInstance(1, 4, 4, 2, 0.05),
		gridInstance(2, 4, 4, 3, 0.10),
		gridInstance(3, 5, 4, 2, 0.05),
		gridInstance(4, 5, 4, 3, 0.10),
		iowaPiece(iowa, 0, 14, 2, 0.05),
		iowaPiece(iowa, 40, 16, 2, 0.05),
		iowaPiece(iowa, 60, 18, 3, 0.10),
		iowaPiece(iowa, 80, 20, 3, 0.10),
	}
	fmt.Printf("%-24s %5s %3s %5s | %9s %9s %7s | %10s %10s %7s\n", "instance", "units", "k", "tol",
		"cut (MIP)", "cut (opt)", "ratio", "dev (MIP)", "dev (opt)", "cbc s")
	for _, in := range ins {
		cutOpt, cutProven, t1, err := exact(in, true, *tmp, *limit)
		if err != nil {
			fmt.Printf("%-24s %5d %3d %4.1f%% | %v\n", in.name, len(in.p.Units), in.k, 100*in.tol, err)
			continue
		}
		devOpt, devProven, t2, err := exact(in, false, *tmp, *limit)
		if err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		mark := func(proven bool) string {
			if proven {
				return " "
			}
			return "~"
		}
		// The optimizer: fewest cut edges within the tolerance, and closest balance.
		shape, err := optimize.Run(nil, in.p, nil, optimize.Options{K: in.k, Balance: map[string]float64{"population": 1},
			Tolerance: in.tol, Contiguous: true, Compactness: 100, Seed: 1}, nil)
		if err != nil {
			return err
		}
		bal, err := optimize.Run(nil, in.p, nil, optimize.Options{K: in.k, Balance: map[string]float64{"population": 1},
			Tolerance: 0, Contiguous: true, Compactness: 0, Seed: 1}, nil)
		if err != nil {
			return err
		}
		cut := fmt.Sprint(shape.Report.CutEdgesAfter)
		if !shape.Report.Feasible || shape.Report.NonContiguousAfter > 0 {
			cut += "*"
		}
		fmt.Printf("%-24s %5d %3d %4.1f%% | %8.0f%s %9s %7.3f | %8.3f%%%s %9.3f%% %6.1fs\n", in.name, len(in.p.Units), in.k, 100*in.tol,
			cutOpt, mark(cutProven), cut, float64(shape.Report.CutEdgesAfter)/cutOpt,
			100*devOpt, mark(devProven), 100*bal.Report.Metrics[0].After.MaxAbsDeviation, (t1 + t2).Seconds())
	}
	fmt.Println("\ncut: fewest cut edges within the tolerance (* = optimizer outside it); dev: smallest largest |deviation| from the mean, any shape;")
	fmt.Println("~ = CBC stopped at the time limit: its best, not proven optimal; cbc s = 0: solution reused from an earlier run (same model)")
	return nil
}

package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/optimize"
)

// instance is a county districting instance with a proven optimum.
type instance struct {
	name, file string
	k          int
	lo, hi     float64 // population bounds of a district
	optimum    int     // cut edges
}

var instances = []instance{
	{"Iowa", "county19.json", 4, 757781, 765396, 33},
	{"Maine", "county23.json", 2, 660860, 667501, 16},
}

// nodeLink is the networkx node-link JSON of the instances.
type nodeLink struct {
	Nodes []struct {
		ID     int     `json:"id"`
		GEOID  string  `json:"GEOID10"`
		Name   string  `json:"NAME10"`
		Pop    float64 `json:"TOTPOP"`
		X      float64 `json:"C_X"`
		Y      float64 `json:"C_Y"`
		AreaM2 float64 `json:"ALAND10"`
	} `json:"nodes"`
	Adjacency [][]struct {
		ID int `json:"id"`
	} `json:"adjacency"`
}

// loadInstance builds a plan of units (no borders: cut edges are counted).
func loadInstance(path string) (*engine.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nl nodeLink
	if err := json.Unmarshal(b, &nl); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(nl.Adjacency) != len(nl.Nodes) {
		return nil, fmt.Errorf("%s: %d nodes but %d adjacency lists", path, len(nl.Nodes), len(nl.Adjacency))
	}
	pos := map[int]int32{}
	for i, n := range nl.Nodes {
		pos[n.ID] = int32(i)
	}
	p := &engine.Plan{Name: filepath.Base(path)}
	for i, n := range nl.Nodes {
		u := engine.Unit{ID: n.GEOID, Name: n.Name, Level: "county", Label: orb.Point{n.X, n.Y},
			AreaKm2: n.AreaM2 / 1e6, Data: map[string]float64{"population": n.Pop}}
		for _, a := range nl.Adjacency[i] {
			j, ok := pos[a.ID]
			if !ok {
				return nil, fmt.Errorf("%s: node %d lists unknown neighbour %d", path, n.ID, a.ID)
			}
			u.Neighbors = append(u.Neighbors, j)
		}
		slices.Sort(u.Neighbors)
		p.Units = append(p.Units, u)
	}
	return p, nil
}

func districting(args []string) error {
	fs := newFlags("districting")
	dir := fs.String("dir", "../shared/benchmarks/districting", "folder of the instances")
	seeds := fs.Int("seeds", 5, "seeds to run per instance")
	effort := fs.Float64("effort", 1, "search effort")
	fs.Parse(args)
	fmt.Printf("%-6s %3s %4s %8s %10s %10s %10s %8s %7s %s\n", "state", "k", "seed", "feasible", "max dev", "cut edges", "optimum", "ratio", "time", "parts")
	for _, in := range instances {
		p, err := loadInstance(filepath.Join(*dir, in.file))
		if err != nil {
			return err
		}
		var cuts []int
		for seed := 1; seed <= *seeds; seed++ {
			start := time.Now()
			res, err := optimize.Run(nil, p, nil, optimize.Options{
				Mode: optimize.Build, K: in.k, Balance: map[string]float64{"population": 1},
				Tolerance: 0.005, Contiguous: true, Compactness: 100, Seed: uint64(seed), Effort: *effort,
			}, nil)
			if err != nil {
				return err
			}
			el := time.Since(start)
			feasible, parts := check(p, res.Scenario, in.lo, in.hi)
			rep := res.Report
			fmt.Printf("%-6s %3d %4d %8v %9.3f%% %10d %10d %8.3f %6.2fs %v\n", in.name, in.k, seed, feasible,
				100*rep.Metrics[0].After.MaxAbsDeviation, rep.CutEdgesAfter, in.optimum,
				float64(rep.CutEdgesAfter)/float64(in.optimum), el.Seconds(), parts)
			if feasible {
				cuts = append(cuts, rep.CutEdgesAfter)
			}
		}
		if len(cuts) > 0 {
			slices.Sort(cuts)
			fmt.Printf("%-6s best %d (ratio %.3f), median %d (ratio %.3f), feasible %d of %d\n\n", in.name, cuts[0],
				float64(cuts[0])/float64(in.optimum), cuts[len(cuts)/2], float64(cuts[len(cuts)/2])/float64(in.optimum), len(cuts), *seeds)
		}
	}
	return nil
}

// check verifies a districting independently of the optimizer: every
// district's population within [lo, hi] and every district connected.
func check(p *engine.Plan, s *engine.Scenario, lo, hi float64) (bool, []int) {
	idx := map[string]int{}
	var ids []string
	for _, t := range s.Territories {
		if t.Kind == engine.KindTerritory {
			idx[t.ID] = len(ids)
			ids = append(ids, t.ID)
		}
	}
	of := make([]int, len(p.Units))
	pop := make([]float64, len(ids))
	for u := range p.Units {
		t, ok := s.UnitTerritory[p.Units[u].ID]
		if !ok {
			return false, nil
		}
		of[u] = idx[t]
		pop[of[u]] += p.Units[u].Data["population"]
	}
	ok := true
	for _, v := range pop {
		if v < lo-1e-6 || v > hi+1e-6 || math.IsNaN(v) {
			ok = false
		}
	}
	parts := make([]int, len(ids))
	seen := make([]bool, len(p.Units))
	for s := range p.Units {
		if seen[s] {
			continue
		}
		parts[of[s]]++
		stack := []int{s}
		seen[s] = true
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range p.Units[v].Neighbors {
				if !seen[w] && of[w] == of[v] {
					seen[w] = true
					stack = append(stack, int(w))
				}
			}
		}
	}
	for _, n := range parts {
		if n != 1 {
			ok = false
		}
	}
	return ok, parts
}

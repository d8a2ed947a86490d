// Command optimize-quality measures the territory optimizer (engine/optimize)
// on real instances and prints the figures quoted in docs/model.md.
//
//	go run ./scripts/optimize-quality districting [-dir ../shared/benchmarks/districting] [-seeds 5]
//	go run ./scripts/optimize-quality states      [-tolerance 0.005]
//	go run ./scripts/optimize-quality us          [-k 50] [-tolerance 0.03]
//	go run ./scripts/optimize-quality local       [-runs 5]
//	go run ./scripts/optimize-quality mip         [-limit 300]   (needs cbc: apt-get install coinor-cbc)
//
// districting: the county instances with proven optima (Iowa into 4, Maine
// into 2 districts within ±0.5 % population): feasibility, cut edges and
// their ratio to the optimum. states: the same problem for other states
// built from the demo plan's counties (2010 population, county borders),
// with the 2010 apportionment's number of districts. us: every US county
// into k territories balanced on population. local: a local rebalance
// after a manual edit on the demo plan. mip: small instances solved
// exactly by CBC, compared with the optimizer.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: optimize-quality districting|states|us|local|mip [flags]")
		os.Exit(2)
	}
	if prof := os.Getenv("OPTIMIZE_QUALITY_CPUPROFILE"); prof != "" {
		f, err := os.Create(prof)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	var err error
	switch os.Args[1] {
	case "districting":
		err = districting(os.Args[2:])
	case "states":
		err = states(os.Args[2:])
	case "us":
		err = us(os.Args[2:])
	case "mip":
		err = mip(os.Args[2:])
	case "local":
		err = local(os.Args[2:])
	default:
		err = fmt.Errorf("unknown measurement %q", os.Args[1])
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "optimize-quality:", err)
		os.Exit(1)
	}
}

func newFlags(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ExitOnError) }

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"

	"territoria/app"
	"territoria/engine/optimize"
)

func init() {
	register(command{"optimize", "PLAN [--from S] [--into NEW] [--territories K] [--balance workload=60,potential=30,revenue=10] [--tolerance 5] [--contiguous] [--compactness 0..100] [--max-moved-revenue 10] [--seed N] [--json]",
		"design balanced, contiguous, compact territories; the result is a new scenario with a report", cmdOptimize})
}

func cmdOptimize(e *Env, args []string) error {
	var (
		asJSON, progress bool
		req              app.OptimizeRequest
		balance, focus   string
	)
	pos, err := flags("optimize", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.BoolVar(&progress, "progress", false, "")
		fs.StringVar(&req.From, "from", "", "")
		fs.StringVar(&req.Into, "into", "", "")
		fs.StringVar(&req.Mode, "mode", "", "")
		fs.StringVar(&req.Level, "level", "", "")
		fs.IntVar(&req.Territories, "territories", 0, "")
		fs.StringVar(&balance, "balance", "", "")
		fs.Float64Var(&req.Tolerance, "tolerance", 5, "")
		fs.BoolVar(&req.Contiguous, "contiguous", false, "")
		fs.Float64Var(&req.Compactness, "compactness", 50, "")
		fs.Float64Var(&req.HomeDistance, "home-distance", 0, "")
		fs.BoolVar(&req.RepHomes, "rep-homes", false, "")
		fs.BoolVar(&req.RepCapacity, "rep-capacity", false, "")
		fs.Float64Var(&req.MaxMovedRevenue, "max-moved-revenue", 0, "")
		fs.Float64Var(&req.MaxMovedAccounts, "max-moved-accounts", 0, "")
		fs.Float64Var(&req.MaxMovedRevenueTerritory, "max-moved-revenue-territory", 0, "")
		fs.Float64Var(&req.MaxMovedAccountsTerr, "max-moved-accounts-territory", 0, "")
		fs.StringVar(&focus, "focus", "", "")
		fs.Uint64Var(&req.Seed, "seed", 1, "")
		fs.Float64Var(&req.Effort, "effort", 1, "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria optimize PLAN [--from S] [--into NEW] [--territories K] [--balance M=W,...] [--tolerance PCT] [--contiguous] [--compactness 0..100] [--max-moved-revenue PCT] [--seed N] [--json]")
	}
	if req.From == "" && req.Territories <= 0 && !req.RepHomes {
		return usagef("optimize: give --territories K to build territories, or --from S to rebalance a scenario")
	}
	if balance != "" {
		if req.Balance, err = optimize.ParseBalance(balance); err != nil {
			return usagef("%v", err)
		}
	}
	for _, f := range strings.Split(focus, ",") {
		if f = strings.TrimSpace(f); f != "" {
			req.Focus = append(req.Focus, f)
		}
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	if _, err := app.OpenPlanWith(svc, pos[0], false); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var cb func(app.OptimizeProgress)
	if progress {
		last := -1
		cb = func(p app.OptimizeProgress) {
			if pct := int(100 * p.Fraction); pct/5 != last/5 || p.Phase == "report" {
				last = pct
				fmt.Fprintf(e.Stderr, "%3d %% %-7s best %.4g, largest deviation %.1f %%, within tolerance: %v\n", pct, p.Phase, p.Objective, 100*p.MaxDeviation, p.Feasible)
			}
		}
	}
	res, err := app.RunOptimize(ctx, svc, req, cb)
	if err != nil {
		return err
	}
	return output(e, asJSON, res, func(w io.Writer) { printOptimize(w, res) })
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.1f %%", 100*v)
}

func printOptimize(w io.Writer, res app.OptimizeResult) {
	r := res.Report
	fmt.Fprintf(w, "new scenario %s (%s): %d territories, %s at %s level", res.Scenario.Name, res.Scenario.ID, r.Territories, r.Mode, r.Level)
	if r.Cancelled {
		fmt.Fprint(w, ", cancelled: best so far")
	}
	fmt.Fprintf(w, ", %.1f s\n\n", float64(res.Millis)/1000)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "metric\tweight\tmax |dev| before\tafter\tmean |dev| before\tafter\twithin ±tol\tlargest item\t")
	for _, m := range r.Metrics {
		before, beforeMean := "–", "–"
		if r.HasBefore {
			before, beforeMean = pct(m.Before.MaxAbsDeviation), pct(m.Before.MeanAbsDeviation)
		}
		fmt.Fprintf(tw, "%s\t%.0f %%\t%s\t%s\t%s\t%s\t%d of %d\t%s (%s of a target)\t\n", m.Metric, 100*m.Weight, before, pct(m.After.MaxAbsDeviation),
			beforeMean, pct(m.After.MeanAbsDeviation), m.After.Within, r.Territories, m.Largest, pct(m.LargestShare))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nwithin the tolerance (±%s): %d of %d territories", pct(r.Tolerance), r.WithinAfter, r.Territories)
	if r.HasBefore {
		fmt.Fprintf(w, " (before %d); balance index %.1f → %.1f", r.WithinBefore, r.IndexBefore, r.IndexAfter)
	} else {
		fmt.Fprintf(w, "; balance index %.1f", r.IndexAfter)
	}
	fmt.Fprintln(w)
	if r.Level == "units" {
		fmt.Fprintf(w, "shape: %d cut edges", r.CutEdgesAfter)
		if r.HasBorders {
			fmt.Fprintf(w, ", %.0f km of borders between territories, mean compactness %.3f", r.BorderKmAfter, r.CompactnessAfter)
		}
		fmt.Fprintf(w, "; %d territories not contiguous, %d with islands\n", r.NonContiguousAfter, r.ForcedIslands)
	}
	if r.HasBefore {
		fmt.Fprintf(w, "moved: %d units, %d accounts (%s), revenue %.0f (%s)\n", r.UnitsMoved, r.AccountsMoved, pct(r.AccountsMovedShare), r.RevenueMoved, pct(r.RevenueMovedShare))
	}
	if r.HasProjected {
		if r.HasBefore {
			fmt.Fprintf(w, "projected revenue: %.0f → %.0f (after the revenue at risk of accounts changing rep)\n", r.ProjectedRevenueBefore, r.ProjectedRevenueAfter)
		} else {
			fmt.Fprintf(w, "projected revenue: %.0f\n", r.ProjectedRevenueAfter)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n.Text)
	}
	if len(r.Moves) > 0 {
		fmt.Fprintln(w, "\nlargest moves:")
		for i, m := range r.Moves {
			if i == 10 {
				fmt.Fprintf(w, "  ... and %d more\n", len(r.Moves)-10+r.MovesOmitted)
				break
			}
			fmt.Fprintf(w, "  %s %s: %s → %s (%s)\n", m.Kind, m.Name, m.From, m.To, m.Reason.Text)
		}
	}
}

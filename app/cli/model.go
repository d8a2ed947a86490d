package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"territoria/app"
)

func init() {
	register(command{"quota", "PLAN [--scenario S] [--period quarter|month|week] [--total X | --growth P] [--year Y] [--json]",
		"split a plan total into quotas per territory by quarter, month or ISO week", cmdQuota})
	register(command{"alerts", "PLAN [--scenario S] [--now YYYY-MM-DD] [--json]", "territories breaking the plan's alert rules", cmdAlerts})
	register(command{"tiers", "PLAN [--json]", "the accounts' segments: ABC classes and golden, sleeping and white-space accounts", cmdTiers})
}

// openScenario opens plan path read-only and resolves the scenario name
// or id ("" for the active one).
func openScenario(e *Env, path, scenario string) (*app.PlanService, string, error) {
	svc, _, err := openReadOnly(e, path)
	if err != nil {
		return nil, "", err
	}
	id := ""
	if scenario != "" {
		if id, err = app.ResolveScenario(svc, scenario); err != nil {
			app.Shutdown(svc)
			return nil, "", err
		}
	}
	return svc, id, nil
}

func cmdQuota(e *Env, args []string) error {
	var asJSON bool
	var scenario, period, total, growth string
	var year int
	pos, err := flags("quota", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&period, "period", "quarter", "")
		fs.StringVar(&total, "total", "", "")
		fs.StringVar(&growth, "growth", "", "")
		fs.IntVar(&year, "year", 0, "")
	})
	if err != nil {
		return err
	}
	usage := "usage: territoria quota PLAN [--scenario S] [--period quarter|month|week] [--total X | --growth P] [--year Y] [--json]"
	if len(pos) != 1 {
		return usagef("%s", usage)
	}
	req := app.QuotaRequest{Period: period, Year: year}
	if total != "" && growth != "" {
		return usagef("quota: give --total or --growth, not both")
	}
	if total != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(total, ",", ""), 64)
		if err != nil || v <= 0 {
			return usagef("quota: --total %q, want an amount in plan currency, e.g. 125000000", total)
		}
		req.Total = v
	}
	if growth != "" {
		g, err := parsePercent(growth)
		if err != nil {
			return usagef("quota: --growth %q, want a percentage such as 5%% or 0.05", growth)
		}
		req.Growth = &g
	}
	svc, id, err := openScenario(e, pos[0], scenario)
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	q, err := app.ScenarioQuotas(svc, id, req)
	if err != nil {
		return err
	}
	return output(e, asJSON, q, func(w io.Writer) {
		how := fmt.Sprintf("last 12 months' revenue %.0f %+.1f %%", q.Base, 100*q.Growth)
		if req.Total > 0 {
			how = "given total"
		}
		season := "flat (less than 24 months of history)"
		if q.Seasonal {
			season = "from the monthly history"
		}
		fmt.Fprintf(w, "quotas %d, scenario %s: total %d %s (%s); weights history %.2f, potential %.2f, even %.2f, ramp %.2f; seasonality %s\n\n",
			q.Year, q.ScenarioID, q.Total, q.Currency, how, q.Weights.History, q.Weights.Potential, q.Weights.Even, q.Weights.Ramp, season)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := "node\tshare\tyear\tQ1\tQ2\tQ3\tQ4\t"
		if q.Period != "quarter" {
			head += "Jan\tFeb\tMar\tApr\tMay\tJun\tJul\tAug\tSep\tOct\tNov\tDec\t"
		}
		fmt.Fprintln(tw, head)
		for _, r := range q.Rows {
			name := strings.Repeat("  ", r.Depth) + r.Name
			if r.Ramp {
				name += " (ramp)"
			}
			fmt.Fprintf(tw, "%s\t%.1f %%\t%d\t%d\t%d\t%d\t%d\t", name, 100*r.Share, r.Year, r.Quarters[0], r.Quarters[1], r.Quarters[2], r.Quarters[3])
			if r.Months != nil {
				for _, m := range r.Months {
					fmt.Fprintf(tw, "%d\t", m)
				}
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		if q.Period == "week" {
			fmt.Fprintln(w, "\nweeks (ISO week, start, working days, quota) per territory: see --json")
		}
	})
}

// parsePercent reads "5%", "5 %" or "0.05".
func parsePercent(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(s, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		return v / 100, err
	}
	return strconv.ParseFloat(s, 64)
}

func cmdAlerts(e *Env, args []string) error {
	var asJSON bool
	var scenario, now string
	pos, err := flags("alerts", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&now, "now", "", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria alerts PLAN [--scenario S] [--now YYYY-MM-DD] [--json]")
	}
	at := e.Config.Now
	when := time.Now()
	if at != nil {
		when = at()
	}
	if now != "" {
		if when, err = time.Parse("2006-01-02", now); err != nil {
			return usagef("alerts: --now %q, want a date YYYY-MM-DD", now)
		}
	}
	svc, id, err := openScenario(e, pos[0], scenario)
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	r, err := app.ScenarioAlerts(svc, id, when)
	if err != nil {
		return err
	}
	return output(e, asJSON, r, func(w io.Writer) {
		fmt.Fprintf(w, "%d alert(s), scenario %s, %s\n", len(r.Alerts), r.ScenarioID, r.Now)
		if !r.VisitLog {
			fmt.Fprintln(w, "(the plan has no visit log: overdue golden accounts cannot be checked)")
		}
		for _, a := range r.Alerts {
			fmt.Fprintf(w, "  %-16s %s\n", a.Rule, a.Message)
		}
	})
}

func cmdTiers(e *Env, args []string) error {
	var asJSON bool
	pos, err := flags("tiers", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria tiers PLAN [--json]")
	}
	svc, id, err := openScenario(e, pos[0], "")
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	t, err := app.ScenarioTiers(svc, id)
	if err != nil {
		return err
	}
	return output(e, asJSON, t, func(w io.Writer) {
		fmt.Fprintf(w, "segments by %s: A up to %.0f %%, B up to %.0f %% of the cumulative %s; recent = last %d months; white space below %.0f %% of potential\n\n",
			t.Basis, 100*t.CutA, 100*t.CutB, t.Basis, t.RecentMonths, 100*t.WhiteSpaceShare)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "segment\taccounts\tpotential\trevenue\t")
		for _, g := range append(t.Classes, t.Flags...) {
			fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t\n", g.Name, g.Accounts, g.Potential, g.Revenue)
		}
		tw.Flush()
	})
}

package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"territoria/app"
	"territoria/storage/tabular"
)

func init() {
	register(command{"metrics", "PLAN [--scenario S] [--json]", "every figure per territory, district, region and plan, and the balance", cmdMetrics})
	register(command{"assign", "PLAN [--scenario S] [--units FILE] [--accounts FILE] [--json]", "apply unit → territory and account → territory tables (.csv or .xlsx) as one edit", cmdAssign})
}

func cmdMetrics(e *Env, args []string) error {
	var asJSON bool
	var scenario string
	pos, err := flags("metrics", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria metrics PLAN [--scenario S] [--json]")
	}
	svc, _, err := openReadOnly(e, pos[0])
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	id := ""
	if scenario != "" {
		if id, err = app.ResolveScenario(svc, scenario); err != nil {
			return err
		}
	}
	rep, err := app.ScenarioMetrics(svc, id)
	if err != nil {
		return err
	}
	return output(e, asJSON, rep, func(w io.Writer) {
		fmt.Fprintf(w, "scenario %s (%s)\n\n", rep.ScenarioName, rep.ScenarioID)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "node\tkind\taccounts\tunits\tpotential\trevenue\tlifetime value\t")
		for _, r := range rep.Rows {
			name := strings.Repeat("  ", r.Depth) + r.Name
			if r.Kind == "unassigned" {
				name = "(unassigned)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\t%.0f\t%.0f\t\n", name, r.Kind, r.Accounts, r.Units, r.Potential, r.Revenue, r.LifetimeValue)
		}
		tw.Flush()
		fmt.Fprintf(w, "\nbalance index %.1f\n", rep.Balance.Index)
		for _, m := range []string{"accounts", "potential", "revenue", "lifetimeValue"} {
			b := rep.Balance.Metrics[m]
			fmt.Fprintf(w, "  %-14s CV %.3f  Gini %.3f  max |deviation| %.1f %%\n", m, b.CV, b.Gini, 100*b.MaxAbsDeviation)
		}
	})
}

// idColumns and territoryColumns are the header names an alignment table
// may use, English and Chinese, tried in order.
var (
	unitColumns      = []string{"unit_id", "unit", "uid", "geoid", "fips", "adcode", "单元编码", "单元", "区划代码"}
	accountColumns   = []string{"account_id", "account", "id", "customer_id", "客户编号", "客户编码", "客户ID"}
	territoryColumns = []string{"territory_id", "territory", "区域编码", "区域", "辖区"}
)

// readAlignment reads an id → territory table.
func readAlignment(path string, idNames []string, idCol string) ([]app.AlignmentRow, error) {
	t, err := tabular.Open(path, tabular.Options{})
	if err != nil {
		return nil, err
	}
	defer t.Close()
	find := func(names []string) int {
		for _, n := range names {
			if i := t.Column(n); i >= 0 {
				return i
			}
		}
		return -1
	}
	ic, tc := find(idNames), find(territoryColumns)
	if ic < 0 || tc < 0 {
		return nil, fmt.Errorf("%s: want columns %s and territory_id; the header (row %d) has %q", path, idCol, t.HeaderRow, t.Header)
	}
	var out []app.AlignmentRow
	var problems []string
	for {
		r, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		id := strings.TrimSpace(r.Cell(ic))
		if id == "" {
			problems = append(problems, fmt.Sprintf("%s row %d, column %s: empty id", path, r.Num, idCol))
			continue
		}
		out = append(out, app.AlignmentRow{Row: r.Num, ID: id, Territory: strings.TrimSpace(r.Cell(tc))})
	}
	if len(problems) > 0 {
		return nil, &app.AlignmentError{Problems: problems}
	}
	return out, nil
}

// AssignJSON is the output of `territoria assign --json`.
type AssignJSON struct {
	Scenario      string `json:"scenario"`
	UnitsRead     int    `json:"unitsRead"`
	AccountsRead  int    `json:"accountsRead"`
	UnitsMoved    int    `json:"unitsMoved"`
	AccountsMoved int    `json:"accountsMoved"`
}

func cmdAssign(e *Env, args []string) error {
	var asJSON bool
	var scenario, unitsFile, accountsFile string
	pos, err := flags("assign", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&unitsFile, "units", "", "")
		fs.StringVar(&accountsFile, "accounts", "", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 || (unitsFile == "" && accountsFile == "") {
		return usagef("usage: territoria assign PLAN [--scenario S] [--units FILE] [--accounts FILE] [--json]")
	}
	var units, accounts []app.AlignmentRow
	if unitsFile != "" {
		if units, err = readAlignment(unitsFile, unitColumns, "unit_id"); err != nil {
			return err
		}
	}
	if accountsFile != "" {
		if accounts, err = readAlignment(accountsFile, accountColumns, "account_id"); err != nil {
			return err
		}
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	if _, err := app.OpenPlanWith(svc, pos[0], false); err != nil {
		return err
	}
	id := ""
	if scenario != "" {
		if id, err = app.ResolveScenario(svc, scenario); err != nil {
			return err
		}
	}
	res, err := app.ApplyAlignment(svc, id, unitsFile, accountsFile, units, accounts)
	if err != nil {
		return err
	}
	if id == "" {
		id = app.ActiveScenarioID(svc)
	}
	out := AssignJSON{Scenario: id, UnitsRead: len(units), AccountsRead: len(accounts), UnitsMoved: res.UnitsChanged, AccountsMoved: res.AccountsMoved}
	return output(e, asJSON, out, func(w io.Writer) {
		fmt.Fprintf(w, "scenario %s: %d units and %d accounts read; %d units and %d accounts changed territory\n",
			out.Scenario, out.UnitsRead, out.AccountsRead, out.UnitsMoved, out.AccountsMoved)
	})
}

package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"

	"territoria/app"
)

func init() {
	register(command{"import", "PLAN --kind K FILE [--mapping M.json] [--sheet S] [--good-rows] [--remove-missing] [--dry-run] [--add-units] [--scenario S] [--report R.xlsx] [--json]",
		"import accounts, reps, sales, visits, alignment, unit-data or boundaries from a file", cmdImport})
}

func cmdImport(e *Env, args []string) error {
	var asJSON, goodRows, removeMissing, dryRun bool
	var kind, mappingPath, sheet, scenario, reportPath, saveMapping string
	var opts app.ImportOptions
	pos, err := flags("import", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&kind, "kind", "", "")
		fs.StringVar(&mappingPath, "mapping", "", "")
		fs.StringVar(&saveMapping, "save-mapping", "", "")
		fs.StringVar(&sheet, "sheet", "", "")
		fs.BoolVar(&goodRows, "good-rows", false, "")
		fs.BoolVar(&removeMissing, "remove-missing", false, "")
		fs.BoolVar(&dryRun, "dry-run", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&reportPath, "report", "", "")
		fs.StringVar(&opts.IDField, "id-field", "", "")
		fs.StringVar(&opts.NameField, "name-field", "", "")
		fs.StringVar(&opts.Level, "level", "", "")
		fs.BoolVar(&opts.AddUnits, "add-units", false, "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 2 || kind == "" {
		return usagef("usage: territoria import PLAN --kind accounts|reps|sales|visits|alignment|unit-data|boundaries FILE [--mapping M.json] [--sheet S] [--good-rows] [--remove-missing] [--dry-run] [--json]")
	}
	plan, file := pos[0], pos[1]
	if _, err := os.Stat(file); err != nil {
		return err
	}
	var mapping app.ImportMapping
	if kind != "boundaries" {
		if mappingPath != "" {
			if mapping, err = app.ReadImportMapping(mappingPath); err != nil {
				return err
			}
			if sheet != "" {
				mapping.Sheet = sheet
			}
		} else if mapping, err = app.SuggestImportMapping(kind, file, sheet); err != nil {
			return err
		}
		if saveMapping != "" {
			if err := app.WriteImportMapping(saveMapping, mapping); err != nil {
				return err
			}
		}
	}
	opts.GoodRows, opts.RemoveMissing, opts.DryRun, opts.Scenario = goodRows, removeMissing, dryRun, scenario

	svc := newService(e)
	defer app.Shutdown(svc)
	if _, err := app.OpenPlanWith(svc, plan, false); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := app.RunImport(ctx, svc, kind, file, mapping, opts, nil)
	if err != nil {
		return err
	}
	if reportPath != "" && rep.RejectsTotal > 0 {
		if err := app.WriteImportReport(reportPath, rep, "en"); err != nil {
			return err
		}
	}
	if err := output(e, asJSON, rep, func(w io.Writer) { printImport(w, rep) }); err != nil {
		return err
	}
	if rep.Rejected > 0 && !rep.Committed && !rep.DryRun {
		return errors.New("rows were rejected, so nothing was imported; fix them, or pass --good-rows to import the rest")
	}
	return nil
}

func printImport(w io.Writer, r app.ImportReport) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s\n", r.File)
	if r.Sheet != "" {
		fmt.Fprintf(tw, "sheet\t%s\n", r.Sheet)
	}
	if r.Encoding != "" {
		fmt.Fprintf(tw, "encoding, delimiter\t%s, %q\n", r.Encoding, r.Delimiter)
	}
	fmt.Fprintf(tw, "rows\t%d (%d accepted, %d rejected)\n", r.Rows, r.Accepted, r.Rejected)
	fmt.Fprintf(tw, "added / updated / unchanged / removed\t%d / %d / %d / %d\n", r.Added, r.Updated, r.Unchanged, r.Removed)
	state := "nothing imported"
	switch {
	case r.Committed:
		state = "imported"
	case r.DryRun:
		state = "dry run: nothing imported"
	}
	fmt.Fprintf(tw, "result\t%s (%.1f s)\n", state, float64(r.Millis)/1000)
	tw.Flush()
	for i, x := range r.Rejects {
		if i == 20 {
			fmt.Fprintf(w, "… and %d more rejected values\n", r.RejectsTotal-20)
			break
		}
		fmt.Fprintf(w, "row %d, column %s: %q: %s\n", x.Row, x.Column, x.Value, x.Reason)
	}
	for _, x := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", x)
	}
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"territoria/app"
	"territoria/storage/export"
)

func init() {
	register(command{"export",
		"PLAN [--scenario S] [--baseline B|none] --xlsx|--geojson|--kml|--shp|--png|--svg|--pdf|--share OUT | --csv DIR [options] [--json]",
		"write the plan as a workbook, GIS file, alignment tables, shareable plan, map picture or PDF brief", cmdExport})
}

// exportFlags are the output flags, each naming one format.
var exportFlags = []struct{ flag, format string }{
	{"xlsx", app.FormatXLSX}, {"csv", app.FormatCSV}, {"geojson", app.FormatGeoJSON}, {"kml", app.FormatKML},
	{"shp", app.FormatSHP}, {"share", app.FormatShare}, {"png", app.FormatPNG}, {"svg", app.FormatSVG}, {"pdf", app.FormatPDF},
}

func cmdExport(e *Env, args []string) error {
	var asJSON, noAccounts, all, anon, readOnly, perRegion, quiet bool
	var scenario, baseline, colorBy, title, lang string
	var width, height int
	var dpi float64
	outs := make([]string, len(exportFlags))
	pos, err := flags("export", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&baseline, "baseline", "", "")
		for i, f := range exportFlags {
			fs.StringVar(&outs[i], f.flag, "", "")
		}
		fs.BoolVar(&noAccounts, "no-accounts", false, "")
		fs.BoolVar(&all, "all-scenarios", false, "")
		fs.BoolVar(&anon, "anonymise", false, "")
		fs.BoolVar(&anon, "anonymize", false, "")
		fs.BoolVar(&readOnly, "read-only", false, "")
		fs.BoolVar(&perRegion, "per-region", false, "")
		fs.IntVar(&width, "width", 0, "")
		fs.IntVar(&height, "height", 0, "")
		fs.Float64Var(&dpi, "dpi", 0, "")
		fs.StringVar(&colorBy, "color-by", "", "")
		fs.StringVar(&title, "title", "", "")
		fs.StringVar(&lang, "lang", "", "")
		fs.BoolVar(&quiet, "quiet", false, "")
	})
	if err != nil {
		return err
	}
	var reqs []app.ExportRequest
	for i, f := range exportFlags {
		if outs[i] != "" {
			reqs = append(reqs, app.ExportRequest{Format: f.format, Path: outs[i]})
		}
	}
	if len(pos) != 1 || len(reqs) == 0 {
		return usagef("usage: territoria export PLAN [--scenario S] [--baseline B|none] --xlsx|--geojson|--kml|--shp|--png|--svg|--pdf|--share OUT | --csv DIR [--json]")
	}
	if lang != "" && lang != "en" && lang != "zh-CN" {
		return usagef("export: --lang %q: want en or zh-CN", lang)
	}
	if width < 0 || height < 0 || width > 20000 || height > 20000 || dpi < 0 || dpi > 2400 {
		return usagef("export: --width and --height must be 1–20000 pixels, --dpi 1–2400")
	}
	svc, _, err := openReadOnly(e, pos[0])
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	sid := ""
	if scenario != "" {
		if sid, err = app.ResolveScenario(svc, scenario); err != nil {
			return err
		}
	}
	bid := baseline
	if baseline != "" && baseline != "none" {
		if bid, err = app.ResolveScenario(svc, baseline); err != nil {
			return fmt.Errorf("--baseline: %w", err)
		}
	}
	if lang == "" {
		lang = "en"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var results []app.ExportResult
	for _, r := range reqs {
		r.Scenario, r.Baseline, r.NoAccounts = sid, bid, noAccounts
		r.AllScenarios, r.Anonymise, r.ReadOnly = all, anon, readOnly
		r.Width, r.Height, r.DPI, r.ColorBy, r.Title, r.PerRegion, r.Lang = width, height, dpi, colorBy, title, perRegion, lang
		var progress func(export.Progress)
		if !asJSON && !quiet {
			progress = stderrProgress(e.Stderr)
		}
		res, err := app.RunExport(ctx, svc, r, progress)
		if progress != nil {
			fmt.Fprint(e.Stderr, "\r\033[K")
		}
		if err != nil {
			return fmt.Errorf("%s: %w", r.Format, err)
		}
		results = append(results, res)
	}
	var out any = results
	if len(results) == 1 {
		out = results[0]
	}
	return output(e, asJSON, out, func(w io.Writer) {
		for _, r := range results {
			fmt.Fprintf(w, "%s: wrote %s (%s, %.1f s)\n", r.Format, r.Path, humanBytes(r.Bytes), float64(r.Millis)/1000)
			if len(r.Layers) > 0 {
				names := make([]string, 0, len(r.Layers))
				for k := range r.Layers {
					names = append(names, k)
				}
				sort.Strings(names)
				var parts []string
				for _, k := range names {
					parts = append(parts, fmt.Sprintf("%s %d", k, r.Layers[k]))
				}
				fmt.Fprintf(w, "  features: %s\n", strings.Join(parts, ", "))
			}
			if len(r.Files) > 1 {
				for _, f := range r.Files {
					fmt.Fprintf(w, "  %s\n", f)
				}
			}
			for _, n := range r.Notes {
				fmt.Fprintf(w, "  note: %s\n", n)
			}
		}
	})
}

// stderrProgress prints a one-line progress indicator, at most five times a second.
func stderrProgress(w io.Writer) func(export.Progress) {
	var last time.Time
	return func(p export.Progress) {
		if time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		if p.Total > 1 {
			fmt.Fprintf(w, "\r\033[K%s %d/%d", p.Stage, p.Done, p.Total)
		} else {
			fmt.Fprintf(w, "\r\033[K%s…", p.Stage)
		}
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Package cli is Territoria's command line: every capability of the app as a
// headless subcommand with human and --json output. It drives the same
// services the window binds, so the CLI and the UI cannot disagree.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"territoria/app"
	"territoria/app/serve"
)

// Env is what the command line needs from main.
type Env struct {
	Version string
	// Assets is the built frontend, for the window and the browser mode.
	Assets fs.FS
	// Window opens the desktop window; nil or failing in the headless build.
	Window func(WindowRequest) error
	// WindowAvailable tells whether this build has a desktop window.
	WindowAvailable bool
	Stdout, Stderr  io.Writer
	// Config is the configuration of the services (settings file, data folder).
	Config app.Config
}

// WindowRequest asks main to open the desktop window.
type WindowRequest struct {
	Plan     *app.PlanService
	OpenPath string
	Demo     bool
	Smoke    bool
}

type command struct {
	name    string
	args    string
	summary string
	run     func(e *Env, args []string) error
}

// registered holds commands added by other files of this package (see
// register), listed after the built-in ones.
var registered []command

// register adds a command; call it from an init function.
func register(c command) { registered = append(registered, c) }

func commands() []command {
	return append([]command{
		{"version", "[--json]", "print the version", cmdVersion},
		{"new", "PLAN [--name NAME] [--currency CODE] [--json]", "create an empty plan file", cmdNew},
		{"demo", "OUT.territoria [--json]", "write the bundled demo plan to a file", cmdDemo},
		{"info", "PLAN [--json]", "counts of accounts, reps, units, scenarios and territories; schema version", cmdInfo},
		{"scenario", "list|create|clone|rename|delete PLAN ... [--json]", "manage the scenarios of a plan", cmdScenario},
		{"serve", "[PLAN] [--demo] [--addr 127.0.0.1:0]", "serve the app to a browser on this machine", cmdServe},
		{"window", "[PLAN] [--demo]", "open the desktop window (the default with no command)", cmdWindow},
	}, registered...)
}

// usageError marks an error in how the command was called.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Main runs the command line and returns the process exit code: 0 on
// success, 1 on failure, 2 on a usage error.
func Main(args []string, e Env) int {
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if len(args) == 0 || strings.HasSuffix(args[0], ".territoria") || args[0] == "--demo" || args[0] == "--smoke" {
		if !e.WindowAvailable {
			printUsage(e.Stderr)
			return 2
		}
		return exit(e, cmdWindow(&e, args))
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		printUsage(e.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			return exit(e, c.run(&e, args[1:]))
		}
	}
	fmt.Fprintf(e.Stderr, "territoria: unknown command %q\n\n", name)
	printUsage(e.Stderr)
	return 2
}

func exit(e Env, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(e.Stderr, "territoria: %v\n", err)
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Territoria — sales territory planning")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: territoria COMMAND [ARGS]   (see docs/cli.md)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	tw.Flush()
}

// flags parses interleaved flags and positional arguments.
func flags(name string, args []string, define func(fs *flag.FlagSet)) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	define(fs)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s: %v", name, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func output(e *Env, asJSON bool, v any, human func(w io.Writer)) error {
	if asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	human(e.Stdout)
	return nil
}

func cmdVersion(e *Env, args []string) error {
	var asJSON bool
	if _, err := flags("version", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") }); err != nil {
		return err
	}
	v := map[string]any{"version": e.Version, "schemaVersion": app.SchemaVersion(), "desktop": e.WindowAvailable}
	return output(e, asJSON, v, func(w io.Writer) {
		kind := "headless"
		if e.WindowAvailable {
			kind = "desktop"
		}
		fmt.Fprintf(w, "territoria %s (%s build, plan schema %d)\n", e.Version, kind, app.SchemaVersion())
	})
}

func newService(e *Env) *app.PlanService { return app.NewPlanService(e.Config) }

func cmdNew(e *Env, args []string) error {
	var asJSON bool
	var name, currency string
	pos, err := flags("new", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&name, "name", "", "")
		fs.StringVar(&currency, "currency", "USD", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria new PLAN [--name NAME] [--currency CODE] [--json]")
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	info, err := app.CreatePlan(svc, pos[0], name, currency)
	if err != nil {
		return err
	}
	return output(e, asJSON, info, func(w io.Writer) { fmt.Fprintf(w, "created %s\n", info.Path) })
}

func cmdDemo(e *Env, args []string) error {
	var asJSON bool
	pos, err := flags("demo", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria demo OUT.territoria [--json]")
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	info, err := app.WriteDemo(svc, pos[0])
	if err != nil {
		return err
	}
	return output(e, asJSON, info, func(w io.Writer) {
		fmt.Fprintf(w, "wrote %s: %d accounts, %d reps, %d units, %d scenarios\n", info.Path, info.Accounts, info.Reps, info.Units, len(info.Scenarios))
	})
}

// InfoJSON is the output of `territoria info --json`.
type InfoJSON struct {
	Path          string             `json:"path"`
	Name          string             `json:"name"`
	Currency      string             `json:"currency"`
	SchemaVersion int                `json:"schemaVersion"`
	Accounts      int                `json:"accounts"`
	Reps          int                `json:"reps"`
	Units         int                `json:"units"`
	Scenarios     int                `json:"scenarios"`
	Territories   int                `json:"territories"`
	Active        string             `json:"activeScenario"`
	ScenarioList  []app.ScenarioInfo `json:"scenarioList"`
	// Provenance tells where a shared copy came from (absent otherwise).
	Provenance *app.ProvenanceInfo `json:"provenance,omitempty"`
}

func openReadOnly(e *Env, path string) (*app.PlanService, app.PlanInfo, error) {
	svc := newService(e)
	info, err := app.OpenPlanWith(svc, path, true)
	if err != nil {
		app.Shutdown(svc)
		return nil, info, err
	}
	return svc, info, nil
}

func cmdInfo(e *Env, args []string) error {
	var asJSON bool
	pos, err := flags("info", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria info PLAN [--json]")
	}
	svc, info, err := openReadOnly(e, pos[0])
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	out := InfoJSON{Path: info.Path, Name: info.Name, Currency: info.Currency, SchemaVersion: info.SchemaVersion,
		Accounts: info.Accounts, Reps: info.Reps, Units: info.Units, Scenarios: len(info.Scenarios),
		Active: info.ActiveScenario, ScenarioList: info.Scenarios}
	for _, s := range info.Scenarios {
		if s.ID == info.ActiveScenario {
			out.Territories = s.Territories
		}
	}
	out.Provenance, _ = app.NewExportService(svc).Provenance()
	return output(e, asJSON, out, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "plan\t%s\n", out.Name)
		fmt.Fprintf(tw, "file\t%s\n", out.Path)
		fmt.Fprintf(tw, "schema version\t%d\n", out.SchemaVersion)
		fmt.Fprintf(tw, "currency\t%s\n", out.Currency)
		fmt.Fprintf(tw, "accounts\t%d\n", out.Accounts)
		fmt.Fprintf(tw, "reps\t%d\n", out.Reps)
		fmt.Fprintf(tw, "units\t%d\n", out.Units)
		fmt.Fprintf(tw, "scenarios\t%d\n", out.Scenarios)
		fmt.Fprintf(tw, "territories (active scenario)\t%d\n", out.Territories)
		if pv := out.Provenance; pv != nil {
			fmt.Fprintf(tw, "shared copy\texported by %s on %s from scenario %s%s\n", pv.ExportedBy, pv.ExportedAt.Format("2006-01-02 15:04"), pv.FromScenario, map[bool]string{true: ", read-only", false: ""}[pv.ReadOnly])
		}
		tw.Flush()
	})
}

func cmdScenario(e *Env, args []string) error {
	var asJSON bool
	pos, err := flags("scenario", args, func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "") })
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("usage: territoria scenario list|create|clone|rename|delete PLAN ... [--json]")
	}
	verb, path, rest := pos[0], pos[1], pos[2:]
	want := map[string]int{"list": 0, "create": 1, "clone": 2, "rename": 2, "delete": 1, "switch": 1}
	n, ok := want[verb]
	if !ok {
		return usagef("scenario: unknown action %q (want list, create, clone, rename, delete or switch)", verb)
	}
	if len(rest) != n {
		forms := map[string]string{"list": "list PLAN", "create": "create PLAN NAME", "clone": "clone PLAN SCENARIO NAME",
			"rename": "rename PLAN SCENARIO NAME", "delete": "delete PLAN SCENARIO", "switch": "switch PLAN SCENARIO"}
		return usagef("usage: territoria scenario %s [--json]", forms[verb])
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	if _, err := app.OpenPlanWith(svc, path, verb == "list"); err != nil {
		return err
	}
	var res any
	switch verb {
	case "list":
		res, err = svc.Scenarios()
	case "create":
		res, err = svc.CreateScenario(rest[0])
	case "clone":
		var id string
		if id, err = app.ResolveScenario(svc, rest[0]); err == nil {
			res, err = svc.CloneScenario(id, rest[1])
		}
	case "rename":
		var id string
		if id, err = app.ResolveScenario(svc, rest[0]); err == nil {
			res, err = svc.RenameScenario(id, rest[1])
		}
	case "delete":
		var id string
		if id, err = app.ResolveScenario(svc, rest[0]); err == nil {
			err = svc.DeleteScenario(id)
			res = map[string]string{"deleted": id}
		}
	case "switch":
		var id string
		if id, err = app.ResolveScenario(svc, rest[0]); err == nil {
			res, err = svc.SwitchScenario(id)
		}
	}
	if err != nil {
		return err
	}
	return output(e, asJSON, res, func(w io.Writer) {
		switch v := res.(type) {
		case []app.ScenarioInfo:
			info, _ := svc.Info()
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTERRITORIES\tACTIVE")
			for _, s := range v {
				act := ""
				if s.ID == info.ActiveScenario {
					act = "*"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.ID, s.Name, s.Territories, act)
			}
			tw.Flush()
		case app.ScenarioInfo:
			fmt.Fprintf(w, "%s\t%s\n", v.ID, v.Name)
		case app.PlanInfo:
			fmt.Fprintf(w, "active scenario: %s\n", v.ActiveScenario)
		default:
			fmt.Fprintf(w, "deleted %s\n", rest[0])
		}
	})
}

func cmdServe(e *Env, args []string) error {
	var demo bool
	var addr string
	pos, err := flags("serve", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&demo, "demo", false, "")
		fs.StringVar(&addr, "addr", "127.0.0.1:0", "")
	})
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("usage: territoria serve [PLAN] [--demo] [--addr 127.0.0.1:0]")
	}
	svc := newService(e)
	defer app.Shutdown(svc)
	downloads := app.DownloadsOf(svc)
	defer downloads.Close()
	srv, err := serve.New(serve.Options{Assets: e.Assets, Bind: app.Bindings(svc), Handler: app.TileHandler(svc), Addr: addr, Downloads: downloads})
	if err != nil {
		return err
	}
	ready := make(chan string, 1)
	app.Wire(svc, app.Wiring{Emitter: srv, OnReady: func(d string) {
		select {
		case ready <- d:
		default:
		}
	}})
	switch {
	case len(pos) == 1:
		if _, err := svc.OpenPlan(pos[0]); err != nil {
			return err
		}
	case demo:
		if _, err := svc.OpenDemo(); err != nil {
			return err
		}
	}
	if err := srv.Start(); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, srv.URL())
	fmt.Fprintln(e.Stderr, "Serving Territoria on this machine only. Open the URL above in a browser; press Ctrl+C to stop.")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	for {
		select {
		case d := <-ready:
			fmt.Fprintf(e.Stderr, "page ready: %s\n", d)
		case <-sig:
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			return srv.Shutdown(ctx)
		}
	}
}

func cmdWindow(e *Env, args []string) error {
	var demo, smoke bool
	pos, err := flags("window", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&demo, "demo", false, "")
		fs.BoolVar(&smoke, "smoke", false, "")
	})
	if err != nil {
		return err
	}
	if e.Window == nil || !e.WindowAvailable {
		return errors.New("this build has no desktop window; use `territoria serve`")
	}
	if os.Getenv("TERRITORIA_SMOKE") == "1" {
		smoke = true
	}
	req := WindowRequest{Plan: newService(e), Demo: demo, Smoke: smoke}
	if len(pos) > 0 {
		req.OpenPath = pos[0]
	}
	return e.Window(req)
}

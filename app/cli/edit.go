package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"territoria/app"
)

func init() {
	register(command{"territory", "create|update|delete|merge|split|draw|reshape PLAN ... [--scenario S] [--json]", "edit the hierarchy and drawn areas (each one undoable step)", cmdTerritory})
	register(command{"lock", "PLAN [--units IDS] [--accounts IDS] [--unlock] [--scenario S] [--json]", "lock or unlock units and accounts", cmdLock})
	register(command{"undo", "PLAN [--scenario S] [--json]", "take back the latest edit of a scenario", cmdUndo})
	register(command{"redo", "PLAN [--scenario S] [--json]", "play the next undone edit again", cmdRedo})
	register(command{"history", "PLAN [--scenario S] [--json]", "list a scenario's edits", cmdHistory})
	register(command{"settings", "PLAN [--set FILE.json] [--json]", "show or change the plan's assumptions", cmdSettings})
}

// EditJSON is the output of the editing commands with --json.
type EditJSON struct {
	Kind          string        `json:"kind"`
	Created       string        `json:"created,omitempty"`
	UnitsChanged  int           `json:"unitsChanged"`
	AccountsMoved int           `json:"accountsMoved"`
	Undo          app.UndoState `json:"undo"`
}

// editOn opens plan for writing and runs fn on the scenario.
func editOn(e *Env, plan, scenario string, asJSON bool, fn func(ed *app.EditService) (app.EditResult, error)) error {
	svc := newService(e)
	defer app.Shutdown(svc)
	if _, err := app.OpenPlanWith(svc, plan, false); err != nil {
		return err
	}
	id := ""
	if scenario != "" {
		var err error
		if id, err = app.ResolveScenario(svc, scenario); err != nil {
			return err
		}
	}
	res, err := app.OnScenario(svc, id, fn)
	if err != nil {
		return err
	}
	out := EditJSON{Kind: res.Kind, Created: res.Created, UnitsChanged: res.UnitsChanged, AccountsMoved: res.AccountsMoved, Undo: res.Undo}
	return output(e, asJSON, out, func(w io.Writer) {
		fmt.Fprintf(w, "%s: %d units changed territory, %d accounts moved", out.Kind, out.UnitsChanged, out.AccountsMoved)
		if out.Created != "" {
			fmt.Fprintf(w, "; created %s", out.Created)
		}
		fmt.Fprintf(w, " (%d edits can be undone)\n", out.Undo.UndoCount)
	})
}

// readCoords reads [lon, lat] points from a GeoJSON file holding a
// Polygon, LineString, Feature or FeatureCollection (first feature).
func readCoords(path string) ([][2]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
		Geometry    json.RawMessage `json:"geometry"`
		Features    []struct {
			Geometry json.RawMessage `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("%s: not GeoJSON: %v", path, err)
	}
	switch {
	case g.Type == "FeatureCollection" && len(g.Features) > 0:
		return coordsOf(path, g.Features[0].Geometry)
	case g.Type == "Feature":
		return coordsOf(path, g.Geometry)
	}
	return coordsOf(path, b)
}

func coordsOf(path string, raw json.RawMessage) ([][2]float64, error) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, fmt.Errorf("%s: not GeoJSON: %v", path, err)
	}
	switch g.Type {
	case "LineString":
		var c [][2]float64
		err := json.Unmarshal(g.Coordinates, &c)
		return c, err
	case "Polygon":
		var c [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &c); err != nil || len(c) == 0 {
			return nil, fmt.Errorf("%s: a polygon without rings", path)
		}
		return c[0], nil
	}
	return nil, fmt.Errorf("%s: want a Polygon or LineString, found %q", path, g.Type)
}

func cmdTerritory(e *Env, args []string) error {
	usage := usagef("usage: territoria territory create PLAN NAME [--kind K] [--parent P] [--color C] [--rep R] [--area F.geojson]\n" +
		"       territoria territory update PLAN ID [--name N] [--color C] [--rep R] [--parent P] [--lock|--unlock]\n" +
		"       territoria territory delete PLAN ID [--move-to T]\n" +
		"       territoria territory merge PLAN INTO OTHER...\n" +
		"       territoria territory split PLAN ID --line F.geojson --name N\n" +
		"       territoria territory draw PLAN ID --area F.geojson   (an empty --area removes the drawn area)\n" +
		"       territoria territory reshape PLAN --arc A --vertex I --to LON,LAT\n" +
		"  (all take [--scenario S] [--json])")
	if len(args) == 0 {
		return usage
	}
	verb := args[0]
	var asJSON, lock, unlock bool
	var scenario, kind, parent, color, rep, area, name, moveTo, line, to string
	var arc, vertex int
	set := map[string]bool{}
	pos, err := flags("territory "+verb, args[1:], func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.BoolVar(&lock, "lock", false, "")
		fs.BoolVar(&unlock, "unlock", false, "")
		for _, f := range []struct {
			p    *string
			name string
		}{{&scenario, "scenario"}, {&kind, "kind"}, {&parent, "parent"}, {&color, "color"}, {&rep, "rep"},
			{&area, "area"}, {&name, "name"}, {&moveTo, "move-to"}, {&line, "line"}, {&to, "to"}} {
			fs.Func(f.name, "", func(v string) error { *f.p = v; set[f.name] = true; return nil })
		}
		fs.IntVar(&arc, "arc", -1, "")
		fs.IntVar(&vertex, "vertex", -1, "")
	})
	if err != nil {
		return err
	}
	if len(pos) < 1 {
		return usage
	}
	plan := pos[0]
	var fn func(ed *app.EditService) (app.EditResult, error)
	switch verb {
	case "create":
		if len(pos) != 2 {
			return usage
		}
		in := app.NewTerritory{Name: pos[1], Kind: kind, Parent: parent, Color: color, RepID: rep}
		if area != "" {
			if in.Ring, err = readCoords(area); err != nil {
				return err
			}
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.CreateTerritory(in) }
	case "update":
		if len(pos) != 2 || (lock && unlock) {
			return usage
		}
		var u app.TerritoryUpdate
		str := func(k string, v string) *string {
			if set[k] {
				return &v
			}
			return nil
		}
		u.Name, u.Color, u.RepID, u.Parent = str("name", name), str("color", color), str("rep", rep), str("parent", parent)
		if lock || unlock {
			u.Locked = &lock
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.UpdateTerritory(pos[1], u) }
	case "delete":
		if len(pos) != 2 {
			return usage
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.DeleteTerritory(pos[1], moveTo) }
	case "merge":
		if len(pos) < 3 {
			return usage
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.MergeTerritories(pos[1], pos[2:]) }
	case "split":
		if len(pos) != 2 || line == "" || name == "" {
			return usage
		}
		pts, err := readCoords(line)
		if err != nil {
			return err
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.SplitTerritory(pos[1], pts, name) }
	case "draw":
		if len(pos) != 2 || !set["area"] {
			return usage
		}
		var ring [][2]float64
		if area != "" {
			if ring, err = readCoords(area); err != nil {
				return err
			}
		}
		fn = func(ed *app.EditService) (app.EditResult, error) { return ed.DrawArea(pos[1], ring) }
	case "reshape":
		parts := strings.Split(to, ",")
		if len(pos) != 1 || arc < 0 || vertex < 0 || len(parts) != 2 {
			return usage
		}
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		if err1 != nil || err2 != nil {
			return usagef("territory reshape: --to wants LON,LAT, got %q", to)
		}
		fn = func(ed *app.EditService) (app.EditResult, error) {
			if _, err := ed.BeginDrag(app.VertexRef{Arc: arc, Index: vertex}); err != nil {
				return app.EditResult{}, err
			}
			step, err := ed.DragTo(lon, lat)
			if err != nil || step.Blocked {
				ed.EndDrag(false)
				if err == nil {
					err = errors.New("the move would make a border cross another, or change a locked territory")
				}
				return app.EditResult{}, err
			}
			return ed.EndDrag(true)
		}
	default:
		return usage
	}
	return editOn(e, plan, scenario, asJSON, fn)
}

func splitIDs(s string) []string {
	var out []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func cmdLock(e *Env, args []string) error {
	var asJSON, unlock bool
	var scenario, units, accounts string
	pos, err := flags("lock", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.BoolVar(&unlock, "unlock", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
		fs.StringVar(&units, "units", "", "")
		fs.StringVar(&accounts, "accounts", "", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 || (units == "" && accounts == "") {
		return usagef("usage: territoria lock PLAN [--units ID,ID...] [--accounts ID,ID...] [--unlock] [--scenario S] [--json]")
	}
	return editOn(e, pos[0], scenario, asJSON, func(ed *app.EditService) (app.EditResult, error) {
		if units != "" && accounts != "" {
			if _, err := ed.SetUnitLocks(splitIDs(units), !unlock); err != nil {
				return app.EditResult{}, err
			}
			return ed.SetAccountLocks(splitIDs(accounts), !unlock)
		}
		if units != "" {
			return ed.SetUnitLocks(splitIDs(units), !unlock)
		}
		return ed.SetAccountLocks(splitIDs(accounts), !unlock)
	})
}

func scenarioOnly(name string, args []string) (plan, scenario string, asJSON bool, err error) {
	pos, err := flags(name, args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&scenario, "scenario", "", "")
	})
	if err != nil {
		return "", "", false, err
	}
	if len(pos) != 1 {
		return "", "", false, usagef("usage: territoria %s PLAN [--scenario S] [--json]", name)
	}
	return pos[0], scenario, asJSON, nil
}

// readOn opens plan read-only and runs fn on the scenario ("" = active).
func readOn[T any](e *Env, plan, scenario string, fn func(svc *app.PlanService, ed *app.EditService) (T, error)) (T, error) {
	var zero T
	svc, _, err := openReadOnly(e, plan)
	if err != nil {
		return zero, err
	}
	defer app.Shutdown(svc)
	id := ""
	if scenario != "" {
		if id, err = app.ResolveScenario(svc, scenario); err != nil {
			return zero, err
		}
	}
	return app.OnScenario(svc, id, func(ed *app.EditService) (T, error) { return fn(svc, ed) })
}

func cmdUndo(e *Env, args []string) error {
	plan, scenario, asJSON, err := scenarioOnly("undo", args)
	if err != nil {
		return err
	}
	return editOn(e, plan, scenario, asJSON, func(ed *app.EditService) (app.EditResult, error) { return ed.Undo() })
}

func cmdRedo(e *Env, args []string) error {
	plan, scenario, asJSON, err := scenarioOnly("redo", args)
	if err != nil {
		return err
	}
	return editOn(e, plan, scenario, asJSON, func(ed *app.EditService) (app.EditResult, error) { return ed.Redo() })
}

func cmdHistory(e *Env, args []string) error {
	plan, scenario, asJSON, err := scenarioOnly("history", args)
	if err != nil {
		return err
	}
	hist, err := readOn(e, plan, scenario, func(_ *app.PlanService, ed *app.EditService) ([]app.HistoryEntry, error) { return ed.History() })
	if err != nil {
		return err
	}
	return output(e, asJSON, hist, func(w io.Writer) {
		for _, h := range hist {
			mark := " "
			if h.Undone {
				mark = "~"
			}
			fmt.Fprintf(w, "%s %4d  %s  %s\n", mark, h.Seq, h.At, h.Summary)
		}
		if len(hist) == 0 {
			fmt.Fprintln(w, "no edits yet")
		}
	})
}

func cmdSettings(e *Env, args []string) error {
	var asJSON bool
	var setFile string
	pos, err := flags("settings", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "")
		fs.StringVar(&setFile, "set", "", "")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: territoria settings PLAN [--set FILE.json] [--json]")
	}
	if setFile != "" {
		b, err := os.ReadFile(setFile)
		if err != nil {
			return err
		}
		var in app.PlanSettings
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return fmt.Errorf("%s: %v (want the JSON that `territoria settings PLAN --json` prints)", setFile, err)
		}
		return editOn(e, pos[0], "", asJSON, func(ed *app.EditService) (app.EditResult, error) { return ed.SetSettings(in) })
	}
	svc, _, err := openReadOnly(e, pos[0])
	if err != nil {
		return err
	}
	defer app.Shutdown(svc)
	st, err := app.NewEditService(svc).Settings()
	if err != nil {
		return err
	}
	return output(e, true, st, nil)
}

func init() {
	register(command{"drawn", "PLAN [--scenario S] [--json]", "the free-drawn areas and their arcs (ids for territory reshape)", cmdDrawn})
}

func cmdDrawn(e *Env, args []string) error {
	plan, scenario, asJSON, err := scenarioOnly("drawn", args)
	if err != nil {
		return err
	}
	dv, err := readOn(e, plan, scenario, func(_ *app.PlanService, ed *app.EditService) (app.DrawnView, error) { return ed.Drawn() })
	if err != nil {
		return err
	}
	return output(e, asJSON, dv, func(w io.Writer) {
		for _, a := range dv.Arcs {
			fmt.Fprintf(w, "arc %d: %d vertices, bounds %s\n", a.ID, len(a.Coords), strings.Join(a.Territories, " | "))
		}
		if len(dv.Arcs) == 0 {
			fmt.Fprintln(w, "no drawn areas")
		}
	})
}

func init() {
	register(command{"reps", "PLAN [--scenario S] [--json]", "the plan's reps, the territories each covers and their figures against the baseline", cmdReps})
}

func cmdReps(e *Env, args []string) error {
	plan, scenario, asJSON, err := scenarioOnly("reps", args)
	if err != nil {
		return err
	}
	reps, err := readOn(e, plan, scenario, func(svc *app.PlanService, _ *app.EditService) ([]app.RepInfo, error) { return svc.Reps() })
	if err != nil {
		return err
	}
	return output(e, asJSON, reps, func(w io.Writer) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "rep\tname\th/week\tworkload h\tutilisation\tprojected revenue\tvs baseline\tat risk\tROI\tterritories")
		for _, r := range reps {
			v := r.Values
			num := func(k, format string, scale float64) string {
				x, ok := v[k]
				if !ok {
					return "–"
				}
				return fmt.Sprintf(format, x*scale)
			}
			change := "–"
			if b, ok := r.Baseline["projectedRevenue"]; ok {
				change = fmt.Sprintf("%+.0f", v["projectedRevenue"]-b)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.CapacityHours,
				num("workloadHours", "%.0f", 1), num("utilisation", "%.0f %%", 100), num("projectedRevenue", "%.0f", 1),
				change, num("revenueAtRisk", "%.0f", 1), num("roi", "%.2f×", 1), strings.Join(r.Territories, ", "))
		}
		tw.Flush()
	})
}

package app

import (
	"errors"
	"math"
	"strings"
	"testing"

	"territoria/storage/planfile"
)

// valuesByID indexes rows' figures by node id ("plan" for the plan row).
func valuesByID(rows []TerritoryRow) map[string]map[string]float64 {
	m := map[string]map[string]float64{}
	for _, r := range rows {
		id := r.ID
		if r.Kind == "plan" || r.Kind == "unassigned" {
			id = r.Kind
		}
		m[id] = r.Values
	}
	return m
}

func sameValues(t *testing.T, what string, got, want []TerritoryRow) {
	t.Helper()
	g, w := valuesByID(got), valuesByID(want)
	if len(g) != len(w) {
		t.Fatalf("%s: %d rows, want %d", what, len(g), len(w))
	}
	for id, wv := range w {
		for k, x := range wv {
			if y := g[id][k]; math.Abs(x-y) > 1e-6*math.Max(1, math.Abs(x)) {
				t.Fatalf("%s: %s %s = %v, want %v", what, id, k, y, x)
			}
		}
	}
}

// reopened closes and reopens the plan and returns its rows: the figures
// computed from scratch from what the file holds.
func reopened(t *testing.T, s *PlanService) []TerritoryRow {
	t.Helper()
	path := s.path
	if err := Shutdown(s); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenPlan(path); err != nil {
		t.Fatal(err)
	}
	rows, err := s.Territories()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPaintUndoRedoPersist(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	rows0, _ := s.Territories()
	al, _ := s.Alignment()
	// Paint the first unit of the second territory into the first.
	var a, b int32 = -1, -1
	for i, tr := range al.Territories {
		if tr.Kind == "territory" {
			if a < 0 {
				a = int32(i)
			} else if b < 0 {
				b = int32(i)
			}
		}
	}
	unit := -1
	for u, tr := range al.UnitTerritory {
		if tr == b {
			unit = u
			break
		}
	}
	uid := s.plan.Units[unit].ID
	res, err := e.PaintUnits([]string{uid}, al.Territories[a].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Units) != 1 || res.Units[0].Unit != unit || res.Units[0].Territory != a {
		t.Fatalf("units changed = %+v, want unit %d → %d", res.Units, unit, a)
	}
	if !res.Undo.CanUndo || res.Undo.UndoKind != "paint" || res.Version <= al.Version {
		t.Fatalf("result %+v", res.Undo)
	}
	after := valuesByID(res.Rows)
	before := valuesByID(rows0)
	idA, idB := al.Territories[a].ID, al.Territories[b].ID
	gained := after[idA]["accounts"] - before[idA]["accounts"]
	lost := before[idB]["accounts"] - after[idB]["accounts"]
	if gained != lost || after["plan"]["accounts"] != before["plan"]["accounts"] {
		t.Fatalf("A gained %v accounts, B lost %v; plan totals must not change", gained, lost)
	}
	sameValues(t, "reopened after paint", reopened(t, s), res.Rows)

	// The history survived closing the plan.
	un, err := e.Undo()
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, "after undo", un.Rows, rows0)
	if un.Undo.CanUndo || !un.Undo.CanRedo {
		t.Fatalf("undo state after undoing the only edit: %+v", un.Undo)
	}
	re, err := e.Redo()
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, "after redo", re.Rows, res.Rows)
	// The baseline is the scenario before its first edit.
	for _, r := range re.Rows {
		if r.ID == idA && r.Baseline["accounts"] != before[idA]["accounts"] {
			t.Fatalf("baseline accounts of A = %v, want %v", r.Baseline["accounts"], before[idA]["accounts"])
		}
	}
	if _, err := e.Redo(); !errors.Is(err, planfile.ErrNothingToRedo) {
		t.Fatalf("redo at the end: %v", err)
	}
}

func TestLocksAreEnforcedWithReasons(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	al, _ := s.Alignment()
	var terr, other AlignmentTerritory
	for _, tr := range al.Territories {
		if tr.Kind == "territory" {
			if terr.ID == "" {
				terr = tr
			} else if other.ID == "" {
				other = tr
			}
		}
	}
	yes := true
	if _, err := e.UpdateTerritory(terr.ID, TerritoryUpdate{Locked: &yes}); err != nil {
		t.Fatal(err)
	}
	var unitIn string
	for u, ti := range al.UnitTerritory {
		if al.Territories[ti].ID == terr.ID {
			unitIn = s.plan.Units[u].ID
			break
		}
	}
	_, err := e.PaintUnits([]string{unitIn}, other.ID)
	if err == nil || !strings.Contains(err.Error(), "is locked") || !strings.Contains(err.Error(), terr.Name) {
		t.Fatalf("painting out of a locked territory: %v", err)
	}
	name := "New name"
	if _, err := e.UpdateTerritory(terr.ID, TerritoryUpdate{Name: &name}); err == nil {
		t.Fatal("renamed a locked territory")
	}
	if _, err := e.DeleteTerritory(terr.ID, ""); err == nil {
		t.Fatal("deleted a locked territory")
	}
	// Units and accounts.
	if _, err := e.SetUnitLocks([]string{unitIn}, true); err != nil {
		t.Fatal(err)
	}
	no := false
	if _, err := e.UpdateTerritory(terr.ID, TerritoryUpdate{Locked: &no}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PaintUnits([]string{unitIn}, other.ID); err == nil || !strings.Contains(err.Error(), "unit") {
		t.Fatalf("painting a locked unit: %v", err)
	}
	acct := s.plan.Accounts[0].ID
	if _, err := e.SetAccountLocks([]string{acct}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.MoveAccounts([]string{acct}, other.ID); err == nil || !strings.Contains(err.Error(), "account") {
		t.Fatalf("moving a locked account: %v", err)
	}
}

// square returns a closed ring with corners (x0,y0) and (x1,y1) and a
// vertex in the middle of every side.
func square(x0, y0, x1, y1 float64) [][2]float64 {
	mx, my := (x0+x1)/2, (y0+y1)/2
	return [][2]float64{{x0, y0}, {mx, y0}, {x1, y0}, {x1, my}, {x1, y1}, {mx, y1}, {x0, y1}, {x0, my}, {x0, y0}}
}

func TestDrawDragSplitMerge(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	// Two adjacent drawn territories over eastern Kansas / western Missouri.
	r1, err := e.CreateTerritory(NewTerritory{Name: "West", Ring: square(-97, 38, -95, 40)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.CreateTerritory(NewTerritory{Name: "East", Ring: square(-95, 38, -93, 40)})
	if err != nil {
		t.Fatal(err)
	}
	if r1.Created == "" || r2.Created == "" || !r2.Drawn || !r2.Structure {
		t.Fatalf("create results: %q %q %+v", r1.Created, r2.Created, r2)
	}
	dv, err := e.Drawn()
	if err != nil {
		t.Fatal(err)
	}
	shared := -1
	for _, a := range dv.Arcs {
		if len(a.Territories) == 2 {
			shared = a.ID
		}
	}
	if shared < 0 {
		t.Fatalf("the two areas share no arc: %+v", dv.Arcs)
	}
	// Drag the middle vertex of the shared border 0.5° east, in steps.
	info, err := e.BeginDrag(VertexRef{Arc: shared, Index: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Territories) != 2 {
		t.Fatalf("drag moves %v, want both territories", info.Territories)
	}
	var live LiveUpdate
	for k := 1; k <= 5; k++ {
		if live, err = e.DragTo(info.Point[0]+0.1*float64(k), info.Point[1]); err != nil {
			t.Fatal(err)
		}
	}
	if live.Blocked {
		t.Fatal("a harmless drag step was blocked")
	}
	if _, err := e.PaintUnits(nil, ""); err == nil {
		t.Fatal("an edit was accepted during a drag")
	}
	done, err := e.EndDrag(true)
	if err != nil {
		t.Fatal(err)
	}
	if done.Undo.UndoKind != "reshape" {
		t.Fatalf("undo kind after a drag = %q", done.Undo.UndoKind)
	}
	sameValues(t, "reopened after drag", reopened(t, s), done.Rows)
	dv2, _ := e.Drawn()
	for _, a := range dv2.Arcs {
		if len(a.Territories) == 2 {
			if got := a.Coords[1]; math.Abs(got[0]-(info.Point[0]+0.5)) > 1e-9 {
				t.Fatalf("shared vertex at %v after the drag, want x=%v", got, info.Point[0]+0.5)
			}
		}
	}
	// Crossing the far side of a territory is refused step by step.
	if _, err := e.BeginDrag(VertexRef{Arc: shared, Index: 1}); err != nil {
		t.Fatal(err)
	}
	if live, err = e.DragTo(-90, 39); err != nil || !live.Blocked {
		t.Fatalf("a crossing drag: blocked=%v err=%v", live.Blocked, err)
	}
	if _, err := e.EndDrag(false); err != nil {
		t.Fatal(err)
	}
	un, err := e.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if !un.Drawn {
		t.Fatal("undoing a drag must report changed areas")
	}
	// Split West north–south, then merge the parts back.
	sp, err := e.SplitTerritory(r1.Created, [][2]float64{{-96, 37}, {-96, 41}}, "West 2")
	if err != nil {
		t.Fatal(err)
	}
	mg, err := e.MergeTerritories(r1.Created, []string{sp.Created})
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, "split then merge", mg.Rows, un.Rows)
	if _, err := e.DeleteTerritory(r2.Created, r1.Created); err != nil {
		t.Fatal(err)
	}
	h, err := e.History()
	if err != nil || len(h) != 5 { // create, create, split, merge, delete (the undone drag was discarded)
		t.Fatalf("history %d entries, %v", len(h), err)
	}
}

func TestSettingsChangeFiguresAndUndo(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	before, err := e.Settings()
	if err != nil {
		t.Fatal(err)
	}
	// The demo plan's own call plans (A quarterly) over the documented defaults.
	if before.WeeksPerYear != 46 || before.CallPlans["A"].VisitsPerYear != 4 || before.Weights["workloadHours"] != 60 {
		t.Fatalf("defaults %+v", before)
	}
	rows0, _ := s.Territories()
	changed := before
	changed.CallPlans = map[string]CallPlan{"A": {VisitsPerYear: 48, VisitMinutes: 60, TravelMinutes: 30}, "B": before.CallPlans["B"], "C": before.CallPlans["C"]}
	res, err := e.SetSettings(changed)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Settings || res.Undo.UndoKind != "settings" {
		t.Fatalf("result: settings=%v undo=%+v", res.Settings, res.Undo)
	}
	w0, w1 := valuesByID(rows0)["plan"]["workloadHours"], valuesByID(res.Rows)["plan"]["workloadHours"]
	if !(w1 > w0) {
		t.Fatalf("doubling A visits: plan workload %v → %v", w0, w1)
	}
	sameValues(t, "reopened after a settings change", reopened(t, s), res.Rows)
	if got, _ := e.Settings(); got.CallPlans["A"].VisitsPerYear != 48 {
		t.Fatalf("settings after reopen: %+v", got.CallPlans)
	}
	un, err := e.Undo()
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, "after undoing the settings", un.Rows, rows0)
	bad := before
	bad.WeeksPerYear = -3
	if _, err := e.SetSettings(bad); err == nil {
		t.Fatal("negative weeks per year accepted")
	}
}

func TestRepsListCoverage(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	reps, err := s.Reps()
	if err != nil || len(reps) == 0 {
		t.Fatalf("reps: %d, %v", len(reps), err)
	}
	covered := 0
	for _, r := range reps {
		if r.CapacityHours <= 0 || r.Name == "" {
			t.Fatalf("rep %+v", r)
		}
		covered += len(r.Territories)
	}
	al, _ := s.Alignment()
	want := 0
	for _, tr := range al.Territories {
		if tr.RepID != "" {
			want++
		}
	}
	if covered != want {
		t.Fatalf("reps cover %d territories, the alignment has %d with a rep", covered, want)
	}
}

package planfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/edit"
)

// randomEdit builds an edit valid for scenario s of plan p.
func randomEdit(r *rand.Rand, p *engine.Plan, s *engine.Scenario, n int) edit.Edit {
	var terrs []string
	for _, t := range s.Territories {
		if t.Kind == engine.KindTerritory {
			terrs = append(terrs, t.ID)
		}
	}
	pick := func() string {
		if k := r.IntN(len(terrs) + 1); k < len(terrs) {
			return terrs[k]
		}
		return ""
	}
	switch r.IntN(5) {
	case 0:
		u := p.Units[r.IntN(len(p.Units))].ID
		return edit.Edit{Kind: edit.KindPaint, Units: []edit.Move{{ID: u, From: s.UnitTerritory[u], To: pick()}}}
	case 1:
		a := p.Accounts[r.IntN(len(p.Accounts))].ID
		return edit.Edit{Kind: edit.KindMoveAccounts, Overrides: []edit.Move{{ID: a, From: s.AccountTerritory[a], To: pick()}}}
	case 2:
		i := r.IntN(len(s.Territories))
		before := s.Territories[i]
		after := before
		after.Name = fmt.Sprintf("Renamed %d", n)
		if before.Kind == engine.KindTerritory {
			after.Polygon = orb.Polygon{{{0, 0}, {float64(n), 0}, {0, 1}, {0, 0}}}
		}
		return edit.Edit{Kind: edit.KindUpdate, Nodes: []edit.NodeChange{{ID: before.ID, At: i, Before: &before, After: &after}}}
	case 3:
		id := fmt.Sprintf("new-%d", n)
		t := engine.Territory{ID: id, Name: id, Kind: engine.KindTerritory, Color: "#123456"}
		at := r.IntN(len(s.Territories) + 1)
		u := p.Units[r.IntN(len(p.Units))].ID
		return edit.Edit{Kind: edit.KindCreate, Nodes: []edit.NodeChange{{ID: id, At: at, After: &t}},
			Units: []edit.Move{{ID: u, From: s.UnitTerritory[u], To: id}}}
	default:
		u := p.Units[r.IntN(len(p.Units))].ID
		return edit.Edit{Kind: edit.KindLock, UnitLocks: []edit.LockChange{{ID: u, Locked: !s.LockedUnits[u]}}}
	}
}

func storedScenario(t *testing.T, f *File, id string) *engine.Scenario {
	t.Helper()
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	return p.Scenario(id)
}

func sameScenario(t *testing.T, what string, got, want *engine.Scenario) {
	t.Helper()
	norm := func(s *engine.Scenario) *engine.Scenario {
		c := s.Clone(s.ID, s.Name)
		if len(c.UnitTerritory) == 0 {
			c.UnitTerritory = nil
		}
		if len(c.AccountTerritory) == 0 {
			c.AccountTerritory = nil
		}
		if len(c.LockedUnits) == 0 {
			c.LockedUnits = nil
		}
		if len(c.LockedAccounts) == 0 {
			c.LockedAccounts = nil
		}
		return c
	}
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("%s: stored scenario differs\n got %+v\nwant %+v", what, g, w)
	}
}

func TestHistoryUndoRedoSurvivesReopen(t *testing.T) {
	p := smallPlan()
	f, _ := createTemp(t, p)
	sid := p.Scenarios[0].ID
	orig := p.Scenarios[0].Clone(sid, p.Scenarios[0].Name)
	mem := orig.Clone(sid, orig.Name)
	r := rand.New(rand.NewPCG(5, 6))
	var states []*engine.Scenario
	for n := 0; n < 30; n++ {
		e := randomEdit(r, p, mem, n)
		if _, err := f.ApplyEdit(sid, e, testTime); err != nil {
			t.Fatalf("edit %d (%s): %v", n, edit.Summary(e), err)
		}
		if err := edit.ApplyTo(mem, e); err != nil {
			t.Fatal(err)
		}
		states = append(states, mem.Clone(sid, mem.Name))
	}
	sameScenario(t, "after 30 edits", storedScenario(t, f, sid), mem)
	f = reopen(t, f)
	h, err := f.HistoryState(sid)
	if err != nil || h.Applied != 30 || h.Undone != 0 {
		t.Fatalf("history after reopen = %+v, %v; want 30 applied", h, err)
	}
	for i := 0; i < 10; i++ {
		if _, err := f.Undo(sid); err != nil {
			t.Fatal(err)
		}
	}
	sameScenario(t, "after 10 undos", storedScenario(t, f, sid), states[19])
	f = reopen(t, f)
	if _, err := f.Redo(sid); err != nil {
		t.Fatal(err)
	}
	sameScenario(t, "after a redo", storedScenario(t, f, sid), states[20])
	h, _ = f.HistoryState(sid)
	if h.Applied != 21 || h.Undone != 9 || h.UndoKind == "" || h.RedoKind == "" {
		t.Fatalf("history = %+v", h)
	}
	// A new edit discards what could be redone.
	cur := storedScenario(t, f, sid)
	if _, err := f.ApplyEdit(sid, randomEdit(r, p, cur, 99), testTime); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Redo(sid); !errors.Is(err, ErrNothingToRedo) {
		t.Fatalf("redo after a new edit: %v, want ErrNothingToRedo", err)
	}
	for {
		if _, err := f.Undo(sid); errors.Is(err, ErrNothingToUndo) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	sameScenario(t, "after undoing everything", storedScenario(t, f, sid), orig)
	es, c, err := f.History(sid)
	if err != nil || len(es) != 22 || c != 0 {
		t.Fatalf("History = %d entries, cursor %d, %v; want 22, 0", len(es), c, err)
	}
}

func TestApplyEditRefusesMismatchAtomically(t *testing.T) {
	p := smallPlan()
	f, _ := createTemp(t, p)
	sid := p.Scenarios[0].ID
	before := storedScenario(t, f, sid)
	u0, u1 := p.Units[0].ID, p.Units[1].ID
	var terr string
	for _, tr := range before.Territories {
		if tr.Kind == engine.KindTerritory {
			terr = tr.ID
		}
	}
	// The first move is fine, the second expects the wrong territory: nothing may be written.
	e := edit.Edit{Kind: edit.KindPaint, Units: []edit.Move{
		{ID: u0, From: before.UnitTerritory[u0], To: terr},
		{ID: u1, From: "no-such-territory", To: terr},
	}}
	if _, err := f.ApplyEdit(sid, e, testTime); !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	sameScenario(t, "after a refused edit", storedScenario(t, f, sid), before)
	if h, _ := f.HistoryState(sid); h.Applied != 0 {
		t.Fatalf("a refused edit entered the history: %+v", h)
	}
}

func TestSettingsEditsAreRecordedAndUndone(t *testing.T) {
	p := smallPlan()
	f, _ := createTemp(t, p)
	sid := p.Scenarios[0].ID
	after := &engine.Settings{WeeksPerYear: 44, Weights: map[string]float64{"potential": 100}}
	e := edit.Edit{Kind: edit.KindSettings, Settings: &edit.SettingsChange{Before: nil, After: after}}
	if _, err := f.ApplyEdit(sid, e, testTime); err != nil {
		t.Fatal(err)
	}
	f = reopen(t, f)
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Settings, after) {
		t.Fatalf("settings after reopen = %+v, want %+v", got.Settings, after)
	}
	// A settings edit that expects other settings is refused.
	wrong := edit.Edit{Kind: edit.KindSettings, Settings: &edit.SettingsChange{Before: nil, After: nil}}
	if _, err := f.ApplyEdit(sid, wrong, testTime); !errors.Is(err, ErrInvalid) {
		t.Fatalf("mismatched settings edit: %v", err)
	}
	if _, err := f.Undo(sid); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Load(); got.Settings != nil {
		t.Fatalf("settings after undo = %+v, want the defaults", got.Settings)
	}
}

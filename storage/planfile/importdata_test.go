package planfile

import (
	"errors"
	"reflect"
	"testing"

	"territoria/engine"
)

func importPlan() *engine.Plan {
	p := &engine.Plan{Name: "t", Currency: "USD", HistoryMonths: 3,
		Accounts: []engine.Account{{ID: "a1", Name: "A1"}, {ID: "a2", Name: "A2"}, {ID: "a3", Name: "A3"}},
		Reps:     []engine.Rep{{ID: "r1", Name: "Ann"}, {ID: "r2", Name: "Bo"}},
		Units:    []engine.Unit{{ID: "u1", Name: "One"}, {ID: "u2", Name: "Two", Data: map[string]float64{"pop": 5}}},
	}
	p.Scenarios = []*engine.Scenario{{ID: "s1", Name: "S",
		Territories:      []engine.Territory{{ID: "t1", Kind: engine.KindTerritory, RepID: "r2"}},
		UnitTerritory:    map[string]string{"u1": "t1"},
		AccountTerritory: map[string]string{"a2": "t1", "a3": "t1"},
		LockedAccounts:   map[string]bool{"a2": true}}}
	return p
}

func TestReplaceAccounts(t *testing.T) {
	f, _ := createTemp(t, importPlan())
	err := f.Update(func(tx *Tx) error {
		return tx.ReplaceAccounts([]engine.Account{{ID: "a3", Name: "Three"}, {ID: "a4", Name: "Four"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	f = reopen(t, f)
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Accounts) != 2 || p.Accounts[0].Name != "Three" || p.Accounts[1].ID != "a4" {
		t.Errorf("accounts %+v", p.Accounts)
	}
	s := p.Scenarios[0]
	if !reflect.DeepEqual(s.AccountTerritory, map[string]string{"a3": "t1"}) || len(s.LockedAccounts) != 0 {
		t.Errorf("overrides %v locks %v", s.AccountTerritory, s.LockedAccounts)
	}
	// The account index follows the new list.
	if err := f.SetAccountTerritory("s1", []string{"a4"}, "t1"); err != nil {
		t.Errorf("override of a new account: %v", err)
	}
	if err := f.SetAccountTerritory("s1", []string{"a1"}, "t1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("override of a removed account: %v", err)
	}
}

func TestReplaceAccountsRejects(t *testing.T) {
	f, _ := createTemp(t, importPlan())
	err := f.Update(func(tx *Tx) error {
		return tx.ReplaceAccounts([]engine.Account{{ID: "x"}, {ID: "x"}})
	})
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("duplicate ids: %v", err)
	}
	p, _ := f.Load()
	if len(p.Accounts) != 3 {
		t.Errorf("a failed replace changed the accounts: %d", len(p.Accounts))
	}
	// The index is still valid after the rolled-back transaction.
	if err := f.SetAccountTerritory("s1", []string{"a1"}, "t1"); err != nil {
		t.Error(err)
	}
}

func TestReplaceReps(t *testing.T) {
	f, _ := createTemp(t, importPlan())
	if err := f.Update(func(tx *Tx) error { return tx.ReplaceReps([]engine.Rep{{ID: "r1", Name: "Ann B."}}) }); err != nil {
		t.Fatal(err)
	}
	p, _ := f.Load()
	if len(p.Reps) != 1 || p.Reps[0].Name != "Ann B." {
		t.Errorf("reps %+v", p.Reps)
	}
	if rep := p.Scenarios[0].Territories[0].RepID; rep != "" {
		t.Errorf("territory of a removed rep still has rep %q", rep)
	}
}

func TestSetUnitData(t *testing.T) {
	f, _ := createTemp(t, importPlan())
	err := f.Update(func(tx *Tx) error {
		return tx.SetUnitData(map[string]map[string]float64{"u1": {"pop": 7}, "u2": {"income": 3}})
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Load()
	if !reflect.DeepEqual(p.Units[0].Data, map[string]float64{"pop": 7}) || !reflect.DeepEqual(p.Units[1].Data, map[string]float64{"pop": 5, "income": 3}) {
		t.Errorf("data %v %v", p.Units[0].Data, p.Units[1].Data)
	}
	err = f.Update(func(tx *Tx) error { return tx.SetUnitData(map[string]map[string]float64{"nope": {"x": 1}}) })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
}

func TestVisits(t *testing.T) {
	p := importPlan()
	p.Visits = []engine.Visit{{AccountID: "a1", RepID: "r1", Day: 20000, Minutes: 30, Outcome: "order"}}
	f, _ := createTemp(t, p)
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Visits, p.Visits) {
		t.Errorf("created visits %+v", got.Visits)
	}
	many := make([]engine.Visit, visitsPerChunk+5)
	for i := range many {
		many[i] = engine.Visit{AccountID: "a2", Day: int32(-i), Outcome: "x"}
	}
	if err := f.Update(func(tx *Tx) error { return tx.ReplaceVisits(many) }); err != nil {
		t.Fatal(err)
	}
	f = reopen(t, f)
	got, _ = f.Load()
	if !reflect.DeepEqual(got.Visits, many) {
		t.Errorf("visits after replace: %d", len(got.Visits))
	}
	if err := f.Update(func(tx *Tx) error { return tx.ReplaceVisits(many[:1]) }); err != nil {
		t.Fatal(err)
	}
	got, _ = f.Load()
	if len(got.Visits) != 1 {
		t.Errorf("stale chunks left: %d visits", len(got.Visits))
	}
	// A plan that never had visits has no bucket and loads none.
	g, _ := createTemp(t, importPlan())
	if got, _ := g.Load(); got.Visits != nil {
		t.Errorf("visits %v", got.Visits)
	}
}

func FuzzDecodeVisits(f *testing.F) {
	f.Add(encodeVisits([]engine.Visit{{AccountID: "a", RepID: "r", Day: 3, Minutes: 1.5, Outcome: "o"}}))
	f.Add([]byte{visitCodec, 200, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		vs, err := decodeVisits(b)
		if err != nil {
			return
		}
		if again, err := decodeVisits(encodeVisits(vs)); err != nil || len(again) != len(vs) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

package planfile

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

var testTime = time.Date(2025, 3, 14, 15, 9, 26, 535000000, time.FixedZone("CST", 8*3600))

// createTemp writes p to a new file under t.TempDir() and returns it open.
// On cleanup the file is closed (if the test did not) and the database is
// checked for consistency.
func createTemp(t testing.TB, p *engine.Plan) (*File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.territoria")
	f, err := Create(path, p, Meta{Created: testTime, Modified: testTime})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() {
		_ = f.Close()
		checkDB(t, path)
	})
	return f, path
}

// checkDB runs bbolt's consistency check over the file at path.
func checkDB(t testing.TB, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("consistency check: open %s: %v", path, err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
	if err != nil {
		t.Errorf("consistency check of %s: %v", path, err)
	}
}

// reopen closes f and opens the same path again.
func reopen(t testing.TB, f *File) *File {
	t.Helper()
	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	g, err := Open(f.Path(), Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = g.Close() })
	return g
}

// diffPlans reports the first difference between two plans in a form that
// names the element.
func diffPlans(t *testing.T, want, got *engine.Plan) {
	t.Helper()
	if reflect.DeepEqual(want, got) {
		return
	}
	w, g := *want, *got
	w.Accounts, g.Accounts, w.Units, g.Units, w.Scenarios, g.Scenarios = nil, nil, nil, nil, nil, nil
	w.Reps, g.Reps, w.Borders, g.Borders = nil, nil, nil, nil
	if !reflect.DeepEqual(w, g) {
		t.Fatalf("plan header differs:\nwant %+v\n got %+v", w, g)
	}
	if len(want.Accounts) != len(got.Accounts) {
		t.Fatalf("got %d accounts, want %d", len(got.Accounts), len(want.Accounts))
	}
	for i := range want.Accounts {
		if !reflect.DeepEqual(want.Accounts[i], got.Accounts[i]) {
			t.Fatalf("account %d differs:\nwant %+v\n got %+v", i, want.Accounts[i], got.Accounts[i])
		}
	}
	for _, c := range []struct {
		name      string
		want, got any
	}{{"reps", want.Reps, got.Reps}, {"units", want.Units, got.Units}, {"borders", want.Borders, got.Borders}} {
		if !reflect.DeepEqual(c.want, c.got) {
			t.Fatalf("%s differ", c.name)
		}
	}
	if len(want.Scenarios) != len(got.Scenarios) {
		t.Fatalf("got %d scenarios, want %d", len(got.Scenarios), len(want.Scenarios))
	}
	for i := range want.Scenarios {
		if !reflect.DeepEqual(want.Scenarios[i], got.Scenarios[i]) {
			t.Fatalf("scenario %d differs:\nwant %+v\n got %+v", i, want.Scenarios[i], got.Scenarios[i])
		}
	}
	t.Fatal("plans differ")
}

// cloneScenario deep-copies s under a new id and name. (engine's
// Scenario.Clone panics on a territory without a polygon.)
func cloneScenario(s *engine.Scenario, id, name string) *engine.Scenario {
	c := &engine.Scenario{ID: id, Name: name,
		UnitTerritory: map[string]string{}, AccountTerritory: map[string]string{},
		LockedUnits: map[string]bool{}, LockedAccounts: map[string]bool{}}
	for _, t := range s.Territories {
		if t.Polygon != nil {
			t.Polygon = t.Polygon.Clone()
		}
		c.Territories = append(c.Territories, t)
	}
	for k, v := range s.UnitTerritory {
		c.UnitTerritory[k] = v
	}
	for k, v := range s.AccountTerritory {
		c.AccountTerritory[k] = v
	}
	for k, v := range s.LockedUnits {
		c.LockedUnits[k] = v
	}
	for k, v := range s.LockedAccounts {
		c.LockedAccounts[k] = v
	}
	return c
}

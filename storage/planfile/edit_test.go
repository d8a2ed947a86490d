package planfile

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"territoria/engine"
)

func smallPlan() *engine.Plan {
	return genPlan(20, genSize{Accounts: 50, Units: 20, Territories: 4, Months: 6})
}

// TestEdits applies each edit to a fresh file and to an in-memory copy of
// the plan, then compares the reloaded plan with the copy.
func TestEdits(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(f *File) error
		apply func(p *engine.Plan)
	}{
		{"assign units",
			func(f *File) error { return f.SetUnitTerritory("s1", []string{"01000", "01001"}, "T0003") },
			func(p *engine.Plan) {
				p.Scenarios[0].UnitTerritory["01000"] = "T0003"
				p.Scenarios[0].UnitTerritory["01001"] = "T0003"
			}},
		{"unassign units",
			func(f *File) error { return f.SetUnitTerritory("s2", []string{"01002", "01003"}, "") },
			func(p *engine.Plan) {
				delete(p.Scenarios[1].UnitTerritory, "01002")
				delete(p.Scenarios[1].UnitTerritory, "01003")
			}},
		{"override accounts",
			func(f *File) error { return f.SetAccountTerritory("s1", []string{"A0000007"}, "T0001") },
			func(p *engine.Plan) { p.Scenarios[0].AccountTerritory["A0000007"] = "T0001" }},
		{"remove override",
			func(f *File) error {
				if err := f.SetAccountTerritory("s1", []string{"A0000008"}, "T0001"); err != nil {
					return err
				}
				return f.SetAccountTerritory("s1", []string{"A0000008"}, "")
			},
			func(p *engine.Plan) {}},
		{"lock and unlock",
			func(f *File) error {
				if err := f.SetUnitLocks("s1", []string{"01004", "01005"}, true); err != nil {
					return err
				}
				if err := f.SetUnitLocks("s1", []string{"01005"}, false); err != nil {
					return err
				}
				return f.SetAccountLocks("s2", []string{"A0000001"}, true)
			},
			func(p *engine.Plan) {
				p.Scenarios[0].LockedUnits["01004"] = true
				delete(p.Scenarios[0].LockedUnits, "01005")
				p.Scenarios[1].LockedAccounts["A0000001"] = true
			}},
		{"rename scenario",
			func(f *File) error { return f.RenameScenario("s2", "Proposal 2 方案") },
			func(p *engine.Plan) { p.Scenarios[1].Name = "Proposal 2 方案" }},
		{"add scenario at the end",
			func(f *File) error {
				return f.PutScenario(&engine.Scenario{ID: "a-first-by-id", Name: "New",
					Territories:   []engine.Territory{{ID: "T", Name: "Only", Kind: engine.KindTerritory}},
					UnitTerritory: map[string]string{"01000": "T"}})
			},
			func(p *engine.Plan) {
				p.Scenarios = append(p.Scenarios, &engine.Scenario{ID: "a-first-by-id", Name: "New",
					Territories:   []engine.Territory{{ID: "T", Name: "Only", Kind: engine.KindTerritory}},
					UnitTerritory: map[string]string{"01000": "T"}, AccountTerritory: map[string]string{},
					LockedUnits: map[string]bool{}, LockedAccounts: map[string]bool{}})
			}},
		{"replace scenario in place",
			func(f *File) error {
				s := cloneScenario(smallPlan().Scenarios[1], "s1", "Replaced")
				return f.PutScenario(s)
			},
			func(p *engine.Plan) { p.Scenarios[0] = cloneScenario(p.Scenarios[1], "s1", "Replaced") }},
		{"clone scenario",
			func(f *File) error {
				s, err := f.Scenario("s1")
				if err != nil {
					return err
				}
				return f.PutScenario(cloneScenario(s, "s3", "Copy"))
			},
			func(p *engine.Plan) { p.Scenarios = append(p.Scenarios, cloneScenario(p.Scenarios[0], "s3", "Copy")) }},
		{"delete scenario",
			func(f *File) error { return f.DeleteScenario("s1") },
			func(p *engine.Plan) { p.Scenarios = p.Scenarios[1:] }},
		{"add territory",
			func(f *File) error {
				return f.PutTerritory("s1", engine.Territory{ID: "T9", Name: "Nine", Kind: engine.KindTerritory, Parent: "D2", Color: "#abcdef"})
			},
			func(p *engine.Plan) {
				p.Scenarios[0].Territories = append(p.Scenarios[0].Territories,
					engine.Territory{ID: "T9", Name: "Nine", Kind: engine.KindTerritory, Parent: "D2", Color: "#abcdef"})
			}},
		{"update territory keeps its place",
			func(f *File) error {
				return f.PutTerritory("s1", engine.Territory{ID: "T0001", Name: "Renamed", Kind: engine.KindTerritory, Parent: "D1", RepID: "R007", Locked: true})
			},
			func(p *engine.Plan) {
				tr := p.Scenarios[0].Territory("T0001")
				*tr = engine.Territory{ID: "T0001", Name: "Renamed", Kind: engine.KindTerritory, Parent: "D1", RepID: "R007", Locked: true}
			}},
		{"delete territory frees its units and accounts",
			func(f *File) error {
				if err := f.SetAccountTerritory("s1", []string{"A0000003"}, "T0002"); err != nil {
					return err
				}
				return f.DeleteTerritory("s1", "T0002")
			},
			func(p *engine.Plan) {
				s := p.Scenarios[0]
				for i, tr := range s.Territories {
					if tr.ID == "T0002" {
						s.Territories = append(s.Territories[:i], s.Territories[i+1:]...)
						break
					}
				}
				for _, m := range []map[string]string{s.UnitTerritory, s.AccountTerritory} {
					for k, v := range m {
						if v == "T0002" {
							delete(m, k)
						}
					}
				}
			}},
		{"several edits in one Update",
			func(f *File) error {
				return f.Update(func(tx *Tx) error {
					if err := tx.PutTerritory("s2", engine.Territory{ID: "T5", Name: "Five", Kind: engine.KindTerritory, Parent: "D1"}); err != nil {
						return err
					}
					return tx.SetUnitTerritory("s2", []string{"01010"}, "T5")
				})
			},
			func(p *engine.Plan) {
				s := p.Scenarios[1]
				s.Territories = append(s.Territories, engine.Territory{ID: "T5", Name: "Five", Kind: engine.KindTerritory, Parent: "D1"})
				s.UnitTerritory["01010"] = "T5"
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := smallPlan()
			f, _ := createTemp(t, want)
			if err := c.edit(f); err != nil {
				t.Fatalf("edit: %v", err)
			}
			c.apply(want)
			for i := range want.Accounts {
				want.Accounts[i].Unit = engine.NoIndex
			}
			got, err := reopen(t, f).Load()
			if err != nil {
				t.Fatal(err)
			}
			diffPlans(t, want, got)
		})
	}
}

// TestEditErrors checks that a refused edit names what was wrong and
// changes nothing.
func TestEditErrors(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(f *File) error
		want   error
		phrase string
	}{
		{"unknown scenario", func(f *File) error { return f.SetUnitTerritory("nope", []string{"01000"}, "T0001") }, ErrNotFound, `scenario "nope"`},
		{"unknown territory", func(f *File) error { return f.SetUnitTerritory("s1", []string{"01000"}, "T404") }, ErrNotFound, `territory "T404"`},
		{"district holds no units", func(f *File) error { return f.SetUnitTerritory("s1", []string{"01000"}, "D1") }, ErrInvalid, "only territories"},
		{"unknown unit, none written", func(f *File) error { return f.SetUnitTerritory("s1", []string{"01000", "99999"}, "T0001") }, ErrNotFound, `unit "99999"`},
		{"unknown account", func(f *File) error { return f.SetAccountTerritory("s1", []string{"B1"}, "T0001") }, ErrNotFound, `account "B1"`},
		{"rename to empty", func(f *File) error { return f.RenameScenario("s1", "") }, ErrInvalid, "name is empty"},
		{"activate unknown", func(f *File) error { return f.SetActiveScenario("s9") }, ErrNotFound, `scenario "s9"`},
		{"delete unknown scenario", func(f *File) error { return f.DeleteScenario("s9") }, ErrNotFound, `scenario "s9"`},
		{"territory with missing parent", func(f *File) error {
			return f.PutTerritory("s1", engine.Territory{ID: "X", Kind: engine.KindTerritory, Parent: "D7"})
		}, ErrInvalid, `parent "D7"`},
		{"territory cycle", func(f *File) error {
			return f.PutTerritory("s1", engine.Territory{ID: "R1", Kind: engine.KindRegion, Parent: "D1"})
		}, ErrInvalid, "own ancestor"},
		{"territory holding units cannot become a district", func(f *File) error {
			if err := f.SetUnitTerritory("s1", []string{"01000"}, "T0001"); err != nil {
				return err
			}
			return f.PutTerritory("s1", engine.Territory{ID: "T0001", Kind: engine.KindDistrict, Parent: "R1"})
		}, ErrInvalid, "cannot become"},
		{"delete a parent", func(f *File) error { return f.DeleteTerritory("s1", "D1") }, ErrInvalid, "still has child"},
		{"scenario with dangling assignment", func(f *File) error {
			return f.PutScenario(&engine.Scenario{ID: "s9", UnitTerritory: map[string]string{"01000": "T"}})
		}, ErrInvalid, `territory "T"`},
		{"failing Update rolls back", func(f *File) error {
			return f.Update(func(tx *Tx) error {
				if err := tx.RenameScenario("s1", "changed"); err != nil {
					return err
				}
				return fmt.Errorf("%w: stop here", ErrInvalid)
			})
		}, ErrInvalid, "stop here"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := createTemp(t, smallPlan())
			want, err := f.Load()
			if err != nil {
				t.Fatal(err)
			}
			err = c.edit(f)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.phrase) {
				t.Fatalf("err = %v, want %v mentioning %q", err, c.want, c.phrase)
			}
			got, err := f.Load()
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "territory holding units cannot become a district" {
				want.Scenarios[0].UnitTerritory["01000"] = "T0001"
			}
			diffPlans(t, want, got)
		})
	}
}

func TestActiveScenario(t *testing.T) {
	f, _ := createTemp(t, smallPlan())
	if got := f.Meta().ActiveScenario; got != "s1" {
		t.Fatalf("active after Create = %q, want the first scenario s1", got)
	}
	if err := f.SetActiveScenario("s2"); err != nil {
		t.Fatal(err)
	}
	f = reopen(t, f)
	if got := f.Meta().ActiveScenario; got != "s2" {
		t.Fatalf("active after reopen = %q, want s2", got)
	}
	if err := f.PutScenario(&engine.Scenario{ID: "s0", Name: "Third"}); err != nil {
		t.Fatal(err)
	}
	// Deleting the active scenario activates the first remaining one in
	// list order (s1), not in id order (s0).
	if err := f.DeleteScenario("s2"); err != nil {
		t.Fatal(err)
	}
	if got := f.Meta().ActiveScenario; got != "s1" {
		t.Fatalf("active after deleting it = %q, want s1", got)
	}
	for _, id := range []string{"s1", "s0"} {
		if err := f.DeleteScenario(id); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Meta().ActiveScenario; got != "" {
		t.Fatalf("active with no scenarios = %q, want empty", got)
	}
}

func TestPutAccounts(t *testing.T) {
	base := genPlan(21, genSize{Accounts: accountsPerChunk + 100, Units: 5, Territories: 2, Months: 12, Varied: true})
	extra := genPlan(22, genSize{Accounts: accountsPerChunk + 50, Months: 12, Varied: true}).Accounts
	for i := range extra {
		extra[i].ID = fmt.Sprintf("N%07d", i)
	}
	changed := func(i int, name string) engine.Account {
		a := base.Accounts[i]
		a.Name = name
		a.History = []float32{1, 2, 3}
		a.Attrs = map[string]float64{"changed": 1}
		return a
	}
	f, _ := createTemp(t, base)
	if err := f.SetAccountTerritory("s1", []string{"A0000001"}, "T0000"); err != nil {
		t.Fatal(err) // builds the account index before the upsert
	}
	batch := []engine.Account{changed(0, "first"), changed(accountsPerChunk+99, "last")}
	batch = append(batch, extra...)
	batch = append(batch, changed(accountsPerChunk, "second chunk"))
	if err := f.PutAccounts(batch); err != nil {
		t.Fatal(err)
	}

	want := append([]engine.Account(nil), base.Accounts...)
	want[0] = changed(0, "first")
	want[accountsPerChunk+99] = changed(accountsPerChunk+99, "last")
	want[accountsPerChunk] = changed(accountsPerChunk, "second chunk")
	want = append(want, extra...)
	for i := range want {
		want[i].Unit = engine.NoIndex
	}
	check := func(t *testing.T, f *File) {
		t.Helper()
		got, err := f.Load()
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Accounts) != len(want) {
			t.Fatalf("got %d accounts, want %d", len(got.Accounts), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got.Accounts[i], want[i]) {
				t.Fatalf("account %d:\n got %+v\nwant %+v", i, got.Accounts[i], want[i])
			}
		}
	}
	check(t, f)
	// The new accounts are known to later edits, through the cached index
	// and through one rebuilt after reopening.
	if err := f.SetAccountTerritory("s1", []string{"N0000049"}, "T0001"); err != nil {
		t.Fatal(err)
	}
	f = reopen(t, f)
	if err := f.SetAccountTerritory("s1", []string{fmt.Sprintf("N%07d", len(extra)-1)}, "T0001"); err != nil {
		t.Fatal(err)
	}
	check(t, f)

	t.Run("a bad batch writes nothing", func(t *testing.T) {
		for _, bad := range [][]engine.Account{
			{changed(1, "x"), {ID: ""}},
			{changed(2, "x"), changed(2, "y")},
			{changed(3, "x"), {ID: "Z", History: make([]float32, maxHistory+1)}},
		} {
			if err := f.PutAccounts(bad); !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		}
		check(t, f)
	})
}

// TestConcurrentUse runs edits, loads and meta reads at once; run it with
// -race.
func TestConcurrentUse(t *testing.T) {
	p := smallPlan()
	f, _ := createTemp(t, p)
	done := make(chan error, 3)
	go func() {
		for i := 0; i < 50; i++ {
			if err := f.SetUnitTerritory("s1", []string{p.Units[i%len(p.Units)].ID}, fmt.Sprintf("T%04d", i%4)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < 50; i++ {
			if err := f.PutAccounts([]engine.Account{{ID: fmt.Sprintf("C%d", i), Name: "new"}}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < 20; i++ {
			if _, err := f.Load(); err != nil {
				done <- err
				return
			}
			_ = f.Meta()
		}
		done <- nil
	}()
	for i := 0; i < 3; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Accounts) != len(p.Accounts)+50 {
		t.Fatalf("got %d accounts, want %d", len(got.Accounts), len(p.Accounts)+50)
	}
}

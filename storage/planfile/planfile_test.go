package planfile

import (
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		seed int64
		size genSize
	}{
		{"empty", 1, genSize{}},
		{"one account", 2, genSize{Accounts: 1, Units: 1, Territories: 1, Months: 1}},
		{"chunk boundary", 3, genSize{Accounts: accountsPerChunk, Units: unitsPerChunk, Territories: 5, Months: 24}},
		{"several chunks varied", 4, genSize{Accounts: 2*accountsPerChunk + 17, Units: 2*unitsPerChunk + 3, Territories: 40, Months: 24, Varied: true}},
		{"random seed", time.Now().UnixNano(), genSize{Accounts: 5000, Units: 300, Territories: 25, Months: 36, Varied: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Logf("seed %d", c.seed)
			want := genPlan(c.seed, c.size)
			f, _ := createTemp(t, want)
			got, err := f.Load()
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			diffPlans(t, want, got)

			// And again from a freshly opened file.
			got, err = reopen(t, f).Load()
			if err != nil {
				t.Fatalf("Load after reopen: %v", err)
			}
			diffPlans(t, want, got)
		})
	}
}

func TestLoadSetsUnitNoIndex(t *testing.T) {
	p := genPlan(5, genSize{Accounts: 10, Units: 2, Territories: 1, Months: 2})
	for i := range p.Accounts {
		p.Accounts[i].Unit = int32(i % 2)
	}
	f, _ := createTemp(t, p)
	got, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range got.Accounts {
		if a.Unit != engine.NoIndex {
			t.Fatalf("account %d: Unit = %d, want NoIndex (Unit is not stored)", i, a.Unit)
		}
	}
}

func TestMetaRoundTrip(t *testing.T) {
	p := genPlan(6, genSize{Accounts: 3, Units: 2, Territories: 2, Months: 12})
	path := filepath.Join(t.TempDir(), "m.territoria")
	meta := Meta{
		ActiveScenario: "s2",
		Created:        testTime,
		Modified:       testTime.Add(time.Hour),
		Provenance: Provenance{
			ExportedBy: "Li Wei", ExportedAt: testTime.Add(2 * time.Hour).UTC(),
			FromScenario: "s1", ReadOnly: true,
		},
	}
	f, err := Create(path, p, meta)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close(); checkDB(t, path) })
	check := func(t *testing.T, got Meta, want Meta) {
		t.Helper()
		if !got.Created.Equal(want.Created) || !got.Modified.Equal(want.Modified) || !got.Provenance.ExportedAt.Equal(want.Provenance.ExportedAt) {
			t.Errorf("times: got %v %v %v, want %v %v %v", got.Created, got.Modified, got.Provenance.ExportedAt,
				want.Created, want.Modified, want.Provenance.ExportedAt)
		}
		got.Created, got.Modified, got.Provenance.ExportedAt = want.Created, want.Modified, want.Provenance.ExportedAt
		if !reflect.DeepEqual(got, want) {
			t.Errorf("meta:\n got %+v\nwant %+v", got, want)
		}
	}
	want := meta
	want.SchemaVersion = SchemaVersion
	want.Name, want.Currency, want.HistoryStart, want.HistoryMonths = p.Name, p.Currency, p.HistoryStart, p.HistoryMonths
	check(t, f.Meta(), want)
	f = reopen(t, f)
	check(t, f.Meta(), want)

	want.Name, want.Currency, want.ActiveScenario = "Renamed 计划", "CNY", "s1"
	want.Modified = testTime.Add(48 * time.Hour)
	want.Provenance = Provenance{}
	if err := f.SetMeta(want); err != nil {
		t.Fatal(err)
	}
	check(t, f.Meta(), want)
	f = reopen(t, f)
	check(t, f.Meta(), want)

	bad := want
	bad.ActiveScenario = "nope"
	if err := f.SetMeta(bad); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetMeta with unknown active scenario: err = %v, want ErrNotFound", err)
	}
	check(t, f.Meta(), want)
}

func TestCreate(t *testing.T) {
	t.Run("refuses an existing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "x.territoria")
		if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Create(path, genPlan(1, genSize{}), Meta{})
		if !errors.Is(err, fs.ErrExist) {
			t.Fatalf("err = %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "keep me" {
			t.Fatalf("existing file was changed to %q", b)
		}
	})

	invalid := []struct {
		name   string
		edit   func(p *engine.Plan)
		phrase string
	}{
		{"empty account id", func(p *engine.Plan) { p.Accounts[1].ID = "" }, "empty id"},
		{"duplicate account id", func(p *engine.Plan) { p.Accounts[2].ID = p.Accounts[0].ID }, "appears twice"},
		{"duplicate unit id", func(p *engine.Plan) { p.Units[1].ID = p.Units[0].ID }, "appears twice"},
		{"neighbor out of range", func(p *engine.Plan) { p.Units[0].Neighbors = []int32{99} }, "neighbor index 99"},
		{"unknown territory", func(p *engine.Plan) { p.Scenarios[0].UnitTerritory[p.Units[0].ID] = "T9999" }, "T9999"},
		{"unit in a district", func(p *engine.Plan) { p.Scenarios[0].UnitTerritory[p.Units[0].ID] = "D1" }, "only territories"},
		{"unknown unit", func(p *engine.Plan) { p.Scenarios[0].UnitTerritory["nope"] = "T0000" }, `unit "nope"`},
		{"unknown account", func(p *engine.Plan) { p.Scenarios[0].AccountTerritory["nope"] = "T0000" }, `account "nope"`},
		{"missing parent", func(p *engine.Plan) { p.Scenarios[0].Territories[3].Parent = "D9" }, `parent "D9"`},
		{"bad kind", func(p *engine.Plan) { p.Scenarios[0].Territories[3].Kind = "zone" }, `kind "zone"`},
		{"parent cycle", func(p *engine.Plan) { p.Scenarios[0].Territories[0].Parent = "D1" }, "own ancestor"},
		{"duplicate scenario", func(p *engine.Plan) { p.Scenarios[1].ID = p.Scenarios[0].ID }, "appears twice"},
		{"empty scenario id", func(p *engine.Plan) { p.Scenarios[1].ID = "" }, "scenario id is empty"},
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			p := genPlan(7, genSize{Accounts: 10, Units: 5, Territories: 3, Months: 3})
			c.edit(p)
			dir := t.TempDir()
			_, err := Create(filepath.Join(dir, "p.territoria"), p, Meta{})
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.phrase) {
				t.Fatalf("err = %v, want ErrInvalid mentioning %q", err, c.phrase)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Fatalf("failed Create left %d files behind", len(ents))
			}
		})
	}
}

func TestOpenElsewhere(t *testing.T) {
	f, path := createTemp(t, genPlan(8, genSize{Accounts: 10, Units: 3, Territories: 2, Months: 2}))
	for _, opts := range []Options{{}, {ReadOnly: true}, {Timeout: 50 * time.Millisecond}} {
		start := time.Now()
		g, err := Open(path, opts)
		took := time.Since(start)
		if err == nil {
			g.Close()
			t.Fatalf("Open(%+v) of a plan open for writing succeeded", opts)
		}
		if !errors.Is(err, ErrOpenElsewhere) || !strings.Contains(err.Error(), "plan is open elsewhere") {
			t.Fatalf("Open(%+v): err = %v, want ErrOpenElsewhere", opts, err)
		}
		t.Logf("Open(%+v) gave up after %v", opts, took)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	// Read-only holders share; a writer is refused while they hold it.
	r1, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second read-only Open: %v", err)
	}
	defer r2.Close()
	if _, err := Open(path, Options{}); !errors.Is(err, ErrOpenElsewhere) {
		t.Fatalf("writable Open while read-only holders exist: err = %v, want ErrOpenElsewhere", err)
	}
}

func TestReadOnly(t *testing.T) {
	f, path := createTemp(t, genPlan(9, genSize{Accounts: 10, Units: 3, Territories: 2, Months: 2}))
	want, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.ReadOnly() {
		t.Error("ReadOnly() = false")
	}
	got, err := r.Load()
	if err != nil {
		t.Fatal(err)
	}
	diffPlans(t, want, got)
	edits := map[string]error{
		"SetUnitTerritory":  r.SetUnitTerritory("s1", []string{"01000"}, ""),
		"RenameScenario":    r.RenameScenario("s1", "x"),
		"PutAccounts":       r.PutAccounts(nil),
		"SetActiveScenario": r.SetActiveScenario("s2"),
	}
	for name, err := range edits {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only plan: err = %v, want ErrReadOnly", name, err)
		}
	}
}

func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.territoria")
	f, err := Create(good, genPlan(10, genSize{Accounts: 3000, Units: 50, Territories: 5, Months: 24}), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	// A second commit, so that both meta pages describe a complete plan.
	if err := f.RenameScenario("s1", "Second commit"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	used := len(goodBytes)
	for used > 0 && goodBytes[used-1] == 0 {
		used--
	}
	flip := func(offsets ...int) []byte {
		b := append([]byte(nil), goodBytes...)
		for _, o := range offsets {
			b[o] ^= 0xFF
		}
		return b
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rnd := func(seed int64, n int) []byte {
		b := make([]byte, n)
		rand.New(rand.NewSource(seed)).Read(b)
		return b
	}
	boltFile := func(name string, fill func(tx *bolt.Tx) error) string {
		p := filepath.Join(dir, name)
		db, err := bolt.Open(p, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Update(fill); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return p
	}

	cases := []struct {
		name string
		path string
		want error
	}{
		{"missing", filepath.Join(dir, "missing.territoria"), fs.ErrNotExist},
		{"folder", dir, ErrNotAPlan},
		{"empty", write("empty", nil), ErrNotAPlan},
		{"text", write("text", []byte("name,potential\nAcme,100\n")), ErrNotAPlan},
		{"random small", write("rnd1", rnd(1, 100)), ErrNotAPlan},
		{"random pages", write("rnd2", rnd(2, 64*1024)), ErrNotAPlan},
		{"truncated to one page", write("trunc1", goodBytes[:4096]), ErrCorrupt},
		{"truncated to half", write("trunc2", goodBytes[:len(goodBytes)/2]), ErrCorrupt},
		{"last written byte cut off", write("trunc3", goodBytes[:used-1]), ErrCorrupt},
		{"first meta page damaged", write("meta0", flip(16+40)), nil},
		{"second meta page damaged", write("meta1", flip(4096+16+40)), nil},
		{"both meta pages damaged", write("meta01", flip(16+40, 4096+16+40)), ErrCorrupt},
		{"foreign bbolt", boltFile("foreign.db", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("widgets"))
			if err != nil {
				return err
			}
			return b.Put([]byte("a"), []byte("b"))
		}), ErrNotAPlan},
		{"meta bucket without version", boltFile("nover.db", func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket(bucketMeta)
			return err
		}), ErrNotAPlan},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before []byte
			if info, err := os.Stat(c.path); err == nil && !info.IsDir() {
				before, _ = os.ReadFile(c.path)
			}
			g, err := Open(c.path, Options{})
			if c.want == nil {
				// Only one meta page damaged: the other commit is read.
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer g.Close()
				if _, err := g.Load(); err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			if err == nil {
				g.Close()
				t.Fatalf("Open succeeded, want %v", c.want)
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			t.Logf("%v", err)
			if before != nil {
				if after, _ := os.ReadFile(c.path); string(after) != string(before) {
					t.Fatal("Open changed a file it refused")
				}
			}
		})
	}

	t.Run("garbage account chunk", func(t *testing.T) {
		p := filepath.Join(dir, "badchunk.territoria")
		if err := os.WriteFile(p, goodBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := bolt.Open(p, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketAccounts).Put(itob(0), append([]byte{accountCodec, 5}, rnd(3, 300)...))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		g, err := Open(p, Options{})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer g.Close()
		if _, err := g.Load(); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("Load: err = %v, want ErrCorrupt", err)
		}
	})

	t.Run("scrambled pages never panic", func(t *testing.T) {
		r := rand.New(rand.NewSource(11))
		for i := 0; i < 40; i++ {
			b := append([]byte(nil), goodBytes...)
			page := 2 + r.Intn(len(b)/4096-2)
			copy(b[page*4096:], rnd(int64(i), 4096))
			p := write("scrambled", b)
			g, err := Open(p, Options{})
			if err != nil {
				continue
			}
			_, _ = g.Load()
			_ = g.Check()
			g.Close()
		}
	})
}

func TestNewerVersion(t *testing.T) {
	f, path := createTemp(t, genPlan(12, genSize{Accounts: 5, Units: 2, Territories: 1, Months: 1}))
	f.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return writeVersion(tx.Bucket(bucketMeta), SchemaVersion+98) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, opts := range []Options{{}, {ReadOnly: true}} {
		_, err = Open(path, opts)
		if !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("Open(%+v): err = %v, want ErrNewerVersion", opts, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "version 99") || !strings.Contains(msg, "up to 1") {
			t.Errorf("message %q does not name both versions", msg)
		}
	}
}

func TestSaveAs(t *testing.T) {
	want := genPlan(13, genSize{Accounts: 5000, Units: 40, Territories: 4, Months: 12, Varied: true})
	f, path := createTemp(t, want)
	if err := f.SaveAs(path); !errors.Is(err, ErrInvalid) {
		t.Fatalf("SaveAs onto the open plan: err = %v, want ErrInvalid", err)
	}
	dir := t.TempDir()
	if err := f.SaveAs(filepath.Join(dir, ".", "..", filepath.Base(dir), "..", filepath.Base(dir), "copy.territoria")); err != nil {
		t.Fatal(err)
	}
	// An existing other file is replaced.
	other := filepath.Join(dir, "other.territoria")
	if err := os.WriteFile(other, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(other); err != nil {
		t.Fatal(err)
	}
	// The original keeps working.
	if err := f.RenameScenario("s1", "After copy"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "copy.territoria"), other} {
		g, err := Open(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := g.Load()
		g.Close()
		if err != nil {
			t.Fatal(err)
		}
		diffPlans(t, want, got)
		checkDB(t, p)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("SaveAs left %d files in the folder, want 2", len(ents))
	}
}

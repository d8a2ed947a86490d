package planfile

import (
	"errors"
	"os"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// withMigration registers a test-only upgrade from the current schema to
// the next one for the duration of the test.
func withMigration(t *testing.T, run func(tx *bolt.Tx) error) {
	t.Helper()
	oldVersion, oldList := currentVersion, migrations
	migrations = append(append([]migration(nil), migrations...), migration{from: SchemaVersion, to: SchemaVersion + 1, run: run})
	currentVersion = SchemaVersion + 1
	t.Cleanup(func() { currentVersion, migrations = oldVersion, oldList })
}

func TestMigration(t *testing.T) {
	plan := smallPlan()
	f, path := createTemp(t, plan)
	want, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	original, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("read-only open of an old file is refused", func(t *testing.T) {
		withMigration(t, func(tx *bolt.Tx) error { return nil })
		if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, ErrNeedsUpgrade) {
			t.Fatalf("err = %v, want ErrNeedsUpgrade", err)
		}
	})

	t.Run("failed migration leaves the file as it was", func(t *testing.T) {
		withMigration(t, func(tx *bolt.Tx) error {
			if err := tx.Bucket(bucketMeta).Put(keyName, []byte("half done")); err != nil {
				return err
			}
			return errors.New("step failed")
		})
		_, err := Open(path, Options{})
		if err == nil || !strings.Contains(err.Error(), "step failed") || !strings.Contains(err.Error(), "from schema version 1 to 2") {
			t.Fatalf("err = %v, want the failing step named", err)
		}
		now, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(now) != string(original) {
			t.Fatal("a failed upgrade changed the file")
		}
	})

	t.Run("upgrade", func(t *testing.T) {
		_ = os.Remove(BackupPath(path, 1))
		withMigration(t, func(tx *bolt.Tx) error {
			// A typical upgrade: add a bucket and rewrite a value.
			if _, err := tx.CreateBucket([]byte("v2_extra")); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keyCurrency, []byte("EUR"))
		})
		g, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if m := g.Meta(); m.SchemaVersion != 2 || m.Currency != "EUR" {
			t.Fatalf("after upgrade meta = %+v, want version 2 and currency EUR", m)
		}
		got, err := g.Load()
		if err != nil {
			t.Fatal(err)
		}
		want.Currency = "EUR"
		diffPlans(t, want, got)
		g.Close()

		backup, err := os.ReadFile(BackupPath(path, 1))
		if err != nil {
			t.Fatalf("no backup: %v", err)
		}
		if len(backup) == 0 {
			t.Fatal("empty backup")
		}
		// The backup opens as the version 1 plan (with the current
		// build restored).
		currentVersion = SchemaVersion
		b, err := Open(BackupPath(path, 1), Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("backup does not open: %v", err)
		}
		defer b.Close()
		if m := b.Meta(); m.SchemaVersion != 1 || m.Currency != plan.Currency {
			t.Fatalf("backup meta = %+v", m)
		}
		// And the upgraded file is refused by the version 1 build.
		if _, err := Open(path, Options{}); !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("downgrade: err = %v, want ErrNewerVersion", err)
		}
	})
}

func TestMigrationChain(t *testing.T) {
	old := migrations
	t.Cleanup(func() { migrations = old })
	migrations = []migration{{from: 1, to: 2}, {from: 2, to: 4}, {from: 4, to: 5}}
	cases := []struct {
		name     string
		from, to int
		steps    int
		ok       bool
	}{
		{"none needed", 3, 3, 0, true},
		{"whole chain", 1, 5, 3, true},
		{"skips to a later version", 2, 4, 1, true},
		{"gap", 3, 5, 0, false},
		{"would overshoot", 1, 3, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			chain, err := migrationChain(c.from, c.to)
			if (err == nil) != c.ok || len(chain) != c.steps {
				t.Fatalf("migrationChain(%d, %d) = %d steps, %v", c.from, c.to, len(chain), err)
			}
		})
	}
}

package planfile

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// migration upgrades a file from schema version from to version to. run
// works inside the single write transaction of the upgrade and must not
// commit or roll it back.
type migration struct {
	from, to int
	run      func(tx *bolt.Tx) error
}

// migrations lists every upgrade in order. Schema version 1 is the first
// released layout, so the list is empty; tests register their own.
var migrations []migration

// migrationChain returns the migrations leading from version from to
// version to, or an error when a step is missing.
func migrationChain(from, to int) ([]migration, error) {
	var chain []migration
	v := from
	for v < to {
		found := false
		for _, m := range migrations {
			if m.from == v && m.to > v && m.to <= to {
				chain = append(chain, m)
				v = m.to
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: no upgrade from schema version %d to %d", ErrNotAPlan, v, to)
		}
	}
	return chain, nil
}

// BackupPath returns the name of the copy written before a file of schema
// version v is upgraded: "<path>.v<v>.bak".
func BackupPath(path string, v int) string { return fmt.Sprintf("%s.v%d.bak", path, v) }

// migrate writes a backup of the file as it is, then runs every migration
// from version from to the current version in one write transaction.
func migrate(db *bolt.DB, path string, from int) error {
	chain, err := migrationChain(from, currentVersion)
	if err != nil {
		return err
	}
	backup := BackupPath(path, from)
	if err := db.View(func(tx *bolt.Tx) error { return writeCopy(tx, backup) }); err != nil {
		return fmt.Errorf("back up plan before upgrading it: %w", err)
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, m := range chain {
			if err := m.run(tx); err != nil {
				return fmt.Errorf("upgrade plan from schema version %d to %d: %w", m.from, m.to, err)
			}
		}
		if err := createBuckets(tx); err != nil {
			return err
		}
		return writeVersion(tx.Bucket(bucketMeta), currentVersion)
	})
}

// writeCopy writes the database as tx sees it to a temporary file next to
// path, syncs it and renames it to path, so that path is either the old
// file or the complete copy.
func writeCopy(tx *bolt.Tx, path string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tx.WriteTo(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

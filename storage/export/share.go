package export

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"territoria/storage/planfile"
)

// ShareOptions choose what a shared copy of a plan holds.
type ShareOptions struct {
	// Scenario is the id of the only scenario to keep; "" keeps them all.
	Scenario string
	// FromScenario is the scenario the copy was made from (the active one
	// when sharing them all); it becomes the copy's active scenario.
	FromScenario string
	// Anonymise replaces account and rep names by their ids.
	Anonymise bool
	// ReadOnly asks the app to open the copy read-only.
	ReadOnly bool
	// ExportedBy names who made the copy.
	ExportedBy string
	// Now is when the copy was made.
	Now time.Time
}

// SharePlan writes a self-contained copy of the open plan src to path: the
// chosen scenarios with their edit histories, their data, and provenance
// (who, when, from which scenario, read-only or not) in the copy's meta.
// With Anonymise, account and rep names are replaced by their ids, and the
// copy is rewritten page by page so that no freed page keeps a name. The
// copy is built next to path and renamed into place; path never holds a
// partial plan. path may not be src's own file.
func SharePlan(src *planfile.File, path string, o ShareOptions) (err error) {
	if src == nil {
		return errors.New("share: no plan")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if srcAbs, _ := filepath.Abs(src.Path()); srcAbs == abs {
		return fmt.Errorf("cannot share the plan onto itself (%s); choose another file", path)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return errf(path, err)
	}
	tmp := abs + ".share.tmp"
	compacted := abs + ".share2.tmp"
	os.Remove(tmp)
	os.Remove(compacted)
	defer os.Remove(tmp)
	defer os.Remove(compacted)
	if err := src.SaveAs(tmp); err != nil {
		return errf(path, err)
	}
	f, err := planfile.Open(tmp, planfile.Options{})
	if err != nil {
		return errf(path, err)
	}
	var ids []string
	if o.Scenario != "" {
		p, err := f.Load()
		if err != nil {
			f.Close()
			return errf(path, err)
		}
		for _, sc := range p.Scenarios {
			ids = append(ids, sc.ID)
		}
	}
	err = f.Update(func(tx *planfile.Tx) error { return shapeCopy(tx, ids, o) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return errf(path, err)
	}
	if err := compact(tmp, compacted); err != nil {
		return errf(path, err)
	}
	if err := os.Rename(compacted, abs); err != nil {
		return errf(path, err)
	}
	return nil
}

// shapeCopy drops the scenarios not shared, anonymises and records the
// provenance, in one transaction of the copy.
func shapeCopy(tx *planfile.Tx, scenarios []string, o ShareOptions) error {
	meta, err := tx.Meta()
	if err != nil {
		return err
	}
	from := o.FromScenario
	if o.Scenario != "" {
		from = o.Scenario
		found := false
		for _, id := range scenarios {
			if id == o.Scenario {
				found = true
				continue
			}
			if err := tx.DeleteScenario(id); err != nil {
				return err
			}
		}
		if !found {
			return fmt.Errorf("the plan has no scenario %q", o.Scenario)
		}
	}
	if from != "" {
		if err := tx.SetActiveScenario(from); err != nil {
			return err
		}
		meta.ActiveScenario = from
	}
	if o.Anonymise {
		accts, err := tx.Accounts()
		if err != nil {
			return err
		}
		for i := range accts {
			accts[i].Name = accts[i].ID
		}
		if err := tx.ReplaceAccounts(accts); err != nil {
			return err
		}
		reps, err := tx.Reps()
		if err != nil {
			return err
		}
		for i := range reps {
			reps[i].Name = reps[i].ID
		}
		if err := tx.ReplaceReps(reps); err != nil {
			return err
		}
	}
	meta.Modified = o.Now
	meta.Provenance = planfile.Provenance{ExportedBy: o.ExportedBy, ExportedAt: o.Now, FromScenario: from, ReadOnly: o.ReadOnly}
	return tx.SetMeta(meta)
}

// compact rewrites the database at src into a fresh file dst holding only
// live pages.
func compact(src, dst string) error {
	in, err := bolt.Open(src, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := bolt.Open(dst, 0o644, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	if err := bolt.Compact(out, in, 64<<20); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

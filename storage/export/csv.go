package export

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"

	"territoria/engine"
)

// CSV file names written by WriteCSV.
const (
	// UnitsCSV is unit_id,territory_id: every unit, "" when unassigned.
	UnitsCSV = "units.csv"
	// AccountsCSV is account_id,territory_id,rep_id: every account and
	// where it ends up (by override, drawn area or unit).
	AccountsCSV = "accounts.csv"
	// OverridesCSV is account_id,territory_id: only the accounts placed
	// regardless of geography.
	OverridesCSV = "overrides.csv"
	// TerritoriesCSV is territory_id,name,kind,parent_id,rep_id,rep_name.
	TerritoriesCSV = "territories.csv"
)

// WriteCSV writes the alignment of the current scenario to dir as UTF-8
// CSV tables (comma-separated, no byte-order mark, a header row), the form
// `territoria assign --units/--accounts` reads: units.csv, accounts.csv,
// overrides.csv and territories.csv. Applying units.csv and overrides.csv
// to a scenario with the same territories reproduces the alignment (drawn
// areas aside); applying accounts.csv instead pins every account where it
// is now. It returns the paths written.
func WriteCSV(dir string, d *Data, opts *Options) ([]string, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, errf(dir, err)
	}
	p, st := d.Plan, d.Current.State
	ni := newNodeInfo(p, st)
	var written []string
	table := func(name string, header []string, n int, row func(i int) ([]string, bool)) error {
		path := filepath.Join(dir, name)
		err := writeAtomic(path, func(w io.Writer) error {
			cw := csv.NewWriter(w)
			if err := cw.Write(header); err != nil {
				return err
			}
			for i := 0; i < n; i++ {
				if err := opts.tick(name, i, n); err != nil {
					return err
				}
				if rec, ok := row(i); ok {
					if err := cw.Write(rec); err != nil {
						return err
					}
				}
			}
			cw.Flush()
			return cw.Error()
		})
		if err != nil {
			return err
		}
		written = append(written, path)
		return nil
	}
	rec := make([]string, 6)
	if err := table(UnitsCSV, []string{"unit_id", "territory_id"}, len(p.Units), func(u int) ([]string, bool) {
		return append(rec[:0], p.Units[u].ID, ni.id(st.UnitTerr[u])), true
	}); err != nil {
		return written, err
	}
	if err := table(AccountsCSV, []string{"account_id", "territory_id", "rep_id"}, len(p.Accounts), func(a int) ([]string, bool) {
		t := st.AccountTerr[a]
		return append(rec[:0], p.Accounts[a].ID, ni.id(t), ni.repID(t)), true
	}); err != nil {
		return written, err
	}
	if err := table(OverridesCSV, []string{"account_id", "territory_id"}, len(p.Accounts), func(a int) ([]string, bool) {
		o := st.Override(int32(a))
		if o == engine.NoIndex {
			return nil, false
		}
		return append(rec[:0], p.Accounts[a].ID, ni.id(o)), true
	}); err != nil {
		return written, err
	}
	if err := table(TerritoriesCSV, []string{"territory_id", "name", "kind", "parent_id", "rep_id", "rep_name"}, len(st.Nodes), func(i int) ([]string, bool) {
		t := &st.Nodes[i]
		return append(rec[:0], t.ID, t.Name, string(t.Kind), t.Parent, t.RepID, ni.reps[t.RepID]), true
	}); err != nil {
		return written, err
	}
	opts.progress("done", 1, 1)
	return written, nil
}

package planfile

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// Tx is one write transaction on a plan. Its edits become visible to other
// readers, and durable, together when the function given to Update returns
// nil; when it returns an error none of them happened.
type Tx struct {
	tx *bolt.Tx
	f  *File
	// indexTouched is set when the edit changed the cached account index,
	// which must then be dropped if the transaction does not commit.
	indexTouched bool
}

// Update runs fn in one write transaction. The edit methods of File are
// each an Update with a single edit.
func (f *File) Update(fn func(*Tx) error) error {
	if f.readOnly {
		return ErrReadOnly
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	t := &Tx{f: f}
	var meta Meta
	err := guard("writing the plan", func() error {
		return f.db.Update(func(btx *bolt.Tx) error {
			t.tx = btx
			if err := fn(t); err != nil {
				return err
			}
			var err error
			meta, err = readMeta(btx.Bucket(bucketMeta))
			return err
		})
	})
	if err != nil {
		if t.indexTouched {
			f.accounts = nil
		}
		return err
	}
	f.mu.Lock()
	f.meta = meta
	f.mu.Unlock()
	return nil
}

// PutScenario stores s, replacing the scenario with the same id (which
// keeps its place in the list) or adding it at the end.
func (f *File) PutScenario(s *engine.Scenario) error {
	return f.Update(func(t *Tx) error { return t.PutScenario(s) })
}

// DeleteScenario removes a scenario. When it was the active scenario, the
// first remaining scenario becomes active (or none).
func (f *File) DeleteScenario(id string) error {
	return f.Update(func(t *Tx) error { return t.DeleteScenario(id) })
}

// RenameScenario changes the name of a scenario.
func (f *File) RenameScenario(id, name string) error {
	return f.Update(func(t *Tx) error { return t.RenameScenario(id, name) })
}

// SetActiveScenario makes id the active scenario.
func (f *File) SetActiveScenario(id string) error {
	return f.Update(func(t *Tx) error { return t.SetActiveScenario(id) })
}

// SetUnitTerritory places units in a territory; "" leaves them unassigned.
func (f *File) SetUnitTerritory(scenarioID string, unitIDs []string, territoryID string) error {
	return f.Update(func(t *Tx) error { return t.SetUnitTerritory(scenarioID, unitIDs, territoryID) })
}

// SetAccountTerritory places accounts in a territory regardless of their
// unit; "" removes the override.
func (f *File) SetAccountTerritory(scenarioID string, accountIDs []string, territoryID string) error {
	return f.Update(func(t *Tx) error { return t.SetAccountTerritory(scenarioID, accountIDs, territoryID) })
}

// SetUnitLocks locks or unlocks units in a scenario.
func (f *File) SetUnitLocks(scenarioID string, unitIDs []string, locked bool) error {
	return f.Update(func(t *Tx) error { return t.SetUnitLocks(scenarioID, unitIDs, locked) })
}

// SetAccountLocks locks or unlocks accounts in a scenario.
func (f *File) SetAccountLocks(scenarioID string, accountIDs []string, locked bool) error {
	return f.Update(func(t *Tx) error { return t.SetAccountLocks(scenarioID, accountIDs, locked) })
}

// PutTerritory adds or replaces one node of a scenario's hierarchy.
func (f *File) PutTerritory(scenarioID string, tr engine.Territory) error {
	return f.Update(func(t *Tx) error { return t.PutTerritory(scenarioID, tr) })
}

// DeleteTerritory removes a node that has no children; its units become
// unassigned and its account overrides are removed.
func (f *File) DeleteTerritory(scenarioID, territoryID string) error {
	return f.Update(func(t *Tx) error { return t.DeleteTerritory(scenarioID, territoryID) })
}

// PutAccounts adds accounts, replacing those whose id already exists in
// place. All of them are written in one transaction.
func (f *File) PutAccounts(accts []engine.Account) error {
	return f.Update(func(t *Tx) error { return t.PutAccounts(accts) })
}

// SetMeta stores m; m.SchemaVersion is ignored.
func (f *File) SetMeta(m Meta) error {
	return f.Update(func(t *Tx) error { return t.SetMeta(m) })
}

// Meta returns the meta as this transaction sees it.
func (t *Tx) Meta() (Meta, error) { return readMeta(t.tx.Bucket(bucketMeta)) }

// SetMeta stores m; m.SchemaVersion is ignored. The active scenario must
// exist or be "".
func (t *Tx) SetMeta(m Meta) error {
	if m.ActiveScenario != "" && scenarioBucket(t.tx, m.ActiveScenario) == nil {
		return fmt.Errorf("active scenario %q: %w", m.ActiveScenario, ErrNotFound)
	}
	if m.HistoryMonths > maxHistory {
		return fmt.Errorf("%w: history months %d is more than the limit of %d", ErrInvalid, m.HistoryMonths, maxHistory)
	}
	return writeMeta(t.tx.Bucket(bucketMeta), m)
}

func (t *Tx) scenario(id string) (*bolt.Bucket, error) {
	b := scenarioBucket(t.tx, id)
	if b == nil {
		return nil, fmt.Errorf("scenario %q: %w", id, ErrNotFound)
	}
	return b, nil
}

func (t *Tx) unitExists(id string) bool {
	return id != "" && t.tx.Bucket(bucketUnitIDs).Get([]byte(id)) != nil
}

func (t *Tx) accountExists(id string) bool {
	idx, err := t.accountIndex()
	if err != nil {
		return false
	}
	_, ok := idx.pos[id]
	return ok
}

// PutScenario stores s, replacing the scenario with the same id (which
// keeps its place in the list) or adding it at the end.
func (t *Tx) PutScenario(s *engine.Scenario) error {
	if s == nil {
		return fmt.Errorf("%w: no scenario", ErrInvalid)
	}
	if err := validateScenario(s, t.unitExists, t.accountExists); err != nil {
		return err
	}
	if _, err := t.accountIndex(); err != nil && (len(s.AccountTerritory) > 0 || len(s.LockedAccounts) > 0) {
		return err
	}
	sb := t.tx.Bucket(bucketScenarios)
	var order uint64
	if old := sb.Bucket([]byte(s.ID)); old != nil {
		rec, err := decodeScenario(s.ID, old.Get(keyScenario))
		if err != nil {
			return err
		}
		order = rec.Order
		if err := sb.DeleteBucket([]byte(s.ID)); err != nil {
			return err
		}
	} else {
		var err error
		if order, err = sb.NextSequence(); err != nil {
			return err
		}
	}
	return writeScenario(sb, s, order)
}

// writeScenario creates the bucket of s under sb.
func writeScenario(sb *bolt.Bucket, s *engine.Scenario, order uint64) error {
	if sb.Sequence() < order {
		if err := sb.SetSequence(order); err != nil {
			return err
		}
	}
	b, err := sb.CreateBucket([]byte(s.ID))
	if err != nil {
		return fmt.Errorf("scenario %q: %w", s.ID, err)
	}
	if err := b.Put(keyScenario, encodeScenario(scenarioRecord{Order: order, Name: s.Name})); err != nil {
		return err
	}
	sub := map[string]*bolt.Bucket{}
	for _, name := range scenarioBuckets {
		if sub[string(name)], err = b.CreateBucket(name); err != nil {
			return err
		}
	}
	tb := sub[string(bucketTerritories)]
	for i, tr := range s.Territories {
		if err := tb.Put([]byte(tr.ID), encodeTerritory(territoryRecord{Order: uint64(i + 1), T: tr})); err != nil {
			return fmt.Errorf("territory %q: %w", tr.ID, err)
		}
	}
	if err := tb.SetSequence(uint64(len(s.Territories))); err != nil {
		return err
	}
	for _, kv := range []struct {
		b *bolt.Bucket
		m map[string]string
	}{{sub[string(bucketUnitTerritory)], s.UnitTerritory}, {sub[string(bucketAcctTerritory)], s.AccountTerritory}} {
		for k, v := range kv.m {
			if err := kv.b.Put([]byte(k), []byte(v)); err != nil {
				return fmt.Errorf("assignment of %q: %w", k, err)
			}
		}
	}
	for _, kv := range []struct {
		b *bolt.Bucket
		m map[string]bool
	}{{sub[string(bucketLockedUnits)], s.LockedUnits}, {sub[string(bucketLockedAccounts)], s.LockedAccounts}} {
		for k, locked := range kv.m {
			if locked {
				if err := kv.b.Put([]byte(k), nil); err != nil {
					return fmt.Errorf("lock of %q: %w", k, err)
				}
			}
		}
	}
	return nil
}

// DeleteScenario removes a scenario. When it was the active scenario, the
// first remaining scenario becomes active (or none).
func (t *Tx) DeleteScenario(id string) error {
	if _, err := t.scenario(id); err != nil {
		return err
	}
	sb := t.tx.Bucket(bucketScenarios)
	if err := sb.DeleteBucket([]byte(id)); err != nil {
		return err
	}
	mb := t.tx.Bucket(bucketMeta)
	if string(mb.Get(keyActive)) != id {
		return nil
	}
	next, best := "", uint64(0)
	err := sb.ForEachBucket(func(k []byte) error {
		rec, err := decodeScenario(string(k), sb.Bucket(k).Get(keyScenario))
		if err != nil {
			return err
		}
		if next == "" || rec.Order < best {
			next, best = string(k), rec.Order
		}
		return nil
	})
	if err != nil {
		return err
	}
	return mb.Put(keyActive, []byte(next))
}

// RenameScenario changes the name of a scenario.
func (t *Tx) RenameScenario(id, name string) error {
	if name == "" {
		return fmt.Errorf("%w: scenario %q: the new name is empty", ErrInvalid, id)
	}
	b, err := t.scenario(id)
	if err != nil {
		return err
	}
	rec, err := decodeScenario(id, b.Get(keyScenario))
	if err != nil {
		return err
	}
	rec.Name = name
	return b.Put(keyScenario, encodeScenario(rec))
}

// SetActiveScenario makes id the active scenario.
func (t *Tx) SetActiveScenario(id string) error {
	if _, err := t.scenario(id); err != nil {
		return err
	}
	return t.tx.Bucket(bucketMeta).Put(keyActive, []byte(id))
}

// holder checks that territoryID names a node of kind territory in b.
func holder(b *bolt.Bucket, scenarioID, territoryID string) error {
	v := b.Bucket(bucketTerritories).Get([]byte(territoryID))
	if v == nil {
		return fmt.Errorf("scenario %q: territory %q: %w", scenarioID, territoryID, ErrNotFound)
	}
	r, err := decodeTerritory(territoryID, v)
	if err != nil {
		return err
	}
	if r.T.Kind != engine.KindTerritory {
		return fmt.Errorf("%w: scenario %q: %q is a %s; only territories hold units and accounts", ErrInvalid, scenarioID, territoryID, r.T.Kind)
	}
	return nil
}

// place writes key → territoryID (or deletes key when territoryID is "")
// in the named sub-bucket of a scenario, after checking every key.
func (t *Tx) place(scenarioID string, sub []byte, what string, ids []string, exists func(string) bool, territoryID string) error {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return err
	}
	if territoryID != "" {
		if err := holder(b, scenarioID, territoryID); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if !exists(id) {
			return fmt.Errorf("%s %q: %w", what, id, ErrNotFound)
		}
	}
	ab := b.Bucket(sub)
	for _, id := range ids {
		if territoryID == "" {
			err = ab.Delete([]byte(id))
		} else {
			err = ab.Put([]byte(id), []byte(territoryID))
		}
		if err != nil {
			return fmt.Errorf("%s %q: %w", what, id, err)
		}
	}
	return nil
}

// SetUnitTerritory places units in a territory; "" leaves them unassigned.
func (t *Tx) SetUnitTerritory(scenarioID string, unitIDs []string, territoryID string) error {
	return t.place(scenarioID, bucketUnitTerritory, "unit", unitIDs, t.unitExists, territoryID)
}

// SetAccountTerritory places accounts in a territory regardless of their
// unit; "" removes the override.
func (t *Tx) SetAccountTerritory(scenarioID string, accountIDs []string, territoryID string) error {
	if _, err := t.accountIndex(); err != nil {
		return err
	}
	return t.place(scenarioID, bucketAcctTerritory, "account", accountIDs, t.accountExists, territoryID)
}

func (t *Tx) lock(scenarioID string, sub []byte, what string, ids []string, exists func(string) bool, locked bool) error {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if locked && !exists(id) {
			return fmt.Errorf("%s %q: %w", what, id, ErrNotFound)
		}
	}
	lb := b.Bucket(sub)
	for _, id := range ids {
		if id == "" {
			continue
		}
		if locked {
			err = lb.Put([]byte(id), nil)
		} else {
			err = lb.Delete([]byte(id))
		}
		if err != nil {
			return fmt.Errorf("%s %q: %w", what, id, err)
		}
	}
	return nil
}

// SetUnitLocks locks or unlocks units in a scenario.
func (t *Tx) SetUnitLocks(scenarioID string, unitIDs []string, locked bool) error {
	return t.lock(scenarioID, bucketLockedUnits, "unit", unitIDs, t.unitExists, locked)
}

// SetAccountLocks locks or unlocks accounts in a scenario.
func (t *Tx) SetAccountLocks(scenarioID string, accountIDs []string, locked bool) error {
	if locked {
		if _, err := t.accountIndex(); err != nil {
			return err
		}
	}
	return t.lock(scenarioID, bucketLockedAccounts, "account", accountIDs, t.accountExists, locked)
}

// PutTerritory adds or replaces one node of a scenario's hierarchy. Its
// parent must exist in the scenario, and a node that holds units or
// accounts must stay of kind territory.
func (t *Tx) PutTerritory(scenarioID string, tr engine.Territory) error {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return err
	}
	if err := checkTerritory(tr); err != nil {
		return fmt.Errorf("scenario %q: %w", scenarioID, err)
	}
	tb := b.Bucket(bucketTerritories)
	for p, steps := tr.Parent, 0; p != ""; steps++ {
		if p == tr.ID {
			return fmt.Errorf("%w: scenario %q: territory %q would be its own ancestor", ErrInvalid, scenarioID, tr.ID)
		}
		v := tb.Get([]byte(p))
		if v == nil {
			return fmt.Errorf("%w: scenario %q: territory %q has parent %q, which does not exist", ErrInvalid, scenarioID, tr.ID, p)
		}
		r, err := decodeTerritory(p, v)
		if err != nil {
			return err
		}
		if steps > 1<<20 {
			return fmt.Errorf("%w: scenario %q: the hierarchy above %q has a cycle", ErrCorrupt, scenarioID, tr.ID)
		}
		p = r.T.Parent
	}
	var order uint64
	if v := tb.Get([]byte(tr.ID)); v != nil {
		old, err := decodeTerritory(tr.ID, v)
		if err != nil {
			return err
		}
		order = old.Order
		if tr.Kind != engine.KindTerritory {
			for _, sub := range [][]byte{bucketUnitTerritory, bucketAcctTerritory} {
				if k := findValue(b.Bucket(sub), tr.ID); k != nil {
					return fmt.Errorf("%w: scenario %q: %q still holds %q and cannot become a %s", ErrInvalid, scenarioID, tr.ID, k, tr.Kind)
				}
			}
		}
	} else if order, err = tb.NextSequence(); err != nil {
		return err
	}
	return tb.Put([]byte(tr.ID), encodeTerritory(territoryRecord{Order: order, T: tr}))
}

// findValue returns the first key of b whose value is v, or nil.
func findValue(b *bolt.Bucket, v string) []byte {
	c := b.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		if string(val) == v {
			return append([]byte(nil), k...)
		}
	}
	return nil
}

// DeleteTerritory removes a node that has no children; its units become
// unassigned and its account overrides are removed.
func (t *Tx) DeleteTerritory(scenarioID, territoryID string) error {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return err
	}
	tb := b.Bucket(bucketTerritories)
	if tb.Get([]byte(territoryID)) == nil {
		return fmt.Errorf("scenario %q: territory %q: %w", scenarioID, territoryID, ErrNotFound)
	}
	err = tb.ForEach(func(k, v []byte) error {
		r, err := decodeTerritory(string(k), v)
		if err != nil {
			return err
		}
		if r.T.Parent == territoryID {
			return fmt.Errorf("%w: scenario %q: territory %q still has child %q", ErrInvalid, scenarioID, territoryID, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := tb.Delete([]byte(territoryID)); err != nil {
		return err
	}
	for _, sub := range [][]byte{bucketUnitTerritory, bucketAcctTerritory} {
		sb := b.Bucket(sub)
		var gone [][]byte
		_ = sb.ForEach(func(k, v []byte) error {
			if bytes.Equal(v, []byte(territoryID)) {
				gone = append(gone, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range gone {
			if err := sb.Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

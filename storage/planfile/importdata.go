package planfile

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// This file holds the bulk writes of imports: whole lists replaced in one
// transaction, so that an import either lands completely or not at all.

// ReplaceAccounts makes accts the plan's complete account list, in this
// order. Accounts absent from accts are removed, together with their
// overrides and locks in every scenario.
func (t *Tx) ReplaceAccounts(accts []engine.Account) error {
	ids := make(map[string]struct{}, len(accts))
	for i := range accts {
		if err := checkAccount(&accts[i], i); err != nil {
			return err
		}
		if _, dup := ids[accts[i].ID]; dup {
			return fmt.Errorf("%w: account id %q appears twice", ErrInvalid, accts[i].ID)
		}
		ids[accts[i].ID] = struct{}{}
	}
	t.indexTouched = true
	t.f.accounts = nil
	if err := replaceChunks(t.tx, bucketAccounts, encodeChunks(accts, accountsPerChunk, encodeAccounts)); err != nil {
		return err
	}
	return t.scrubScenarios(func(sub []byte, id string) bool {
		if string(sub) != string(bucketAcctTerritory) && string(sub) != string(bucketLockedAccounts) {
			return true
		}
		_, ok := ids[id]
		return ok
	})
}

// ReplaceReps makes reps the plan's complete list of reps. Territories
// whose rep is no longer listed become vacant.
func (t *Tx) ReplaceReps(reps []engine.Rep) error {
	ids := make(map[string]bool, len(reps))
	for i, r := range reps {
		if r.ID == "" {
			return fmt.Errorf("%w: rep %d has an empty id", ErrInvalid, i)
		}
		if ids[r.ID] {
			return fmt.Errorf("%w: rep id %q appears twice", ErrInvalid, r.ID)
		}
		ids[r.ID] = true
	}
	if err := replaceChunks(t.tx, bucketReps, encodeChunks(reps, repsPerChunk, encodeReps)); err != nil {
		return err
	}
	sb := t.tx.Bucket(bucketScenarios)
	return sb.ForEachBucket(func(k []byte) error {
		tb := sb.Bucket(k).Bucket(bucketTerritories)
		if tb == nil {
			return fmt.Errorf("%w: scenario %q has no territories bucket", ErrCorrupt, k)
		}
		type change struct {
			k []byte
			v []byte
		}
		var changes []change
		err := tb.ForEach(func(tk, v []byte) error {
			r, err := decodeTerritory(string(tk), v)
			if err != nil {
				return err
			}
			if r.T.RepID != "" && !ids[r.T.RepID] {
				r.T.RepID = ""
				changes = append(changes, change{append([]byte(nil), tk...), encodeTerritory(r)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, c := range changes {
			if err := tb.Put(c.k, c.v); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetUnitData sets unit-level values: values[unitID][name] = v. Other
// values of the units are kept; every unit id must exist.
func (t *Tx) SetUnitData(values map[string]map[string]float64) error {
	if len(values) == 0 {
		return nil
	}
	ub := t.tx.Bucket(bucketUnits)
	idb := t.tx.Bucket(bucketUnitIDs)
	byChunk := map[uint32][]string{}
	for id := range values {
		v := idb.Get([]byte(id))
		if len(v) != 4 {
			return fmt.Errorf("unit %q: %w", id, ErrNotFound)
		}
		i := uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
		byChunk[i/unitsPerChunk] = append(byChunk[i/unitsPerChunk], id)
	}
	for chunk, ids := range byChunk {
		raw := ub.Get(itob(chunk))
		if raw == nil {
			return fmt.Errorf("%w: unit chunk %d is missing", ErrCorrupt, chunk)
		}
		units, err := decodeUnits(raw)
		if err != nil {
			return err
		}
		pos := make(map[string]int, len(units))
		for i := range units {
			pos[units[i].ID] = i
		}
		for _, id := range ids {
			i, ok := pos[id]
			if !ok {
				return fmt.Errorf("%w: unit %q is not in chunk %d where its index points", ErrCorrupt, id, chunk)
			}
			u := &units[i]
			if u.Data == nil {
				u.Data = map[string]float64{}
			}
			for k, v := range values[id] {
				u.Data[k] = v
			}
			if len(u.Data) > maxAttrs {
				return fmt.Errorf("%w: unit %q would have %d data values, more than the limit of %d", ErrInvalid, id, len(u.Data), maxAttrs)
			}
		}
		if err := ub.Put(itob(chunk), encodeUnits(units)); err != nil {
			return err
		}
	}
	return nil
}

// Accounts reads every account as this transaction sees it.
func (t *Tx) Accounts() ([]engine.Account, error) {
	return loadAccounts(t.tx.Bucket(bucketAccounts))
}

// Reps reads every rep as this transaction sees it.
func (t *Tx) Reps() ([]engine.Rep, error) {
	return loadChunks(t.tx.Bucket(bucketReps), decodeReps)
}

// Scenario reads one scenario as this transaction sees it.
func (t *Tx) Scenario(id string) (*engine.Scenario, error) {
	b, err := t.scenario(id)
	if err != nil {
		return nil, err
	}
	s, _, err := loadScenario(id, b)
	return s, err
}

// replaceChunks stores chunks under keys 0..n-1 of bucket name and deletes
// any higher chunk left from before.
func replaceChunks(tx *bolt.Tx, name []byte, chunks [][]byte) error {
	b := tx.Bucket(name)
	var stale [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(itob(uint32(len(chunks)))); k != nil; k, _ = c.Next() {
		stale = append(stale, append([]byte(nil), k...))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	b.FillPercent = 1
	for i, ch := range chunks {
		if err := b.Put(itob(uint32(i)), ch); err != nil {
			return err
		}
	}
	return nil
}

// scrubScenarios deletes, in every scenario, the entries of the account
// and unit sub-buckets for which keep returns false.
func (t *Tx) scrubScenarios(keep func(sub []byte, id string) bool) error {
	sb := t.tx.Bucket(bucketScenarios)
	return sb.ForEachBucket(func(k []byte) error {
		s := sb.Bucket(k)
		for _, sub := range [][]byte{bucketAcctTerritory, bucketLockedAccounts} {
			b := s.Bucket(sub)
			if b == nil {
				continue
			}
			var gone [][]byte
			_ = b.ForEach(func(id, _ []byte) error {
				if !keep(sub, string(id)) {
					gone = append(gone, append([]byte(nil), id...))
				}
				return nil
			})
			for _, id := range gone {
				if err := b.Delete(id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

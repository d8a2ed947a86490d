package planfile

import (
	"fmt"
	"sort"

	"github.com/paulmach/orb"
	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// DroppedAssignment is a unit → territory assignment (or a lock) of a
// scenario that went away with its unit.
type DroppedAssignment struct {
	Scenario string
	Unit     string
	// Territory is the territory the unit was in, "" when it was only locked.
	Territory string
	Locked    bool
}

// UnitChanges reports what ReplaceUnits did.
type UnitChanges struct {
	// Added, Kept and Removed count unit ids new to the plan, present
	// before and after, and gone.
	Added, Kept, Removed int
	// Dropped lists the assignments and locks of removed units, by
	// scenario then unit.
	Dropped []DroppedAssignment
	// HistoriesCleared lists the scenarios whose undo history was
	// discarded because it could name removed units.
	HistoriesCleared []string
}

// ReplaceUnits makes units and borders the plan's complete set of building
// blocks, in this order (unit indexes in borders and Neighbors refer to
// it). Every scenario keeps its assignments and locks of unit ids that
// still exist; those of removed units are dropped and reported. When units
// are removed, the undo histories are discarded, since an edit naming a
// removed unit could no longer be undone. All of it happens in this
// transaction.
func (t *Tx) ReplaceUnits(units []engine.Unit, borders []engine.Border) (UnitChanges, error) {
	var ch UnitChanges
	if err := checkUnits(units, borders); err != nil {
		return ch, err
	}
	keep := make(map[string]bool, len(units))
	for _, u := range units {
		keep[u.ID] = true
	}
	old := map[string]bool{}
	err := t.tx.Bucket(bucketUnitIDs).ForEach(func(k, _ []byte) error {
		old[string(k)] = true
		return nil
	})
	if err != nil {
		return ch, err
	}
	for id := range old {
		if keep[id] {
			ch.Kept++
		} else {
			ch.Removed++
		}
	}
	ch.Added = len(units) - ch.Kept

	if err := replaceChunks(t.tx, bucketUnits, encodeChunks(units, unitsPerChunk, encodeUnits)); err != nil {
		return ch, err
	}
	if err := replaceChunks(t.tx, bucketBorders, encodeChunks(borders, bordersPerChunk, encodeBorders)); err != nil {
		return ch, err
	}
	if err := t.tx.DeleteBucket(bucketUnitIDs); err != nil {
		return ch, err
	}
	ib, err := t.tx.CreateBucket(bucketUnitIDs)
	if err != nil {
		return ch, err
	}
	for i, u := range units {
		if err := ib.Put([]byte(u.ID), itob(uint32(i))); err != nil {
			return ch, fmt.Errorf("unit %q: %w", u.ID, err)
		}
	}
	if ch.Removed == 0 {
		return ch, nil
	}
	sb := t.tx.Bucket(bucketScenarios)
	err = sb.ForEachBucket(func(k []byte) error {
		s := sb.Bucket(k)
		scenario := string(k)
		dropped := map[string]*DroppedAssignment{}
		for _, sub := range [][]byte{bucketUnitTerritory, bucketLockedUnits} {
			b := s.Bucket(sub)
			if b == nil {
				return fmt.Errorf("%w: scenario %q has no %q bucket", ErrCorrupt, scenario, sub)
			}
			var gone [][]byte
			err := b.ForEach(func(id, v []byte) error {
				if keep[string(id)] {
					return nil
				}
				gone = append(gone, append([]byte(nil), id...))
				d := dropped[string(id)]
				if d == nil {
					d = &DroppedAssignment{Scenario: scenario, Unit: string(id)}
					dropped[string(id)] = d
				}
				if string(sub) == string(bucketUnitTerritory) {
					d.Territory = string(v)
				} else {
					d.Locked = true
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, id := range gone {
				if err := b.Delete(id); err != nil {
					return err
				}
			}
		}
		ids := make([]string, 0, len(dropped))
		for id := range dropped {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			ch.Dropped = append(ch.Dropped, *dropped[id])
		}
		cleared, err := clearHistory(s)
		if err != nil {
			return fmt.Errorf("scenario %q: %w", scenario, err)
		}
		if cleared {
			ch.HistoriesCleared = append(ch.HistoriesCleared, scenario)
		}
		return nil
	})
	return ch, err
}

// ReplaceUnits makes units and borders the plan's building blocks in one
// transaction; see Tx.ReplaceUnits.
func (f *File) ReplaceUnits(units []engine.Unit, borders []engine.Border) (UnitChanges, error) {
	var ch UnitChanges
	err := f.Update(func(t *Tx) error {
		var err error
		ch, err = t.ReplaceUnits(units, borders)
		return err
	})
	if err != nil {
		return UnitChanges{}, err
	}
	return ch, nil
}

// clearHistory removes a scenario's undo history, reporting whether it had one.
func clearHistory(s *bolt.Bucket) (bool, error) {
	had := false
	if s.Bucket(bucketJournal) != nil {
		had = true
		if err := s.DeleteBucket(bucketJournal); err != nil {
			return false, err
		}
	}
	if s.Get(keyCursor) != nil {
		had = true
		if err := s.Delete(keyCursor); err != nil {
			return false, err
		}
	}
	return had, nil
}

// checkUnits checks what the codec and the loaders rely on: unique
// non-empty ids, neighbour and border indexes in range, and sizes within
// the limits the decoder enforces.
func checkUnits(units []engine.Unit, borders []engine.Border) error {
	n := len(units)
	ids := make(map[string]bool, n)
	ring := func(what string, r []orb.Point) error {
		if len(r) > maxRing {
			return fmt.Errorf("%w: %s has %d points, more than the limit of %d", ErrInvalid, what, len(r), maxRing)
		}
		return nil
	}
	for i := range units {
		u := &units[i]
		if u.ID == "" {
			return fmt.Errorf("%w: unit %d has an empty id", ErrInvalid, i)
		}
		if ids[u.ID] {
			return fmt.Errorf("%w: unit id %q appears twice", ErrInvalid, u.ID)
		}
		ids[u.ID] = true
		if len(u.Data) > maxAttrs {
			return fmt.Errorf("%w: unit %q has %d data values, more than the limit of %d", ErrInvalid, u.ID, len(u.Data), maxAttrs)
		}
		if len(u.Neighbors) > maxNeighbors {
			return fmt.Errorf("%w: unit %q has %d neighbours, more than the limit of %d", ErrInvalid, u.ID, len(u.Neighbors), maxNeighbors)
		}
		for _, nb := range u.Neighbors {
			if nb < 0 || int(nb) >= n {
				return fmt.Errorf("%w: unit %q has neighbour index %d, there are %d units", ErrInvalid, u.ID, nb, n)
			}
		}
		if len(u.Geom) > maxParts {
			return fmt.Errorf("%w: unit %q has %d polygons, more than the limit of %d", ErrInvalid, u.ID, len(u.Geom), maxParts)
		}
		for _, p := range u.Geom {
			if len(p) > maxParts {
				return fmt.Errorf("%w: unit %q has a polygon of %d rings, more than the limit of %d", ErrInvalid, u.ID, len(p), maxParts)
			}
			for _, r := range p {
				if err := ring(fmt.Sprintf("a ring of unit %q", u.ID), r); err != nil {
					return err
				}
			}
		}
	}
	for i, b := range borders {
		if b.Left < 0 || int(b.Left) >= n || b.Right < engine.NoIndex || int(b.Right) >= n {
			return fmt.Errorf("%w: border %d joins units %d and %d, there are %d units", ErrInvalid, i, b.Left, b.Right, n)
		}
		if err := ring(fmt.Sprintf("border %d", i), b.Line); err != nil {
			return err
		}
	}
	return nil
}

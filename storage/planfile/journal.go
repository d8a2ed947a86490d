package planfile

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
	"territoria/engine/edit"
)

// The history of a scenario lives in its bucket: a nested bucket of entries
// keyed by big-endian sequence number (1, 2, ...) and a cursor, the number
// of entries currently applied. Entries after the cursor can be redone; a
// new edit discards them.
var (
	bucketJournal = []byte("journal")
	keyCursor     = []byte("cursor")
)

// ErrNothingToUndo and ErrNothingToRedo are returned by Undo and Redo at the
// ends of the history.
var (
	ErrNothingToUndo = errors.New("nothing to undo")
	ErrNothingToRedo = errors.New("nothing to redo")
)

// Entry is one step of a scenario's history.
type Entry struct {
	Seq  uint64
	At   time.Time
	Edit edit.Edit
}

// entryRecord is how an entry is stored (JSON, versioned).
type entryRecord struct {
	V    int       `json:"v"`
	At   time.Time `json:"at"`
	Edit edit.Edit `json:"edit"`
}

const entryVersion = 1

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// journal returns the scenario's history bucket (created when create is
// true and the file is being written) and its cursor.
func (t *Tx) journal(scenarioID string, create bool) (*bolt.Bucket, *bolt.Bucket, uint64, error) {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return nil, nil, 0, err
	}
	jb := b.Bucket(bucketJournal)
	if jb == nil && create {
		if jb, err = b.CreateBucket(bucketJournal); err != nil {
			return nil, nil, 0, err
		}
	}
	var cur uint64
	if v := b.Get(keyCursor); len(v) == 8 {
		cur = binary.BigEndian.Uint64(v)
	} else if v != nil {
		return nil, nil, 0, fmt.Errorf("%w: scenario %q: bad history cursor", ErrCorrupt, scenarioID)
	}
	return b, jb, cur, nil
}

func readEntry(jb *bolt.Bucket, scenarioID string, seq uint64) (Entry, error) {
	if jb == nil {
		return Entry{}, fmt.Errorf("%w: scenario %q has no history entry %d", ErrCorrupt, scenarioID, seq)
	}
	v := jb.Get(seqKey(seq))
	if v == nil {
		return Entry{}, fmt.Errorf("%w: scenario %q has no history entry %d", ErrCorrupt, scenarioID, seq)
	}
	var r entryRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return Entry{}, fmt.Errorf("%w: scenario %q: history entry %d: %v", ErrCorrupt, scenarioID, seq, err)
	}
	if r.V != entryVersion {
		return Entry{}, fmt.Errorf("%w: scenario %q: history entry %d has version %d", ErrCorrupt, scenarioID, seq, r.V)
	}
	return Entry{Seq: seq, At: r.At, Edit: r.Edit}, nil
}

// ApplyEdit plays e on the stored scenario and appends it to the scenario's
// history (discarding what could have been redone). It returns the entry's
// sequence number. The stored scenario must be in the state e expects.
func (t *Tx) ApplyEdit(scenarioID string, e edit.Edit, at time.Time) (uint64, error) {
	if t.f.readOnly {
		return 0, ErrReadOnly
	}
	if err := t.applyData(scenarioID, e); err != nil {
		return 0, err
	}
	b, jb, cur, err := t.journal(scenarioID, true)
	if err != nil {
		return 0, err
	}
	// Discard redo entries.
	c := jb.Cursor()
	var stale [][]byte
	for k, _ := c.Seek(seqKey(cur + 1)); k != nil; k, _ = c.Next() {
		stale = append(stale, append([]byte(nil), k...))
	}
	for _, k := range stale {
		if err := jb.Delete(k); err != nil {
			return 0, err
		}
	}
	v, err := json.Marshal(entryRecord{V: entryVersion, At: at.UTC(), Edit: e})
	if err != nil {
		return 0, err
	}
	seq := cur + 1
	if err := jb.Put(seqKey(seq), v); err != nil {
		return 0, err
	}
	return seq, b.Put(keyCursor, seqKey(seq))
}

// Undo takes back the latest applied edit of the scenario and returns it
// (the caller plays its Inverse on what it holds in memory).
func (t *Tx) Undo(scenarioID string) (Entry, error) {
	if t.f.readOnly {
		return Entry{}, ErrReadOnly
	}
	b, jb, cur, err := t.journal(scenarioID, false)
	if err != nil {
		return Entry{}, err
	}
	if cur == 0 {
		return Entry{}, ErrNothingToUndo
	}
	en, err := readEntry(jb, scenarioID, cur)
	if err != nil {
		return Entry{}, err
	}
	if err := t.applyData(scenarioID, en.Edit.Inverse()); err != nil {
		return Entry{}, err
	}
	return en, b.Put(keyCursor, seqKey(cur-1))
}

// Redo plays again the edit after the cursor and returns it.
func (t *Tx) Redo(scenarioID string) (Entry, error) {
	if t.f.readOnly {
		return Entry{}, ErrReadOnly
	}
	b, jb, cur, err := t.journal(scenarioID, false)
	if err != nil {
		return Entry{}, err
	}
	if jb == nil || jb.Get(seqKey(cur+1)) == nil {
		return Entry{}, ErrNothingToRedo
	}
	en, err := readEntry(jb, scenarioID, cur+1)
	if err != nil {
		return Entry{}, err
	}
	if err := t.applyData(scenarioID, en.Edit); err != nil {
		return Entry{}, err
	}
	return en, b.Put(keyCursor, seqKey(cur+1))
}

// HistoryState tells what undo and redo would do in a scenario.
type HistoryState struct {
	// Applied is the number of edits that can be undone, Undone the number that can be redone.
	Applied, Undone int
	// UndoKind and RedoKind are the kinds of the next edit to undo and redo ("" when none).
	UndoKind, RedoKind string
}

// HistoryState returns the undo/redo state of a scenario.
func (t *Tx) HistoryState(scenarioID string) (HistoryState, error) {
	_, jb, cur, err := t.journal(scenarioID, false)
	if err != nil || jb == nil {
		return HistoryState{}, err
	}
	var h HistoryState
	h.Applied = int(cur)
	if k, _ := jb.Cursor().Last(); k != nil {
		h.Undone = int(binary.BigEndian.Uint64(k)) - int(cur)
	}
	if cur > 0 {
		en, err := readEntry(jb, scenarioID, cur)
		if err != nil {
			return h, err
		}
		h.UndoKind = en.Edit.Kind
	}
	if h.Undone > 0 {
		en, err := readEntry(jb, scenarioID, cur+1)
		if err != nil {
			return h, err
		}
		h.RedoKind = en.Edit.Kind
	}
	return h, nil
}

// History returns every entry of a scenario's history, oldest first, and the
// cursor (entries with Seq > cursor can be redone).
func (t *Tx) History(scenarioID string) ([]Entry, uint64, error) {
	_, jb, cur, err := t.journal(scenarioID, false)
	if err != nil || jb == nil {
		return nil, cur, err
	}
	var out []Entry
	err = jb.ForEach(func(k, _ []byte) error {
		en, err := readEntry(jb, scenarioID, binary.BigEndian.Uint64(k))
		out = append(out, en)
		return err
	})
	return out, cur, err
}

// applyData writes the changes of e to the stored scenario, in the order of
// edit.ApplyTo, checking that the scenario is as e expects.
func (t *Tx) applyData(scenarioID string, e edit.Edit) error {
	b, err := t.scenario(scenarioID)
	if err != nil {
		return err
	}
	if e.Settings != nil {
		if err := t.setSettings(e.Settings.Before, e.Settings.After); err != nil {
			return err
		}
	}
	tb := b.Bucket(bucketTerritories)
	inserted := false
	for _, n := range e.Nodes {
		if n.After == nil {
			continue
		}
		if n.Before != nil {
			v := tb.Get([]byte(n.ID))
			if v == nil {
				return fmt.Errorf("%w: scenario %q: territory %q: %w", ErrInvalid, scenarioID, n.ID, ErrNotFound)
			}
			r, err := decodeTerritory(n.ID, v)
			if err != nil {
				return err
			}
			if !r.T.Equal(*n.Before) {
				return fmt.Errorf("%w: scenario %q: territory %q is not as the history expects", ErrInvalid, scenarioID, n.ID)
			}
		} else {
			if tb.Get([]byte(n.ID)) != nil {
				return fmt.Errorf("%w: scenario %q: territory %q already exists", ErrInvalid, scenarioID, n.ID)
			}
			inserted = true
		}
		if err := t.PutTerritory(scenarioID, *n.After); err != nil {
			return err
		}
	}
	if inserted {
		if err := t.reorder(scenarioID, tb, e); err != nil {
			return err
		}
	}
	check := func(sub []byte, what string, m edit.Move) error {
		have := string(b.Bucket(sub).Get([]byte(m.ID)))
		if have != m.From {
			return fmt.Errorf("%w: scenario %q: %s %q is in %q, the history expects %q", ErrInvalid, scenarioID, what, m.ID, have, m.From)
		}
		return nil
	}
	for _, m := range e.Units {
		if err := check(bucketUnitTerritory, "unit", m); err != nil {
			return err
		}
		if err := t.SetUnitTerritory(scenarioID, []string{m.ID}, m.To); err != nil {
			return err
		}
	}
	for _, m := range e.Overrides {
		if err := check(bucketAcctTerritory, "account", m); err != nil {
			return err
		}
		if err := t.SetAccountTerritory(scenarioID, []string{m.ID}, m.To); err != nil {
			return err
		}
	}
	for _, l := range e.UnitLocks {
		if err := t.SetUnitLocks(scenarioID, []string{l.ID}, l.Locked); err != nil {
			return err
		}
	}
	for _, l := range e.AccountLocks {
		if err := t.SetAccountLocks(scenarioID, []string{l.ID}, l.Locked); err != nil {
			return err
		}
	}
	for i := len(e.Nodes) - 1; i >= 0; i-- {
		if n := e.Nodes[i]; n.After == nil {
			if err := t.DeleteTerritory(scenarioID, n.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// reorder puts the nodes created by e at their positions (NodeChange.At)
// and renumbers the scenario's territories.
func (t *Tx) reorder(scenarioID string, tb *bolt.Bucket, e edit.Edit) error {
	type rec struct {
		id    string
		order uint64
		t     engine.Territory
	}
	var all []rec
	created := map[string]int{}
	for _, n := range e.Nodes {
		if n.Before == nil && n.After != nil {
			created[n.ID] = n.At
		}
	}
	err := tb.ForEach(func(k, v []byte) error {
		r, err := decodeTerritory(string(k), v)
		if err != nil {
			return err
		}
		if _, ok := created[string(k)]; !ok {
			all = append(all, rec{string(k), r.Order, r.T})
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].order < all[j].order })
	var ids []string
	var byID = map[string]engine.Territory{}
	for _, r := range all {
		ids = append(ids, r.id)
		byID[r.id] = r.t
	}
	for _, n := range e.Nodes {
		if at, ok := created[n.ID]; ok && n.After != nil {
			ids = slices.Insert(ids, min(max(at, 0), len(ids)), n.ID)
			byID[n.ID] = *n.After
		}
	}
	for i, id := range ids {
		if err := tb.Put([]byte(id), encodeTerritory(territoryRecord{Order: uint64(i + 1), T: byID[id]})); err != nil {
			return err
		}
	}
	return tb.SetSequence(uint64(len(ids)))
}

// ApplyEdit plays e on a scenario and records it, in one transaction.
func (f *File) ApplyEdit(scenarioID string, e edit.Edit, at time.Time) (seq uint64, err error) {
	err = f.Update(func(t *Tx) error {
		seq, err = t.ApplyEdit(scenarioID, e, at)
		return err
	})
	return seq, err
}

// Undo takes back the latest edit of a scenario, in one transaction.
func (f *File) Undo(scenarioID string) (en Entry, err error) {
	err = f.Update(func(t *Tx) error {
		en, err = t.Undo(scenarioID)
		return err
	})
	return en, err
}

// Redo plays the next undone edit of a scenario again, in one transaction.
func (f *File) Redo(scenarioID string) (en Entry, err error) {
	err = f.Update(func(t *Tx) error {
		en, err = t.Redo(scenarioID)
		return err
	})
	return en, err
}

// HistoryState returns the undo/redo state of a scenario.
func (f *File) HistoryState(scenarioID string) (h HistoryState, err error) {
	err = f.view(func(tx *bolt.Tx) error {
		h, err = (&Tx{tx: tx, f: f}).HistoryState(scenarioID)
		return err
	})
	return h, err
}

// History returns a scenario's history and cursor.
func (f *File) History(scenarioID string) (es []Entry, cur uint64, err error) {
	err = f.view(func(tx *bolt.Tx) error {
		es, cur, err = (&Tx{tx: tx, f: f}).History(scenarioID)
		return err
	})
	return es, cur, err
}

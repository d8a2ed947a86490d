package planfile

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// SchemaVersion is the version of the file layout this build writes. Files
// with a lower version are migrated when opened for writing; files with a
// higher version are refused with ErrNewerVersion.
const SchemaVersion = 1

// currentVersion is SchemaVersion, as a variable so that tests can register
// migrations to a later version.
var currentVersion = SchemaVersion

// Errors returned by Open, Create and the edits. Check them with errors.Is;
// the returned errors wrap them with details.
var (
	// ErrOpenElsewhere means another process, or another File in this
	// process, holds the plan.
	ErrOpenElsewhere = errors.New("plan is open elsewhere")
	// ErrNewerVersion means the file was written by a newer schema version.
	ErrNewerVersion = errors.New("plan was written by a newer version of Territoria")
	// ErrNeedsUpgrade means an older file was opened read-only and cannot be
	// migrated.
	ErrNeedsUpgrade = errors.New("plan must be upgraded before it can be read")
	// ErrNotAPlan means the file is not a plan file at all.
	ErrNotAPlan = errors.New("not a Territoria plan")
	// ErrCorrupt means the file is a plan file but part of it cannot be read.
	ErrCorrupt = errors.New("plan file is damaged")
	// ErrReadOnly means an edit was attempted on a plan opened read-only.
	ErrReadOnly = errors.New("plan is open read-only")
	// ErrNotFound means an edit named a scenario, territory, unit or account
	// that the plan does not have.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means an edit or a plan handed to Create breaks a rule of
	// the model (an empty id, a duplicate id, a dangling reference).
	ErrInvalid = errors.New("invalid plan data")
)

// Top-level buckets.
var (
	bucketMeta      = []byte("meta")
	bucketAccounts  = []byte("accounts")
	bucketReps      = []byte("reps")
	bucketUnits     = []byte("units")
	bucketUnitIDs   = []byte("unit_ids")
	bucketBorders   = []byte("borders")
	bucketScenarios = []byte("scenarios")
)

// topBuckets are created when a plan is created or opened for writing.
var topBuckets = [][]byte{bucketMeta, bucketAccounts, bucketReps, bucketUnits, bucketUnitIDs, bucketBorders, bucketScenarios}

// Keys and nested buckets of one scenario's bucket.
var (
	keyScenario          = []byte("scenario")
	bucketTerritories    = []byte("territories")
	bucketUnitTerritory  = []byte("units")
	bucketAcctTerritory  = []byte("accounts")
	bucketLockedUnits    = []byte("locked_units")
	bucketLockedAccounts = []byte("locked_accounts")
)

var scenarioBuckets = [][]byte{bucketTerritories, bucketUnitTerritory, bucketAcctTerritory, bucketLockedUnits, bucketLockedAccounts}

// Keys of the meta bucket.
var (
	keySchema        = []byte("schema")
	keyName          = []byte("name")
	keyCurrency      = []byte("currency")
	keyHistoryStart  = []byte("history_start")
	keyHistoryMonths = []byte("history_months")
	keyActive        = []byte("active_scenario")
	keyCreated       = []byte("created")
	keyModified      = []byte("modified")
	keyExportedBy    = []byte("exported_by")
	keyExportedAt    = []byte("exported_at")
	keyFromScenario  = []byte("from_scenario")
	keyReadOnly      = []byte("read_only")
)

// Meta describes a plan file: what Plan carries besides its data, the
// active scenario, timestamps and where a shared copy came from.
type Meta struct {
	// SchemaVersion is the file's schema version. It is set by the package
	// and ignored by SetMeta.
	SchemaVersion int

	Name          string
	Currency      string
	HistoryStart  engine.Month
	HistoryMonths int

	// ActiveScenario is the id of the scenario being shown and edited, or "".
	ActiveScenario string

	// Created and Modified are set by the caller; the package never reads
	// the clock.
	Created  time.Time
	Modified time.Time

	Provenance Provenance
}

// Provenance records where a shared copy of a plan came from. It is empty
// for a plan that was not exported.
type Provenance struct {
	ExportedBy   string
	ExportedAt   time.Time
	FromScenario string
	// ReadOnly asks the application to open the copy read-only; the package
	// only stores it.
	ReadOnly bool
}

func putUvarint(b *bolt.Bucket, key []byte, v uint64) error {
	e := encoder{}
	e.uvarint(v)
	return b.Put(key, e.b)
}

func putTime(b *bolt.Bucket, key []byte, t time.Time) error {
	v, err := t.MarshalBinary()
	if err != nil {
		return fmt.Errorf("%w: time %v: %v", ErrInvalid, t, err)
	}
	return b.Put(key, v)
}

// writeMeta stores m (all fields but SchemaVersion) in the meta bucket.
func writeMeta(b *bolt.Bucket, m Meta) error {
	if m.HistoryMonths < 0 {
		return fmt.Errorf("%w: history months %d is negative", ErrInvalid, m.HistoryMonths)
	}
	e := encoder{}
	e.varint(int64(m.HistoryStart))
	ro := []byte{0}
	if m.Provenance.ReadOnly {
		ro[0] = 1
	}
	for _, kv := range []struct {
		k, v []byte
	}{
		{keyName, []byte(m.Name)},
		{keyCurrency, []byte(m.Currency)},
		{keyHistoryStart, e.b},
		{keyActive, []byte(m.ActiveScenario)},
		{keyExportedBy, []byte(m.Provenance.ExportedBy)},
		{keyFromScenario, []byte(m.Provenance.FromScenario)},
		{keyReadOnly, ro},
	} {
		if err := b.Put(kv.k, kv.v); err != nil {
			return err
		}
	}
	if err := putUvarint(b, keyHistoryMonths, uint64(m.HistoryMonths)); err != nil {
		return err
	}
	for _, kt := range []struct {
		k []byte
		t time.Time
	}{{keyCreated, m.Created}, {keyModified, m.Modified}, {keyExportedAt, m.Provenance.ExportedAt}} {
		if err := putTime(b, kt.k, kt.t); err != nil {
			return err
		}
	}
	return nil
}

// readVersion returns the schema version stored in the meta bucket.
func readVersion(b *bolt.Bucket) (int, error) {
	v := b.Get(keySchema)
	if v == nil {
		return 0, fmt.Errorf("%w: the meta bucket has no schema version", ErrNotAPlan)
	}
	d := decoder{b: v}
	n := d.uvarint()
	d.end("schema version")
	if d.err != nil || n == 0 || n > 1<<20 {
		return 0, fmt.Errorf("%w: schema version record is unreadable", ErrCorrupt)
	}
	return int(n), nil
}

func writeVersion(b *bolt.Bucket, v int) error { return putUvarint(b, keySchema, uint64(v)) }

// readMeta reads the meta bucket. Missing keys read as zero values.
func readMeta(b *bolt.Bucket) (Meta, error) {
	var m Meta
	var err error
	if m.SchemaVersion, err = readVersion(b); err != nil {
		return Meta{}, err
	}
	m.Name = string(b.Get(keyName))
	m.Currency = string(b.Get(keyCurrency))
	m.ActiveScenario = string(b.Get(keyActive))
	m.Provenance.ExportedBy = string(b.Get(keyExportedBy))
	m.Provenance.FromScenario = string(b.Get(keyFromScenario))
	if v := b.Get(keyReadOnly); len(v) == 1 {
		m.Provenance.ReadOnly = v[0] == 1
	}
	if v := b.Get(keyHistoryStart); v != nil {
		d := decoder{b: v}
		m.HistoryStart = engine.Month(d.int32("history start"))
		d.end("history start")
		if d.err != nil {
			return Meta{}, corrupt("meta history start", d.err)
		}
	}
	if v := b.Get(keyHistoryMonths); v != nil {
		d := decoder{b: v}
		n := d.uvarint()
		d.end("history months")
		if d.err == nil && n > maxHistory {
			d.failf("%d months is more than the limit of %d", n, maxHistory)
		}
		if d.err != nil {
			return Meta{}, corrupt("meta history months", d.err)
		}
		m.HistoryMonths = int(n)
	}
	for _, kt := range []struct {
		k []byte
		t *time.Time
	}{{keyCreated, &m.Created}, {keyModified, &m.Modified}, {keyExportedAt, &m.Provenance.ExportedAt}} {
		if v := b.Get(kt.k); v != nil {
			if err := kt.t.UnmarshalBinary(v); err != nil {
				return Meta{}, corrupt("meta "+string(kt.k), err)
			}
		}
	}
	return m, nil
}

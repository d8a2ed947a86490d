package planfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"territoria/engine"
)

// DefaultTimeout is how long Open waits for another holder to release a
// plan before it gives up with ErrOpenElsewhere.
const DefaultTimeout = 300 * time.Millisecond

// Options configure Open.
type Options struct {
	// ReadOnly opens the plan for reading only. Several read-only holders may
	// share a plan; none may while it is open for writing.
	ReadOnly bool
	// Timeout bounds the wait for the file lock; zero means DefaultTimeout.
	Timeout time.Duration
}

// File is an open plan file. Its methods are safe for concurrent use; every
// edit is one transaction, committed to disk before the method returns.
type File struct {
	db       *bolt.DB
	path     string
	readOnly bool

	mu   sync.Mutex
	meta Meta

	// wmu serialises Update calls and guards accounts.
	wmu sync.Mutex

	// accounts locates every account by id. It is built on first need and
	// only touched inside write transactions, which bbolt serialises.
	accounts *accountIndex
}

// Open opens the plan file at path. It fails with ErrOpenElsewhere when the
// plan is held by another process or File, ErrNewerVersion when it was
// written by a newer schema, ErrNotAPlan or ErrCorrupt when it is not a
// readable plan, and an fs.ErrNotExist error when it does not exist. A file
// with an older schema is backed up to BackupPath and upgraded.
func Open(path string, opts Options) (*File, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("open plan: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("open plan %s: %w: it is a folder", path, ErrNotAPlan)
	}
	if err := sniff(path); err != nil {
		return nil, fmt.Errorf("open plan %s: %w", path, err)
	}
	var db *bolt.DB
	err = guard("opening the database", func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open plan %s: %w", path, openError(err))
	}
	f := &File{db: db, path: path, readOnly: opts.ReadOnly}
	if err := f.prepare(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open plan %s: %w", path, err)
	}
	return f, nil
}

func openError(err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return ErrOpenElsewhere
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch):
		return fmt.Errorf("%w: %v", ErrNotAPlan, err)
	case errors.Is(err, berrors.ErrChecksum), errors.Is(err, ErrCorrupt):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return err
}

// prepare checks the schema version, migrates an older file and creates any
// missing bucket, then caches the meta.
func (f *File) prepare() error {
	var version int
	missing := false
	err := f.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return fmt.Errorf("%w: the database has no %q bucket", ErrNotAPlan, bucketMeta)
		}
		var err error
		if version, err = readVersion(b); err != nil {
			return err
		}
		for _, name := range topBuckets {
			if tx.Bucket(name) == nil {
				missing = true
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case version > currentVersion:
		return fmt.Errorf("%w: the file has schema version %d, this build reads versions up to %d", ErrNewerVersion, version, currentVersion)
	case version < currentVersion && f.readOnly:
		return fmt.Errorf("%w: the file has schema version %d, this build uses version %d; open it for writing to upgrade it", ErrNeedsUpgrade, version, currentVersion)
	case version < currentVersion:
		if err := guard("upgrading the plan", func() error { return migrate(f.db, f.path, version) }); err != nil {
			return err
		}
	case missing && !f.readOnly:
		if err := f.db.Update(createBuckets); err != nil {
			return err
		}
	}
	return f.view(func(tx *bolt.Tx) error {
		m, err := readMeta(tx.Bucket(bucketMeta))
		f.meta = m
		return err
	})
}

func createBuckets(tx *bolt.Tx) error {
	for _, name := range topBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// Path returns the path the file was opened with.
func (f *File) Path() string { return f.path }

// ReadOnly reports whether the file was opened read-only.
func (f *File) ReadOnly() bool { return f.readOnly }

// Meta returns the plan's meta as of the last committed edit.
func (f *File) Meta() Meta {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.meta
}

// Close releases the file. The File must not be used afterwards.
func (f *File) Close() error { return f.db.Close() }

// Check verifies the consistency of the database pages (every page
// reachable exactly once, no double frees). It reads the whole file.
func (f *File) Check() error {
	return f.view(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			return fmt.Errorf("%w: %v", ErrCorrupt, errors.Join(errs...))
		}
		return nil
	})
}

// SaveAs writes a consistent copy of the plan to path, replacing any file
// there except the open plan itself. The copy is written to a temporary
// file, synced and renamed, so path never holds a partial plan. The File
// stays open on its original path.
func (f *File) SaveAs(path string) error {
	if same, err := sameFile(f.path, path); err != nil {
		return fmt.Errorf("save plan as %s: %w", path, err)
	} else if same {
		return fmt.Errorf("save plan as %s: %w: it is the open plan itself", path, ErrInvalid)
	}
	err := f.view(func(tx *bolt.Tx) error { return writeCopy(tx, path) })
	if err != nil {
		return fmt.Errorf("save plan as %s: %w", path, err)
	}
	return nil
}

func sameFile(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}

// view runs fn in a read transaction, turning a fault on the mapped file
// into ErrCorrupt.
func (f *File) view(fn func(*bolt.Tx) error) error {
	return guard("reading the plan", func() error { return f.db.View(fn) })
}

// guard runs fn and converts a panic (including a memory fault on the
// mapped file) into an ErrCorrupt error.
func guard(what string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s failed: %v", ErrCorrupt, what, r)
		}
	}()
	return fn()
}

// bbolt's on-disk meta page: a 16-byte page header, then magic, version,
// page size, flags, root bucket (page, sequence), freelist page, page count,
// transaction id and an FNV-64a checksum of the preceding 56 bytes.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	boltPageHeader = 16
	boltMetaSize   = 64
)

type boltMeta struct {
	pageSize uint32
	pgid     uint64
	txid     uint64
}

// sniff checks, before bbolt maps the file, that path is a bbolt database
// whose pages all exist. bbolt trusts its meta page; a truncated file would
// otherwise fault when a page past its end is read.
func sniff(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return err
	}
	size := info.Size()
	if size == 0 {
		return fmt.Errorf("%w: the file is empty", ErrNotAPlan)
	}
	read := func(off int64) (boltMeta, error) {
		buf := make([]byte, boltPageHeader+boltMetaSize)
		if _, err := fh.ReadAt(buf, off); err != nil {
			if errors.Is(err, io.EOF) {
				return boltMeta{}, errNoMagic
			}
			return boltMeta{}, err
		}
		m := buf[boltPageHeader:]
		ne := binary.NativeEndian
		if ne.Uint32(m[0:]) != boltMagic {
			return boltMeta{}, errNoMagic
		}
		if v := ne.Uint32(m[4:]); v != boltVersion {
			return boltMeta{}, fmt.Errorf("%w: database format version %d is not %d", ErrNotAPlan, v, boltVersion)
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != ne.Uint64(m[56:]) {
			return boltMeta{}, fmt.Errorf("%w: the database header checksum does not match", ErrCorrupt)
		}
		return boltMeta{pageSize: ne.Uint32(m[8:]), pgid: ne.Uint64(m[40:]), txid: ne.Uint64(m[48:])}, nil
	}
	m0, err0 := read(0)
	if err0 != nil && !errors.Is(err0, errNoMagic) && !errors.Is(err0, ErrNotAPlan) && !errors.Is(err0, ErrCorrupt) {
		return err0
	}
	var m1 boltMeta
	err1 := errNoMagic
	sizes := []uint32{4096, 8192, 16384, 32768, 65536, 1024, 2048}
	if err0 == nil {
		sizes = []uint32{m0.pageSize}
	}
	for _, ps := range sizes {
		if m1, err1 = read(int64(ps)); err1 == nil || !errors.Is(err1, errNoMagic) {
			break
		}
	}
	if err1 != nil && !errors.Is(err1, errNoMagic) && !errors.Is(err1, ErrNotAPlan) && !errors.Is(err1, ErrCorrupt) {
		return err1
	}
	var m boltMeta
	switch {
	case err0 == nil && err1 == nil:
		m = m0
		if m1.txid > m0.txid {
			m = m1
		}
	case err0 == nil:
		m = m0
	case err1 == nil:
		m = m1
	case errors.Is(err0, errNoMagic) && errors.Is(err1, errNoMagic):
		return fmt.Errorf("%w: the file is not a database", ErrNotAPlan)
	case !errors.Is(err0, errNoMagic):
		return err0
	default:
		return err1
	}
	if m.pageSize < 512 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0 {
		return fmt.Errorf("%w: the database page size %d is invalid", ErrCorrupt, m.pageSize)
	}
	if need := m.pgid * uint64(m.pageSize); m.pgid > 1<<40 || uint64(size) < need {
		return fmt.Errorf("%w: the file is truncated (%d bytes, the database needs %d)", ErrCorrupt, size, need)
	}
	return nil
}

var errNoMagic = errors.New("no database marker")

// Create writes p to a new plan file at path and opens it for writing. It
// fails with an fs.ErrExist error when path exists. The plan is written to a
// temporary file first and linked into place, so a failed Create leaves
// nothing at path. Name, Currency, HistoryStart and HistoryMonths come from
// p, the rest of the meta from meta; an empty ActiveScenario names p's first
// scenario.
func Create(path string, p *engine.Plan, meta Meta) (*File, error) {
	if p == nil {
		return nil, fmt.Errorf("create plan %s: %w: no plan", path, ErrInvalid)
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("create plan %s: %w", path, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("create plan %s: %w", path, err)
	}
	if err := validatePlan(p); err != nil {
		return nil, fmt.Errorf("create plan %s: %w", path, err)
	}
	meta.Name, meta.Currency = p.Name, p.Currency
	meta.HistoryStart, meta.HistoryMonths = p.HistoryStart, p.HistoryMonths
	if meta.ActiveScenario == "" && len(p.Scenarios) > 0 {
		meta.ActiveScenario = p.Scenarios[0].ID
	}
	if meta.ActiveScenario != "" && p.Scenario(meta.ActiveScenario) == nil {
		return nil, fmt.Errorf("create plan %s: active scenario %q: %w", path, meta.ActiveScenario, ErrNotFound)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create plan %s: %w", path, err)
	}
	tmpName := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpName)
	if err := writeNew(tmpName, p, meta); err != nil {
		return nil, fmt.Errorf("create plan %s: %w", path, err)
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create plan %s: %w", path, fs.ErrExist)
		}
		// Some file systems have no hard links.
		if _, serr := os.Lstat(path); serr == nil {
			return nil, fmt.Errorf("create plan %s: %w", path, fs.ErrExist)
		}
		if err := os.Rename(tmpName, path); err != nil {
			return nil, fmt.Errorf("create plan %s: %w", path, err)
		}
	}
	return Open(path, Options{})
}

// writeNew writes the whole plan into the empty database file at path.
// The records are encoded first so that the database can be mapped at its
// final size: bbolt copies every pending value to the heap each time it
// remaps a growing file, which for a large plan costs gigabytes.
func writeNew(path string, p *engine.Plan, meta Meta) error {
	var size int
	encode := func(chunks [][]byte) [][]byte {
		for _, c := range chunks {
			size += len(c)
		}
		return chunks
	}
	accounts := encode(encodeChunks(p.Accounts, accountsPerChunk, encodeAccounts))
	reps := encode(encodeChunks(p.Reps, repsPerChunk, encodeReps))
	units := encode(encodeChunks(p.Units, unitsPerChunk, encodeUnits))
	borders := encode(encodeChunks(p.Borders, bordersPerChunk, encodeBorders))
	for _, s := range p.Scenarios {
		size += 64*(len(s.UnitTerritory)+len(s.AccountTerritory)+len(s.LockedUnits)+len(s.LockedAccounts)) + 128*len(s.Territories)
	}
	size += 48 * len(p.Units)
	// bbolt grows a file mapped at 16 MiB or less to the whole mapping, so a
	// generous margin would bloat small plans; a low estimate only costs a
	// remap.
	initial := size + size/8 + 256<<10

	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout, NoSync: true, InitialMmapSize: initial})
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := createBuckets(tx); err != nil {
			return err
		}
		mb := tx.Bucket(bucketMeta)
		if err := writeVersion(mb, currentVersion); err != nil {
			return err
		}
		if err := writeMeta(mb, meta); err != nil {
			return err
		}
		if err := writeSettings(mb, p.Settings); err != nil {
			return err
		}
		for _, c := range []struct {
			bucket []byte
			chunks [][]byte
		}{{bucketAccounts, accounts}, {bucketReps, reps}, {bucketUnits, units}, {bucketBorders, borders}} {
			if err := putChunks(tx.Bucket(c.bucket), c.chunks); err != nil {
				return err
			}
		}
		ub := tx.Bucket(bucketUnitIDs)
		for i, u := range p.Units {
			if err := ub.Put([]byte(u.ID), itob(uint32(i))); err != nil {
				return fmt.Errorf("unit %q: %w", u.ID, err)
			}
		}
		sb := tx.Bucket(bucketScenarios)
		for i, s := range p.Scenarios {
			if err := writeScenario(sb, s, uint64(i+1)); err != nil {
				return err
			}
		}
		return writeVisits(tx, p.Visits)
	})
	if err == nil {
		err = db.Sync()
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

// encodeChunks encodes items in chunks of size.
func encodeChunks[T any](items []T, size int, encode func([]T) []byte) [][]byte {
	var chunks [][]byte
	for i := 0; i < len(items); i += size {
		chunks = append(chunks, encode(items[i:min(i+size, len(items))]))
	}
	return chunks
}

// putChunks stores encoded chunks under keys 0, 1, 2... (4-byte
// big-endian).
func putChunks(b *bolt.Bucket, chunks [][]byte) error {
	b.FillPercent = 1
	for i, c := range chunks {
		if err := b.Put(itob(uint32(i)), c); err != nil {
			return err
		}
	}
	return nil
}

package planfile

import (
	"fmt"
	"runtime"
	"sort"
	"sync"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// Load reads the whole plan.
//
// What does not round-trip exactly: Account.Unit is derived data and is not
// stored, so every loaded account has Unit == engine.NoIndex. Empty slices
// and maps (History, Attrs, Data, Neighbors, geometries) load as nil, while
// the four maps of every Scenario are never nil, so callers may assign into
// them.
func (f *File) Load() (*engine.Plan, error) {
	var p *engine.Plan
	err := f.view(func(tx *bolt.Tx) error {
		var err error
		p, err = loadPlan(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load plan %s: %w", f.path, err)
	}
	return p, nil
}

func loadPlan(tx *bolt.Tx) (*engine.Plan, error) {
	for _, name := range topBuckets {
		if tx.Bucket(name) == nil {
			return nil, fmt.Errorf("%w: bucket %q is missing", ErrCorrupt, name)
		}
	}
	m, err := readMeta(tx.Bucket(bucketMeta))
	if err != nil {
		return nil, err
	}
	p := &engine.Plan{Name: m.Name, Currency: m.Currency, HistoryStart: m.HistoryStart, HistoryMonths: m.HistoryMonths}
	if p.Settings, err = readSettings(tx.Bucket(bucketMeta)); err != nil {
		return nil, err
	}
	if p.Accounts, err = loadAccounts(tx.Bucket(bucketAccounts)); err != nil {
		return nil, err
	}
	if p.Reps, err = loadChunks(tx.Bucket(bucketReps), decodeReps); err != nil {
		return nil, err
	}
	if p.Units, err = loadChunks(tx.Bucket(bucketUnits), decodeUnits); err != nil {
		return nil, err
	}
	if p.Borders, err = loadChunks(tx.Bucket(bucketBorders), decodeBorders); err != nil {
		return nil, err
	}
	if p.Visits, err = loadVisits(tx); err != nil {
		return nil, err
	}
	if p.Scenarios, err = loadScenarios(tx.Bucket(bucketScenarios)); err != nil {
		return nil, err
	}
	return p, nil
}

// loadChunks decodes every chunk of a bucket, in key order, into one slice.
func loadChunks[T any](b *bolt.Bucket, decode func([]byte) ([]T, error)) ([]T, error) {
	var all []T
	c := b.Cursor()
	want := uint32(0)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := checkChunkKey(k, want); err != nil {
			return nil, err
		}
		want++
		items, err := decode(v)
		if err != nil {
			return nil, err
		}
		if all == nil {
			all = items
		} else {
			all = append(all, items...)
		}
	}
	return all, nil
}

func checkChunkKey(k []byte, want uint32) error {
	if len(k) != 4 || k[0] != byte(want>>24) || k[1] != byte(want>>16) || k[2] != byte(want>>8) || k[3] != byte(want) {
		return fmt.Errorf("%w: chunk %d is missing or misnamed (found key %x)", ErrCorrupt, want, k)
	}
	return nil
}

// loadAccounts decodes the account chunks in parallel into one slice.
func loadAccounts(b *bolt.Bucket) ([]engine.Account, error) {
	type chunk struct {
		data  []byte
		start int
		n     int
	}
	var chunks []chunk
	total := 0
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := checkChunkKey(k, uint32(len(chunks))); err != nil {
			return nil, err
		}
		n, err := accountChunkLen(v)
		if err != nil {
			return nil, fmt.Errorf("chunk %d: %w", len(chunks), err)
		}
		chunks = append(chunks, chunk{data: v, start: total, n: n})
		total += n
	}
	if total == 0 {
		return nil, nil
	}
	accts := make([]engine.Account, total)
	workers := min(runtime.GOMAXPROCS(0), len(chunks))
	next := make(chan int, len(chunks))
	for i := range chunks {
		next <- i
	}
	close(next)
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ch := chunks[i]
				errs[i] = guard("reading accounts", func() error {
					return decodeAccountsInto(ch.data, accts[ch.start:ch.start+ch.n])
				})
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("account chunk %d: %w", i, err)
		}
	}
	return accts, nil
}

// Scenario reads one scenario without loading the rest of the plan.
func (f *File) Scenario(id string) (*engine.Scenario, error) {
	var s *engine.Scenario
	err := f.view(func(tx *bolt.Tx) error {
		sb := scenarioBucket(tx, id)
		if sb == nil {
			return fmt.Errorf("scenario %q: %w", id, ErrNotFound)
		}
		var err error
		s, _, err = loadScenario(id, sb)
		return err
	})
	return s, err
}

func scenarioBucket(tx *bolt.Tx, id string) *bolt.Bucket {
	if id == "" {
		return nil
	}
	if b := tx.Bucket(bucketScenarios); b != nil {
		return b.Bucket([]byte(id))
	}
	return nil
}

func loadScenarios(b *bolt.Bucket) ([]*engine.Scenario, error) {
	type ordered struct {
		order uint64
		s     *engine.Scenario
	}
	var list []ordered
	err := b.ForEachBucket(func(k []byte) error {
		s, order, err := loadScenario(string(k), b.Bucket(k))
		if err != nil {
			return err
		}
		list = append(list, ordered{order, s})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(list, func(i, j int) bool { return list[i].order < list[j].order })
	out := make([]*engine.Scenario, len(list))
	for i := range list {
		out[i] = list[i].s
	}
	return out, nil
}

func loadScenario(id string, b *bolt.Bucket) (*engine.Scenario, uint64, error) {
	v := b.Get(keyScenario)
	if v == nil {
		return nil, 0, fmt.Errorf("%w: scenario %q has no record", ErrCorrupt, id)
	}
	rec, err := decodeScenario(id, v)
	if err != nil {
		return nil, 0, err
	}
	for _, name := range scenarioBuckets {
		if b.Bucket(name) == nil {
			return nil, 0, fmt.Errorf("%w: scenario %q has no %q bucket", ErrCorrupt, id, name)
		}
	}
	s := &engine.Scenario{
		ID:               id,
		Name:             rec.Name,
		UnitTerritory:    stringMap(b.Bucket(bucketUnitTerritory)),
		AccountTerritory: stringMap(b.Bucket(bucketAcctTerritory)),
		LockedUnits:      boolMap(b.Bucket(bucketLockedUnits)),
		LockedAccounts:   boolMap(b.Bucket(bucketLockedAccounts)),
	}
	var recs []territoryRecord
	err = b.Bucket(bucketTerritories).ForEach(func(k, v []byte) error {
		r, err := decodeTerritory(string(k), v)
		recs = append(recs, r)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].Order < recs[j].Order })
	if len(recs) > 0 {
		s.Territories = make([]engine.Territory, len(recs))
		for i := range recs {
			s.Territories[i] = recs[i].T
		}
	}
	return s, rec.Order, nil
}

func stringMap(b *bolt.Bucket) map[string]string {
	m := map[string]string{}
	_ = b.ForEach(func(k, v []byte) error {
		m[string(k)] = string(v)
		return nil
	})
	return m
}

func boolMap(b *bolt.Bucket) map[string]bool {
	m := map[string]bool{}
	_ = b.ForEach(func(k, _ []byte) error {
		m[string(k)] = true
		return nil
	})
	return m
}

package planfile

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"territoria/engine"
)

// The visit log lives in its own top-level bucket, "visits": chunk number
// (4-byte big-endian) → up to 8,192 visits. The bucket is created by the
// first write of visits; a plan without it has no visits, so files written
// before visits existed read unchanged.
var bucketVisits = []byte("visits")

const (
	visitCodec     byte = 1
	visitsPerChunk      = 8192
)

// encodeVisits writes a chunk of visits: version, count, then per visit
// AccountID, RepID, Day (varint), Minutes, Outcome.
func encodeVisits(vs []engine.Visit) []byte {
	e := encoder{}
	e.u8(visitCodec)
	e.uvarint(uint64(len(vs)))
	for _, v := range vs {
		e.str(v.AccountID)
		e.str(v.RepID)
		e.varint(int64(v.Day))
		e.f64(v.Minutes)
		e.str(v.Outcome)
	}
	return e.b
}

func decodeVisits(b []byte) ([]engine.Visit, error) {
	d := decoder{b: b}
	d.version("visit chunk", visitCodec)
	n := d.count("visit", maxChunk, 12)
	vs := make([]engine.Visit, n)
	for i := range vs {
		vs[i] = engine.Visit{AccountID: d.str(), RepID: d.str(), Day: d.int32("visit day"), Minutes: d.f64(), Outcome: d.str()}
		if d.err != nil {
			break
		}
	}
	d.end("visit chunk")
	if d.err != nil {
		return nil, corrupt("visit chunk", d.err)
	}
	return vs, nil
}

// loadVisits reads the visit log; a plan without the bucket has none.
func loadVisits(tx *bolt.Tx) ([]engine.Visit, error) {
	b := tx.Bucket(bucketVisits)
	if b == nil {
		return nil, nil
	}
	return loadChunks(b, decodeVisits)
}

// Visits reads the visit log as this transaction sees it.
func (t *Tx) Visits() ([]engine.Visit, error) { return loadVisits(t.tx) }

// ReplaceVisits makes vs the plan's complete visit log. Every visit must
// name an account.
func (t *Tx) ReplaceVisits(vs []engine.Visit) error {
	for i, v := range vs {
		if v.AccountID == "" {
			return fmt.Errorf("%w: visit %d names no account", ErrInvalid, i)
		}
	}
	if _, err := t.tx.CreateBucketIfNotExists(bucketVisits); err != nil {
		return err
	}
	return replaceChunks(t.tx, bucketVisits, encodeChunks(vs, visitsPerChunk, encodeVisits))
}

// writeVisits stores the visit log of a new plan.
func writeVisits(tx *bolt.Tx, vs []engine.Visit) error {
	if len(vs) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketVisits)
	if err != nil {
		return err
	}
	return putChunks(b, encodeChunks(vs, visitsPerChunk, encodeVisits))
}

package planfile

import (
	"fmt"

	"territoria/engine"
)

// accountIndex locates every stored account by id.
type accountIndex struct {
	pos     map[string]accountPos
	chunks  int // number of chunks
	lastLen int // accounts in the last chunk
}

type accountPos struct {
	chunk uint32
	at    uint32
}

// accountIDs decodes only the ID column of an account chunk.
func accountIDs(b []byte) ([]string, error) {
	n, err := accountChunkLen(b)
	if err != nil {
		return nil, err
	}
	d := decoder{b: b}
	d.version("account chunk", accountCodec)
	d.uvarint()
	ids := make([]engine.Account, n)
	readStrings(&d, ids, func(a *engine.Account, s string) { a.ID = s })
	if d.err != nil {
		return nil, corrupt("account chunk ids", d.err)
	}
	out := make([]string, n)
	for i := range ids {
		out[i] = ids[i].ID
	}
	return out, nil
}

// accountIndex returns the cached index, building it from the account
// chunks on first use.
func (t *Tx) accountIndex() (*accountIndex, error) {
	if t.f.accounts != nil {
		return t.f.accounts, nil
	}
	idx := &accountIndex{pos: map[string]accountPos{}}
	c := t.tx.Bucket(bucketAccounts).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := checkChunkKey(k, uint32(idx.chunks)); err != nil {
			return nil, err
		}
		ids, err := accountIDs(v)
		if err != nil {
			return nil, fmt.Errorf("account chunk %d: %w", idx.chunks, err)
		}
		for i, id := range ids {
			idx.pos[id] = accountPos{uint32(idx.chunks), uint32(i)}
		}
		idx.chunks++
		idx.lastLen = len(ids)
	}
	t.f.accounts = idx
	return idx, nil
}

// PutAccounts adds accounts, replacing in place those whose id is already
// stored. Only the chunks holding changed accounts are rewritten, all in
// this transaction. Account.Unit is not stored.
func (t *Tx) PutAccounts(accts []engine.Account) error {
	seen := make(map[string]struct{}, len(accts))
	for i := range accts {
		if err := checkAccount(&accts[i], i); err != nil {
			return err
		}
		if _, dup := seen[accts[i].ID]; dup {
			return fmt.Errorf("%w: account id %q appears twice in the batch", ErrInvalid, accts[i].ID)
		}
		seen[accts[i].ID] = struct{}{}
	}
	idx, err := t.accountIndex()
	if err != nil {
		return err
	}
	t.indexTouched = true
	b := t.tx.Bucket(bucketAccounts)

	updates := map[uint32][]int{}
	var appends []int
	for i := range accts {
		if p, ok := idx.pos[accts[i].ID]; ok {
			updates[p.chunk] = append(updates[p.chunk], i)
		} else {
			appends = append(appends, i)
		}
	}
	load := func(chunk uint32) ([]engine.Account, error) {
		v := b.Get(itob(chunk))
		if v == nil {
			return nil, fmt.Errorf("%w: account chunk %d is missing", ErrCorrupt, chunk)
		}
		return decodeAccounts(v)
	}
	for chunk, which := range updates {
		cur, err := load(chunk)
		if err != nil {
			return err
		}
		for _, i := range which {
			cur[idx.pos[accts[i].ID].at] = accts[i]
		}
		if err := b.Put(itob(chunk), encodeAccounts(cur)); err != nil {
			return err
		}
	}
	if len(appends) == 0 {
		return nil
	}
	// Fill the last chunk, then start new ones.
	var cur []engine.Account
	chunk := uint32(idx.chunks)
	if idx.chunks > 0 && idx.lastLen < accountsPerChunk {
		chunk = uint32(idx.chunks - 1)
		if cur, err = load(chunk); err != nil {
			return err
		}
	}
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		if err := b.Put(itob(chunk), encodeAccounts(cur)); err != nil {
			return err
		}
		idx.chunks = int(chunk) + 1
		idx.lastLen = len(cur)
		return nil
	}
	for _, i := range appends {
		if len(cur) == accountsPerChunk {
			if err := flush(); err != nil {
				return err
			}
			chunk++
			cur = nil
		}
		idx.pos[accts[i].ID] = accountPos{chunk, uint32(len(cur))}
		cur = append(cur, accts[i])
	}
	return flush()
}

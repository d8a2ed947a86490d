package planfile

import (
	"encoding/binary"
	"fmt"
	"math"

	"territoria/engine"
)

// accountCodec is the version byte that starts every account chunk.
const accountCodec byte = 1

// accountsPerChunk is how many accounts one key of the accounts bucket holds.
const accountsPerChunk = 4096

// encodeAccounts writes a chunk of accounts column by column (codec 1):
//
//	u8      codec version (1)
//	uvarint n, the number of accounts
//	ID      n uvarint lengths, then the n strings' bytes back to back
//	Name    same
//	Tier    dictionary column: uvarint k, k strings, then n uvarint indexes
//	Industry, Size: dictionary columns
//	Loc     n × (f64 lon, f64 lat)
//	Approx  bitset of ⌈n/8⌉ bytes, least significant bit first
//	Potential, LifetimeValue: n × f64 each
//	History n uvarint lengths, then every value as f32
//	Attrs   dictionary of keys (uvarint k, k strings), n uvarint counts, then
//	        for every account its (uvarint key index, f64 value) pairs
//
// Account.Unit is derived data and is not written.
func encodeAccounts(accts []engine.Account) []byte {
	n := len(accts)
	e := encoder{b: make([]byte, 0, n*(64+4*len(firstHistory(accts))))}
	e.u8(accountCodec)
	e.uvarint(uint64(n))

	stringColumn(&e, accts, func(a *engine.Account) string { return a.ID })
	stringColumn(&e, accts, func(a *engine.Account) string { return a.Name })
	dictColumn(&e, accts, func(a *engine.Account) string { return a.Tier })
	dictColumn(&e, accts, func(a *engine.Account) string { return a.Industry })
	dictColumn(&e, accts, func(a *engine.Account) string { return a.Size })

	for i := range accts {
		e.point(accts[i].Loc)
	}
	bits := make([]byte, (n+7)/8)
	for i := range accts {
		if accts[i].Approx {
			bits[i/8] |= 1 << (i % 8)
		}
	}
	e.b = append(e.b, bits...)
	for i := range accts {
		e.f64(accts[i].Potential)
	}
	for i := range accts {
		e.f64(accts[i].LifetimeValue)
	}

	for i := range accts {
		e.uvarint(uint64(len(accts[i].History)))
	}
	for i := range accts {
		for _, v := range accts[i].History {
			e.f32(v)
		}
	}

	keyIndex := map[string]uint64{}
	var keys []string
	for i := range accts {
		for _, k := range sortedKeys(accts[i].Attrs) {
			if _, ok := keyIndex[k]; !ok {
				keyIndex[k] = uint64(len(keys))
				keys = append(keys, k)
			}
		}
	}
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
	}
	for i := range accts {
		e.uvarint(uint64(len(accts[i].Attrs)))
	}
	for i := range accts {
		for _, k := range sortedKeys(accts[i].Attrs) {
			e.uvarint(keyIndex[k])
			e.f64(accts[i].Attrs[k])
		}
	}
	return e.b
}

func firstHistory(accts []engine.Account) []float32 {
	if len(accts) == 0 {
		return nil
	}
	return accts[0].History
}

func stringColumn(e *encoder, accts []engine.Account, get func(*engine.Account) string) {
	for i := range accts {
		e.uvarint(uint64(len(get(&accts[i]))))
	}
	for i := range accts {
		e.b = append(e.b, get(&accts[i])...)
	}
}

func dictColumn(e *encoder, accts []engine.Account, get func(*engine.Account) string) {
	index := map[string]uint64{}
	var dict []string
	idx := make([]uint64, len(accts))
	for i := range accts {
		s := get(&accts[i])
		j, ok := index[s]
		if !ok {
			j = uint64(len(dict))
			index[s] = j
			dict = append(dict, s)
		}
		idx[i] = j
	}
	e.uvarint(uint64(len(dict)))
	for _, s := range dict {
		e.str(s)
	}
	for _, j := range idx {
		e.uvarint(j)
	}
}

// accountChunkLen reads the number of accounts in a chunk without decoding it.
func accountChunkLen(b []byte) (int, error) {
	d := decoder{b: b}
	d.version("account chunk", accountCodec)
	n := d.count("account", maxChunk, 0)
	if d.err != nil {
		return 0, fmt.Errorf("%w: account chunk: %v", ErrCorrupt, d.err)
	}
	return n, nil
}

// decodeAccounts decodes one chunk written by encodeAccounts.
func decodeAccounts(b []byte) ([]engine.Account, error) {
	n, err := accountChunkLen(b)
	if err != nil {
		return nil, err
	}
	dst := make([]engine.Account, n)
	if err := decodeAccountsInto(b, dst); err != nil {
		return nil, err
	}
	return dst, nil
}

// decodeAccountsInto decodes one chunk into dst, whose length must be the
// chunk's account count. Strings of a column share one allocation, and so do
// the histories of the chunk. Account.Unit is set to engine.NoIndex.
func decodeAccountsInto(b []byte, dst []engine.Account) error {
	d := decoder{b: b}
	d.version("account chunk", accountCodec)
	// Every account takes at least 38 bytes across the columns.
	n := d.count("account", maxChunk, 38)
	if d.err == nil && n != len(dst) {
		d.failf("chunk holds %d accounts, expected %d", n, len(dst))
	}
	if d.err != nil {
		return fmt.Errorf("%w: account chunk: %v", ErrCorrupt, d.err)
	}

	readStrings(&d, dst, func(a *engine.Account, s string) { a.ID = s })
	readStrings(&d, dst, func(a *engine.Account, s string) { a.Name = s })
	readDict(&d, "tier", dst, func(a *engine.Account, s string) { a.Tier = s })
	readDict(&d, "industry", dst, func(a *engine.Account, s string) { a.Industry = s })
	readDict(&d, "size", dst, func(a *engine.Account, s string) { a.Size = s })

	if locs := d.take(16 * n); locs != nil {
		for i := range dst {
			dst[i].Loc[0] = math.Float64frombits(binary.LittleEndian.Uint64(locs[16*i:]))
			dst[i].Loc[1] = math.Float64frombits(binary.LittleEndian.Uint64(locs[16*i+8:]))
		}
	}
	if bits := d.take((n + 7) / 8); bits != nil {
		for i := range dst {
			dst[i].Approx = bits[i/8]&(1<<(i%8)) != 0
		}
		if r := n % 8; r != 0 && bits[len(bits)-1]>>r != 0 {
			d.fail(fmt.Errorf("approx bitset has bits set past account %d", n))
		}
	}
	if vals := d.take(8 * n); vals != nil {
		for i := range dst {
			dst[i].Potential = math.Float64frombits(binary.LittleEndian.Uint64(vals[8*i:]))
		}
	}
	if vals := d.take(8 * n); vals != nil {
		for i := range dst {
			dst[i].LifetimeValue = math.Float64frombits(binary.LittleEndian.Uint64(vals[8*i:]))
		}
	}

	// History: lengths first, then one backing array for the whole chunk.
	lens := make([]int, n)
	total := 0
	for i := range lens {
		l := d.uvarint()
		if l > maxHistory {
			d.failf("account %d has %d months of history, more than the limit of %d", i, l, maxHistory)
		}
		if d.err != nil {
			break
		}
		lens[i] = int(l)
		total += int(l)
	}
	if d.err == nil && total > d.remaining()/4 {
		d.fail(errShort)
	}
	if d.err == nil {
		raw := d.take(4 * total)
		hist := make([]float32, total)
		for i := range hist {
			hist[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		off := 0
		for i, l := range lens {
			if l > 0 {
				dst[i].History = hist[off : off+l : off+l]
			} else {
				dst[i].History = nil
			}
			off += l
		}
	}

	// Attrs.
	k := d.count("attribute key", maxDict, 1)
	keys := make([]string, k)
	for i := range keys {
		keys[i] = d.str()
	}
	counts := lens[:0:0]
	if d.err == nil {
		counts = make([]int, n)
	}
	for i := range counts {
		c := d.uvarint()
		if c > maxAttrs || (c > 0 && k == 0) {
			d.failf("account %d has %d attributes, the chunk has %d keys", i, c, k)
		}
		if d.err != nil {
			break
		}
		counts[i] = int(c)
	}
	for i := range counts {
		if d.err != nil {
			break
		}
		dst[i].Attrs = nil
		if counts[i] == 0 {
			continue
		}
		if counts[i] > d.remaining()/9 {
			d.fail(errShort)
			break
		}
		m := make(map[string]float64, counts[i])
		for j := 0; j < counts[i]; j++ {
			ki := d.uvarint()
			v := d.f64()
			if d.err != nil {
				break
			}
			if ki >= uint64(k) {
				d.failf("account %d uses attribute key %d of %d", i, ki, k)
				break
			}
			if _, dup := m[keys[ki]]; dup {
				d.failf("account %d has attribute %q twice", i, keys[ki])
				break
			}
			m[keys[ki]] = v
		}
		dst[i].Attrs = m
	}
	d.end("account chunk")
	if d.err != nil {
		return fmt.Errorf("%w: account chunk: %v", ErrCorrupt, d.err)
	}
	for i := range dst {
		dst[i].Unit = engine.NoIndex
	}
	return nil
}

func readStrings(d *decoder, dst []engine.Account, set func(*engine.Account, string)) {
	if d.err != nil {
		return
	}
	lens := make([]int, len(dst))
	total := 0
	for i := range lens {
		l := d.uvarint()
		if d.err != nil {
			return
		}
		if l > uint64(d.remaining()) {
			d.fail(errShort)
			return
		}
		lens[i] = int(l)
		total += int(l)
		if total > d.remaining() {
			d.fail(errShort)
			return
		}
	}
	blob := d.take(total)
	if d.err != nil {
		return
	}
	all := string(blob)
	off := 0
	for i, l := range lens {
		set(&dst[i], all[off:off+l])
		off += l
	}
}

func readDict(d *decoder, what string, dst []engine.Account, set func(*engine.Account, string)) {
	k := d.count(what+" dictionary", maxDict, 1)
	if d.err != nil {
		return
	}
	if k == 0 && len(dst) > 0 {
		d.failf("%s dictionary is empty", what)
		return
	}
	dict := make([]string, k)
	for i := range dict {
		dict[i] = d.str()
	}
	for i := range dst {
		j := d.uvarint()
		if d.err != nil {
			return
		}
		if j >= uint64(k) {
			d.failf("account %d uses %s %d of %d", i, what, j, k)
			return
		}
		set(&dst[i], dict[j])
	}
}

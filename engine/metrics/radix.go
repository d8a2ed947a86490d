package metrics

import (
	"math"
	"slices"
)

// sortKeys sorts keys in cutKey order (by key, then account), using buf
// as scratch (grown as needed and returned for reuse). Short slices are
// sorted by comparison; longer ones by a least-significant-digit radix
// sort over the account and then the key, a byte at a time, skipping the
// bytes in which all keys agree. A float key is sorted as an unsigned
// integer of the same order (−0 as +0, so that they tie as they compare).
func sortKeys(keys, buf []cutKey) []cutKey {
	switch {
	case len(keys) < 2:
		return buf
	case len(keys) < 256:
		slices.SortFunc(keys, cutKey.cmp)
		return buf
	}
	if cap(buf) < len(keys) {
		buf = make([]cutKey, len(keys))
	}
	src, dst := keys, buf[:len(keys)]
	for shift := uint(0); shift < 32; shift += 8 {
		if radixPass(src, dst, shift, false) {
			src, dst = dst, src
		}
	}
	for shift := uint(0); shift < 64; shift += 8 {
		if radixPass(src, dst, shift, true) {
			src, dst = dst, src
		}
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	return buf
}

// radixPass moves src into dst stably ordered by one byte (at shift) of
// the key's ordered bits (onKey) or of the account, and reports whether it
// moved anything: false when every element has the same byte.
func radixPass(src, dst []cutKey, shift uint, onKey bool) bool {
	digit := func(k *cutKey) byte {
		if onKey {
			return byte(orderedBits(k.key) >> shift)
		}
		return byte(uint32(k.a) >> shift)
	}
	var count [256]int
	for i := range src {
		count[digit(&src[i])]++
	}
	if count[digit(&src[0])] == len(src) {
		return false
	}
	sum := 0
	for d, c := range count {
		count[d] = sum
		sum += c
	}
	for i := range src {
		d := digit(&src[i])
		dst[count[d]] = src[i]
		count[d]++
	}
	return true
}

// orderedBits maps a float to an unsigned integer of the same order, −0
// and +0 alike.
func orderedBits(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	u := math.Float64bits(f)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

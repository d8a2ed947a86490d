package metrics

import (
	"math"
	"slices"
)

// sortKeys sorts keys in cutKey order (by key, then account), using buf
// as scratch (grown as needed and returned for reuse). Short slices are
// sorted by comparison; longer ones by a least-significant-digit radix
// sort over the account and then the key, 11 bits at a time, skipping the
// digits in which all keys agree. A float key is sorted as an unsigned
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
	// The keys' ordered bits stand in the key field while sorting.
	for i := range keys {
		keys[i].key = math.Float64frombits(orderedBits(keys[i].key))
	}
	src, dst := keys, buf[:len(keys)]
	for shift := uint(0); shift < 32; shift += digitBits {
		if radixPass(src, dst, shift, false) {
			src, dst = dst, src
		}
	}
	for shift := uint(0); shift < 64; shift += digitBits {
		if radixPass(src, dst, shift, true) {
			src, dst = dst, src
		}
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
	for i := range keys {
		keys[i].key = fromOrderedBits(math.Float64bits(keys[i].key))
	}
	return buf
}

// radixPass moves src into dst stably ordered by one digit (at shift) of
// the key field's bits (onKey) or of the account, and reports whether it
// moved anything: false when every element has the same digit.
func radixPass(src, dst []cutKey, shift uint, onKey bool) bool {
	var count [1 << digitBits]int
	if onKey {
		for i := range src {
			count[math.Float64bits(src[i].key)>>shift&digitMask]++
		}
	} else {
		for i := range src {
			count[uint32(src[i].a)>>shift&digitMask]++
		}
	}
	for _, c := range count {
		if c == len(src) {
			return false
		}
		if c != 0 {
			break
		}
	}
	sum := 0
	for d, c := range count {
		count[d] = sum
		sum += c
	}
	if onKey {
		for i := range src {
			d := math.Float64bits(src[i].key) >> shift & digitMask
			dst[count[d]] = src[i]
			count[d]++
		}
	} else {
		for i := range src {
			d := uint32(src[i].a) >> shift & digitMask
			dst[count[d]] = src[i]
			count[d]++
		}
	}
	return true
}

// A radix pass sorts on digitBits bits: 11, so that an account index under
// 2^22 takes 2 passes and the key 6, with counts that stay in the
// first-level cache.
const (
	digitBits = 11
	digitMask = 1<<digitBits - 1
)

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

// fromOrderedBits undoes orderedBits (−0 comes back as +0).
func fromOrderedBits(u uint64) float64 {
	if u>>63 == 1 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

package planfile

import (
	"encoding/binary"
	"sort"
)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// itob returns the 4-byte big-endian key of a chunk number, so that chunks
// iterate in order.
func itob(i uint32) []byte {
	return binary.BigEndian.AppendUint32(nil, i)
}

package metrics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortKeys checks the radix sort against a comparison sort, on keys
// with many ties (zero keys, repeated values), −0 and +0, negative and
// infinite keys, and accounts spread over every byte.
func TestSortKeys(t *testing.T) {
	for _, n := range []int{0, 1, 2, 255, 256, 257, 1000, 40000} {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprintf("%d keys, seed %d", n, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(n)))
				keys := make([]cutKey, n)
				for i := range keys {
					var k float64
					switch rng.IntN(8) {
					case 0:
						k = 0
					case 1:
						k = math.Copysign(0, -1)
					case 2:
						k = float64(rng.IntN(5)) // ties
					case 3:
						k = -rng.Float64() * 1e3
					case 4:
						k = math.Inf(1)
					default:
						k = rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
					}
					keys[i] = cutKey{key: k, a: int32(rng.Uint32() >> 1), k: int32(i)}
				}
				if n > 2 {
					keys[1].a = keys[0].a // the same account twice: order by nothing else, stable
					keys[1].key = keys[0].key
				}
				want := slices.Clone(keys)
				slices.SortStableFunc(want, cutKey.cmp)
				got := slices.Clone(keys)
				sortKeys(got, nil)
				for i := range want {
					if got[i].cmp(want[i]) != 0 {
						t.Fatalf("position %d: %+v, want %+v", i, got[i], want[i])
					}
				}
				if n >= 256 && !slices.Equal(got, want) {
					t.Fatal("the radix sort is not stable")
				}
			})
		}
	}
}

func BenchmarkSortKeys(b *testing.B) {
	for _, n := range []int{1000, 57000} {
		rng := rand.New(rand.NewPCG(1, 2))
		keys := make([]cutKey, n)
		for i := range keys {
			keys[i] = cutKey{key: rng.ExpFloat64() * 1e3, a: int32(rng.IntN(1_000_000)), k: int32(i)}
			if i%5 == 0 {
				keys[i].key = 0
			}
		}
		work := make([]cutKey, n)
		var buf []cutKey
		b.Run(fmt.Sprintf("radix/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				copy(work, keys)
				buf = sortKeys(work, buf)
			}
		})
		b.Run(fmt.Sprintf("pdq/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				copy(work, keys)
				slices.SortFunc(work, cutKey.cmp)
			}
		})
	}
}

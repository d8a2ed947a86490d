package optimize

import (
	"math/rand/v2"
	"slices"
	"testing"

	"territoria/engine/assign"
	"territoria/engine/internal/synth"
)

// TestCanLeaveMatchesBFS compares the bounded articulation test with a
// plain search of the territory without the unit, over random alignments.
func TestCanLeaveMatchesBFS(t *testing.T) {
	p := synth.Plan(synth.Config{Seed: 1, Cols: 15, Rows: 12, ArcPoints: 1, Accounts: 2000, Territories: 4})
	assign.LocateAccounts(p)
	pr, err := prepare(p, nil, Options{K: 6, Tolerance: 0.05, Contiguous: true})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	a := slices.Clone(pr.init)
	pr.bisect(rng, a, 0)
	s := newState(pr, a, weights{bal: 1})
	bad, split := 0, 0
	for it := 0; it < 20000; it++ {
		u := int32(rng.IntN(pr.n))
		A := s.a[u]
		// brute force: pieces of A without u containing neighbours of u
		got := s.canLeave(u)
		seen := map[int32]bool{u: true}
		var start int32 = -1
		for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
			if v := pr.adj[j]; s.a[v] == A {
				start = v
				break
			}
		}
		want := true
		if start >= 0 {
			st := []int32{start}
			seen[start] = true
			for len(st) > 0 {
				v := st[len(st)-1]
				st = st[:len(st)-1]
				for j := pr.adjStart[v]; j < pr.adjStart[v+1]; j++ {
					if w := pr.adj[j]; s.a[w] == A && !seen[w] {
						seen[w] = true
						st = append(st, w)
					}
				}
			}
			for j := pr.adjStart[u]; j < pr.adjStart[u+1]; j++ {
				if v := pr.adj[j]; s.a[v] == A && !seen[v] {
					want = false
				}
			}
		}
		if got != want {
			bad++
		}
		if !want {
			split++
		}
		// random move to scramble
		B := int32(rng.IntN(pr.K))
		if B != A && s.cnt[A] > 1 {
			s.apply(int(u), A, B, s.delta(int(u), A, B))
		}
	}
	if bad > 0 || split == 0 {
		t.Errorf("%d mismatches; %d units whose leaving splits their territory", bad, split)
	}
}

package segment_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"territoria/engine"
	"territoria/engine/segment"
)

// acct is an account with a potential, a tier and a monthly history.
func acct(id string, potential float64, tier string, hist ...float32) engine.Account {
	return engine.Account{ID: id, Potential: potential, Tier: tier, History: hist}
}

func classes(t *testing.T, p *engine.Plan, c segment.Config) ([]string, []segment.Flags) {
	t.Helper()
	r, err := segment.Classify(p, c)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(p.Accounts))
	for i := range out {
		out[i] = r.ClassName(i)
	}
	return out, r.Flags
}

func TestParetoClasses(t *testing.T) {
	// Potentials 50, 20, 15, 10, 5 (total 100). Running totals before each
	// account: 0, 50, 70, 85, 95. With A < 80 % and B < 95 %: A A A B C.
	p := &engine.Plan{HistoryMonths: 1, Accounts: []engine.Account{
		acct("e", 10, ""), acct("a", 50, ""), acct("c", 15, ""), acct("b", 20, ""), acct("f", 5, ""),
	}}
	for _, tc := range []struct {
		name       string
		cutA, cutB float64
		want       []string
	}{
		{"default 80/95", 0.8, 0.95, []string{"B", "A", "A", "A", "C"}},
		{"50/90", 0.5, 0.9, []string{"B", "A", "B", "B", "C"}},
		{"A takes the account reaching the cut", 0.49, 0.51, []string{"C", "A", "C", "B", "C"}},
		{"everything within B", 0.1, 1, []string{"B", "A", "B", "B", "B"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := segment.DefaultConfig()
			c.CutA, c.CutB = tc.cutA, tc.cutB
			got, _ := classes(t, p, c)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("classes %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBasisAndFlags(t *testing.T) {
	// Six months of history; recent window 3 months.
	p := &engine.Plan{HistoryMonths: 6, Accounts: []engine.Account{
		acct("big-active", 1000, "C", 10, 10, 10, 10, 10, 10),     // revenue 60: 6 % of potential
		acct("big-sleeping", 900, "A", 50, 50, 50, 0, 0, 0),       // revenue 150, none recently
		acct("big-white", 800, "b", 0, 0, 0, 0, 0, 0),             // no revenue
		acct("small-rich", 10, " A ", 100, 100, 100, 100, 100, 1), // revenue 501
		acct("none", 0, "", 0, 0, 0, 0, 0, 0),
	}}
	c := segment.DefaultConfig()
	c.RecentMonths = 3
	for _, tc := range []struct {
		name  string
		basis segment.Basis
		want  []string
		flags []segment.Flags
	}{
		// Potential 1000, 900, 800, 10, 0 of 2710: before-totals 0, 1000,
		// 1900, 2700 → A (< 2168), A, A, B (< 2574.5 fails: 2700 ≥ 2574.5 → C).
		{"potential", segment.ByPotential, []string{"A", "A", "A", "C", "C"},
			[]segment.Flags{segment.Golden | segment.WhiteSpace, segment.Sleeping, segment.WhiteSpace, 0, 0}},
		// Revenue 60, 150, 0, 501 of 711: small-rich A (0), big-sleeping A
		// (501 < 568.8), big-active B (651 < 675.45), the rest C.
		{"revenue", segment.ByRevenue, []string{"B", "A", "C", "A", "C"},
			[]segment.Flags{segment.WhiteSpace, segment.Sleeping, segment.WhiteSpace, segment.Golden, 0}},
		// Imported tiers, trimmed: "", "A", "C", "b" → classes A, C, b, "" (empty last).
		{"tier", segment.ByTier, []string{"C", "A", "b", "A", ""},
			[]segment.Flags{segment.WhiteSpace, segment.Sleeping, segment.WhiteSpace, segment.Golden, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := c
			c.Basis = tc.basis
			got, flags := classes(t, p, c)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("classes %v, want %v", got, tc.want)
			}
			if !slices.Equal(flags, tc.flags) {
				t.Fatalf("flags %v, want %v", flags, tc.flags)
			}
		})
	}
	t.Run("blend", func(t *testing.T) {
		c := c
		c.Basis, c.BlendPotential = segment.ByBlend, 0
		got, _ := classes(t, p, c)
		want, _ := classes(t, p, func() segment.Config { c := c; c.Basis = segment.ByRevenue; return c }())
		if !slices.Equal(got, want) {
			t.Fatalf("blend with weight 0 on potential %v, revenue basis %v", got, want)
		}
	})
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*segment.Config)
	}{
		{"basis", func(c *segment.Config) { c.Basis = "size" }},
		{"cuts reversed", func(c *segment.Config) { c.CutA, c.CutB = 0.9, 0.8 }},
		{"cut above 1", func(c *segment.Config) { c.CutB = 1.2 }},
		{"recent months", func(c *segment.Config) { c.RecentMonths = 0 }},
		{"white space", func(c *segment.Config) { c.WhiteSpaceShare = -0.1 }},
		{"blend", func(c *segment.Config) { c.BlendPotential = 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := segment.DefaultConfig()
			tc.edit(&c)
			if _, err := segment.Classify(&engine.Plan{}, c); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	s := 0.2
	c := segment.ConfigFor(&engine.SegmentSettings{Basis: "revenue", CutA: 0.6, WhiteSpaceShare: &s})
	if c.Basis != segment.ByRevenue || c.CutA != 0.6 || c.CutB != segment.DefaultCutB || c.WhiteSpaceShare != 0.2 || c.RecentMonths != 6 {
		t.Fatalf("ConfigFor %+v", c)
	}
}

// TestParetoShares checks on random plans that class A holds at least the
// cut-off share of the basis and no smaller set of the largest accounts
// does, and that the classes are ordered by value.
func TestParetoShares(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 9))
			p := &engine.Plan{HistoryMonths: 12}
			for i := 0; i < 2000; i++ {
				p.Accounts = append(p.Accounts, acct(fmt.Sprint(i), float64(rng.IntN(1000))*rng.Float64(), ""))
			}
			got, _ := classes(t, p, segment.DefaultConfig())
			var total, inA, minA, maxB float64
			minA = 1e18
			for i, a := range p.Accounts {
				total += a.Potential
				if got[i] == "A" {
					inA += a.Potential
					minA = min(minA, a.Potential)
				} else {
					maxB = max(maxB, a.Potential)
				}
			}
			if inA < 0.8*total || inA-minA >= 0.8*total {
				t.Fatalf("A holds %v of %v (smallest %v)", inA, total, minA)
			}
			if maxB > minA {
				t.Fatalf("an account outside A (%v) is larger than one in A (%v)", maxB, minA)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	p := &engine.Plan{HistoryMonths: 2, Accounts: []engine.Account{
		acct("a", 100, "", 5, 5), acct("b", 1, "", 0, 0), acct("c", 1, "", 1, 0),
	}}
	r, err := segment.Classify(p, segment.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summarize(p)
	if s.Classes[0].Accounts != 1 || s.Classes[0].Potential != 100 || s.Classes[0].Revenue != 10 {
		t.Fatalf("class A %+v", s.Classes[0])
	}
	if s.Flags[0].Name != "golden" || s.Flags[0].Accounts != 1 {
		t.Fatalf("golden %+v", s.Flags[0])
	}
}

func BenchmarkClassify1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := &engine.Plan{HistoryMonths: 24, Accounts: make([]engine.Account, 1_000_000)}
	hist := make([]float32, 24*len(p.Accounts))
	for i := range p.Accounts {
		h := hist[i*24 : (i+1)*24]
		for m := range h {
			h[m] = float32(rng.IntN(1000))
		}
		p.Accounts[i] = engine.Account{Potential: rng.ExpFloat64() * 1e4, History: h}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := segment.Classify(p, segment.DefaultConfig()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestManyTiers(t *testing.T) {
	p := &engine.Plan{HistoryMonths: 1}
	for i := 0; i < segment.MaxTiers+10; i++ {
		for k := 0; k <= i%3; k++ {
			p.Accounts = append(p.Accounts, acct(fmt.Sprint(i, "-", k), 1, fmt.Sprint("t", i)))
		}
	}
	p.Accounts = append(p.Accounts, acct("x", 1, "(other)"), acct("y", 1, "(other)"), acct("z", 1, "(other)"))
	c := segment.DefaultConfig()
	c.Basis = segment.ByTier
	r, err := segment.Classify(p, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Classes) != segment.MaxTiers+1 || r.Classes[len(r.Classes)-1] != "((other))" {
		t.Fatalf("%d classes, last %q", len(r.Classes), r.Classes[len(r.Classes)-1])
	}
	seen := map[string]bool{}
	for _, c := range r.Classes {
		if seen[c] {
			t.Fatalf("class %q twice", c)
		}
		seen[c] = true
	}
}

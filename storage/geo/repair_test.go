package geo

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func planarArea(mp orb.MultiPolygon) float64 {
	var s float64
	for _, p := range mp {
		for i, r := range p {
			if i == 0 {
				s += math.Abs(signedArea(r))
			} else {
				s -= math.Abs(signedArea(r))
			}
		}
	}
	return s
}

func TestRepair(t *testing.T) {
	cases := []struct {
		name      string
		in        orb.MultiPolygon
		polygons  int
		rings     int // total rings in the result
		area      float64
		noteWords string // a word the notes must contain ("" when no note is expected)
	}{
		{
			name:     "valid square is kept",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4,
		},
		{
			name:     "clockwise exterior is rewound",
			in:       orb.MultiPolygon{{{{0, 0}, {0, 2}, {2, 2}, {2, 0}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "rewound",
		},
		{
			name:     "counterclockwise hole is rewound",
			in:       orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}}}},
			polygons: 1, rings: 2, area: 15, noteWords: "rewound",
		},
		{
			name:     "unclosed ring is closed",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "closed",
		},
		{
			name:     "repeated points are dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 2}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "repeated",
		},
		{
			name:     "spike is dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 1}, {3, 1}, {2, 1}, {2, 2}, {0, 2}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "spike",
		},
		{
			name:     "collinear spike is dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {3, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "spike",
		},
		{
			name:     "inner loop touching the exterior becomes a hole",
			in:       orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {2, 4}, {3, 2}, {1, 2}, {2, 4}, {0, 4}, {0, 0}}}},
			polygons: 1, rings: 2, area: 14, noteWords: "hole",
		},
		{
			name:     "figure eight becomes two polygons",
			in:       orb.MultiPolygon{{{{0, 0}, {1, 1}, {2, 0}, {2, 2}, {1, 1}, {0, 2}, {0, 0}}}},
			polygons: 2, rings: 2, area: 2, noteWords: "split",
		},
		{
			name:     "crossing bow tie is split at the crossing",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}},
			polygons: 2, rings: 2, area: 2, noteWords: "crosses",
		},
		{
			name:     "ring without area is dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}},
			polygons: 1, rings: 1, area: 0.5, noteWords: "without area",
		},
		{
			name:     "hole outside the exterior is dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, {{5, 5}, {5, 6}, {6, 6}, {6, 5}, {5, 5}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "outside",
		},
		{
			name:     "non-finite point is dropped",
			in:       orb.MultiPolygon{{{{0, 0}, {2, 0}, {math.NaN(), 1}, {2, 2}, {0, 2}, {0, 0}}}},
			polygons: 1, rings: 1, area: 4, noteWords: "non-finite",
		},
		{
			name:     "empty input",
			in:       nil,
			polygons: 0, rings: 0, area: 0,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := orb.Clone(c.in)
			out, notes := Repair(c.in)
			if c.in != nil && !orb.Equal(in, c.in) && !strings.Contains(c.name, "non-finite") {
				t.Error("input was modified")
			}
			if p := Validate(out); len(p) > 0 {
				t.Errorf("still invalid: %v", p)
			}
			if !Oriented(out) {
				t.Errorf("not oriented: %v", out)
			}
			rings := 0
			for _, p := range out {
				rings += len(p)
			}
			if len(out) != c.polygons || rings != c.rings {
				t.Errorf("got %d polygons and %d rings, want %d and %d: %v", len(out), rings, c.polygons, c.rings, out)
			}
			if a := planarArea(out); math.Abs(a-c.area) > 1e-9 {
				t.Errorf("area %v, want %v", a, c.area)
			}
			joined := strings.Join(notes, "; ")
			if c.noteWords == "" && len(notes) > 0 {
				t.Errorf("unexpected notes: %s", joined)
			}
			if c.noteWords != "" && !strings.Contains(joined, c.noteWords) {
				t.Errorf("notes %q do not mention %q", joined, c.noteWords)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		in   orb.MultiPolygon
		want string // "" for valid
	}{
		{"valid", orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}}}, ""},
		{"clockwise is not a structural problem", orb.MultiPolygon{{{{0, 0}, {0, 2}, {2, 2}, {2, 0}, {0, 0}}}}, ""},
		{"too few points", orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}}, "at least 4"},
		{"not closed", orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}}}}, "not closed"},
		{"repeated point", orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 0}}}}, "repeats"},
		{"spike", orb.MultiPolygon{{{{0, 0}, {2, 0}, {3, 0}, {2, 0}, {2, 2}, {0, 0}}}}, "spike"},
		{"no area", orb.MultiPolygon{{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}}}, "no area"},
		{"touches itself", orb.MultiPolygon{{{{0, 0}, {1, 1}, {2, 0}, {2, 2}, {1, 1}, {0, 2}, {0, 0}}}}, "touches itself"},
		{"crosses itself", orb.MultiPolygon{{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}}, "crosses"},
		{"vertex on an edge", orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {2, 0}, {0, 4}, {0, 0}}}}, "touches itself near"},
		{"hole outside", orb.MultiPolygon{{{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, {{5, 5}, {6, 5}, {6, 6}, {5, 5}}}}, "outside"},
		{"no rings", orb.MultiPolygon{{}}, "no rings"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(Validate(c.in), "; ")
			if c.want == "" && got != "" {
				t.Errorf("got %q, want valid", got)
			}
			if c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("got %q, want a problem mentioning %q", got, c.want)
			}
		})
	}
}

func BenchmarkRepair(b *testing.B) {
	// A 2,000-point ring with a spike and a self-touching loop.
	var r orb.Ring
	for i := 0; i < 2000; i++ {
		a := 2 * math.Pi * float64(i) / 2000
		r = append(r, orb.Point{math.Cos(a), math.Sin(a)})
	}
	r = append(r[:500], append(orb.Ring{{2, 2}, r[500]}, r[500:]...)...)
	r = append(r, r[0])
	mp := orb.MultiPolygon{{r}}
	b.ReportAllocs()
	for b.Loop() {
		Repair(mp)
	}
}

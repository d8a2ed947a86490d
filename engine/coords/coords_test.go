package coords

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

// Reference points published with the widely used open implementations
// (coordtransform's README example at Tiananmen, eviltransform's tests in
// Shanghai, Shenzhen and Beijing).
func TestReferencePoints(t *testing.T) {
	tests := []struct {
		name string
		fn   func(orb.Point) orb.Point
		in   orb.Point
		want orb.Point
		tol  float64
	}{
		{"wgs→gcj tiananmen", WGS84ToGCJ02, orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}, 1e-9},
		{"gcj→bd tiananmen", GCJ02ToBD09, orb.Point{116.404, 39.915}, orb.Point{116.41036949371029, 39.92133699351021}, 1e-9},
		// The published closed form of the inverse is good to ~0.2 m; ours is exact.
		{"bd→gcj tiananmen", BD09ToGCJ02, orb.Point{116.404, 39.915}, orb.Point{116.39762729119315, 39.90865673957631}, 2e-6},
		// eviltransform uses a slightly different earth radius: agreement to ~1 cm.
		{"wgs→gcj shanghai", WGS84ToGCJ02, orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}, 2e-7},
		{"wgs→gcj shenzhen", WGS84ToGCJ02, orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}, 2e-7},
		{"wgs→gcj beijing", WGS84ToGCJ02, orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}, 2e-7},
		{"gcj→wgs shanghai", GCJ02ToWGS84, orb.Point{121.531541859215, 31.17530398364597}, orb.Point{121.5272106, 31.1774276}, 2e-7},
		{"outside china unchanged", GCJ02ToWGS84, orb.Point{-122.4, 37.8}, orb.Point{-122.4, 37.8}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); !near(got, tt.want, tt.tol) {
				t.Errorf("got %.10f, want %.10f", got, tt.want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	seed := int64(20261126)
	r := rand.New(rand.NewSource(seed))
	for i := 0; i < 2000; i++ {
		p := orb.Point{73 + r.Float64()*62, 18 + r.Float64()*35}
		if got := GCJ02ToWGS84(WGS84ToGCJ02(p)); !near(got, p, 1e-8) {
			t.Fatalf("seed %d: gcj round trip of %v gave %v", seed, p, got)
		}
		if got := BD09ToWGS84(WGS84ToBD09(p)); !near(got, p, 1e-8) {
			t.Fatalf("seed %d: bd round trip of %v gave %v", seed, p, got)
		}
	}
}

func TestToWGS84(t *testing.T) {
	p := orb.Point{116.404, 39.915}
	for _, sys := range []System{WGS84, GCJ02, BD09, "other"} {
		t.Run(string(sys), func(t *testing.T) {
			got, ok := ToWGS84(p, sys)
			if ok != (sys != "other") {
				t.Errorf("ok %v", ok)
			}
			if (sys == WGS84 || sys == "other") != (got == p) {
				t.Errorf("got %v", got)
			}
		})
	}
}

func ExampleGCJ02ToWGS84() {
	w := GCJ02ToWGS84(orb.Point{116.41024449916938, 39.91640428150164})
	fmt.Printf("%.6f %.6f\n", w[0], w[1])
	// Output: 116.404000 39.915000
}

func BenchmarkGCJ02ToWGS84(b *testing.B) {
	b.ReportAllocs()
	p := orb.Point{116.41, 39.91}
	for i := 0; i < b.N; i++ {
		_ = GCJ02ToWGS84(p)
	}
}

package metrics

import (
	"math"
	"testing"
)

func TestHaversine(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		lon1, lat1, lon2, lat2 float64
		want                   float64
	}{
		{"one degree of latitude", 10, 0, 10, 1, kmPerDegree},
		{"one degree of longitude on the equator", 0, 0, 1, 0, kmPerDegree},
		{"antipodes", 0, 0, 180, 0, math.Pi * 6371.0088},
		{"same point", 5, 5, 5, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := haversineKm(tc.lon1, tc.lat1, tc.lon2, tc.lat2); math.Abs(got-tc.want) > 1e-9*math.Max(1, tc.want) {
				t.Fatalf("%v km, want %v", got, tc.want)
			}
		})
	}
}

func TestWrapLon(t *testing.T) {
	for _, tc := range []struct{ lon, lon0, want float64 }{
		{10, 0, 10}, {-170, 170, 20}, {170, -170, -20}, {180, 0, -180}, {0, 0, 0},
	} {
		if got := wrapLon(tc.lon, tc.lon0); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("wrapLon(%v, %v) = %v, want %v", tc.lon, tc.lon0, got, tc.want)
		}
	}
}

// moments returns the travel moments of visits at points (x, y) with
// weights w, x in degrees from the reference longitude.
func moments(pts [][3]float64) (v float64, o []float64) {
	o = make([]float64, mSlots)
	for _, p := range pts {
		x, y, w := p[0], p[1], p[2]
		v += w
		o[mWX] += w * x
		o[mWY] += w * y
		o[mWXX] += w * x * x
		o[mWYY] += w * y * y
		o[mWXY] += w * x * y
	}
	return v, o
}

func TestTravelOf(t *testing.T) {
	tr := DefaultTravel()
	ky := kmPerDegree
	// Four visits at the corners of a square of 1° around (0, 0): variance
	// 0.25 deg² on each axis, no covariance, so the visits spread over
	// A = 4π·√det = 4π·0.25·kx·ky km² (kx = ky on the equator).
	square := [][3]float64{{-0.5, -0.5, 1}, {0.5, -0.5, 1}, {-0.5, 0.5, 1}, {0.5, 0.5, 1}}
	area := 4 * math.Pi * 0.25 * ky * ky
	local := 1.3 * 0.7124 * math.Sqrt(4*area) // tour through the 4 visits, by road
	spread := math.Sqrt(0.5) * ky             // root-mean-square distance from the centre
	days := 4 / 4.3
	for _, tc := range []struct {
		name   string
		pts    [][3]float64
		home   *repHome
		wantKm float64
	}{
		{"home at the centre: drive out capped at 2 h (100 km) each way", square, &repHome{ok: true},
			local + 2*math.Min(1.3*spread, 100)*days},
		{"no home: from the centre", square, nil, local + 2*math.Min(1.3*spread, 100)*days},
		// Two visits 1° apart along the equator around a home between
		// them: no area, no tour; the drive out is 0.5° = 55.6 km.
		{"on a line", [][3]float64{{-0.5, 0, 1}, {0.5, 0, 1}}, &repHome{ok: true}, 2 * 1.3 * 0.5 * ky * 2 / 4.3},
		// The same visits with the home 0.2° north: r² = d² + spread².
		{"home off the centre", [][3]float64{{-0.5, 0, 1}, {0.5, 0, 1}}, &repHome{lat: 0.2, ok: true},
			2 * 1.3 * math.Hypot(0.2*ky, 0.5*ky) * 2 / 4.3},
		{"weights are visits", [][3]float64{{0, 0, 3}}, &repHome{lat: 0.3, ok: true}, 2 * 1.3 * 0.3 * ky * 3 / 4.3},
		{"no visits", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, o := moments(tc.pts)
			km, h, marg := travelOf(&tr, v, o, 0, 0, tc.home)
			if math.Abs(km-tc.wantKm) > 1e-9*math.Max(1, tc.wantKm) {
				t.Fatalf("%v km, want %v", km, tc.wantKm)
			}
			if math.Abs(h-km/50) > 1e-12*math.Max(1, h) {
				t.Fatalf("%v h for %v km at 50 km/h", h, km)
			}
			if v > 0 && !(marg > 0) {
				t.Fatalf("marginal hours per visit %v", marg)
			}
		})
	}
}

func TestTravelMarginal(t *testing.T) {
	// The hours per extra visit are the derivative of the hours in the
	// number of visits (the spread and the drive out staying the same).
	tr := DefaultTravel()
	pts := [][3]float64{{-1, 0.3, 2}, {0.4, -0.2, 5}, {0.8, 0.9, 1}, {-0.3, -0.7, 3}}
	v, o := moments(pts)
	home := &repHome{lon: 0.5, lat: 0.5, ok: true}
	_, h0, marg := travelOf(&tr, v, o, 0, 0, home)
	const eps = 1e-4
	scaled := make([]float64, len(o))
	for i := range o {
		scaled[i] = o[i] * (v + eps) / v
	}
	_, h1, _ := travelOf(&tr, v+eps, scaled, 0, 0, home)
	if d := (h1 - h0) / eps; math.Abs(d-marg) > 1e-5*marg {
		t.Fatalf("marginal %v, numerical derivative %v", marg, d)
	}
}

// Package coords converts the coordinate systems Chinese map services and
// CRMs export into WGS-84: GCJ-02 (the "Mars" datum of AMap/Gaode, Tencent
// and Google China) and BD-09 (Baidu). Points are orb.Point {lon, lat}.
//
// The GCJ-02 offset is the published obfuscation polynomial on the
// Krasovsky ellipsoid; it is only applied inside mainland China's bounding
// box, as the services do. The inverse is solved by fixed-point iteration
// to better than 1e-7 degrees (about a centimetre).
package coords

import (
	"math"

	"github.com/paulmach/orb"
)

// System names a geographic coordinate system of input data.
type System string

// The systems Convert understands.
const (
	WGS84 System = "wgs84"
	GCJ02 System = "gcj02"
	BD09  System = "bd09"
)

// ToWGS84 converts p from sys to WGS-84. An unknown system returns p unchanged
// and false.
func ToWGS84(p orb.Point, sys System) (orb.Point, bool) {
	switch sys {
	case WGS84, "":
		return p, true
	case GCJ02:
		return GCJ02ToWGS84(p), true
	case BD09:
		return BD09ToWGS84(p), true
	}
	return p, false
}

const (
	krasovskyA = 6378245.0
	krasovskyE = 0.00669342162296594323
	xPi        = math.Pi * 3000.0 / 180.0
)

// OutOfChina reports whether p lies outside the box where GCJ-02 differs
// from WGS-84.
func OutOfChina(p orb.Point) bool {
	return p[0] < 72.004 || p[0] > 137.8347 || p[1] < 0.8293 || p[1] > 55.8271
}

func offset(p orb.Point) (dlon, dlat float64) {
	x, y := p[0]-105.0, p[1]-35.0
	common := (20.0*math.Sin(6.0*x*math.Pi) + 20.0*math.Sin(2.0*x*math.Pi)) * 2.0 / 3.0
	lat := -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x)) + common
	lat += (20.0*math.Sin(y*math.Pi) + 40.0*math.Sin(y/3.0*math.Pi)) * 2.0 / 3.0
	lat += (160.0*math.Sin(y/12.0*math.Pi) + 320*math.Sin(y*math.Pi/30.0)) * 2.0 / 3.0
	lon := 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x)) + common
	lon += (20.0*math.Sin(x*math.Pi) + 40.0*math.Sin(x/3.0*math.Pi)) * 2.0 / 3.0
	lon += (150.0*math.Sin(x/12.0*math.Pi) + 300.0*math.Sin(x/30.0*math.Pi)) * 2.0 / 3.0
	rad := p[1] / 180.0 * math.Pi
	magic := math.Sin(rad)
	magic = 1 - krasovskyE*magic*magic
	sq := math.Sqrt(magic)
	dlat = (lat * 180.0) / ((krasovskyA * (1 - krasovskyE)) / (magic * sq) * math.Pi)
	dlon = (lon * 180.0) / (krasovskyA / sq * math.Cos(rad) * math.Pi)
	return dlon, dlat
}

// WGS84ToGCJ02 applies the GCJ-02 offset to a WGS-84 point.
func WGS84ToGCJ02(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	dlon, dlat := offset(p)
	return orb.Point{p[0] + dlon, p[1] + dlat}
}

// GCJ02ToWGS84 removes the GCJ-02 offset, solving WGS84ToGCJ02(w) = p for w.
func GCJ02ToWGS84(p orb.Point) orb.Point {
	if OutOfChina(p) {
		return p
	}
	w := p
	for i := 0; i < 30; i++ {
		g := WGS84ToGCJ02(w)
		dx, dy := p[0]-g[0], p[1]-g[1]
		w = orb.Point{w[0] + dx, w[1] + dy}
		if math.Abs(dx) < 1e-9 && math.Abs(dy) < 1e-9 {
			break
		}
	}
	return w
}

// GCJ02ToBD09 converts a GCJ-02 point to Baidu's BD-09.
func GCJ02ToBD09(p orb.Point) orb.Point {
	x, y := p[0], p[1]
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*xPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*xPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

// BD09ToGCJ02 converts a Baidu BD-09 point to GCJ-02: the published
// closed form, refined by iteration so that it inverts GCJ02ToBD09 exactly.
func BD09ToGCJ02(p orb.Point) orb.Point {
	g := bd09ToGCJ02Approx(p)
	for i := 0; i < 10; i++ {
		b := GCJ02ToBD09(g)
		dx, dy := p[0]-b[0], p[1]-b[1]
		g = orb.Point{g[0] + dx, g[1] + dy}
		if math.Abs(dx) < 1e-10 && math.Abs(dy) < 1e-10 {
			break
		}
	}
	return g
}

func bd09ToGCJ02Approx(p orb.Point) orb.Point {
	x, y := p[0]-0.0065, p[1]-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*xPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*xPi)
	return orb.Point{z * math.Cos(theta), z * math.Sin(theta)}
}

// BD09ToWGS84 converts a Baidu BD-09 point to WGS-84.
func BD09ToWGS84(p orb.Point) orb.Point { return GCJ02ToWGS84(BD09ToGCJ02(p)) }

// WGS84ToBD09 converts a WGS-84 point to Baidu's BD-09.
func WGS84ToBD09(p orb.Point) orb.Point { return GCJ02ToBD09(WGS84ToGCJ02(p)) }

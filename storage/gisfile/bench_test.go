package gisfile

import (
	"testing"

	"github.com/paulmach/orb"
)

func BenchmarkReadCountiesTopoJSON(b *testing.B) {
	countiesGeoJSON(b) // skips without us-atlas
	b.ReportAllocs()
	for b.Loop() {
		read(b, countiesPath, Options{})
	}
}

func BenchmarkReadCountiesGeoJSON(b *testing.B) {
	p := countiesGeoJSON(b)
	b.ReportAllocs()
	for b.Loop() {
		read(b, p, Options{})
	}
}

// BenchmarkBuildUnitsCountiesGeoJSON repairs the 3,231 counties, computes
// areas and label points, and finds their borders by shared edges.
func BenchmarkBuildUnitsCountiesGeoJSON(b *testing.B) {
	l := read(b, countiesGeoJSON(b), Options{})
	b.ReportAllocs()
	for b.Loop() {
		build(b, l, UnitOptions{})
	}
}

func BenchmarkBuildUnitsCountiesTopoJSON(b *testing.B) {
	countiesGeoJSON(b)
	l := read(b, countiesPath, Options{})
	b.ReportAllocs()
	for b.Loop() {
		build(b, l, UnitOptions{})
	}
}

func BenchmarkBordersCounties(b *testing.B) {
	l := read(b, countiesGeoJSON(b), Options{})
	geoms := make([]orb.MultiPolygon, len(l.Features))
	for i, f := range l.Features {
		geoms[i] = f.Geom
	}
	b.ReportAllocs()
	for b.Loop() {
		Borders(geoms, 0)
	}
}

func BenchmarkReadZippedShapefile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		read(b, "testdata/ct_ri_counties.zip", Options{})
	}
}

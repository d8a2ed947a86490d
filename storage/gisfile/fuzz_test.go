package gisfile

import (
	"bytes"
	"os"
	"testing"
)

// fuzzLimits keep a fuzzed input from spending its time on size.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxFeatures: 1000, MaxPoints: 100_000, MaxMembers: 32}

// checkLayer asserts what every successful read promises, then builds
// units from it, which must not fail for any reason but "no units".
func checkLayer(t *testing.T, l *Layer) {
	for _, f := range l.Features {
		if f.Number < 1 {
			t.Fatalf("feature number %d", f.Number)
		}
		if q, bad := outOfRange(f.Geom); bad {
			t.Fatalf("feature %d: position %v out of range after reading", f.Number, q)
		}
	}
	if len(l.Features) == 0 {
		return
	}
	us, err := BuildUnits(ctx, l, UnitOptions{})
	if err != nil {
		return
	}
	n := int32(len(us.Units))
	for _, b := range us.Borders {
		if b.Left < 0 || b.Left >= n || b.Right < -1 || b.Right >= n {
			t.Fatalf("border %+v out of range for %d units", b, n)
		}
	}
}

func seedFiles(f *testing.F, paths ...string) {
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzReadGeoJSON(f *testing.F) {
	seedFiles(f, "testdata/ct_ri_3857.geojson")
	f.Add([]byte(`{"type":"Feature","id":1,"properties":{"a":[1]},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}`))
	f.Add([]byte(`{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,1],[0,0]]]},{"type":"Point","coordinates":[0,0]}]}`))
	f.Add([]byte(`{"features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[2e6,0],[0,2e6],[0,0]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadGeoJSON(ctx, bytes.NewReader(data), "f.geojson", Options{Limits: fuzzLimits})
		if err != nil {
			return
		}
		checkLayer(t, l)
	})
}

func FuzzReadKML(f *testing.F) {
	seedFiles(f, "testdata/ri_counties.kml")
	f.Add([]byte(`<kml><Placemark id="a"><name>x</name><ExtendedData><SchemaData><SimpleData name="k">1</SimpleData></SchemaData></ExtendedData>` +
		`<MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs>` +
		`<innerBoundaryIs><LinearRing><coordinates>0.1,0.1 0.2,0.1 0.2,0.2 0.1,0.1</coordinates></LinearRing></innerBoundaryIs></Polygon></MultiGeometry></Placemark></kml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ReadKML(ctx, bytes.NewReader(data), "f.kml", Options{Limits: fuzzLimits})
		if err != nil {
			return
		}
		checkLayer(t, l)
	})
}

func FuzzReadShapefile(f *testing.F) {
	shp, _ := os.ReadFile("testdata/beijing_gbk.shp")
	dbf, _ := os.ReadFile("testdata/beijing_gbk.dbf")
	f.Add(shp, dbf, "CP936", "")
	f.Add(shp, []byte(nil), "", `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere"]`)
	f.Add(shp[:150], dbf[:100], "UTF-8", `GEOGCS["GCS_WGS_1984"]`)
	f.Fuzz(func(t *testing.T, shp, dbf []byte, cpg, prj string) {
		parts := ShapefileParts{Shp: bytes.NewReader(shp), Dbf: dbf, Cpg: cpg, Prj: prj}
		if dbf == nil {
			parts.Dbf = nil
		}
		l, err := ReadShapefile(ctx, parts, "f.shp", Options{Limits: fuzzLimits})
		if err != nil {
			return
		}
		checkLayer(t, l)
	})
}

func FuzzReadDBF(f *testing.F) {
	dbf, _ := os.ReadFile("testdata/beijing_gbk.dbf")
	f.Add(dbf, "")
	f.Add(dbf, "1252")
	f.Fuzz(func(t *testing.T, data []byte, cpg string) {
		tb, err := readDBF(data, "f.dbf", cpg)
		if err != nil {
			return
		}
		for i := 0; i < tb.Records && i < 1000; i++ {
			props, _ := tb.record(i)
			if len(props) > len(tb.Fields) {
				t.Fatalf("record %d has %d values for %d fields", i, len(props), len(tb.Fields))
			}
		}
	})
}

func FuzzReadZip(f *testing.F) {
	seedFiles(f, "testdata/ct_ri_counties.zip", "testdata/ri_counties_3857.zip")
	kml, _ := os.ReadFile("testdata/ri_counties.kml")
	f.Add(zipOf(f, map[string][]byte{"doc.kml": kml}))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := readZip(ctx, bytes.NewReader(data), int64(len(data)), "f.zip", Options{Limits: fuzzLimits}, fuzzLimits)
		if err != nil {
			return
		}
		checkLayer(t, l)
	})
}

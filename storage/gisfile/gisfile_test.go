package gisfile

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	enginegeo "territoria/engine/geo"
)

var ctx = context.Background()

func read(t testing.TB, path string, opts Options) *Layer {
	t.Helper()
	l, err := Read(ctx, path, opts)
	if err != nil {
		t.Fatalf("Read %s: %v", path, err)
	}
	return l
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// byProp returns the feature whose property key has value v.
func byProp(t testing.TB, l *Layer, key, v string) Feature {
	t.Helper()
	for _, f := range l.Features {
		if text(f.Properties[key]) == v {
			return f
		}
	}
	t.Fatalf("no feature with %s = %q", key, v)
	return Feature{}
}

// TestReadFixtures reads the files written by GDAL (see testdata/SOURCES.md).
func TestReadFixtures(t *testing.T) {
	cases := []struct {
		name, path     string
		format         Format
		crs, crsFrom   string
		encoding       string
		features       int
		fields         []string
		key, id, label string // a feature found by property key = id has Name or NAME label
	}{
		{"zipped shapefile", "testdata/ct_ri_counties.zip", FormatShapefile, CRS4326, "prj", "CP1252", 14,
			[]string{"GEOID", "NAME", "STATEFP", "SEQ"}, "GEOID", "35013", "Doña Ana"},
		{"shapefile in GBK", "testdata/beijing_gbk.shp", FormatShapefile, CRS4326, "prj", "GBK", 3,
			[]string{"adcode", "name", "level", "人口"}, "adcode", "110105", "朝阳区"},
		{"shapefile side file", "testdata/beijing_gbk.dbf", FormatShapefile, CRS4326, "prj", "GBK", 3,
			[]string{"adcode", "name", "level", "人口"}, "adcode", "110102", "西城区"},
		{"zipped shapefile in web mercator", "testdata/ri_counties_3857.zip", FormatShapefile, CRS3857, "prj", "UTF-8", 5,
			[]string{"GEOID", "NAME"}, "GEOID", "44005", "Newport"},
		{"kml", "testdata/ri_counties.kml", FormatKML, CRS4326, "default", "", 5,
			[]string{"GEOID"}, "GEOID", "44007", "Providence"},
		{"geojson in web mercator", "testdata/ct_ri_3857.geojson", FormatGeoJSON, CRS3857, "crs member", "", 13,
			[]string{"GEOID", "NAME"}, "GEOID", "09011", "New London"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := read(t, c.path, Options{})
			if l.Format != c.format || l.CRS != c.crs || l.CRSFrom != c.crsFrom || l.Encoding != c.encoding {
				t.Errorf("format %s, CRS %s from %s, encoding %q; want %s, %s from %s, %q", l.Format, l.CRS, l.CRSFrom, l.Encoding,
					c.format, c.crs, c.crsFrom, c.encoding)
			}
			if len(l.Features) != c.features || len(l.Skipped) != 0 {
				t.Errorf("%d features, skipped %v; want %d", len(l.Features), l.Skipped, c.features)
			}
			if !reflect.DeepEqual(l.Fields, c.fields) {
				t.Errorf("fields %v, want %v", l.Fields, c.fields)
			}
			if strings.ContainsAny(l.Name, ":/.") {
				t.Errorf("layer name %q, want the bare name of the layer", l.Name)
			}
			f := byProp(t, l, c.key, c.id)
			name := f.Name
			if name == "" {
				name = text(f.Properties["NAME"]) + text(f.Properties["name"])
			}
			if name != c.label {
				t.Errorf("feature %s = %s is named %q, want %q", c.key, c.id, name, c.label)
			}
			for _, f := range l.Features {
				if q, bad := outOfRange(f.Geom); bad || enginegeo.AreaKm2(f.Geom) == 0 {
					t.Errorf("feature %d: position %v out of range, or no area", f.Number, q)
				}
			}
		})
	}
}

// TestWebMercatorMatchesDegrees checks that the same counties read from
// EPSG:3857 and EPSG:4326 files land in the same place.
func TestWebMercatorMatchesDegrees(t *testing.T) {
	deg := read(t, "testdata/ct_ri_counties.zip", Options{})
	for _, path := range []string{"testdata/ct_ri_3857.geojson", "testdata/ri_counties_3857.zip"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			merc := read(t, path, Options{})
			for _, f := range merc.Features {
				id := text(f.Properties["GEOID"])
				g := byProp(t, deg, "GEOID", id)
				a, b := enginegeo.AreaKm2(f.Geom), enginegeo.AreaKm2(g.Geom)
				if math.Abs(a-b) > 1e-3*b {
					t.Errorf("county %s: %.3f km² from web mercator, %.3f km² from degrees", id, a, b)
				}
				p, q := f.Geom[0][0][0], g.Geom[0][0][0]
				if math.Abs(p[0]-q[0]) > 1e-6 || math.Abs(p[1]-q[1]) > 1e-6 {
					t.Errorf("county %s: first position %v from web mercator, %v from degrees", id, p, q)
				}
			}
		})
	}
}

func TestMercatorToWGS84(t *testing.T) {
	cases := []struct {
		name string
		in   orb.Point
		want orb.Point
	}{
		{"origin", orb.Point{0, 0}, orb.Point{0, 0}},
		{"edge of the square", orb.Point{mercatorMax, mercatorMax}, orb.Point{180, 85.0511287798066}},
		// EPSG guidance note 7-2 example for Popular Visualisation Pseudo Mercator.
		{"epsg example", orb.Point{-11169055.58, 2800000.00}, orb.Point{-100.333333333, 24.381786944}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := MercatorToWGS84(c.in)
			if math.Abs(got[0]-c.want[0]) > 1e-7 || math.Abs(got[1]-c.want[1]) > 1e-7 {
				t.Errorf("MercatorToWGS84(%v) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

func TestDBFEncodings(t *testing.T) {
	shp, err := os.ReadFile("testdata/beijing_gbk.shp")
	if err != nil {
		t.Fatal(err)
	}
	dbf, err := os.ReadFile("testdata/beijing_gbk.dbf")
	if err != nil {
		t.Fatal(err)
	}
	withLDID := func(b byte) []byte {
		d := bytes.Clone(dbf)
		d[29] = b
		return d
	}
	cases := []struct {
		name, cpg string
		dbf       []byte
		encoding  string
		note      bool
	}{
		{"cpg CP936", "CP936", dbf, "GBK", false},
		{"cpg 936", "936\r\n", dbf, "GBK", false},
		{"cpg GB18030", "GB18030", dbf, "GB18030", false},
		{"language driver 0x4D", "", withLDID(0x4D), "GBK", false},
		{"language driver 0x7A", "", withLDID(0x7A), "GBK", false},
		{"nothing declared", "", dbf, "GBK", true},
		{"unknown cpg", "KLINGON", dbf, "GBK", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := ReadShapefile(ctx, ShapefileParts{Shp: bytes.NewReader(shp), Dbf: c.dbf, Cpg: c.cpg}, "beijing.shp", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Encoding != c.encoding || (len(l.Notes) > 0) != c.note {
				t.Errorf("encoding %s, notes %v; want %s, a note: %v", l.Encoding, l.Notes, c.encoding, c.note)
			}
			if got := text(l.Features[2].Properties["name"]); got != "朝阳区" {
				t.Errorf("name %q, want 朝阳区", got)
			}
			if l.Fields[3] != "人口" {
				t.Errorf("fields %v", l.Fields)
			}
		})
	}
	t.Run("utf-8 declared", func(t *testing.T) {
		tb, err := readDBF(dbf, "x.dbf", "UTF-8")
		if err != nil {
			t.Fatal(err)
		}
		props, _ := tb.record(0)
		if s := text(props["name"]); !strings.ContainsRune(s, '\uFFFD') {
			t.Errorf("GBK bytes read as UTF-8 gave %q; want replacement characters, not a crash", s)
		}
	})
}

func TestCRSFromPRJ(t *testing.T) {
	cases := []struct {
		name, wkt, crs string
		note, fails    bool
	}{
		{"esri wgs84", `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, CRS4326, false, false},
		{"nad83", `GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, CRS4326, false, false},
		{"cgcs2000", `GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4490"]]`, CRS4326, false, false},
		{"beijing 1954", `GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`, CRS4326, true, false},
		{"esri web mercator", `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],UNIT["Meter",1.0]]`, CRS3857, false, false},
		{"ogc pseudo mercator", `PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84"],PROJECTION["Mercator_1SP"],AUTHORITY["EPSG","3857"]]`, CRS3857, false, false},
		{"wkt2 geographic", `GEOGCRS["WGS 84",DATUM["World Geodetic System 1984"],ID["EPSG",4326]]`, CRS4326, false, false},
		{"utm", `PROJCS["WGS_1984_UTM_Zone_18N",GEOGCS["GCS_WGS_1984"],PROJECTION["Transverse_Mercator"]]`, "", false, true},
		{"not wkt", `hello`, "", false, true},
		{"empty", ``, "", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			crs, note, err := crsFromPRJ(c.wkt)
			if (err != nil) != c.fails || crs != c.crs || (note != "") != c.note {
				t.Errorf("crsFromPRJ = %q, note %q, err %v; want %q, a note %v, failure %v", crs, note, err, c.crs, c.note, c.fails)
			}
		})
	}
}

func TestCRSFromName(t *testing.T) {
	for name, want := range map[string]string{
		"urn:ogc:def:crs:EPSG::3857":                 CRS3857,
		"EPSG:900913":                                CRS3857,
		"urn:ogc:def:crs:OGC:1.3:CRS84":              CRS4326,
		"http://www.opengis.net/def/crs/EPSG/0/4326": CRS4326,
		"EPSG:4490":                                  CRS4326,
		"EPSG:32618":                                 "",
		"bogus":                                      "",
	} {
		got, err := crsFromName(name)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("crsFromName(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestGeoJSONDocuments(t *testing.T) {
	sq := `[[[0,0],[1,0],[1,1],[0,1],[0,0]]]`
	cases := []struct {
		name, doc string
		features  int
		skipped   []string // "feature number|message", in order
		check     func(t *testing.T, l *Layer)
	}{
		{"single feature", `{"type":"Feature","id":7,"properties":{"b":1,"a":"x"},"geometry":{"type":"Polygon","coordinates":` + sq + `}}`, 1, nil,
			func(t *testing.T, l *Layer) {
				if l.Features[0].ID != "7" || !reflect.DeepEqual(l.Fields, []string{"b", "a"}) {
					t.Errorf("id %q fields %v", l.Features[0].ID, l.Fields)
				}
			}},
		{"bare polygon", `{"coordinates":` + sq + `,"type":"Polygon"}`, 1, nil, nil},
		{"bare multipolygon", `{"type":"MultiPolygon","coordinates":[` + sq + `,` + sq + `]}`, 1, nil,
			func(t *testing.T, l *Layer) {
				if len(l.Features[0].Geom) != 2 {
					t.Errorf("%d polygons, want 2", len(l.Features[0].Geom))
				}
			}},
		{"collection keeps polygons", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[0,0]},{"type":"Polygon","coordinates":` + sq + `}]}}]}`, 1, nil,
			func(t *testing.T, l *Layer) {
				if len(l.Notes) != 1 || !strings.Contains(l.Notes[0], "Point") {
					t.Errorf("notes %v", l.Notes)
				}
			}},
		{"problem features skipped", `{"type":"FeatureCollection","features":[
			{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}},
			{"type":"Feature","properties":{},"geometry":null},
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1]]]}},
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,"x"]]]}},
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}},
			{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":` + sq + `}},
			{"type":"Thing"}]}`, 1,
			[]string{"1|is a Point, not a polygon", "2|has no geometry", "3|ring 0: position 1: the position has 1 number",
				"4|ring 0: position 2: a coordinate is not a number", "5|outside longitude", `7|type is "Thing"`},
			func(t *testing.T, l *Layer) {
				var codes []string
				for _, p := range l.Skipped {
					codes = append(codes, p.Code)
					if !p.Rejected() {
						t.Errorf("%v does not reject the feature", p)
					}
				}
				want := []string{CodeNotPolygon, CodeNoGeometry, CodeBadGeometry, CodeBadGeometry, CodeOutOfRange, CodeBadFeature}
				if !reflect.DeepEqual(codes, want) {
					t.Errorf("codes %v, want %v", codes, want)
				}
			}},
		{"ids as written", `{"type":"FeatureCollection","features":[{"type":"Feature","id":"01001","properties":{"n":1.5,"t":true,"o":{"k":[1,2]}},"geometry":{"type":"Polygon","coordinates":` + sq + `}}]}`, 1, nil,
			func(t *testing.T, l *Layer) {
				f := l.Features[0]
				want := map[string]any{"n": 1.5, "t": true, "o": `{"k":[1,2]}`}
				if f.ID != "01001" || !reflect.DeepEqual(f.Properties, want) {
					t.Errorf("id %q properties %v", f.ID, f.Properties)
				}
			}},
		{"web mercator by magnitude", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[100000,0],[100000,100000],[0,0]]]}}]}`, 1, nil,
			func(t *testing.T, l *Layer) {
				if l.CRS != CRS3857 || l.CRSFrom != "coordinates" || math.Abs(l.Features[0].Geom[0][0][1][0]-0.8983152841) > 1e-9 {
					t.Errorf("CRS %s from %s, position %v", l.CRS, l.CRSFrom, l.Features[0].Geom[0][0][1])
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := ReadGeoJSON(ctx, strings.NewReader(c.doc), "t.geojson", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Features) != c.features || len(l.Skipped) != len(c.skipped) {
				t.Fatalf("%d features, skipped %v", len(l.Features), l.Skipped)
			}
			for i, want := range c.skipped {
				n, msg, _ := strings.Cut(want, "|")
				if !strings.Contains(l.Skipped[i].Message, msg) || fmt.Sprint(l.Skipped[i].Feature) != n {
					t.Errorf("skipped[%d] = %v, want feature %s: …%s…", i, l.Skipped[i], n, msg)
				}
			}
			if c.check != nil {
				c.check(t, l)
			}
		})
	}
}

func TestKMLDocuments(t *testing.T) {
	head := `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>`
	cases := []struct {
		name, doc string
		features  int
		skipped   int
		check     func(t *testing.T, l *Layer)
	}{
		{"multigeometry with holes and data", head + `<Folder><Placemark id="p1"><name> North </name>
			<ExtendedData><Data name="code"><value>N1</value></Data><Data name="pop"><value>12</value></Data></ExtendedData>
			<MultiGeometry><Point><coordinates>0,0</coordinates></Point>
			<Polygon><outerBoundaryIs><LinearRing><coordinates>0,0,0 4,0,0 4,4,0 0,4,0 0,0,0</coordinates></LinearRing></outerBoundaryIs>
			<innerBoundaryIs><LinearRing><coordinates>1,1 1,2 2,2 1,1</coordinates></LinearRing></innerBoundaryIs></Polygon>
			<MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>
				10,0 11,0
				11, 1 10,0</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></MultiGeometry></Placemark></Folder>
			<Placemark><name>Pin</name><Point><coordinates>1,1</coordinates></Point></Placemark></Document></kml>`, 1, 1,
			func(t *testing.T, l *Layer) {
				f := l.Features[0]
				if f.ID != "p1" || f.Name != "North" || f.Properties["code"] != "N1" || len(f.Geom) != 2 || len(f.Geom[0]) != 2 {
					t.Errorf("feature %+v", f)
				}
				if len(f.Geom[1][0]) != 4 || f.Geom[1][0][2] != (orb.Point{11, 1}) {
					t.Errorf("second polygon %v", f.Geom[1])
				}
				if !strings.Contains(l.Skipped[0].Message, "Point") || l.Skipped[0].ID != "Pin" {
					t.Errorf("skipped %v", l.Skipped)
				}
			}},
		{"bad coordinates", head + `<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,x 1,1</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>` +
			`<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,1 1,NaN 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>` +
			`<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>`, 1, 2, nil},
		{"declared latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><kml><Placemark><name>Mall` + "\xf6" + `rd</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>`, 1, 0,
			func(t *testing.T, l *Layer) {
				if l.Features[0].Name != "Mallörd" {
					t.Errorf("name %q", l.Features[0].Name)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := ReadKML(ctx, strings.NewReader(c.doc), "t.kml", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Features) != c.features || len(l.Skipped) != c.skipped {
				t.Fatalf("%d features, skipped %v; want %d and %d", len(l.Features), l.Skipped, c.features, c.skipped)
			}
			if c.check != nil {
				c.check(t, l)
			}
		})
	}
}

// zipOf builds a zip archive of the named members.
func zipOf(t testing.TB, members map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBadFiles feeds files that are not what they claim, damaged or too
// large, and expects a clear error naming the file (and the feature or
// record where it applies), never a crash.
func TestBadFiles(t *testing.T) {
	shp := mustRead(t, "testdata/beijing_gbk.shp")
	dbf := mustRead(t, "testdata/beijing_gbk.dbf")
	kml := mustRead(t, "testdata/ri_counties.kml")
	geojson := mustRead(t, "testdata/ct_ri_3857.geojson")
	pointShp := bytes.Clone(shp)
	pointShp[32] = 1
	cases := []struct {
		name, file string
		data       []byte
		opts       Options
		want       []string // all must appear in the error
		is         error
	}{
		{"empty", "a.geojson", nil, Options{}, []string{"a.geojson", "empty"}, ErrFormat},
		{"renamed png", "map.geojson", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Options{}, []string{"map.geojson", "PNG"}, ErrFormat},
		{"renamed xlsx", "a.shp", zipOf(t, map[string][]byte{"[Content_Types].xml": []byte("<x/>"), "xl/workbook.xml": []byte("<x/>")}), Options{},
			[]string{"a.shp", "no .shp or .kml", "xl/workbook.xml"}, ErrFormat},
		{"gzip", "a.json", []byte{0x1f, 0x8b, 8, 0, 0, 0}, Options{}, []string{"a.json", "gzip"}, ErrFormat},
		{"truncated geojson", "t.geojson", geojson[:len(geojson)/2], Options{}, []string{"t.geojson", "feature ", "truncated"}, ErrFormat},
		{"broken geojson", "b.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature"},,]}`), Options{}, []string{"b.geojson", "feature 2"}, ErrFormat},
		{"json that is not geojson", "c.json", []byte(`{"rows":[1,2,3]}`), Options{}, []string{"c.json", "not GeoJSON"}, ErrFormat},
		{"geojson of points", "p.geojson", []byte(`{"type":"Point","coordinates":[1,2]}`), Options{}, []string{"p.geojson", "single Point"}, nil},
		{"projected crs", "u.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32618"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[500000,0],[500100,0],[500100,100],[500000,0]]]}}]}`), Options{},
			[]string{"u.geojson", "32618", "reproject"}, nil},
		{"pixel coordinates", "px.geojson", []byte(`{"type":"Polygon","coordinates":[[[0,0],[975,0],[975,610],[0,0]]]}`), Options{}, []string{"px.geojson", "neither"}, nil},
		{"truncated kml", "t.kml", kml[:len(kml)*2/3], Options{}, []string{"t.kml", "feature 4", "truncated"}, ErrFormat},
		{"xml that is not kml", "x.kml", []byte(`<?xml version="1.0"?><html><body/></html>`), Options{}, []string{"x.kml", "not KML"}, ErrFormat},
		{"truncated shp", "t.zip", zipOf(t, map[string][]byte{"t.shp": shp[:len(shp)-30], "t.dbf": dbf}), Options{}, []string{"t.zip: t.shp", "record ", "truncated"}, ErrFormat},
		{"truncated dbf", "t.zip", zipOf(t, map[string][]byte{"t.shp": shp, "t.dbf": dbf[:len(dbf)-100]}), Options{}, []string{"t.dbf", "truncated"}, ErrFormat},
		{"point shapefile", "pt.zip", zipOf(t, map[string][]byte{"pt.shp": pointShp}), Options{}, []string{"pt.shp", "Point shapes"}, nil},
		{"two shapefiles", "two.zip", zipOf(t, map[string][]byte{"a.shp": shp, "b.shp": shp}), Options{}, []string{"two.zip", "2 Shapefiles", "choose one"}, nil},
		{"layer not in zip", "one.zip", zipOf(t, map[string][]byte{"a.shp": shp}), Options{Layer: "b"}, []string{"one.zip", `no Shapefile named "b"`}, nil},
		{"over the byte limit", "big.geojson", geojson, Options{Limits: Limits{MaxBytes: 1000}}, []string{"big.geojson", "1000 bytes"}, ErrTooLarge},
		{"over the feature limit", "many.geojson", geojson, Options{Limits: Limits{MaxFeatures: 3}}, []string{"many.geojson", "3 features"}, ErrTooLarge},
		{"over the point limit", "pts.zip", zipOf(t, map[string][]byte{"a.shp": shp}), Options{Limits: Limits{MaxPoints: 10}}, []string{"a.shp", "10 positions"}, ErrTooLarge},
		{"zip member over the limit", "m.zip", zipOf(t, map[string][]byte{"a.shp": shp, "a.dbf": make([]byte, 5000)}), Options{Limits: Limits{MaxBytes: 4096}},
			[]string{"m.zip: a.dbf", "expands to 5000 bytes"}, ErrTooLarge},
		{"too many zip entries", "e.zip", zipOf(t, map[string][]byte{"a.shp": shp, "1": nil, "2": nil, "3": nil}), Options{Limits: Limits{MaxMembers: 2}}, []string{"e.zip", "4 entries"}, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, c.file, c.data)
			_, err := Read(ctx, p, c.opts)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %v", err, c.is)
			}
		})
	}
}

// TestZipBomb builds a small archive whose member expands a
// thousandfold and expects it refused before it is inflated.
func TestZipBomb(t *testing.T) {
	data := zipOf(t, map[string][]byte{"bomb.shp": make([]byte, 64<<20)})
	if len(data) > 1<<20 {
		t.Fatalf("archive of %d bytes; the test wants a small one", len(data))
	}
	p := writeFile(t, "bomb.zip", data)
	_, err := Read(ctx, p, Options{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "zip bomb") || !strings.Contains(err.Error(), "bomb.zip: bomb.shp") {
		t.Errorf("err = %v, want a zip bomb refused", err)
	}
}

// TestZipSizeLies rewrites a member's declared size so that it claims to
// be smaller than it is: the reader must stop at the declared size.
func TestZipSizeLies(t *testing.T) {
	shp := mustRead(t, "testdata/beijing_gbk.shp")
	data := zipOf(t, map[string][]byte{"a.shp": shp})
	// Patch the uncompressed size in the central directory to 120 bytes.
	cd := bytes.LastIndex(data, []byte("PK\x01\x02"))
	if cd < 0 {
		t.Fatal("no central directory")
	}
	data[cd+24], data[cd+25], data[cd+26], data[cd+27] = 120, 0, 0, 0
	p := writeFile(t, "lies.zip", data)
	_, err := Read(ctx, p, Options{})
	if err == nil {
		t.Fatal("no error for a member larger than it claims")
	}
	if !strings.Contains(err.Error(), "lies.zip: a.shp") {
		t.Errorf("error %q does not name the member", err)
	}
}

func TestReadCancelled(t *testing.T) {
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := Read(c, "../../frontend/node_modules/us-atlas/counties-10m.json", Options{})
	if err == nil {
		t.Skip("us-atlas not installed or read before the first check")
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestShapefileWithoutSideFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.SHP"), mustRead(t, "testdata/beijing_gbk.shp"), 0o644); err != nil {
		t.Fatal(err)
	}
	l := read(t, filepath.Join(dir, "x.SHP"), Options{})
	if len(l.Features) != 3 || l.CRSFrom != "default" || len(l.Notes) == 0 || !strings.Contains(l.Notes[0], "no .dbf") {
		t.Errorf("%d features, CRS from %s, notes %v", len(l.Features), l.CRSFrom, l.Notes)
	}
}

func TestAssembleRings(t *testing.T) {
	cw := func(x, y, s float64) orb.Ring { // clockwise square: an outer ring in a Shapefile
		return orb.Ring{{x, y}, {x, y + s}, {x + s, y + s}, {x + s, y}, {x, y}}
	}
	ccw := func(x, y, s float64) orb.Ring {
		r := cw(x, y, s)
		r.Reverse()
		return r
	}
	cases := []struct {
		name     string
		rings    []orb.Ring
		polygons []int // rings per polygon
		promoted int
	}{
		{"one outer", []orb.Ring{cw(0, 0, 4)}, []int{1}, 0},
		{"outer with hole", []orb.Ring{cw(0, 0, 4), ccw(1, 1, 1)}, []int{2}, 0},
		{"hole goes to the smallest outer", []orb.Ring{cw(0, 0, 10), ccw(1, 1, 8), cw(2, 2, 6), ccw(3, 3, 1)}, []int{2, 2}, 0},
		{"stray hole", []orb.Ring{cw(0, 0, 1), ccw(5, 5, 1)}, []int{1, 1}, 1},
		{"all counterclockwise", []orb.Ring{ccw(0, 0, 1), ccw(5, 5, 1)}, []int{1, 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mp, promoted := assembleRings(c.rings)
			var got []int
			for _, p := range mp {
				got = append(got, len(p))
			}
			if !reflect.DeepEqual(got, c.polygons) || promoted != c.promoted {
				t.Errorf("rings per polygon %v, promoted %d; want %v, %d", got, promoted, c.polygons, c.promoted)
			}
		})
	}
}

func TestKMZAndTopoJSONObjects(t *testing.T) {
	t.Run("kmz", func(t *testing.T) {
		kml := mustRead(t, "testdata/ri_counties.kml")
		p := writeFile(t, "ri.kmz", zipOf(t, map[string][]byte{"doc.kml": kml, "files/icon.png": []byte("\x89PNG")}))
		l := read(t, p, Options{})
		if l.Format != FormatKML || len(l.Features) != 5 || l.Name != "doc" {
			t.Errorf("format %s, %d features, layer %q", l.Format, len(l.Features), l.Name)
		}
	})
	t.Run("topojson object by name", func(t *testing.T) {
		if _, err := os.Stat(countiesPath); err != nil {
			t.Skip("us-atlas not installed")
		}
		l := read(t, countiesPath, Options{Layer: "states"})
		if l.Name != "states" || len(l.Features) != 56 {
			t.Errorf("layer %q with %d features, want the 56 states", l.Name, len(l.Features))
		}
		if _, err := Read(ctx, countiesPath, Options{Layer: "provinces"}); err == nil || !strings.Contains(err.Error(), "counties, nation, states") {
			t.Errorf("unknown object: %v", err)
		}
	})
}

package gisfile

import (
	"bytes"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	enginegeo "territoria/engine/geo"
)

// TestAgreesWithOGR reads each fixture with this package and with GDAL
// (ogr2ogr, converting to GeoJSON in EPSG:4326) and compares the feature
// counts, the attributes and the areas. It is skipped where GDAL is not
// installed (apt-get install gdal-bin).
func TestAgreesWithOGR(t *testing.T) {
	ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		t.Skip("ogr2ogr not installed")
	}
	for _, p := range []string{"testdata/ct_ri_counties.zip", "testdata/ri_counties_3857.zip", "testdata/beijing_gbk.shp",
		"testdata/ri_counties.kml", "testdata/ct_ri_3857.geojson"} {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src := p
			if strings.HasSuffix(p, ".zip") {
				src = "/vsizip/" + p
			}
			var out, errb bytes.Buffer
			cmd := exec.Command(ogr, "-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "RFC7946=NO", "-lco", "COORDINATE_PRECISION=12", "/vsistdout/", src)
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Run(); err != nil {
				t.Fatalf("ogr2ogr: %v: %s", err, errb.String())
			}
			theirs, err := ReadGeoJSON(ctx, &out, "ogr2ogr output", Options{})
			if err != nil {
				t.Fatal(err)
			}
			ours := read(t, p, Options{})
			if len(ours.Features) != len(theirs.Features) {
				t.Fatalf("%d features, GDAL reads %d", len(ours.Features), len(theirs.Features))
			}
			for i, f := range ours.Features {
				g := theirs.Features[i]
				for k, v := range f.Properties {
					if text(v) != text(g.Properties[k]) {
						t.Errorf("feature %d: %s = %q, GDAL reads %q", f.Number, k, text(v), text(g.Properties[k]))
					}
				}
				if f.Name != "" && f.Name != text(g.Properties["Name"]) {
					t.Errorf("feature %d: name %q, GDAL reads %q", f.Number, f.Name, g.Properties["Name"])
				}
				a, b := enginegeo.AreaKm2(f.Geom), enginegeo.AreaKm2(g.Geom)
				if math.Abs(math.Abs(a)-math.Abs(b)) > 1e-6*math.Abs(b)+1e-9 {
					t.Errorf("feature %d: %.6f km², GDAL reads %.6f km²", f.Number, a, b)
				}
			}
		})
	}
}

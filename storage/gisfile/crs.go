package gisfile

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/paulmach/orb"
)

// Web Mercator (EPSG:3857): the WGS-84 semi-major axis as the sphere radius,
// and the largest coordinate (the map square's half width).
const (
	mercatorRadius = 6378137.0
	mercatorMax    = math.Pi * mercatorRadius
)

// MercatorToWGS84 converts a Web Mercator (EPSG:3857) position in metres to
// longitude/latitude in degrees.
func MercatorToWGS84(p orb.Point) orb.Point {
	lon := p[0] / mercatorRadius * 180 / math.Pi
	lat := (2*math.Atan(math.Exp(p[1]/mercatorRadius)) - math.Pi/2) * 180 / math.Pi
	return orb.Point{lon, lat}
}

// mercatorCodes are the EPSG and ESRI codes of Web Mercator.
var mercatorCodes = map[string]bool{"3857": true, "900913": true, "3785": true, "102100": true, "102113": true}

// geographicCodes are codes of geographic systems taken as WGS-84: WGS 84,
// NAD83, ETRS89, GDA94/2020, CGCS2000, JGD2000/2011 and OGC CRS84; the
// datums differ from WGS-84 by less than two metres.
var geographicCodes = map[string]bool{"4326": true, "4269": true, "4258": true, "4283": true, "7844": true,
	"4490": true, "4612": true, "6668": true, "CRS84": true, "4979": true}

var crsCode = regexp.MustCompile(`(?i)(?:EPSG|ESRI|OGC)[:/]*(?:[0-9.]*[:/]+)?([0-9]+|CRS84)\s*$`)

// crsFromName reads a GeoJSON "crs" name such as "EPSG:3857",
// "urn:ogc:def:crs:EPSG::3857", "urn:ogc:def:crs:OGC:1.3:CRS84" or
// "http://www.opengis.net/def/crs/EPSG/0/4326".
func crsFromName(name string) (string, error) {
	m := crsCode.FindStringSubmatch(strings.TrimSpace(name))
	if m == nil {
		return "", fmt.Errorf("coordinate system %q is not one this reader knows; use EPSG:4326 or EPSG:3857", name)
	}
	code := strings.ToUpper(m[1])
	switch {
	case mercatorCodes[code]:
		return CRS3857, nil
	case geographicCodes[code]:
		return CRS4326, nil
	}
	return "", fmt.Errorf("coordinate system %q is not supported; reproject the file to EPSG:4326 (for example: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)", name)
}

var wktName = regexp.MustCompile(`^\s*([A-Z]+)\s*\[\s*"([^"]*)"`)
var wktAuthority = regexp.MustCompile(`(?i)(?:AUTHORITY|ID)\s*\[\s*"(EPSG|ESRI)"\s*,\s*"?([0-9]+)"?\s*\]\s*\]\s*$`)
var wktDatum = regexp.MustCompile(`(?i)DATUM\s*\[\s*"([^"]*)"`)

// crsFromPRJ reads the WKT of a .prj file (WKT1 as ESRI and GDAL write it,
// or WKT2). Geographic systems on a datum within a few metres of WGS-84
// give CRS4326; other geographic datums also give CRS4326 with a note.
// Web Mercator gives CRS3857; any other projection is an error.
func crsFromPRJ(wkt string) (crs, note string, err error) {
	wkt = strings.TrimSpace(strings.TrimPrefix(wkt, "\ufeff"))
	if wkt == "" {
		return "", "", nil
	}
	m := wktName.FindStringSubmatch(wkt)
	if m == nil {
		return "", "", fmt.Errorf("the .prj file does not hold a WKT coordinate system (it starts %q)", head(wkt, 40))
	}
	kind, name := strings.ToUpper(m[1]), m[2]
	code := ""
	if a := wktAuthority.FindStringSubmatch(wkt); a != nil {
		code = a[2]
	}
	lname := strings.ToLower(name)
	switch kind {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		if mercatorCodes[code] || strings.Contains(lname, "pseudo") && strings.Contains(lname, "mercator") ||
			strings.Contains(lname, "web_mercator") || strings.Contains(lname, "web mercator") ||
			strings.Contains(strings.ToLower(wkt), "mercator_auxiliary_sphere") || strings.Contains(lname, "popular visualisation") {
			return CRS3857, "", nil
		}
		return "", "", fmt.Errorf("the .prj file names the projected coordinate system %q, which is not supported; reproject the layer to EPSG:4326 (for example: ogr2ogr -t_srs EPSG:4326 out.shp in.shp)", name)
	case "GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS", "GEODETICCRS":
		if geographicCodes[code] {
			return CRS4326, "", nil
		}
		datum := name
		if d := wktDatum.FindStringSubmatch(wkt); d != nil {
			datum = d[1]
		}
		ld := strings.ToLower(strings.ReplaceAll(datum, " ", "_"))
		for _, ok := range []string{"wgs_1984", "wgs84", "world_geodetic_system_1984", "north_american_datum_1983", "north_american_1983", "nad83",
			"etrs", "european_terrestrial", "gda", "geocentric_datum_of_australia", "china_2000", "cgcs", "jgd", "itrf"} {
			if strings.Contains(ld, ok) {
				return CRS4326, "", nil
			}
		}
		return CRS4326, fmt.Sprintf("the coordinates are on the datum %q and are taken as WGS-84; they may be off by up to a few hundred metres", datum), nil
	}
	return "", "", fmt.Errorf("the .prj file holds a %s, not a coordinate system this reader knows", kind)
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// guessCRS decides from the extent of the coordinates whether they are
// degrees or Web Mercator metres. inRange is the share of features (or
// arcs) whose positions are all valid degrees: when the extent is not
// that of Web Mercator but most of them are, the layer is in degrees and
// the others are bad features.
func guessCRS(b orb.Bound, empty bool, inRange float64) (string, error) {
	if empty {
		return CRS4326, nil
	}
	if b.Min[0] >= -180.5 && b.Max[0] <= 360 && b.Min[1] >= -90.5 && b.Max[1] <= 90.5 {
		return CRS4326, nil
	}
	lim := mercatorMax * 1.0001
	extent := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	if b.Min[0] >= -lim && b.Max[0] <= lim && b.Min[1] >= -lim && b.Max[1] <= lim && extent >= 2000 && inRange < 0.5 {
		return CRS3857, nil
	}
	if inRange >= 0.5 {
		return CRS4326, nil
	}
	return "", fmt.Errorf("the coordinates (x %g to %g, y %g to %g) are neither longitude/latitude degrees nor Web Mercator metres; reproject the layer to EPSG:4326",
		b.Min[0], b.Max[0], b.Min[1], b.Max[1])
}

// boundOf returns the bound of every position of the features, whether
// there is none, and the share of features with every position in the
// range of degrees.
func boundOf(fs []Feature) (orb.Bound, bool, float64) {
	var b orb.Bound
	empty := true
	ok := 0
	for i := range fs {
		if _, bad := outOfRange(fs[i].Geom); !bad {
			ok++
		}
		for _, p := range fs[i].Geom {
			for _, r := range p {
				for _, q := range r {
					if empty {
						b = orb.Bound{Min: q, Max: q}
						empty = false
					} else {
						b = b.Extend(q)
					}
				}
			}
		}
	}
	return b, empty, float64(ok) / float64(max(len(fs), 1))
}

// toWGS84 converts the features' positions from crs to longitude/latitude
// in place, then drops (with a problem) features with a position outside
// the valid range.
func toWGS84(fs []Feature, crs string) ([]Feature, []Problem) {
	if crs == CRS3857 {
		for i := range fs {
			for _, p := range fs[i].Geom {
				for _, r := range p {
					for k, q := range r {
						r[k] = MercatorToWGS84(q)
					}
				}
			}
		}
	}
	var skipped []Problem
	out := fs[:0]
	for _, f := range fs {
		if q, bad := outOfRange(f.Geom); bad {
			skipped = append(skipped, Problem{Feature: f.Number, ID: f.ID, Code: CodeOutOfRange,
				Message: fmt.Sprintf("position (%g, %g) is outside longitude -180..180 / latitude -90..90", q[0], q[1])})
			continue
		}
		out = append(out, f)
	}
	return out, skipped
}

func outOfRange(mp orb.MultiPolygon) (orb.Point, bool) {
	for _, p := range mp {
		for _, r := range p {
			for _, q := range r {
				if !(q[0] >= -180.5 && q[0] <= 360 && q[1] >= -90.0000001 && q[1] <= 90.0000001) {
					return q, true
				}
			}
		}
	}
	return orb.Point{}, false
}

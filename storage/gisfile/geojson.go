package gisfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// errTopology tells readJSON that the document is a TopoJSON topology.
var errTopology = errors.New("the document is a TopoJSON topology")

type rawFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	Properties json.RawMessage `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type rawGeometry struct {
	Type        string            `json:"type"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

type rawCRS struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
	} `json:"properties"`
}

// ReadGeoJSON reads an RFC 7946 GeoJSON document from r: a
// FeatureCollection (read one feature at a time), a single Feature or a
// bare Polygon, MultiPolygon or GeometryCollection. name is the file name
// used in messages. A legacy "crs" member naming Web Mercator, or
// coordinates too large to be degrees, make the positions be converted
// from EPSG:3857.
func ReadGeoJSON(ctx context.Context, r io.Reader, name string, opts Options) (*Layer, error) {
	lim := opts.limits()
	dec := json.NewDecoder(&limitedReader{r: bufio.NewReaderSize(r, 1<<16), n: lim.MaxBytes, name: name})
	fail := func(what string, err error) error {
		if errors.Is(err, ErrTooLarge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%s: %w: %s: the file ends early (truncated?)", name, ErrFormat, what)
		}
		return fmt.Errorf("%s: %w: %s: %v (near byte %d)", name, ErrFormat, what, cleanJSONError(err), dec.InputOffset())
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fail("not JSON", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("%s: %w: the JSON document is not an object", name, ErrFormat)
	}
	l := &Layer{Format: FormatGeoJSON}
	c := &counter{name: name, lim: lim, progress: opts.Progress}
	var fields fieldList
	var docType, crsName string
	var single rawFeature
	var geomType string
	var coords json.RawMessage
	var members []json.RawMessage
	sawFeatures := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail("reading the top-level object", err)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			if err := dec.Decode(&docType); err != nil {
				return nil, fail(`reading "type"`, err)
			}
			if docType == "Topology" {
				return nil, errTopology
			}
		case "objects", "arcs":
			return nil, errTopology
		case "crs":
			var crs rawCRS
			if err := dec.Decode(&crs); err != nil {
				return nil, fail(`reading "crs"`, err)
			}
			crsName = crs.Properties.Name
		case "features":
			sawFeatures = true
			if tok, err := dec.Token(); err != nil {
				return nil, fail(`reading "features"`, err)
			} else if d, ok := tok.(json.Delim); !ok || d != '[' {
				return nil, fmt.Errorf("%s: %w: \"features\" is not an array", name, ErrFormat)
			}
			for n := 1; dec.More(); n++ {
				if n%256 == 0 {
					if err := ctx.Err(); err != nil {
						return nil, err
					}
				}
				if err := c.feature(); err != nil {
					return nil, err
				}
				var rf rawFeature
				if err := dec.Decode(&rf); err != nil {
					return nil, fail(fmt.Sprintf("feature %d", n), err)
				}
				if err := l.addGeoJSONFeature(n, rf, &fields, c); err != nil {
					return nil, err
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, fail(`closing "features"`, err)
			}
		case "geometry":
			if err := dec.Decode(&single.Geometry); err != nil {
				return nil, fail(`reading "geometry"`, err)
			}
		case "properties":
			if err := dec.Decode(&single.Properties); err != nil {
				return nil, fail(`reading "properties"`, err)
			}
		case "id":
			if err := dec.Decode(&single.ID); err != nil {
				return nil, fail(`reading "id"`, err)
			}
		case "coordinates":
			if err := dec.Decode(&coords); err != nil {
				return nil, fail(`reading "coordinates"`, err)
			}
		case "geometries":
			if err := dec.Decode(&members); err != nil {
				return nil, fail(`reading "geometries"`, err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fail(fmt.Sprintf("reading %q", key), err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail("closing the top-level object", err)
	}
	switch docType {
	case "FeatureCollection":
	case "Feature":
		if err := c.feature(); err != nil {
			return nil, err
		}
		single.Type = "Feature"
		if err := l.addGeoJSONFeature(1, single, &fields, c); err != nil {
			return nil, err
		}
	case "Polygon", "MultiPolygon", "GeometryCollection":
		geomType = docType
		g, err := json.Marshal(rawGeometry{Type: geomType, Coordinates: coords, Geometries: members})
		if err != nil {
			return nil, err
		}
		if err := l.addGeoJSONFeature(1, rawFeature{Type: "Feature", Geometry: g}, &fields, c); err != nil {
			return nil, err
		}
	case "Point", "MultiPoint", "LineString", "MultiLineString":
		return nil, fmt.Errorf("%s: the document is a single %s; boundaries must be polygons", name, docType)
	case "":
		if !sawFeatures {
			return nil, fmt.Errorf("%s: %w: the JSON object has no \"type\"; it is not GeoJSON", name, ErrFormat)
		}
	default:
		return nil, fmt.Errorf("%s: %w: GeoJSON type %q is unknown", name, ErrFormat, docType)
	}
	l.Fields = fields.names
	if err := l.settleCRS(name, crsName); err != nil {
		return nil, err
	}
	if len(l.Features) == 0 && len(l.Skipped) == 0 {
		return nil, fmt.Errorf("%s: the file holds no features", name)
	}
	return l, nil
}

// settleCRS converts the features to WGS-84 from the CRS the file names
// (declared, "" when it names none) or, failing that, the one the
// coordinates suggest.
func (l *Layer) settleCRS(name, declared string) error {
	if declared != "" {
		crs, err := crsFromName(declared)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		l.CRS, l.CRSFrom = crs, "crs member"
	} else {
		crs, err := guessCRS(boundOf(l.Features))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		l.CRS, l.CRSFrom = crs, "coordinates"
		if crs == CRS4326 {
			l.CRSFrom = "default"
		}
	}
	var skipped []Problem
	l.Features, skipped = toWGS84(l.Features, l.CRS)
	l.Skipped = append(l.Skipped, skipped...)
	sort.SliceStable(l.Skipped, func(i, j int) bool { return l.Skipped[i].Feature < l.Skipped[j].Feature })
	return nil
}

// addGeoJSONFeature turns one decoded feature into a Feature, or a Problem
// when it has no polygon.
func (l *Layer) addGeoJSONFeature(n int, rf rawFeature, fields *fieldList, c *counter) error {
	id := jsonID(rf.ID)
	skip := func(code, format string, args ...any) {
		l.Skipped = append(l.Skipped, Problem{Feature: n, ID: id, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if rf.Type != "Feature" {
		skip(CodeBadFeature, "type is %q, want \"Feature\"", rf.Type)
		return nil
	}
	props, keys, err := decodeProps(rf.Properties)
	if err != nil {
		skip(CodeBadFeature, "properties: %v", err)
		return nil
	}
	fields.add(keys)
	mp, note, err := geoJSONPolygons(rf.Geometry, 0)
	if err != nil {
		var ce codedError
		code := CodeBadGeometry
		if errors.As(err, &ce) {
			code = ce.code
		}
		skip(code, "%v", err)
		return nil
	}
	if note != "" {
		l.Notes = append(l.Notes, fmt.Sprintf("feature %d: %s", n, note))
	}
	if err := c.addPoints(mp); err != nil {
		return err
	}
	l.Features = append(l.Features, Feature{Number: n, ID: id, Properties: props, Geom: mp})
	return nil
}

// maxGeomDepth bounds the nesting of GeometryCollections.
const maxGeomDepth = 16

// geoJSONPolygons decodes a geometry into its polygons. Lines and points of
// a GeometryCollection are left out with a note; a geometry with no
// polygon at all is an error.
func geoJSONPolygons(raw json.RawMessage, depth int) (orb.MultiPolygon, string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", codedError{CodeNoGeometry, "has no geometry"}
	}
	if depth > maxGeomDepth {
		return nil, "", errors.New("geometry collections are nested too deeply")
	}
	var g rawGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, "", fmt.Errorf("geometry: %v", cleanJSONError(err))
	}
	s := coordScanner{b: g.Coordinates}
	switch g.Type {
	case "Polygon":
		p, err := s.polygon()
		if err != nil {
			return nil, "", fmt.Errorf("Polygon coordinates: %w", err)
		}
		if err := s.end(); err != nil {
			return nil, "", fmt.Errorf("Polygon coordinates: %w", err)
		}
		return orb.MultiPolygon{p}, "", nil
	case "MultiPolygon":
		mp, err := s.multiPolygon()
		if err != nil {
			return nil, "", fmt.Errorf("MultiPolygon coordinates: %w", err)
		}
		if err := s.end(); err != nil {
			return nil, "", fmt.Errorf("MultiPolygon coordinates: %w", err)
		}
		return mp, "", nil
	case "GeometryCollection":
		var mp orb.MultiPolygon
		var others []string
		for i, m := range g.Geometries {
			part, note, err := geoJSONPolygons(m, depth+1)
			if err != nil {
				var t struct {
					Type string `json:"type"`
				}
				_ = json.Unmarshal(m, &t)
				switch t.Type {
				case "Point", "MultiPoint", "LineString", "MultiLineString":
					others = append(others, t.Type)
					continue
				}
				return nil, "", fmt.Errorf("member %d: %w", i, err)
			}
			if note != "" {
				others = append(others, note)
			}
			mp = append(mp, part...)
		}
		if len(mp) == 0 {
			return nil, "", codedError{CodeNotPolygon, "the geometry collection holds no polygon"}
		}
		note := ""
		if len(others) > 0 {
			note = "left out " + strings.Join(others, ", ") + " of a geometry collection"
		}
		return mp, note, nil
	case "Point", "MultiPoint", "LineString", "MultiLineString":
		return nil, "", codedError{CodeNotPolygon, fmt.Sprintf("is a %s, not a polygon", g.Type)}
	case "":
		return nil, "", errors.New("the geometry has no type")
	}
	return nil, "", fmt.Errorf("geometry type %q is unknown", g.Type)
}

// codedError is an error with a Problem code.
type codedError struct{ code, msg string }

func (e codedError) Error() string { return e.msg }

// jsonID returns a GeoJSON id as written: a string's value or a number's digits.
func jsonID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	}
	return string(raw)
}

// decodeProps decodes a properties object, keeping its keys in order.
func decodeProps(raw json.RawMessage) (map[string]any, []string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, cleanJSONError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, errors.New("not an object")
	}
	props := map[string]any{}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, cleanJSONError(err)
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, cleanJSONError(err)
		}
		if _, dup := props[k]; !dup {
			keys = append(keys, k)
		}
		props[k] = jsonValue(v)
	}
	return props, keys, nil
}

// jsonValue turns one JSON value into a string, float64, bool or nil;
// objects and arrays become their compact JSON text.
func jsonValue(v json.RawMessage) any {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return nil
	}
	switch v[0] {
	case 'n':
		return nil
	case 't':
		return true
	case 'f':
		return false
	case '"':
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
		return string(v)
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, v) == nil {
			return b.String()
		}
		return string(v)
	}
	if f, err := strconv.ParseFloat(string(v), 64); err == nil {
		return f
	}
	return string(v)
}

func cleanJSONError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return errors.New(strings.TrimPrefix(se.Error(), "json: "))
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "value"
		}
		return fmt.Errorf("%s is a JSON %s, want %s", field, te.Value, te.Type)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// coordScanner parses GeoJSON coordinate arrays directly from their bytes:
// faster than decoding [][][]float64 by reflection, and it can say which
// ring and position is wrong.
type coordScanner struct {
	b []byte
	i int
}

func (s *coordScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// open consumes '[' and reports whether the array is empty (consuming ']').
func (s *coordScanner) open(what string) (empty bool, err error) {
	s.ws()
	if s.i >= len(s.b) {
		return false, fmt.Errorf("%s is missing", what)
	}
	if s.b[s.i] != '[' {
		if s.b[s.i] == 'n' {
			return false, fmt.Errorf("%s is null", what)
		}
		return false, fmt.Errorf("%s is not an array", what)
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return true, nil
	}
	return false, nil
}

// next consumes ',' (true: another element follows) or ']' (false).
func (s *coordScanner) next(what string) (bool, error) {
	s.ws()
	if s.i >= len(s.b) {
		return false, fmt.Errorf("%s is not closed", what)
	}
	switch s.b[s.i] {
	case ',':
		s.i++
		return true, nil
	case ']':
		s.i++
		return false, nil
	}
	return false, fmt.Errorf("%s: unexpected %q", what, s.b[s.i])
}

func (s *coordScanner) number(what string) (float64, error) {
	s.ws()
	j := s.i
	for j < len(s.b) && (s.b[j] >= '0' && s.b[j] <= '9' || s.b[j] == '-' || s.b[j] == '+' || s.b[j] == '.' || s.b[j] == 'e' || s.b[j] == 'E') {
		j++
	}
	if j == s.i {
		return 0, fmt.Errorf("%s is not a number", what)
	}
	f, err := strconv.ParseFloat(string(s.b[s.i:j]), 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not a number", what, s.b[s.i:j])
	}
	s.i = j
	return f, nil
}

func (s *coordScanner) position() (orb.Point, error) {
	empty, err := s.open("the position")
	if err != nil {
		return orb.Point{}, err
	}
	if empty {
		return orb.Point{}, errors.New("the position is empty, want [x, y]")
	}
	var p orb.Point
	n := 0
	for {
		v, err := s.number("a coordinate")
		if err != nil {
			return p, err
		}
		if n < 2 {
			p[n] = v
		}
		n++
		more, err := s.next("the position")
		if err != nil {
			return p, err
		}
		if !more {
			break
		}
	}
	if n < 2 {
		return p, fmt.Errorf("the position has %d number, want [x, y]", n)
	}
	return p, nil
}

func (s *coordScanner) ring() (orb.Ring, error) {
	empty, err := s.open("the ring")
	if err != nil || empty {
		return nil, err
	}
	r := make(orb.Ring, 0, 16)
	for k := 0; ; k++ {
		p, err := s.position()
		if err != nil {
			return nil, fmt.Errorf("position %d: %w", k, err)
		}
		r = append(r, p)
		more, err := s.next("the ring")
		if err != nil {
			return nil, err
		}
		if !more {
			return r, nil
		}
	}
}

func (s *coordScanner) polygon() (orb.Polygon, error) {
	empty, err := s.open("the polygon")
	if err != nil || empty {
		return nil, err
	}
	var p orb.Polygon
	for k := 0; ; k++ {
		r, err := s.ring()
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", k, err)
		}
		p = append(p, r)
		more, err := s.next("the polygon")
		if err != nil {
			return nil, err
		}
		if !more {
			return p, nil
		}
	}
}

func (s *coordScanner) multiPolygon() (orb.MultiPolygon, error) {
	empty, err := s.open("the coordinates")
	if err != nil || empty {
		return nil, err
	}
	var mp orb.MultiPolygon
	for k := 0; ; k++ {
		p, err := s.polygon()
		if err != nil {
			return nil, fmt.Errorf("polygon %d: %w", k, err)
		}
		mp = append(mp, p)
		more, err := s.next("the coordinates")
		if err != nil {
			return nil, err
		}
		if !more {
			return mp, nil
		}
	}
}

func (s *coordScanner) end() error {
	s.ws()
	if s.i != len(s.b) {
		return fmt.Errorf("unexpected %q after the coordinates", s.b[s.i])
	}
	return nil
}

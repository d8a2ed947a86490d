package gisfile

import (
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/htmlindex"
)

type kmlPlacemark struct {
	ID       string `xml:"id,attr"`
	Name     string `xml:"name"`
	Extended struct {
		Data []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value"`
		} `xml:"Data"`
		SchemaData []struct {
			SimpleData []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:",chardata"`
			} `xml:"SimpleData"`
		} `xml:"SchemaData"`
	} `xml:"ExtendedData"`
	kmlGeometries
}

// kmlGeometries are the geometry elements a Placemark or MultiGeometry holds.
type kmlGeometries struct {
	Polygons   []kmlPolygon  `xml:"Polygon"`
	Multi      []kmlMulti    `xml:"MultiGeometry"`
	Points     []struct{}    `xml:"Point"`
	Lines      []struct{}    `xml:"LineString"`
	Rings      []kmlRingOnly `xml:"LinearRing"`
	Models     []struct{}    `xml:"Model"`
	Tracks     []struct{}    `xml:"Track"`
	MultiTrack []struct{}    `xml:"MultiTrack"`
}

type kmlMulti struct {
	kmlGeometries
}

type kmlPolygon struct {
	Outer string   `xml:"outerBoundaryIs>LinearRing>coordinates"`
	Inner []string `xml:"innerBoundaryIs>LinearRing>coordinates"`
}

type kmlRingOnly struct {
	Coordinates string `xml:"coordinates"`
}

// ReadKML reads the Placemarks of a KML document from r. Each Placemark
// with a Polygon or a MultiGeometry holding polygons is a feature: its id
// attribute, its name, and its ExtendedData values (Data and SimpleData)
// as string properties. KML coordinates are WGS-84 by definition.
func ReadKML(ctx context.Context, r io.Reader, name string, opts Options) (*Layer, error) {
	lim := opts.limits()
	dec := xml.NewDecoder(bufio.NewReaderSize(&limitedReader{r: r, n: lim.MaxBytes, name: name}, 1<<16))
	dec.CharsetReader = charsetReader
	dec.Strict = false
	l := &Layer{Format: FormatKML, CRS: CRS4326, CRSFrom: "default"}
	c := &counter{name: name, lim: lim, progress: opts.Progress}
	var fields fieldList
	n := 0
	sawKML := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, kmlError(name, n, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "kml", "Document", "Folder":
			sawKML = true
			continue
		case "Placemark":
		default:
			continue
		}
		sawKML = true
		n++
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err := c.feature(); err != nil {
			return nil, err
		}
		var pm kmlPlacemark
		if err := dec.DecodeElement(&pm, &se); err != nil {
			return nil, kmlError(name, n, err)
		}
		id := strings.TrimSpace(pm.ID)
		props := map[string]any{}
		var keys []string
		put := func(k, v string) {
			k = strings.TrimSpace(k)
			if k == "" {
				return
			}
			if _, dup := props[k]; !dup {
				keys = append(keys, k)
			}
			props[k] = strings.TrimSpace(v)
		}
		for _, d := range pm.Extended.Data {
			put(d.Name, d.Value)
		}
		for _, sd := range pm.Extended.SchemaData {
			for _, d := range sd.SimpleData {
				put(d.Name, d.Value)
			}
		}
		fields.add(keys)
		mp, others, err := pm.kmlGeometries.polygons(0)
		if err != nil {
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: firstNonEmpty(id, pm.Name), Code: CodeBadGeometry, Message: err.Error()})
			continue
		}
		if len(mp) == 0 {
			msg, code := "has no geometry", CodeNoGeometry
			if len(others) > 0 {
				msg, code = fmt.Sprintf("is a %s, not a polygon", strings.Join(others, " and ")), CodeNotPolygon
			}
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: firstNonEmpty(id, pm.Name), Code: code, Message: msg})
			continue
		}
		if len(others) > 0 {
			l.Notes = append(l.Notes, fmt.Sprintf("feature %d: left out %s of a multi-geometry", n, strings.Join(others, ", ")))
		}
		if err := c.addPoints(mp); err != nil {
			return nil, err
		}
		if q, bad := outOfRange(mp); bad {
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: firstNonEmpty(id, pm.Name), Code: CodeOutOfRange,
				Message: fmt.Sprintf("position (%g, %g) is outside longitude -180..180 / latitude -90..90", q[0], q[1])})
			continue
		}
		l.Features = append(l.Features, Feature{Number: n, ID: id, Name: strings.TrimSpace(pm.Name), Properties: props, Geom: mp})
	}
	if !sawKML {
		return nil, fmt.Errorf("%s: %w: the XML document is not KML (no kml, Document or Placemark element)", name, ErrFormat)
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: the KML document holds no Placemark", name)
	}
	l.Fields = fields.names
	return l, nil
}

func kmlError(name string, n int, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	where := "before the first Placemark"
	if n > 0 {
		where = fmt.Sprintf("feature %d", n)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("%s: %w: %s: the file ends early (truncated?)", name, ErrFormat, where)
	}
	return fmt.Errorf("%s: %w: %s: %v", name, ErrFormat, where, err)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// polygons collects the polygons of g (recursing into MultiGeometry) and
// names the non-polygon geometries left out.
func (g *kmlGeometries) polygons(depth int) (orb.MultiPolygon, []string, error) {
	if depth > maxGeomDepth {
		return nil, nil, errors.New("multi-geometries are nested too deeply")
	}
	var mp orb.MultiPolygon
	var others []string
	for i, p := range g.Polygons {
		outer, err := kmlCoords(p.Outer)
		if err != nil {
			return nil, nil, fmt.Errorf("polygon %d outer boundary: %w", i, err)
		}
		if len(outer) == 0 {
			return nil, nil, fmt.Errorf("polygon %d has no outer boundary", i)
		}
		poly := orb.Polygon{outer}
		for k, in := range p.Inner {
			r, err := kmlCoords(in)
			if err != nil {
				return nil, nil, fmt.Errorf("polygon %d inner boundary %d: %w", i, k, err)
			}
			if len(r) > 0 {
				poly = append(poly, r)
			}
		}
		mp = append(mp, poly)
	}
	for _, m := range g.Multi {
		sub, o, err := m.polygons(depth + 1)
		if err != nil {
			return nil, nil, err
		}
		mp = append(mp, sub...)
		others = append(others, o...)
	}
	for _, x := range []struct {
		n    int
		name string
	}{{len(g.Points), "Point"}, {len(g.Lines), "LineString"}, {len(g.Rings), "LinearRing"}, {len(g.Models), "Model"},
		{len(g.Tracks), "Track"}, {len(g.MultiTrack), "MultiTrack"}} {
		if x.n > 0 {
			others = append(others, x.name)
		}
	}
	return mp, others, nil
}

// kmlCoords parses a KML coordinates string: tuples "lon,lat[,alt]"
// separated by white space. White space after a comma is tolerated.
func kmlCoords(s string) (orb.Ring, error) {
	var r orb.Ring
	var tuple [3]float64
	n := 0 // numbers in the current tuple
	i := 0
	afterComma := false
	flush := func() error {
		if n == 0 {
			return nil
		}
		if n < 2 {
			return fmt.Errorf("position %d has %d number, want lon,lat", len(r), n)
		}
		r = append(r, orb.Point{tuple[0], tuple[1]})
		n = 0
		return nil
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == ',':
			if n == 0 || afterComma {
				return nil, fmt.Errorf("position %d: a comma without a number before it", len(r))
			}
			afterComma = true
			i++
			continue
		}
		j := i
		for j < len(s) && !strings.ContainsRune(" \t\n\r,", rune(s[j])) {
			j++
		}
		v, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("position %d: %q is not a number", len(r), head(s[i:j], 20))
		}
		if !afterComma {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		if n < len(tuple) {
			tuple[n] = v
		}
		n++
		afterComma = false
		i = j
	}
	if afterComma {
		return nil, fmt.Errorf("position %d ends with a comma", len(r))
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return r, nil
}

// charsetReader decodes an XML document declared in a non-UTF-8 encoding.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("text encoding %q is unknown", label)
	}
	return enc.NewDecoder().Reader(input), nil
}

package export

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

var nan = math.NaN()

// GISResult tells what a GIS writer wrote.
type GISResult struct {
	// Layers counts the features of each layer written, by layer name.
	Layers map[string]int `json:"layers"`
	// Notes lists outlines that could not be dissolved from the unit
	// borders and were written as their units' polygons.
	Notes []string `json:"notes"`
}

// WriteGeoJSON writes the scenario as one RFC 7946 GeoJSON
// FeatureCollection: territory, district and region outlines (dissolved
// from their units: outer rings counterclockwise, holes clockwise), free-drawn
// areas and accounts. Each feature's "layer" property says which; the
// figures of outlines are properties named like the metrics.
func WriteGeoJSON(path string, d *Data, o *GISOptions) (GISResult, error) {
	if err := d.check(); err != nil {
		return GISResult{}, err
	}
	if o == nil {
		o = &GISOptions{}
	}
	layers, notes, err := gisLayers(d, o)
	if err != nil {
		return GISResult{}, err
	}
	res := GISResult{Layers: map[string]int{}, Notes: notes}
	err = writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		var buf []byte
		buf = append(buf, `{"type":"FeatureCollection","features":[`...)
		first := true
		var vals []any
		for _, l := range layers {
			for i := 0; i < l.n; i++ {
				if err := o.tick(l.name, i, l.n); err != nil {
					return err
				}
				var g orb.Geometry
				g, vals = l.feature(i, vals)
				if !first {
					buf = append(buf, ',')
				}
				first = false
				buf = append(buf, "\n"+`{"type":"Feature",`...)
				if l.polygon {
					buf = append(buf, `"id":`...)
					buf = appendJSONString(buf, vals[0].(string))
					buf = append(buf, ',')
				}
				buf = append(buf, `"geometry":`...)
				buf = appendGeometry(buf, g)
				buf = append(buf, `,"properties":{"layer":`...)
				buf = appendJSONString(buf, l.name)
				for k, f := range l.fields {
					buf = append(buf, ',')
					buf = appendJSONString(buf, f.name)
					buf = append(buf, ':')
					buf = appendJSONValue(buf, vals[k])
				}
				buf = append(buf, "}}"...)
				if len(buf) > 1<<15 {
					if _, err := bw.Write(buf); err != nil {
						return err
					}
					buf = buf[:0]
				}
				res.Layers[l.name]++
			}
		}
		buf = append(buf, "\n]}\n"...)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return GISResult{}, err
	}
	o.progress("done", 1, 1)
	return res, nil
}

func appendJSONValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendJSONString(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		return appendNumber(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	}
	return append(b, "null"...)
}

// appendNumber writes v in the shortest form that reads back exactly;
// NaN and infinities (no JSON number) become null.
func appendNumber(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				switch c {
				case '\n':
					b = append(b, '\\', 'n')
				case '\r':
					b = append(b, '\\', 'r')
				case '\t':
					b = append(b, '\\', 't')
				default:
					b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
				}
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&15])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func appendPoint(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = appendNumber(b, p[0])
	b = append(b, ',')
	b = appendNumber(b, p[1])
	return append(b, ']')
}

func appendRing(b []byte, r orb.Ring) []byte {
	b = append(b, '[')
	for i, p := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPoint(b, p)
	}
	return append(b, ']')
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRing(b, r)
	}
	return append(b, ']')
}

// appendGeometry writes a Point, Polygon or MultiPolygon (null for none).
func appendGeometry(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPoint(b, g)
	case orb.Polygon:
		if len(g) == 0 {
			return append(b, "null"...)
		}
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = appendPolygon(b, g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return append(b, "null"...)
		}
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPolygon(b, p)
		}
		b = append(b, ']')
	default:
		return append(b, "null"...)
	}
	return append(b, '}')
}

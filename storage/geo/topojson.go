package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// maxDepth bounds the nesting of GeometryCollection objects.
const maxDepth = 32

// Transform is the quantization transform of a topology: a position
// (x, y) in the arcs stands for (x*Scale[0]+Translate[0], y*Scale[1]+Translate[1]).
type Transform struct {
	Scale     [2]float64
	Translate [2]float64
}

// Geometry is one TopoJSON geometry object. Polygon geometries refer to the
// topology's arcs by index; an index i < 0 stands for arc ^i (that is -i-1)
// traversed backwards.
type Geometry struct {
	// Type is the TopoJSON type, e.g. "Polygon", "MultiPolygon" or
	// "GeometryCollection"; "" for a null geometry.
	Type string
	// ID is the identifier as written (a JSON number keeps its digits), "" when absent.
	ID         string
	Properties map[string]any
	// Polygons holds the arc references of a Polygon (one polygon) or a
	// MultiPolygon: polygon → ring → arc indexes. The first ring of a polygon
	// is its exterior, the others are holes.
	Polygons [][][]int
	// Lines holds the arc references of a LineString (one line) or a MultiLineString.
	Lines [][]int
	// Points holds the positions of a Point or MultiPoint, transformed.
	Points []orb.Point
	// Geometries holds the members of a GeometryCollection.
	Geometries []*Geometry
}

// Topology is a decoded TopoJSON topology.
type Topology struct {
	BBox      []float64
	Transform *Transform
	// Objects maps each object name to its geometry (usually a collection).
	Objects map[string]*Geometry
	// Arcs holds every arc in real coordinates: delta encoding and
	// quantization are undone.
	Arcs []orb.LineString
}

type rawTopology struct {
	Type      string                     `json:"type"`
	BBox      []float64                  `json:"bbox"`
	Transform *rawTransform              `json:"transform"`
	Objects   map[string]json.RawMessage `json:"objects"`
	Arcs      [][][]float64              `json:"arcs"`
}

type rawTransform struct {
	Scale     []float64 `json:"scale"`
	Translate []float64 `json:"translate"`
}

type rawGeometry struct {
	Type        *string           `json:"type"`
	ID          json.RawMessage   `json:"id"`
	Properties  map[string]any    `json:"properties"`
	Arcs        json.RawMessage   `json:"arcs"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

// DecodeTopoJSON reads a TopoJSON topology from r. It undoes quantization
// and delta encoding of the arcs, checks that every arc reference is in
// range and reports the first problem found as an error naming the object.
func DecodeTopoJSON(r io.Reader) (*Topology, error) {
	var raw rawTopology
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	if raw.Type != "Topology" {
		return nil, fmt.Errorf("topojson: type is %q, want \"Topology\"", raw.Type)
	}
	t := &Topology{BBox: raw.BBox, Objects: make(map[string]*Geometry, len(raw.Objects))}
	if raw.Transform != nil {
		tr := raw.Transform
		if len(tr.Scale) != 2 || len(tr.Translate) != 2 {
			return nil, errors.New("topojson: transform needs a scale and a translate of two numbers each")
		}
		t.Transform = &Transform{
			Scale:     [2]float64{tr.Scale[0], tr.Scale[1]},
			Translate: [2]float64{tr.Translate[0], tr.Translate[1]},
		}
	}
	t.Arcs = make([]orb.LineString, len(raw.Arcs))
	for i, arc := range raw.Arcs {
		ls := make(orb.LineString, len(arc))
		var x, y float64
		for j, pos := range arc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("topojson: arc %d position %d has %d coordinates, want at least 2", i, j, len(pos))
			}
			if t.Transform != nil {
				x += pos[0]
				y += pos[1]
				ls[j] = t.Transform.apply(x, y)
			} else {
				ls[j] = orb.Point{pos[0], pos[1]}
			}
			if !finite(ls[j]) {
				return nil, fmt.Errorf("topojson: arc %d position %d is not a finite number", i, j)
			}
		}
		t.Arcs[i] = ls
	}
	for name, msg := range raw.Objects {
		g, err := t.decodeGeometry(msg, 0)
		if err != nil {
			return nil, fmt.Errorf("topojson: object %q: %w", name, err)
		}
		t.Objects[name] = g
	}
	return t, nil
}

func (tr *Transform) apply(x, y float64) orb.Point {
	return orb.Point{x*tr.Scale[0] + tr.Translate[0], y*tr.Scale[1] + tr.Translate[1]}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

func (t *Topology) decodeGeometry(msg json.RawMessage, depth int) (*Geometry, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("geometry collections nested deeper than %d", maxDepth)
	}
	if bytes.Equal(bytes.TrimSpace(msg), []byte("null")) {
		return &Geometry{}, nil
	}
	var raw rawGeometry
	if err := json.Unmarshal(msg, &raw); err != nil {
		return nil, err
	}
	g := &Geometry{Properties: raw.Properties}
	if raw.Type != nil {
		g.Type = *raw.Type
	}
	if len(raw.ID) > 0 && !bytes.Equal(raw.ID, []byte("null")) {
		var s string
		if err := json.Unmarshal(raw.ID, &s); err == nil {
			g.ID = s
		} else {
			var n json.Number
			if err := json.Unmarshal(raw.ID, &n); err != nil {
				return nil, fmt.Errorf("id %s is neither a string nor a number", raw.ID)
			}
			g.ID = n.String()
		}
	}
	where := func(err error) error {
		if g.ID != "" {
			return fmt.Errorf("geometry %q: %w", g.ID, err)
		}
		return err
	}
	switch g.Type {
	case "":
	case "Polygon":
		var rings [][]int
		if err := unmarshalArcs(raw.Arcs, &rings); err != nil {
			return nil, where(err)
		}
		g.Polygons = [][][]int{rings}
	case "MultiPolygon":
		if err := unmarshalArcs(raw.Arcs, &g.Polygons); err != nil {
			return nil, where(err)
		}
	case "LineString":
		var line []int
		if err := unmarshalArcs(raw.Arcs, &line); err != nil {
			return nil, where(err)
		}
		g.Lines = [][]int{line}
	case "MultiLineString":
		if err := unmarshalArcs(raw.Arcs, &g.Lines); err != nil {
			return nil, where(err)
		}
	case "Point":
		var pos []float64
		if err := json.Unmarshal(raw.Coordinates, &pos); err != nil || len(pos) < 2 {
			return nil, where(errors.New("point needs coordinates [x, y]"))
		}
		g.Points = []orb.Point{t.point(pos)}
	case "MultiPoint":
		var pos [][]float64
		if err := json.Unmarshal(raw.Coordinates, &pos); err != nil {
			return nil, where(errors.New("multipoint needs coordinates [[x, y], ...]"))
		}
		for i, p := range pos {
			if len(p) < 2 {
				return nil, where(fmt.Errorf("multipoint position %d has %d coordinates", i, len(p)))
			}
			g.Points = append(g.Points, t.point(p))
		}
	case "GeometryCollection":
		g.Geometries = make([]*Geometry, len(raw.Geometries))
		for i, m := range raw.Geometries {
			c, err := t.decodeGeometry(m, depth+1)
			if err != nil {
				return nil, where(fmt.Errorf("member %d: %w", i, err))
			}
			g.Geometries[i] = c
		}
	default:
		return nil, where(fmt.Errorf("unknown geometry type %q", g.Type))
	}
	for _, p := range g.Polygons {
		for _, ring := range p {
			if err := t.checkArcs(ring); err != nil {
				return nil, where(err)
			}
		}
	}
	for _, l := range g.Lines {
		if err := t.checkArcs(l); err != nil {
			return nil, where(err)
		}
	}
	return g, nil
}

func unmarshalArcs(msg json.RawMessage, v any) error {
	if len(msg) == 0 {
		return errors.New("missing arcs")
	}
	if err := json.Unmarshal(msg, v); err != nil {
		return fmt.Errorf("arcs: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func (t *Topology) checkArcs(refs []int) error {
	for _, a := range refs {
		i := a
		if i < 0 {
			i = ^i
		}
		if i >= len(t.Arcs) {
			return fmt.Errorf("arc reference %d out of range (topology has %d arcs)", a, len(t.Arcs))
		}
	}
	return nil
}

// point transforms a Point position (positions outside arcs are quantized
// but not delta-encoded).
func (t *Topology) point(pos []float64) orb.Point {
	if t.Transform != nil {
		return t.Transform.apply(pos[0], pos[1])
	}
	return orb.Point{pos[0], pos[1]}
}

// arc returns the points of arc reference a, reversed when a < 0. The
// result is a new slice.
func (t *Topology) arc(a int) orb.LineString {
	if a >= 0 {
		return append(orb.LineString(nil), t.Arcs[a]...)
	}
	src := t.Arcs[^a]
	out := make(orb.LineString, len(src))
	for i, p := range src {
		out[len(src)-1-i] = p
	}
	return out
}

// Ring stitches the arc references of one ring into a ring: each arc after
// the first drops its first point, which repeats the previous arc's last.
// References must be in range, as they are in a decoded Topology.
func (t *Topology) Ring(refs []int) orb.Ring {
	var r orb.Ring
	for k, a := range refs {
		pts := t.arc(a)
		if k > 0 && len(pts) > 0 {
			pts = pts[1:]
		}
		r = append(r, pts...)
	}
	return r
}

// MultiPolygon returns the polygons of a Polygon or MultiPolygon geometry,
// as stored (no repair). A null geometry gives an empty multipolygon; other
// types give an error.
func (t *Topology) MultiPolygon(g *Geometry) (orb.MultiPolygon, error) {
	switch g.Type {
	case "Polygon", "MultiPolygon", "":
	default:
		return nil, fmt.Errorf("topojson: geometry %q is a %s, not a polygon", g.ID, g.Type)
	}
	mp := make(orb.MultiPolygon, 0, len(g.Polygons))
	for _, poly := range g.Polygons {
		p := make(orb.Polygon, 0, len(poly))
		for _, refs := range poly {
			p = append(p, t.Ring(refs))
		}
		mp = append(mp, p)
	}
	return mp, nil
}

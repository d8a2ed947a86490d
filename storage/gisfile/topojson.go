package gisfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"territoria/storage/geo"
)

// ReadTopoJSON reads one object of a TopoJSON topology (decoded by
// storage/geo): opts.Layer names it, otherwise the object with the most
// polygons is taken. The layer keeps the topology so that BuildUnits takes
// the borders from its shared arcs.
func ReadTopoJSON(ctx context.Context, r io.Reader, name string, opts Options) (*Layer, error) {
	lim := opts.limits()
	top, err := geo.DecodeTopoJSON(&limitedReader{r: r, n: lim.MaxBytes, name: name})
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w: %v", name, ErrFormat, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(top.Objects))
	for k := range top.Objects {
		names = append(names, k)
	}
	sort.Strings(names)
	obj := opts.Layer
	if obj != "" {
		if top.Objects[obj] == nil {
			return nil, fmt.Errorf("%s: the topology has no object %q; it has %s", name, obj, strings.Join(names, ", "))
		}
	} else {
		best := -1
		for _, k := range names {
			if n := countPolygons(top.Objects[k]); n > best {
				obj, best = k, n
			}
		}
		if best <= 0 {
			return nil, fmt.Errorf("%s: the topology holds no polygons", name)
		}
	}
	root := top.Objects[obj]
	gs := root.Geometries
	if root.Type != "GeometryCollection" {
		gs = []*geo.Geometry{root}
	}
	points := 0
	for _, a := range top.Arcs {
		points += len(a)
	}
	if points > lim.MaxPoints {
		return nil, fmt.Errorf("%s: %w: more than %d positions", name, ErrTooLarge, lim.MaxPoints)
	}
	if len(gs) > lim.MaxFeatures {
		return nil, fmt.Errorf("%s: %w: more than %d features", name, ErrTooLarge, lim.MaxFeatures)
	}

	// Arcs are shared: decide the CRS over all of them, convert them once,
	// then build the features.
	var b orb.Bound
	empty := true
	ok := 0
	for _, a := range top.Arcs {
		if _, bad := outOfRange(orb.MultiPolygon{{orb.Ring(a)}}); !bad {
			ok++
		}
		for _, q := range a {
			if empty {
				b, empty = orb.Bound{Min: q, Max: q}, false
			} else {
				b = b.Extend(q)
			}
		}
	}
	crs, err := guessCRS(b, empty, float64(ok)/float64(max(len(top.Arcs), 1)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l := &Layer{Format: FormatTopoJSON, Name: obj, CRS: crs, CRSFrom: "coordinates", Topology: top}
	if crs == CRS4326 {
		l.CRSFrom = "default"
	} else {
		for _, a := range top.Arcs {
			for k, q := range a {
				a[k] = MercatorToWGS84(q)
			}
		}
	}
	var fields fieldList
	for i, g := range gs {
		n := i + 1
		if opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
		switch g.Type {
		case "Polygon", "MultiPolygon":
		case "":
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: g.ID, Code: CodeNoGeometry, Message: "has no geometry"})
			continue
		default:
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: g.ID, Code: CodeNotPolygon, Message: fmt.Sprintf("is a %s, not a polygon", g.Type)})
			continue
		}
		mp, err := top.MultiPolygon(g)
		if err != nil {
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: g.ID, Code: CodeBadGeometry, Message: err.Error()})
			continue
		}
		if q, bad := outOfRange(mp); bad {
			l.Skipped = append(l.Skipped, Problem{Feature: n, ID: g.ID, Code: CodeOutOfRange,
				Message: fmt.Sprintf("position (%g, %g) is outside longitude -180..180 / latitude -90..90", q[0], q[1])})
			continue
		}
		props := make(map[string]any, len(g.Properties))
		keys := make([]string, 0, len(g.Properties))
		for k, v := range g.Properties {
			keys = append(keys, k)
			props[k] = scalar(v)
		}
		sort.Strings(keys)
		fields.add(keys)
		l.Features = append(l.Features, Feature{Number: n, ID: g.ID, Properties: props, Geom: mp})
		l.TopoGeoms = append(l.TopoGeoms, g)
	}
	l.Fields = fields.names
	if len(l.Features) == 0 {
		return nil, fmt.Errorf("%s: object %q holds no polygons", name, obj)
	}
	return l, nil
}

func countPolygons(g *geo.Geometry) int {
	if g == nil {
		return 0
	}
	switch g.Type {
	case "Polygon", "MultiPolygon":
		return 1
	case "GeometryCollection":
		n := 0
		for _, m := range g.Geometries {
			if m != nil && (m.Type == "Polygon" || m.Type == "MultiPolygon") {
				n++
			}
		}
		return n
	}
	return 0
}

// scalar keeps strings, numbers, booleans and nil; anything else becomes
// its printed form.
func scalar(v any) any {
	switch v := v.(type) {
	case nil, string, float64, bool:
		return v
	}
	return fmt.Sprint(v)
}

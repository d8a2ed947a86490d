package export

import (
	"fmt"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/dissolve"
	"territoria/engine/segment"
)

// GISOptions choose what the GIS writers put in.
type GISOptions struct {
	Options
	// NoAccounts leaves the accounts layer out (a million points make files
	// that desktop GIS opens slowly).
	NoAccounts bool
}

// fieldType is the type of an attribute: text, integer or real.
type fieldType byte

const (
	fText fieldType = 'C'
	fInt  fieldType = 'I'
	fReal fieldType = 'R'
)

// field is one attribute of a layer: Name in GeoJSON and KML, Short (at
// most 10 ASCII characters, unique in the layer) in a Shapefile's .dbf.
type field struct {
	name  string
	short string
	typ   fieldType
}

// layer is one set of features of the same geometry type with the same
// attributes. feature(i) returns the geometry (nil for none) and the
// attribute values: string, int or float64 (NaN for none).
type layer struct {
	name    string // "territories", "districts", "regions", "areas", "accounts"
	title   string // for people (KML folder)
	polygon bool   // polygons, else points
	fields  []field
	n       int
	feature func(i int, vals []any) (orb.Geometry, []any)
	// style returns the fill colour "#rrggbb" of feature i ("" for none); polygons only.
	style func(i int) string
	// label returns the name shown for feature i (KML).
	label func(i int) string
}

// shortNames are the .dbf names of attributes whose names are longer than
// ten characters.
var shortNames = map[string]string{
	"lifetimeValue": "ltv",
	"workloadHours": "workload_h",
	"capacityHours": "capacity_h",
	"utilisation":   "utilisatn",
	"perimeterKm":   "perim_km",
	"compactness":   "compactnes",
	"territory_id":  "terr_id",
	"territory":     "territory",
	"district_id":   "dist_id",
	"approximate":   "approx",
}

// makeFields gives each attribute a unique short name.
func makeFields(specs []field) []field {
	used := map[string]bool{}
	out := make([]field, len(specs))
	for i, f := range specs {
		s := shortNames[f.name]
		if s == "" {
			s = asciiName(f.name)
		}
		if len(s) > 10 {
			s = s[:10]
		}
		base := s
		for k := 2; used[s]; k++ {
			suffix := fmt.Sprintf("_%d", k)
			s = base
			if len(s)+len(suffix) > 10 {
				s = s[:10-len(suffix)]
			}
			s += suffix
		}
		used[s] = true
		f.short = s
		out[i] = f
	}
	return out
}

func asciiName(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b = append(b, byte(r))
		default:
			b = append(b, '_')
		}
	}
	if len(b) == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z') {
		b = append([]byte("f_"), b...)
	}
	return string(b)
}

// metricType is the attribute type of a metric.
func metricType(m Metric) fieldType {
	if m.Name == "accounts" || m.Name == "units" || m.Name == "parts" {
		return fInt
	}
	return fReal
}

// gisLayers builds the layers of an export: territory, district and region
// outlines dissolved from their units, free-drawn areas, and accounts.
func gisLayers(d *Data, o *GISOptions) ([]*layer, []string, error) {
	p, st := d.Plan, d.Current.State
	ni := newNodeInfo(p, st)
	var notes []string
	rows := map[string]*Row{}
	for i := range d.Current.Rows {
		r := &d.Current.Rows[i]
		if r.ID != "" {
			rows[r.ID] = r
		}
	}
	var layers []*layer
	for _, kind := range []engine.Kind{engine.KindTerritory, engine.KindDistrict, engine.KindRegion} {
		if err := o.cancelled(); err != nil {
			return nil, nil, err
		}
		o.progress("outlines", 0, 1)
		outlines, problems, err := dissolve.Outlines(p.Units, p.Borders, ni.groupOf(kind), len(st.Nodes))
		if err != nil {
			return nil, nil, err
		}
		for _, pr := range problems {
			notes = append(notes, fmt.Sprintf("%s %s (%s): outline made of its units' polygons: %s", kind, st.Nodes[pr.Group].ID, st.Nodes[pr.Group].Name, pr.Reason))
		}
		var nodes []int32
		for i, t := range st.Nodes {
			if t.Kind == kind && len(outlines[i]) > 0 {
				nodes = append(nodes, int32(i))
			}
		}
		if len(nodes) == 0 && kind != engine.KindTerritory {
			continue
		}
		specs := []field{{name: "id", typ: fText}, {name: "name", typ: fText}, {name: "kind", typ: fText}, {name: "parent", typ: fText}}
		if kind == engine.KindTerritory {
			specs = append(specs, field{name: "district", typ: fText}, field{name: "region", typ: fText})
		}
		specs = append(specs, field{name: "rep_id", typ: fText}, field{name: "rep", typ: fText}, field{name: "color", typ: fText})
		for _, m := range d.Metrics {
			specs = append(specs, field{name: m.Name, typ: metricType(m)})
		}
		kind := kind
		name := map[engine.Kind]string{engine.KindTerritory: "territories", engine.KindDistrict: "districts", engine.KindRegion: "regions"}[kind]
		layers = append(layers, &layer{
			name: name, title: kindLabel(string(kind), d.Lang), polygon: true, fields: makeFields(specs), n: len(nodes),
			feature: func(i int, vals []any) (orb.Geometry, []any) {
				t := nodes[i]
				n := &st.Nodes[t]
				vals = append(vals[:0], n.ID, n.Name, string(n.Kind), n.Parent)
				if kind == engine.KindTerritory {
					vals = append(vals, ni.name(ni.district[t]), ni.name(ni.region[t]))
				}
				vals = append(vals, n.RepID, ni.reps[n.RepID], n.Color)
				r := rows[n.ID]
				for _, m := range d.Metrics {
					v, ok := 0.0, false
					if r != nil {
						v, ok = r.Values[m.Name]
					}
					switch {
					case !ok:
						vals = append(vals, nan)
					case metricType(m) == fInt:
						vals = append(vals, int(v))
					default:
						vals = append(vals, finite(v))
					}
				}
				return outlines[t], vals
			},
			style: func(i int) string { return st.Nodes[nodes[i]].Color },
			label: func(i int) string { return st.Nodes[nodes[i]].Name },
		})
	}

	// Free-drawn areas.
	var drawn []int32
	for i, t := range st.Nodes {
		if len(t.Polygon) > 0 && len(t.Polygon[0]) >= 4 {
			drawn = append(drawn, int32(i))
		}
	}
	if len(drawn) > 0 {
		specs := []field{{name: "territory_id", typ: fText}, {name: "territory", typ: fText}, {name: "rep", typ: fText}, {name: "color", typ: fText}}
		layers = append(layers, &layer{
			name: "areas", title: d.tr("Drawn areas", "手绘区域"), polygon: true, fields: makeFields(specs), n: len(drawn),
			feature: func(i int, vals []any) (orb.Geometry, []any) {
				t := &st.Nodes[drawn[i]]
				return rightHand(t.Polygon), append(vals[:0], t.ID, t.Name, ni.reps[t.RepID], t.Color)
			},
			style: func(i int) string { return st.Nodes[drawn[i]].Color },
			label: func(i int) string { return st.Nodes[drawn[i]].Name },
		})
	}

	if !o.NoAccounts && len(p.Accounts) > 0 {
		specs := []field{{name: "id", typ: fText}, {name: "name", typ: fText}, {name: "territory_id", typ: fText}, {name: "territory", typ: fText},
			{name: "rep_id", typ: fText}, {name: "rep", typ: fText}, {name: "tier", typ: fText}, {name: "industry", typ: fText}, {name: "size", typ: fText},
			{name: "unit_id", typ: fText}, {name: "potential", typ: fReal}, {name: "revenue", typ: fReal}, {name: "lifetimeValue", typ: fReal},
			{name: "placed", typ: fText}, {name: "approximate", typ: fInt}}
		seg := d.Segments
		if d.segmentsOK() {
			specs = append(specs, field{name: "class", typ: fText}, field{name: "golden", typ: fInt}, field{name: "sleeping", typ: fInt},
				field{name: "whitespace", typ: fInt})
		} else {
			seg = nil
		}
		bit := func(a int, f segment.Flags) int {
			if seg.Flags[a].Has(f) {
				return 1
			}
			return 0
		}
		layers = append(layers, &layer{
			name: "accounts", title: d.tr("Accounts", "客户"), fields: makeFields(specs), n: len(p.Accounts),
			feature: func(i int, vals []any) (orb.Geometry, []any) {
				a := &p.Accounts[i]
				t := st.AccountTerr[i]
				placed := "unit"
				switch {
				case t == engine.NoIndex:
					placed = ""
				case st.Override(int32(i)) == t:
					placed = "override"
				case st.Drawn(int32(i)) == t:
					placed = "drawn"
				}
				unit := ""
				if a.Unit != engine.NoIndex && int(a.Unit) < len(p.Units) {
					unit = p.Units[a.Unit].ID
				}
				approx := 0
				if a.Approx {
					approx = 1
				}
				vals = append(vals[:0], a.ID, a.Name, ni.id(t), ni.name(t), ni.repID(t), ni.repName(t), a.Tier, a.Industry, a.Size, unit,
					finite(a.Potential), finite(a.Revenue12()), finite(a.LifetimeValue), placed, approx)
				if seg != nil {
					vals = append(vals, seg.ClassName(i), bit(i, segment.Golden), bit(i, segment.Sleeping), bit(i, segment.WhiteSpace))
				}
				return a.Loc, vals
			},
			label: func(i int) string { return p.Accounts[i].Name },
		})
	}
	return layers, notes, nil
}

// rightHand returns a copy of poly with its outer ring counterclockwise,
// its holes clockwise and every ring closed.
func rightHand(poly orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, len(poly))
	for k, r := range poly {
		if len(r) < 3 {
			continue
		}
		c := append(orb.Ring(nil), r...)
		if c[0] != c[len(c)-1] {
			c = append(c, c[0])
		}
		if o := c.Orientation(); (k == 0) != (o == orb.CCW) && o != 0 {
			c.Reverse()
		}
		out = append(out, c)
	}
	return out
}

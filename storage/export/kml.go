package export

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// WriteKML writes the scenario as KML 2.2: one Folder per layer
// (territories, districts, regions, drawn areas, accounts), Placemarks
// named after their feature with every attribute in ExtendedData, and
// polygons filled in their territory's colour.
func WriteKML(path string, d *Data, o *GISOptions) (GISResult, error) {
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
		bw.WriteString(xml.Header)
		bw.WriteString(`<kml xmlns="http://www.opengis.net/kml/2.2"><Document>` + "\n<name>")
		xmlText(bw, d.Plan.Name+" — "+d.Current.Scenario.Name)
		bw.WriteString("</name>\n")
		// One style per colour used.
		styles := map[string]bool{}
		for _, l := range layers {
			if l.style == nil {
				continue
			}
			for i := 0; i < l.n; i++ {
				c := l.style(i)
				if styles[c] {
					continue
				}
				styles[c] = true
				bw.WriteString(`<Style id="` + styleID(c) + `"><LineStyle><color>ff` + kmlColor(c, "") + `</color><width>1.5</width></LineStyle>`)
				bw.WriteString(`<PolyStyle><color>80` + kmlColor(c, "") + `</color></PolyStyle></Style>` + "\n")
			}
		}
		var vals []any
		for _, l := range layers {
			bw.WriteString("<Folder><name>")
			xmlText(bw, l.title)
			bw.WriteString("</name>\n")
			for i := 0; i < l.n; i++ {
				if err := o.tick(l.name, i, l.n); err != nil {
					return err
				}
				var g orb.Geometry
				g, vals = l.feature(i, vals)
				bw.WriteString("<Placemark><name>")
				xmlText(bw, l.label(i))
				bw.WriteString("</name>")
				if l.style != nil {
					bw.WriteString(`<styleUrl>#` + styleID(l.style(i)) + `</styleUrl>`)
				}
				bw.WriteString("<ExtendedData>")
				for k, f := range l.fields {
					s := kmlValue(vals[k])
					if s == "" {
						continue
					}
					bw.WriteString(`<Data name="`)
					xmlText(bw, f.name)
					bw.WriteString(`"><value>`)
					xmlText(bw, s)
					bw.WriteString("</value></Data>")
				}
				bw.WriteString("</ExtendedData>")
				writeKMLGeometry(bw, g)
				bw.WriteString("</Placemark>\n")
				res.Layers[l.name]++
			}
			bw.WriteString("</Folder>\n")
		}
		bw.WriteString("</Document></kml>\n")
		return bw.Flush()
	})
	if err != nil {
		return GISResult{}, err
	}
	o.progress("done", 1, 1)
	return res, nil
}

func styleID(color string) string {
	return "c" + strings.TrimPrefix(strings.ToLower(validColor(color, "#888888")), "#")
}

// validColor returns c when it is "#rrggbb", else def.
func validColor(c, def string) string {
	if len(c) != 7 || c[0] != '#' {
		return def
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return def
		}
	}
	return c
}

// kmlColor turns "#rrggbb" into KML's "bbggrr".
func kmlColor(c, def string) string {
	c = strings.ToLower(validColor(c, "#888888"))
	return c[5:7] + c[3:5] + c[1:3]
}

func kmlValue(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		b := appendNumber(nil, v)
		if string(b) == "null" {
			return ""
		}
		return string(b)
	}
	return ""
}

func xmlText(w io.Writer, s string) { _ = xml.EscapeText(w, []byte(s)) }

func writeKMLRing(bw *bufio.Writer, r orb.Ring) {
	bw.WriteString("<LinearRing><coordinates>")
	var b []byte
	for i, p := range r {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendNumber(b, p[0])
		b = append(b, ',')
		b = appendNumber(b, p[1])
	}
	bw.Write(b)
	bw.WriteString("</coordinates></LinearRing>")
}

func writeKMLPolygon(bw *bufio.Writer, p orb.Polygon) {
	bw.WriteString("<Polygon>")
	for k, r := range p {
		if k == 0 {
			bw.WriteString("<outerBoundaryIs>")
		} else {
			bw.WriteString("<innerBoundaryIs>")
		}
		writeKMLRing(bw, r)
		if k == 0 {
			bw.WriteString("</outerBoundaryIs>")
		} else {
			bw.WriteString("</innerBoundaryIs>")
		}
	}
	bw.WriteString("</Polygon>")
}

func writeKMLGeometry(bw *bufio.Writer, g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		b := []byte("<Point><coordinates>")
		b = appendNumber(b, g[0])
		b = append(b, ',')
		b = appendNumber(b, g[1])
		b = append(b, "</coordinates></Point>"...)
		bw.Write(b)
	case orb.Polygon:
		writeKMLPolygon(bw, g)
	case orb.MultiPolygon:
		if len(g) == 1 {
			writeKMLPolygon(bw, g[0])
			return
		}
		bw.WriteString("<MultiGeometry>")
		for _, p := range g {
			writeKMLPolygon(bw, p)
		}
		bw.WriteString("</MultiGeometry>")
	}
}

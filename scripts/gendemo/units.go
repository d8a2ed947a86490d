package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
	enginegeo "territoria/engine/geo"
	"territoria/storage/geo"
)

// countyRow is one row of the 2010 county population file.
type countyRow struct {
	Name   string
	Pop    float64
	Lat    float64
	Lon    float64
	AlandM float64
}

// renamed maps county codes that changed after 2010 to their 2010 code
// in the population file: Kusilvak (formerly Wade Hampton) and Oglala
// Lakota (formerly Shannon).
var renamed = map[string]string{"02158": "02270", "46102": "46113"}

// merged maps 2010 county codes that no longer exist to the county that
// absorbed them: Bedford city became part of Bedford County, Virginia, in 2013.
var merged = map[string]string{"51515": "51019"}

type unitStats struct {
	invalid, stillInvalid, rewoundOnly int
	fallback                           []string
	borderNotes                        []string
}

func readPopulation(path string) (map[string]countyRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	want := []string{"geoid", "statefp", "name", "pop2010", "lat", "lon", "aland_m2"}
	if !slices.Equal(head, want) {
		return nil, fmt.Errorf("%s: header %v, want %v", path, head, want)
	}
	rows := map[string]countyRow{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var v [4]float64
		for i, col := range []int{3, 4, 5, 6} {
			if v[i], err = strconv.ParseFloat(rec[col], 64); err != nil {
				return nil, fmt.Errorf("%s line %d: %s: %w", path, line, head[col], err)
			}
		}
		rows[rec[0]] = countyRow{Name: rec[2], Pop: v[0], Lat: v[1], Lon: v[2], AlandM: v[3]}
	}
	for from, to := range merged {
		a, b := rows[from], rows[to]
		b.Pop += a.Pop
		b.AlandM += a.AlandM
		rows[to] = b
		delete(rows, from)
	}
	return rows, nil
}

// buildUnits reads, repairs and indexes the counties of the 50 states and DC.
func buildUnits(c config) ([]engine.Unit, []engine.Border, unitStats, error) {
	var st unitStats
	pop, err := readPopulation(c.pop)
	if err != nil {
		return nil, nil, st, err
	}
	f, err := os.Open(c.counties)
	if err != nil {
		return nil, nil, st, err
	}
	top, err := geo.DecodeTopoJSON(f)
	f.Close()
	if err != nil {
		return nil, nil, st, fmt.Errorf("%s: %w", c.counties, err)
	}
	obj := top.Objects["counties"]
	if obj == nil {
		return nil, nil, st, fmt.Errorf("%s: no \"counties\" object", c.counties)
	}
	keep := map[string]bool{}
	for _, s := range states {
		keep[s.FIPS] = true
	}
	var gs []*geo.Geometry
	for _, g := range obj.Geometries {
		if len(g.ID) == 5 && keep[g.ID[:2]] {
			gs = append(gs, g)
		}
	}
	slices.SortFunc(gs, func(a, b *geo.Geometry) int { return strings.Compare(a.ID, b.ID) })
	units := make([]engine.Unit, len(gs))
	var fallbacks []int
	for i, g := range gs {
		mp, err := top.MultiPolygon(g)
		if err != nil {
			return nil, nil, st, err
		}
		problems := geo.Validate(mp)
		fixed, notes := geo.Repair(mp)
		if len(problems) > 0 {
			st.invalid++
		} else if len(notes) > 0 {
			st.rewoundOnly++
		}
		key := g.ID
		if k, ok := renamed[key]; ok {
			key = k
		}
		row, ok := pop[key]
		if !ok {
			return nil, nil, st, fmt.Errorf("county %s has no population row", g.ID)
		}
		name, _ := g.Properties["name"].(string)
		if name == "" {
			name = row.Name
		}
		units[i] = engine.Unit{
			ID: g.ID, Name: name, Level: "county", Parent: g.ID[:2], Geom: fixed,
			Data: map[string]float64{"population": row.Pop},
		}
		if len(fixed) == 0 {
			fallbacks = append(fallbacks, i)
		}
	}
	units32 := make([]int32, len(gs))
	for i := range units32 {
		units32[i] = int32(i)
	}
	borders, bnotes, err := top.Borders(gs, units32)
	if err != nil {
		return nil, nil, st, err
	}
	st.borderNotes = bnotes
	for _, i := range fallbacks {
		row := pop[units[i].ID]
		b, note := fallbackUnit(units, i, orb.Point{row.Lon, row.Lat}, row.AlandM/1e6)
		borders = append(borders, b)
		st.fallback = append(st.fallback, note)
	}
	// Round to the 1e-6 degree grid of the demo encoding now, so that what
	// is tested below (and where accounts are placed) is what gets stored.
	for i := range units {
		units[i].Geom = roundGeom(units[i].Geom)
	}
	for i := range borders {
		for k, p := range borders[i].Line {
			borders[i].Line[k] = roundPoint(p)
		}
	}
	nb, err := geo.Neighbors(borders, len(units))
	if err != nil {
		return nil, nil, st, err
	}
	for i := range units {
		u := &units[i]
		if p := geo.Validate(u.Geom); len(p) > 0 || !geo.Oriented(u.Geom) {
			st.stillInvalid++
		}
		u.Neighbors = nb[i]
		u.AreaKm2 = math.Round(enginegeo.AreaKm2(u.Geom)*100) / 100
		lp, ok := enginegeo.LabelPoint(u.Geom)
		if !ok {
			return nil, nil, st, fmt.Errorf("county %s has no label point", u.ID)
		}
		u.Label = roundPoint(lp)
		if !enginegeo.Contains(u.Geom, u.Label) {
			return nil, nil, st, fmt.Errorf("county %s: label point outside the county", u.ID)
		}
	}
	return units, borders, st, nil
}

// fallbackUnit gives unit i, whose boundary collapsed in the source data,
// a regular octagon of its land area around its internal point, cut as a
// hole out of the county containing it so that units still do not
// overlap. It returns the border between the two and a note.
func fallbackUnit(units []engine.Unit, i int, center orb.Point, areaKm2 float64) (engine.Border, string) {
	// Circumradius of a regular octagon of the given area: A = 2√2 r².
	r := math.Sqrt(areaKm2 / (2 * math.Sqrt2))
	host, part := -1, -1
	for j := range units {
		for k, poly := range units[j].Geom {
			if j != i && enginegeo.PolygonContains(poly, center) {
				host, part = j, k
			}
		}
	}
	var ring orb.Ring
	for try := 0; try < 8; try++ {
		ring = octagon(center, r)
		if host < 0 || octagonFits(units[host].Geom[part], ring) {
			break
		}
		r /= 2
	}
	units[i].Geom = orb.MultiPolygon{{ring}}
	if host < 0 {
		return engine.Border{Line: orb.LineString(ring), Left: int32(i), Right: engine.NoIndex},
			fmt.Sprintf("%s %s: empty boundary, octagon of %.2f km² at its internal point (%.5f, %.5f)",
				units[i].ID, units[i].Name, 2*math.Sqrt2*r*r, center[0], center[1])
	}
	hole := slices.Clone(ring)
	hole.Reverse()
	units[host].Geom[part] = append(units[host].Geom[part], hole)
	return engine.Border{Line: orb.LineString(slices.Clone(ring)), Left: int32(i), Right: int32(host)},
		fmt.Sprintf("%s %s: empty boundary, octagon of %.2f km² at its internal point (%.5f, %.5f), cut out of %s %s",
			units[i].ID, units[i].Name, 2*math.Sqrt2*r*r, center[0], center[1], units[host].ID, units[host].Name)
}

// octagon returns a counterclockwise regular octagon of circumradius rKm.
func octagon(c orb.Point, rKm float64) orb.Ring {
	dy := rKm / 111.32
	dx := dy / math.Cos(c[1]*math.Pi/180)
	ring := make(orb.Ring, 0, 9)
	for k := 0; k < 8; k++ {
		a := (float64(k) + 0.5) * math.Pi / 4
		ring = append(ring, orb.Point{c[0] + dx*math.Cos(a), c[1] + dy*math.Sin(a)})
	}
	return append(ring, ring[0])
}

// octagonFits reports whether ring lies inside poly and clear of its rings.
func octagonFits(poly orb.Polygon, ring orb.Ring) bool {
	for _, p := range ring {
		if !enginegeo.PolygonContains(poly, p) {
			return false
		}
	}
	mp := orb.MultiPolygon{append(slices.Clone(poly), ring)}
	return len(geo.Validate(mp)) == 0
}

// unitIndex finds the unit containing a point through a grid of unit bounds.
type unitIndex struct {
	units []engine.Unit
	cells map[[2]int][]int32
}

const cellDeg = 0.5

func cellOf(p orb.Point) [2]int {
	return [2]int{int(math.Floor(p[0] / cellDeg)), int(math.Floor(p[1] / cellDeg))}
}

func newUnitIndex(units []engine.Unit) *unitIndex {
	ix := &unitIndex{units: units, cells: map[[2]int][]int32{}}
	for i, u := range units {
		b := u.Geom.Bound()
		lo, hi := cellOf(b.Min), cellOf(b.Max)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				ix.cells[[2]int{x, y}] = append(ix.cells[[2]int{x, y}], int32(i))
			}
		}
	}
	return ix
}

// locate returns the unit containing p, or engine.NoIndex.
func (ix *unitIndex) locate(p orb.Point) int32 {
	for _, i := range ix.cells[cellOf(p)] {
		if enginegeo.Contains(ix.units[i].Geom, p) {
			return i
		}
	}
	return engine.NoIndex
}

// placeRec is a US place located in a unit.
type placeRec struct {
	Name       string
	Population int
	Loc        orb.Point
	Unit       int32
}

// loadPlaces keeps the US populated places (not sections, historical or
// abandoned places) that lie inside a unit.
func loadPlaces(path string, ix *unitIndex) ([]placeRec, error) {
	all, err := readPlaces(path)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{"PPLX": true, "PPLH": true, "PPLQ": true, "PPLW": true}
	var out []placeRec
	for _, p := range all {
		if p.Country != "US" || skip[p.FeatureCode] || p.Population <= 0 {
			continue
		}
		u := ix.locate(p.Loc)
		if u == engine.NoIndex {
			continue
		}
		out = append(out, placeRec{Name: p.Name, Population: p.Population, Loc: p.Loc, Unit: u})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no US places inside the counties", path)
	}
	return out, nil
}

func roundPoint(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
}

func roundGeom(mp orb.MultiPolygon) orb.MultiPolygon {
	for _, poly := range mp {
		for _, r := range poly {
			for k, p := range r {
				r[k] = roundPoint(p)
			}
		}
	}
	return mp
}

package gisfile

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
	enginegeo "territoria/engine/geo"
	"territoria/storage/geo"
)

// Pseudo-fields for UnitOptions.IDField and NameField: the feature's own
// identifier (GeoJSON/TopoJSON "id", a KML Placemark's id), a KML
// Placemark's name, and the feature's number in the file.
const (
	FieldFeatureID   = "@id"
	FieldFeatureName = "@name"
	FieldNumber      = "@number"
)

// UnitOptions configure BuildUnits.
type UnitOptions struct {
	// IDField and NameField name the attributes holding the unit id and
	// name (or a pseudo-field above); "" detects them.
	IDField, NameField string
	// Level is the units' level ("county", "zip", "district"...); ""
	// takes a "level" attribute or guesses from the ids.
	Level string
	// Grid is the quantization step of Borders for formats without a
	// topology; 0 means DefaultGrid.
	Grid float64
	// Progress, when set, is called with the features processed so far
	// and their total.
	Progress func(done, total int)
}

// UnitSet is what BuildUnits makes of a layer.
type UnitSet struct {
	Units   []engine.Unit
	Borders []engine.Border
	// IDField, NameField and ParentField are the attributes used ("" for
	// no parent field); Level is the level given to the units.
	IDField, NameField, ParentField, Level string
	// Features[i] lists the feature numbers that make up Units[i].
	Features [][]int
	// Invalid counts features whose polygons were invalid and repaired;
	// Rejected counts features left out (by the reader or here).
	Invalid, Rejected int
	// Problems lists every feature left out or changed, in feature order.
	Problems []Problem
	// Notes tell about the layer as a whole.
	Notes []string
}

// Attribute names recognised as unit ids, in order of preference (compared
// without case). A pattern like "GID_#" means the highest numbered such field.
var idFields = []string{
	"GEOID", "GEOID20", "GEOID10", "GEOIDFQ", "FIPS", "FIPS_CODE", "FIPSCODE", "CNTY_FIPS_FULL", "STCOFIPS", "GEO_ID",
	"ZCTA5CE20", "ZCTA5CE10", "ZCTA5", "ZIP", "ZIPCODE", "ZIP_CODE", "POSTCODE", "POSTAL_CODE", "PLZ",
	"adcode", "ad_code", "区划代码", "行政区划代码", "行政代码", "代码", "编码", "GID_#", "HASC_#", "ISO_3166_2", "ISO_A3",
	FieldFeatureID, "code", "id", "uid", "unit_id", "OBJECTID", "FID",
}

// Attribute names recognised as unit names, in order of preference.
var nameFields = []string{
	FieldFeatureName, "NAME", "NAME20", "NAME10", "name_zh", "NAME_ZH", "名称", "名字", "地名", "NAME_#", "NL_NAME_#",
	"NAMELSAD", "NAMELSAD20", "NAMELSAD10", "name_en", "NAME_EN", "COUNTY", "COUNTY_NAME", "COUNTYNAME", "CNTY_NAME",
	"DISTRICT", "区县", "区县名称", "县", "市", "省", "ADMIN", "label", "title",
}

// Attribute names recognised as the parent grouping code.
var parentFields = []string{"STATEFP", "STATEFP20", "STATEFP10", "STATE_FIPS", "STATE_CODE", "STFIPS", "parent", "parent_code", "GID_#-1"}

// BuildUnits turns the features of a layer into units. Features sharing an
// id become one unit; a feature without an id, or with nothing left after
// repair, is left out. Polygons are repaired (storage/geo.Repair) and wound
// as RFC 7946 asks; each unit gets its geodesic area, a label point inside
// it, its numeric attributes as Data, and its neighbours from the borders
// (the topology's arcs for TopoJSON, Borders for the other formats).
func BuildUnits(ctx context.Context, l *Layer, opts UnitOptions) (*UnitSet, error) {
	us := &UnitSet{Rejected: len(l.Skipped)}
	us.Problems = append(us.Problems, l.Skipped...)
	us.Notes = append(us.Notes, l.Notes...)
	if len(l.Features) == 0 {
		return nil, fmt.Errorf("%s: no polygon features to make units of", baseName(l.Path))
	}
	var err error
	if us.IDField, err = chooseField(l, opts.IDField, idFields, true); err != nil {
		return nil, err
	}
	if us.NameField, err = chooseField(l, opts.NameField, nameFields, false); err != nil {
		return nil, err
	}
	if us.NameField == "" {
		us.NameField = us.IDField
	}
	if us.IDField == FieldNumber && opts.IDField == "" {
		us.Notes = append(us.Notes, "no attribute holds a distinct id for every feature; the units are numbered in file order")
	}
	us.ParentField, _ = chooseField(l, "", parentFields, false)
	total := len(l.Features)
	index := map[string]int32{}
	featureUnit := make([]int32, total)
	skip := map[string]bool{us.IDField: true, us.NameField: true, us.ParentField: true, "level": true}
	var levels []string
	var raw []orb.MultiPolygon // the geometries as read, for Borders
	for i := range l.Features {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if opts.Progress != nil {
				opts.Progress(i, total)
			}
		}
		f := &l.Features[i]
		featureUnit[i] = engine.NoIndex
		id := fieldValue(f, us.IDField)
		if id == "" {
			us.reject(Problem{Feature: f.Number, Field: us.IDField, Code: CodeNoID, Message: "has no id"})
			continue
		}
		problems := geo.Validate(f.Geom)
		fixed, _ := geo.Repair(f.Geom)
		if len(fixed) == 0 {
			msg := "has no area"
			if len(problems) > 0 {
				msg = "nothing with area is left after repairing it (" + problems[0] + ")"
			}
			us.reject(Problem{Feature: f.Number, ID: id, Code: CodeNoArea, Message: msg})
			continue
		}
		if invalid(problems) {
			us.Invalid++
			us.Problems = append(us.Problems, Problem{Feature: f.Number, ID: id, Code: CodeRepaired,
				Message: "invalid polygon repaired: " + summarize(problems)})
		}
		if u, dup := index[id]; dup {
			unit := &us.Units[u]
			unit.Geom = append(unit.Geom, fixed...)
			raw[u] = append(raw[u], f.Geom...)
			us.Features[u] = append(us.Features[u], f.Number)
			featureUnit[i] = u
			mergeData(unit, f.Properties, skip)
			us.Problems = append(us.Problems, Problem{Feature: f.Number, ID: id, Code: CodeMerged,
				Message: fmt.Sprintf("has the same id as feature %d; their polygons make one unit", us.Features[u][0])})
			continue
		}
		name := fieldValue(f, us.NameField)
		if name == "" {
			name = id
		}
		u := engine.Unit{ID: id, Name: name, Parent: parentValue(f, us.ParentField), Geom: fixed}
		mergeData(&u, f.Properties, skip)
		levels = append(levels, fieldValue(f, "level"))
		featureUnit[i] = int32(len(us.Units))
		index[id] = int32(len(us.Units))
		us.Units = append(us.Units, u)
		raw = append(raw, f.Geom)
		us.Features = append(us.Features, []int{f.Number})
	}
	if len(us.Units) == 0 {
		return nil, fmt.Errorf("%s: none of the %d features can be a unit (the first: %s)", baseName(l.Path), total+len(l.Skipped), us.Problems[0])
	}
	us.Level = opts.Level
	if us.Level == "" {
		us.Level = guessLevel(us.Units, levels, us.IDField)
	}
	deriveParents(us.Units)
	for i := range us.Units {
		u := &us.Units[i]
		u.Level = us.Level
		u.AreaKm2 = enginegeo.AreaKm2(u.Geom)
		lp, ok := enginegeo.LabelPoint(u.Geom)
		if !ok {
			lp = u.Geom.Bound().Center()
		}
		u.Label = lp
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var notes []string
	if l.Topology != nil && len(l.TopoGeoms) == len(l.Features) {
		us.Borders, notes, err = l.Topology.Borders(l.TopoGeoms, featureUnit)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", baseName(l.Path), err)
		}
		if len(notes) > 0 {
			// The notes name units by index; say what they mean instead.
			notes = []string{fmt.Sprintf("%d arcs of the topology are shared by more than two units or wound against their neighbours (overlapping polygons); the borders there follow the first units", len(notes))}
		}
	} else {
		us.Borders, notes = Borders(raw, opts.Grid)
	}
	us.Notes = append(us.Notes, notes...)
	nb, err := geo.Neighbors(us.Borders, len(us.Units))
	if err != nil {
		return nil, err
	}
	for i := range us.Units {
		us.Units[i].Neighbors = nb[i]
	}
	sort.SliceStable(us.Problems, func(i, j int) bool { return us.Problems[i].Feature < us.Problems[j].Feature })
	if opts.Progress != nil {
		opts.Progress(total, total)
	}
	return us, nil
}

func (us *UnitSet) reject(p Problem) {
	us.Rejected++
	us.Problems = append(us.Problems, p)
}

// invalid reports whether Validate found more than repeated points, which
// the OGC rules (and GEOS) accept.
func invalid(problems []string) bool {
	for _, p := range problems {
		if !strings.Contains(p, " repeats point ") {
			return true
		}
	}
	return false
}

func summarize(list []string) string {
	if len(list) <= 2 {
		return strings.Join(list, "; ")
	}
	return fmt.Sprintf("%s; %s; and %d more", list[0], list[1], len(list)-2)
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

var numbered = regexp.MustCompile(`^(.*)_([0-9]+)$`)

// chooseField returns the field the caller asked for (checking that the
// layer has it) or the first candidate whose values suit: for ids, present
// on every feature and distinct on at least nine in ten; for other fields,
// present on most features. With required, it falls back to the feature
// number.
func chooseField(l *Layer, want string, candidates []string, required bool) (string, error) {
	has := map[string]string{} // lower case → as spelled in the layer
	for _, f := range l.Fields {
		has[strings.ToLower(f)] = f
	}
	hasPseudo := func(name string) bool {
		for i := range l.Features {
			if fieldValue(&l.Features[i], name) != "" {
				return true
			}
		}
		return false
	}
	if want != "" {
		switch want {
		case FieldNumber:
			return want, nil
		case FieldFeatureID, FieldFeatureName:
			if !hasPseudo(want) {
				return "", fmt.Errorf("%s: the features have no %s", baseName(l.Path), pseudoName(want))
			}
			return want, nil
		}
		if f, ok := has[strings.ToLower(want)]; ok {
			return f, nil
		}
		return "", fmt.Errorf("%s: there is no field %q; the fields are %s", baseName(l.Path), want, fieldListText(l.Fields))
	}
	for _, c := range candidates {
		var name string
		switch {
		case c == FieldFeatureID || c == FieldFeatureName:
			if !hasPseudo(c) {
				continue
			}
			name = c
		case strings.HasSuffix(c, "_#") || strings.HasSuffix(c, "_#-1"):
			stem := strings.ToLower(c[:strings.LastIndex(c, "_")])
			best, second := -1, -1
			var bestName, secondName string
			for _, f := range l.Fields {
				if m := numbered.FindStringSubmatch(f); m != nil && strings.ToLower(m[1]) == stem {
					n, _ := strconv.Atoi(m[2])
					if n > best {
						second, secondName = best, bestName
						best, bestName = n, f
					} else if n > second {
						second, secondName = n, f
					}
				}
			}
			name = bestName
			if strings.HasSuffix(c, "-1") {
				name = secondName
			}
			if name == "" {
				continue
			}
		default:
			f, ok := has[strings.ToLower(c)]
			if !ok {
				continue
			}
			name = f
		}
		if suits(l, name, required) {
			return name, nil
		}
	}
	if required {
		return FieldNumber, nil
	}
	return "", nil
}

func pseudoName(f string) string {
	switch f {
	case FieldFeatureID:
		return "ids of their own"
	case FieldFeatureName:
		return "names"
	}
	return f
}

func fieldListText(fields []string) string {
	if len(fields) == 0 {
		return "none"
	}
	if len(fields) > 20 {
		return strings.Join(fields[:20], ", ") + fmt.Sprintf(" and %d more", len(fields)-20)
	}
	return strings.Join(fields, ", ")
}

func suits(l *Layer, field string, asID bool) bool {
	seen := make(map[string]bool, len(l.Features))
	present := 0
	for i := range l.Features {
		v := fieldValue(&l.Features[i], field)
		if v == "" {
			if asID {
				return false
			}
			continue
		}
		present++
		seen[v] = true
	}
	if asID {
		return 10*len(seen) >= 9*len(l.Features)
	}
	return 2*present > len(l.Features)
}

// fieldValue returns a feature's value of field as text: numbers without a
// fraction print as integers.
func fieldValue(f *Feature, field string) string {
	switch field {
	case "":
		return ""
	case FieldFeatureID:
		return f.ID
	case FieldFeatureName:
		return f.Name
	case FieldNumber:
		return strconv.Itoa(f.Number)
	}
	return text(f.Properties[field])
}

func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

var adcodeJSON = regexp.MustCompile(`"adcode"\s*:\s*"?([0-9]+)`)

// parentValue reads the parent code; DataV-style {"adcode": 110000}
// objects give their adcode.
func parentValue(f *Feature, field string) string {
	v := fieldValue(f, field)
	if strings.HasPrefix(v, "{") {
		if m := adcodeJSON.FindStringSubmatch(v); m != nil {
			return m[1]
		}
		return ""
	}
	return v
}

// maxData bounds the numeric attributes kept per unit.
const maxData = 256

// mergeData keeps the numeric attributes of props (other than the id,
// name, parent and level fields) in u.Data, the first value winning.
func mergeData(u *engine.Unit, props map[string]any, skip map[string]bool) {
	for k, v := range props {
		f, ok := v.(float64)
		if !ok || skip[k] || math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if u.Data == nil {
			u.Data = map[string]float64{}
		}
		if _, have := u.Data[k]; !have && len(u.Data) < maxData {
			u.Data[k] = f
		}
	}
}

// deriveParents fills empty parent codes from the ids where every id has
// a known shape: a five-digit US county FIPS code gives its state's two
// digits; a six-digit Chinese adcode gives its city's or province's code.
func deriveParents(units []engine.Unit) {
	for _, u := range units {
		if u.Parent != "" {
			return
		}
	}
	allDigits := func(n int) bool {
		for _, u := range units {
			if len(u.ID) != n || strings.Trim(u.ID, "0123456789") != "" {
				return false
			}
		}
		return true
	}
	switch {
	case allDigits(5):
		for i := range units {
			units[i].Parent = units[i].ID[:2]
		}
	case allDigits(6):
		for i := range units {
			id := units[i].ID
			switch {
			case strings.HasSuffix(id, "0000"):
			case strings.HasSuffix(id, "00"):
				units[i].Parent = id[:2] + "0000"
			default:
				units[i].Parent = id[:4] + "00"
			}
		}
	}
}

// guessLevel returns the common value of the "level" attribute, or a level
// read from the shape of the ids, or "".
func guessLevel(units []engine.Unit, levels []string, idField string) string {
	common := ""
	for i, l := range levels {
		if i == 0 {
			common = l
		} else if l != common {
			common = ""
			break
		}
	}
	if common != "" {
		return common
	}
	lf := strings.ToLower(idField)
	if strings.HasPrefix(lf, "zcta") || strings.HasPrefix(lf, "zip") || strings.Contains(lf, "post") || lf == "plz" {
		return "zip"
	}
	digits := func(n int) bool {
		for _, u := range units {
			if len(u.ID) != n || strings.Trim(u.ID, "0123456789") != "" {
				return false
			}
		}
		return true
	}
	switch {
	case digits(2):
		return "state"
	case digits(5):
		return "county"
	case digits(6):
		counts := map[string]int{}
		for _, u := range units {
			switch {
			case strings.HasSuffix(u.ID, "0000"):
				counts["province"]++
			case strings.HasSuffix(u.ID, "00"):
				counts["city"]++
			default:
				counts["district"]++
			}
		}
		best := ""
		for _, k := range []string{"district", "city", "province"} {
			if best == "" || counts[k] > counts[best] {
				best = k
			}
		}
		return best
	}
	return ""
}

package tableimport

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"territoria/engine"
)

// unitIndex finds the plan's units by id (with lost leading zeros
// restored) and by name (folded, with administrative suffixes such as
// "County", "省", "市", "区", "县" optional), disambiguating repeated names
// by the parent's id or name.
type unitIndex struct {
	units  []engine.Unit
	byID   map[string]int
	byName map[string][]int
	width  map[int]bool // lengths of numeric ids, to restore leading zeros
}

func newUnitIndex(units []engine.Unit) *unitIndex {
	x := &unitIndex{units: units, byID: make(map[string]int, len(units)), byName: map[string][]int{}, width: map[int]bool{}}
	for i, u := range units {
		x.byID[u.ID] = i
		if allDigits(u.ID) {
			x.width[len(u.ID)] = true
		}
		for _, n := range nameKeys(u.Name) {
			x.byName[n] = append(x.byName[n], i)
		}
	}
	return x
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var nameSuffixes = []string{
	" county", " parish", " borough", " census area", " city and borough", " municipality", " city",
	"特别行政区", "自治州", "自治县", "自治区", "地区", "盟", "省", "市", "区", "县", "旗",
}

// nameKeys returns the folded forms a name is found under: the full name
// and, when it ends in an administrative suffix, the name without it.
func nameKeys(name string) []string {
	full := foldName(name)
	if full == "" {
		return nil
	}
	keys := []string{full}
	low := strings.ToLower(strings.TrimSpace(name))
	for _, suf := range nameSuffixes {
		if strings.HasSuffix(low, suf) {
			if short := foldName(strings.TrimSuffix(low, suf)); len([]rune(short)) >= 2 && short != full {
				keys = append(keys, short)
			}
			break
		}
	}
	return keys
}

func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// byCode finds a unit by id; a numeric code that lost its leading zeros in
// a spreadsheet ("6037" for FIPS 06037) is padded to the plan's id widths.
func (x *unitIndex) byCode(code string) (int, bool) {
	code = strings.TrimSpace(code)
	if code == "" {
		return 0, false
	}
	if i, ok := x.byID[code]; ok {
		return i, true
	}
	if f, err := strconv.ParseFloat(code, 64); err == nil && f >= 0 && f == float64(int64(f)) {
		digits := strconv.FormatInt(int64(f), 10)
		for w := range x.width {
			if len(digits) <= w {
				if i, ok := x.byID[strings.Repeat("0", w-len(digits))+digits]; ok {
					return i, true
				}
			}
		}
	}
	return 0, false
}

// find resolves a code or name; parents lists the names or codes of
// enclosing areas (province, city) used to choose among equal names.
// It returns the unit index, or a reason why none is found.
func (x *unitIndex) find(s string, parents ...string) (int, string) {
	if i, ok := x.byCode(s); ok {
		return i, ""
	}
	key := foldName(s)
	cands := x.byName[key]
	if len(cands) == 0 {
		if keys := nameKeys(s); len(keys) > 1 {
			cands = x.byName[keys[1]]
		}
	}
	switch len(cands) {
	case 0:
		return -1, "unknown unit"
	case 1:
		return cands[0], ""
	}
	var keep []int
	for _, c := range cands {
		if x.parentMatches(x.units[c].Parent, parents) {
			keep = append(keep, c)
		}
	}
	if len(keep) == 1 {
		return keep[0], ""
	}
	return -1, fmt.Sprintf("%d units are called %q; add a province or state column to tell them apart", len(cands), s)
}

// parentMatches reports whether a unit's parent code matches one of the
// given parent names or codes (a parent code may itself be a unit id whose
// name is given).
func (x *unitIndex) parentMatches(parent string, given []string) bool {
	if parent == "" {
		return false
	}
	for _, g := range given {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if g == parent || strings.TrimLeft(g, "0") == strings.TrimLeft(parent, "0") {
			return true
		}
		if i, ok := x.byID[parent]; ok {
			for _, k := range nameKeys(g) {
				for _, pk := range nameKeys(x.units[i].Name) {
					if k == pk {
						return true
					}
				}
			}
		}
		if stateNames[foldName(g)] == parent || stateAbbr[strings.ToUpper(g)] == parent {
			return true
		}
	}
	return false
}

// US states by name and postal abbreviation → FIPS, so that a county named
// in several states is found from a "State" column.
var stateAbbr = map[string]string{
	"AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09", "DE": "10", "DC": "11", "FL": "12",
	"GA": "13", "HI": "15", "ID": "16", "IL": "17", "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23",
	"MD": "24", "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31", "NV": "32", "NH": "33",
	"NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38", "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44",
	"SC": "45", "SD": "46", "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54", "WI": "55",
	"WY": "56", "PR": "72",
}

var stateNames = map[string]string{
	"alabama": "01", "alaska": "02", "arizona": "04", "arkansas": "05", "california": "06", "colorado": "08", "connecticut": "09",
	"delaware": "10", "districtofcolumbia": "11", "florida": "12", "georgia": "13", "hawaii": "15", "idaho": "16", "illinois": "17",
	"indiana": "18", "iowa": "19", "kansas": "20", "kentucky": "21", "louisiana": "22", "maine": "23", "maryland": "24",
	"massachusetts": "25", "michigan": "26", "minnesota": "27", "mississippi": "28", "missouri": "29", "montana": "30",
	"nebraska": "31", "nevada": "32", "newhampshire": "33", "newjersey": "34", "newmexico": "35", "newyork": "36",
	"northcarolina": "37", "northdakota": "38", "ohio": "39", "oklahoma": "40", "oregon": "41", "pennsylvania": "42",
	"rhodeisland": "44", "southcarolina": "45", "southdakota": "46", "tennessee": "47", "texas": "48", "utah": "49",
	"vermont": "50", "virginia": "51", "washington": "53", "westvirginia": "54", "wisconsin": "55", "wyoming": "56", "puertorico": "72",
}

package tableimport

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"territoria/engine"
)

var errNumber = errors.New("not a number")

var numberReplacer = strings.NewReplacer(
	"$", "", "¥", "", "￥", "", "€", "", "£", "", "元", "", "RMB", "", "USD", "", "CNY", "", "EUR", "",
	"\u00a0", "", " ", "", "\u3000", "", "'", "", "_", "",
)

// ParseNumber reads a number as people write it in spreadsheets: currency
// signs and spaces ignored, thousands separators ("1,234.5", "1.234,5",
// "1 234"), a decimal comma ("1,5"), a negative in brackets ("(12)"), a
// trailing percent ("12%" is 0.12) and Chinese magnitudes ("1.2万", "3亿").
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errNumber
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	s = numberReplacer.Replace(s)
	scale := 1.0
	for _, suf := range []struct {
		s string
		f float64
	}{{"%", 0.01}, {"万", 1e4}, {"亿", 1e8}, {"千", 1e3}} {
		if strings.HasSuffix(s, suf.s) {
			s, scale = strings.TrimSuffix(s, suf.s), suf.f
			break
		}
	}
	dot, comma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case dot >= 0 && comma >= 0 && comma > dot: // 1.234,5
		s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
	case dot >= 0 && comma >= 0: // 1,234.5
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0:
		if thousands.MatchString(s) {
			s = strings.ReplaceAll(s, ",", "")
		} else if strings.Count(s, ",") == 1 {
			s = strings.Replace(s, ",", ".", 1)
		} else {
			return 0, errNumber
		}
	}
	if s == "" || strings.ContainsAny(s, "xXpP") || strings.EqualFold(s, "nan") || strings.Contains(strings.ToLower(s), "inf") {
		return 0, errNumber
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errNumber
	}
	v *= scale
	if neg {
		v = -v
	}
	return v, nil
}

var thousands = regexp.MustCompile(`^[-+]?\d{1,3}(,\d{3})+$`)

// Day is a date as days since 1970-01-01.
type Day = int32

// DayOf returns the Day of a calendar date.
func DayOf(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DayTime returns the calendar date of a Day.
func DayTime(d Day) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// excelEpoch is day 0 of Excel's 1900 date system (serial 1 is 1900-01-01,
// counting the non-existent 1900-02-29, so serials from 61 on are off by
// one from a plain count; anchoring at 1899-12-30 handles every date after
// February 1900).
var excelEpoch = DayOf(1899, time.December, 30)

var dateLayouts = []string{
	"2006-01-02", "2006-1-2", "2006/01/02", "2006/1/2", "2006.01.02", "2006.1.2",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05",
	"20060102", "2006年1月2日", "2006年01月02日",
	"02-Jan-2006", "2 Jan 2006", "Jan 2, 2006", "January 2, 2006", "2 January 2006",
}

// ParseDate reads a date: ISO and Chinese forms, US month/day/year (or
// day/month/year when the first number cannot be a month), and — when
// serial is true, for workbooks — Excel serial day numbers.
func ParseDate(s string, serial bool) (Day, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty")
	}
	if serial {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			if v < 1 || v > 2958465 {
				return 0, errors.New("serial date out of range")
			}
			return excelEpoch + Day(math.Floor(v)), nil
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return DayOf(t.Year(), t.Month(), t.Day()), nil
		}
	}
	// m/d/yyyy or d/m/yyyy, with an optional time after a space.
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	for _, sep := range []string{"/", "-", "."} {
		p := strings.Split(s, sep)
		if len(p) != 3 || len(p[2]) != 4 {
			continue
		}
		a, e1 := strconv.Atoi(p[0])
		b, e2 := strconv.Atoi(p[1])
		y, e3 := strconv.Atoi(p[2])
		if e1 != nil || e2 != nil || e3 != nil {
			continue
		}
		m, d := a, b
		if a > 12 {
			m, d = b, a
		}
		if validDate(y, m, d) {
			return DayOf(y, time.Month(m), d), nil
		}
	}
	return 0, errors.New("not a date")
}

func validDate(y, m, d int) bool {
	if y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d
}

var (
	monthISO     = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`)
	monthCompact = regexp.MustCompile(`^(\d{4})(\d{2})$`)
	monthUS      = regexp.MustCompile(`^(\d{1,2})\s*[-/.]\s*(\d{4})$`)
)

var monthNames = map[string]int{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}

// ParseMonthHeader reads a column header as a month: "2025-01", "2025/1",
// "2025年1月", "202501", "01/2025", "Jan 2025", "January-2025", "Jan-25".
func ParseMonthHeader(s string) (engine.Month, bool) {
	s = strings.TrimSpace(s)
	if m := monthISO.FindStringSubmatch(s); m != nil {
		return monthOf(m[1], m[2])
	}
	if m := monthCompact.FindStringSubmatch(s); m != nil {
		return monthOf(m[1], m[2])
	}
	if m := monthUS.FindStringSubmatch(s); m != nil {
		return monthOf(m[2], m[1])
	}
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '-' || r == '/' || r == '.' || r == ',' || r == '\'' })
	if len(f) == 2 {
		if n, ok := monthNames[f[0]]; ok {
			y, err := strconv.Atoi(f[1])
			if err == nil && len(f[1]) == 2 {
				y += 2000
			}
			if err == nil && y >= 1900 && y <= 9999 {
				return engine.MonthOf(y, n), true
			}
		}
	}
	return 0, false
}

func monthOf(ys, ms string) (engine.Month, bool) {
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	if y < 1900 || y > 9999 || m < 1 || m > 12 {
		return 0, false
	}
	return engine.MonthOf(y, m), true
}

// ParseMonth reads a month cell: any month header form, or a date (whose
// month is taken), or an Excel serial date when serial is true.
func ParseMonth(s string, serial bool) (engine.Month, error) {
	if m, ok := ParseMonthHeader(s); ok {
		return m, nil
	}
	d, err := ParseDate(s, serial)
	if err != nil {
		return 0, errors.New("not a month")
	}
	t := DayTime(d)
	return engine.MonthOf(t.Year(), int(t.Month())), nil
}

// MonthString formats a month as "2025-01".
func MonthString(m engine.Month) string {
	return strconv.Itoa(m.Year()) + "-" + twoDigits(m.MonthNumber())
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

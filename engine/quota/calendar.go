package quota

// Dates are days since 1970-01-01 (proleptic Gregorian calendar), as in
// engine.Visit.Day; the conversions are Howard Hinnant's algorithms.

// DaysFromCivil returns the day number of year-month-day.
func DaysFromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// CivilFromDays returns the year, month and day of day number z.
func CivilFromDays(z int32) (y, m, d int) {
	zz := int(z) + 719468
	era := zz / 146097
	if zz < 0 && zz%146097 != 0 {
		era = (zz - 146096) / 146097
	}
	doe := zz - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// Weekday returns 0 for Monday through 6 for Sunday.
func Weekday(z int32) int {
	// 1970-01-01 was a Thursday (3).
	w := (int(z) + 3) % 7
	if w < 0 {
		w += 7
	}
	return w
}

// ISOWeek returns the ISO 8601 week-numbering year and week of day z.
func ISOWeek(z int32) (year, week int) {
	thu := z - int32(Weekday(z)) + 3
	y, _, _ := CivilFromDays(thu)
	return y, int(thu-DaysFromCivil(y, 1, 1))/7 + 1
}

// DaysIn returns the number of days of a month.
func DaysIn(y, m int) int {
	if m == 12 {
		return int(DaysFromCivil(y+1, 1, 1) - DaysFromCivil(y, 12, 1))
	}
	return int(DaysFromCivil(y, m+1, 1) - DaysFromCivil(y, m, 1))
}

// WorkingDays returns the number of days Monday to Friday from day a to
// day b inclusive.
func WorkingDays(a, b int32) int {
	n := 0
	for z := a; z <= b; z++ {
		if Weekday(z) < 5 {
			n++
		}
	}
	return n
}

// MonthWorkingDays returns the working days of a month.
func MonthWorkingDays(y, m int) int {
	a := DaysFromCivil(y, m, 1)
	return WorkingDays(a, a+int32(DaysIn(y, m))-1)
}

package tableimport

import (
	"math"
	"testing"
	"time"

	"territoria/engine"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {" 1,234.5 ", 1234.5, true}, {"1.234,5", 1234.5, true}, {"1,5", 1.5, true},
		{"$1,200", 1200, true}, {"¥ 3 000", 3000, true}, {"(12)", -12, true}, {"12%", 0.12, true},
		{"1.2万", 12000, true}, {"3亿", 3e8, true}, {"-4.5e3", -4500, true}, {"1,2,3", 0, false},
		{"", 0, false}, {"abc", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"0x10", 0, false}, {"12元", 12, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseNumber(tt.in)
			if (err == nil) != tt.ok || (tt.ok && math.Abs(got-tt.want) > 1e-9) {
				t.Errorf("ParseNumber(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) Day { return DayOf(y, m, day) }
	tests := []struct {
		in     string
		serial bool
		want   Day
		ok     bool
	}{
		{"2025-03-14", false, d(2025, 3, 14), true},
		{"2025/3/4", false, d(2025, 3, 4), true},
		{"2025年3月14日", false, d(2025, 3, 14), true},
		{"3/14/2025", false, d(2025, 3, 14), true},
		{"14/3/2025", false, d(2025, 3, 14), true},
		{"2025-03-14 09:30:00", false, d(2025, 3, 14), true},
		{"20250314", false, d(2025, 3, 14), true},
		{"45730", true, d(2025, 3, 14), true},
		{"45730.5", true, d(2025, 3, 14), true},
		{"45730", false, 0, false},
		{"2025-02-30", false, 0, false},
		{"yesterday", false, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.serial)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseDate(%q) = %v (%v), %v; want %v", tt.in, got, DayTime(got), err, DayTime(tt.want))
			}
		})
	}
}

func TestParseMonth(t *testing.T) {
	want := engine.MonthOf(2025, 1)
	for _, in := range []string{"2025-01", "2025/1", "2025年1月", "202501", "01/2025", "Jan 2025", "January-2025", "Jan-25", "2025-01-31"} {
		t.Run(in, func(t *testing.T) {
			if got, err := ParseMonth(in, false); err != nil || got != want {
				t.Errorf("ParseMonth(%q) = %v, %v", in, MonthString(got), err)
			}
		})
	}
	for _, in := range []string{"2025-13", "Potential", "1/2"} {
		if _, ok := ParseMonthHeader(in); ok {
			t.Errorf("%q read as a month", in)
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name   string
		kind   Kind
		header []string
		sample [][]string
		want   map[string]string
		extra  []string
		months []string
	}{
		{"chinese accounts", KindAccounts,
			[]string{"客户编号", "客户名称", "省", "市", "区/县", "地址", "经度", "纬度", "潜力(万元)", "销售额", "员工数"},
			[][]string{{"C1", "x", "北京", "北京", "朝阳区", "a", "116", "39", "12", "3", "40"}},
			map[string]string{"id": "客户编号", "name": "客户名称", "province": "省", "city": "市", "district": "区/县", "address": "地址", "lon": "经度", "lat": "纬度", "potential": "潜力(万元)", "revenue": "销售额"},
			[]string{"员工数"}, nil},
		{"english accounts", KindAccounts,
			[]string{"Account ID", "Account Name", "Latitude", "Longitude", "Potential (USD)", "County FIPS", "Notes"},
			[][]string{{"A", "B", "1", "2", "3", "06037", "hello"}},
			map[string]string{"id": "Account ID", "name": "Account Name", "lat": "Latitude", "lon": "Longitude", "potential": "Potential (USD)", "unit": "County FIPS"},
			nil, nil},
		{"wide sales", KindSales, []string{"客户编号", "2025-01", "2025-02", "合计"}, nil,
			map[string]string{"account": "客户编号"}, nil, []string{"2025-01", "2025-02"}},
		{"long sales", KindSales, []string{"Customer ID", "Month", "Amount"}, nil,
			map[string]string{"account": "Customer ID", "month": "Month", "amount": "Amount"}, nil, nil},
		{"visits", KindVisits, []string{"拜访日期", "代表", "客户编号", "时长", "结果"}, nil,
			map[string]string{"date": "拜访日期", "rep": "代表", "account": "客户编号", "duration": "时长", "outcome": "结果"}, nil, nil},
		{"reps", KindReps, []string{"工号", "姓名", "每周工时"}, nil,
			map[string]string{"id": "工号", "name": "姓名", "capacity": "每周工时"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Suggest(tt.kind, tt.header, tt.sample)
			for k, v := range tt.want {
				if m.Columns[k] != v {
					t.Errorf("%s → %q, want %q (all: %v)", k, m.Columns[k], v, m.Columns)
				}
			}
			if len(m.Columns) != len(tt.want) {
				t.Errorf("mapped %v, want %v", m.Columns, tt.want)
			}
			if len(m.Extra) != len(tt.extra) || (len(tt.extra) > 0 && m.Extra[0] != tt.extra[0]) {
				t.Errorf("extra %v, want %v", m.Extra, tt.extra)
			}
			if len(m.MonthColumns) != len(tt.months) {
				t.Errorf("months %v, want %v", m.MonthColumns, tt.months)
			}
		})
	}
}

func TestUnitIndex(t *testing.T) {
	units := []engine.Unit{
		{ID: "06037", Name: "Los Angeles County", Parent: "06"},
		{ID: "53033", Name: "King County", Parent: "53"},
		{ID: "53001", Name: "Washington County", Parent: "53"},
		{ID: "41067", Name: "Washington County", Parent: "41"},
		{ID: "110105", Name: "朝阳区", Parent: "110100"},
		{ID: "220104", Name: "朝阳区", Parent: "220100"},
		{ID: "110100", Name: "北京市"},
		{ID: "220100", Name: "长春市"},
	}
	x := newUnitIndex(units)
	tests := []struct {
		in      string
		parents []string
		want    string
	}{
		{"06037", nil, "06037"},
		{"6037", nil, "06037"},
		{"Los Angeles", nil, "06037"},
		{"los angeles county", nil, "06037"},
		{"Washington County", []string{"OR"}, "41067"},
		{"Washington", []string{"Oregon"}, "41067"},
		{"Washington", nil, ""},
		{"朝阳区", []string{"北京"}, "110105"},
		{"朝阳", []string{"长春市"}, "220104"},
		{"Nowhere", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			i, why := x.find(tt.in, tt.parents...)
			got := ""
			if i >= 0 {
				got = units[i].ID
			}
			if got != tt.want || (got == "" && why == "") {
				t.Errorf("find(%q, %v) = %q (%s), want %q", tt.in, tt.parents, got, why, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1,234.5", "(1.2万)", "2025年3月14日", "3/14/2025", "45730", "Jan-25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseNumber(s); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("ParseNumber(%q) = %v", s, v)
		}
		if d, err := ParseDate(s, true); err == nil {
			if y := DayTime(d).Year(); y < 1000 || y > 9999 {
				t.Fatalf("ParseDate(%q) gave year %d", s, y)
			}
		}
		if m, ok := ParseMonthHeader(s); ok && (m.Year() < 1900 || m.Year() > 9999) {
			t.Fatalf("ParseMonthHeader(%q) gave %v", s, m)
		}
	})
}

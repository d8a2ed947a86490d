package tableimport

import (
	"context"
	"testing"
)

// Files as people have them: a GBK CSV with Chinese headers (the default
// of Chinese Excel's "CSV" export) and a UTF-16 tab-separated file (Excel's
// "Unicode text"), both made in testdata/ by a few lines of Python (see
// testdata/SOURCES.md).
func TestRealWorldFiles(t *testing.T) {
	for _, tc := range []struct{ file, enc, delim string }{
		{"testdata/accounts-gbk.csv", "gb18030", ","},
		{"testdata/accounts-utf16.csv", "utf-16le", "\t"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p, err := Inspect(tc.file, KindAccounts, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if p.Encoding != tc.enc || p.Delimiter != tc.delim || p.HeaderRow != 1 || len(p.Rows) != 4 {
				t.Fatalf("detected %s %q header %d rows %d", p.Encoding, p.Delimiter, p.HeaderRow, len(p.Rows))
			}
			m := p.Suggested
			want := map[string]string{"id": "客户编号", "name": "客户名称", "province": "省", "city": "市", "district": "区/县",
				"address": "地址", "lon": "经度", "lat": "纬度", "potential": "潜力（万元）", "revenue": "销售额", "industry": "行业"}
			for k, v := range want {
				if m.Columns[k] != v {
					t.Errorf("%s → %q, want %q", k, m.Columns[k], v)
				}
			}
			m.Coords = "gcj02"
			f, _ := testPlan(t)
			rep, err := Run(context.Background(), f, known(t, f), Request{Path: tc.file, Mapping: m, GoodRows: true, Now: now}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Added != 2 || rep.Rejected != 2 || rep.Rejects[0].Row != 4 || rep.Rejects[0].Column != "潜力（万元）" || rep.Rejects[1].Code != CodeDuplicate {
				t.Fatalf("report %+v", rep)
			}
			pl, _ := f.Load()
			a := pl.Accounts[1]
			if a.Name != "北京协和医院" || a.Potential != 120 || a.Industry != "医疗" || a.Attrs["revenue"] != 86.5 {
				t.Errorf("account %+v", a)
			}
			// The GCJ-02 point of the Peking Union hospital row is the published Tiananmen pair.
			if a.Loc[0] < 116.40399 || a.Loc[0] > 116.40401 {
				t.Errorf("location %v", a.Loc)
			}
			if pl.Accounts[2].Attrs["revenue"] != 1200 {
				t.Errorf("revenue with a thousands separator: %v", pl.Accounts[2].Attrs)
			}
		})
	}
}

// A workbook saved by LibreOffice Calc 7.4: a title row and a blank row
// above the header, dates stored as serial day numbers, shared strings.
func TestLibreOfficeWorkbook(t *testing.T) {
	const file = "testdata/visits-libreoffice.xlsx"
	p, err := Inspect(file, KindVisits, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != "xlsx" || p.HeaderRow != 3 || p.Nums[0] != 4 || len(p.Rows) != 4 {
		t.Fatalf("preview %+v", p)
	}
	want := map[string]string{"date": "拜访日期", "rep": "代表", "account": "客户编号", "duration": "时长", "outcome": "结果"}
	for k, v := range want {
		if p.Suggested.Columns[k] != v {
			t.Errorf("%s → %q, want %q", k, p.Suggested.Columns[k], v)
		}
	}
	f, _ := testPlan(t)
	rep, err := Run(context.Background(), f, known(t, f), Request{Path: file, Mapping: p.Suggested, GoodRows: true, Now: now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Rejected != 2 || rep.Rejects[0].Row != 6 || rep.Rejects[0].Code != CodeFutureDate || rep.Rejects[1].Code != CodeUnknownRep {
		t.Fatalf("report %+v", rep)
	}
	pl, _ := f.Load()
	if len(pl.Visits) != 2 || DayTime(pl.Visits[0].Day).Format("2006-01-02") != "2026-02-01" || pl.Visits[1].Outcome != "跟进" || pl.Visits[1].Minutes != 45 {
		t.Errorf("visits %+v", pl.Visits)
	}
}

package tableimport

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseMapping(t *testing.T) {
	cases := []struct {
		name, json string
		want       Mapping
		err        string
	}{
		{"as the documentation shows it", `{"kind": "accounts", "columns": {"id": "客户编号", "lon": "经度", "lat": "纬度"}, "extra": ["员工数"], "coords": "gcj02", "sheet": "", "headerRow": 0}`,
			Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "客户编号", "lon": "经度", "lat": "纬度"}, Extra: []string{"员工数"}, Coords: "gcj02"}, ""},
		{"kind left to the import", `{"columns": {"id": "ID"}}`, Mapping{Columns: map[string]string{"id": "ID"}}, ""},
		{"wide sales", `{"kind":"sales","columns":{"account":"A"},"monthColumns":["2025-01"]}`,
			Mapping{Kind: KindSales, Columns: map[string]string{"account": "A"}, MonthColumns: []string{"2025-01"}}, ""},
		{"unknown member", `{"kind":"reps","colums":{}}`, Mapping{}, `unknown field "colums"`},
		{"unknown kind", `{"kind":"boundaries"}`, Mapping{}, `unknown kind "boundaries"`},
		{"field the kind lacks", `{"kind":"reps","columns":{"potential":"P","id":"ID","zz":"Z"}}`, Mapping{}, `reps have no field "potential", "zz" (their fields are id, name`},
		{"unknown coordinates", `{"kind":"accounts","coords":"utm"}`, Mapping{}, `unknown coordinate system "utm"`},
		{"negative header row", `{"kind":"accounts","headerRow":-2}`, Mapping{}, "headerRow -2"},
		{"not an object", `["kind"]`, Mapping{}, "expected {"},
		{"two objects", `{"kind":"reps"} {"kind":"reps"}`, Mapping{}, "more follows"},
		{"empty", ``, Mapping{}, "EOF"},
		{"too large", `{"kind":"reps","extra":["` + strings.Repeat("x", MaxMappingBytes) + `"]}`, Mapping{}, "too large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseMapping([]byte(c.json), "m.json")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !strings.Contains(err.Error(), "m.json") {
					t.Fatalf("err = %v, want one naming m.json and %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m, c.want) {
				t.Fatalf("got %+v, want %+v", m, c.want)
			}
		})
	}
}

func TestMappingFileRoundTrip(t *testing.T) {
	m := Mapping{Kind: KindVisits, Columns: map[string]string{"date": "拜访日期", "account": "客户编号"}, Sheet: "二月", HeaderRow: 3}
	b, err := MarshalMapping(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "visits.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("read back %+v, want %+v", got, m)
	}
	if _, err := MarshalMapping(Mapping{Columns: map[string]string{"id": "x"}}); err != ErrNoKind {
		t.Errorf("a mapping without kind: %v", err)
	}
	if _, err := MarshalMapping(Mapping{Kind: "nope"}); err == nil {
		t.Error("a mapping of an unknown kind was written")
	}
	if _, err := ReadMapping(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file read")
	}
}

func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{"kind":"accounts","columns":{"id":"ID"},"coords":"bd09"}`))
	f.Add([]byte(`{"kind":"sales","monthColumns":["2025-01"],"headerRow":2}`))
	f.Add([]byte(`{"columns":{"x":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMapping(b, "fuzz.json")
		if err != nil {
			return
		}
		if m.Validate() != nil {
			t.Fatalf("accepted a mapping that does not validate: %+v", m)
		}
		if m.Kind == "" {
			return
		}
		out, err := MarshalMapping(m)
		if err != nil {
			t.Fatalf("cannot write back %+v: %v", m, err)
		}
		again, err := ParseMapping(out, "again.json")
		if err != nil || !reflect.DeepEqual(normMapping(again), normMapping(m)) {
			t.Fatalf("round trip: %+v → %s → %+v (%v)", m, out, again, err)
		}
	})
}

// normMapping treats empty and nil lists and maps alike.
func normMapping(m Mapping) Mapping {
	if len(m.Columns) == 0 {
		m.Columns = nil
	}
	if len(m.Extra) == 0 {
		m.Extra = nil
	}
	if len(m.MonthColumns) == 0 {
		m.MonthColumns = nil
	}
	return m
}

package tableimport

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"

	"territoria/engine"
	"territoria/storage/planfile"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func square(x, y float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
}

// testPlan has two units, one account, one rep and a scenario with one territory.
func testPlan(t *testing.T) (*planfile.File, string) {
	t.Helper()
	p := &engine.Plan{Name: "t", Currency: "USD", HistoryStart: engine.MonthOf(2025, 1), HistoryMonths: 2,
		Units: []engine.Unit{
			{ID: "06037", Name: "Los Angeles County", Parent: "06", Geom: square(-118, 34), Label: orb.Point{-117.5, 34.5}},
			{ID: "53033", Name: "King County", Parent: "53", Geom: square(-122, 47), Label: orb.Point{-121.5, 47.5}},
		},
		Accounts: []engine.Account{{ID: "OLD", Name: "Old", Loc: orb.Point{-117, 34}, History: []float32{1, 2}}},
		Reps:     []engine.Rep{{ID: "R1", Name: "Ann"}},
	}
	p.Scenarios = []*engine.Scenario{{ID: "s1", Name: "S", Territories: []engine.Territory{{ID: "T1", Name: "West", Kind: engine.KindTerritory}, {ID: "D1", Kind: engine.KindDistrict}},
		UnitTerritory: map[string]string{}, AccountTerritory: map[string]string{}}}
	path := filepath.Join(t.TempDir(), "p.territoria")
	f, err := planfile.Create(path, p, planfile.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
	})
	return f, path
}

func known(t *testing.T, f *planfile.File) Known {
	t.Helper()
	p, err := f.Load()
	if err != nil {
		t.Fatal(err)
	}
	k := Known{Units: p.Units, Accounts: map[string]bool{}, Reps: map[string]bool{}, Territories: map[string]engine.Kind{}}
	for _, a := range p.Accounts {
		k.Accounts[a.ID] = true
	}
	for _, r := range p.Reps {
		k.Reps[r.ID] = true
	}
	for _, tr := range p.Scenarios[0].Territories {
		k.Territories[tr.ID] = tr.Kind
	}
	return k
}

func csvFile(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const accountsCSV = "Customer accounts\n" +
	"id,name,lon,lat,fips,potential,employees\n" + // row 2
	"A1,Acme,-118.2,34.05,,1000,12\n" + // 3 ok
	"A2,Beta,,,6037,\"2,500\",\n" + // 4 ok by unit (lost leading zero)
	"A3,Gamma,-118,95,,10,\n" + // 5 latitude out of range
	"A1,Dup,-118,34,,5,\n" + // 6 duplicate id
	"A4,Delta,,,99999,7,\n" + // 7 unknown unit
	"A5,Eps,-122.3,47.6,,abc,\n" + // 8 bad number
	"A6,Zeta,,,,1,\n" // 9 no location

func accountMapping() Mapping {
	return Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "name": "name", "lon": "lon", "lat": "lat", "unit": "fips", "potential": "potential"}, Extra: []string{"employees"}}
}

func TestAccountsRejectThenGoodRows(t *testing.T) {
	f, _ := testPlan(t)
	path := csvFile(t, accountsCSV)
	req := Request{Path: path, Mapping: accountMapping(), Now: now}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Committed || rep.Rows != 7 || rep.Accepted != 2 || rep.Rejected != 5 || rep.HeaderRow != 2 {
		t.Fatalf("report %+v", rep)
	}
	want := map[int]string{5: CodeOutOfRange, 6: CodeDuplicate, 7: CodeUnknownUnit, 8: CodeBadNumber, 9: CodeNoLocation}
	for _, r := range rep.Rejects {
		if want[r.Row] != r.Code {
			t.Errorf("row %d: %s (%s), want %s", r.Row, r.Code, r.Reason, want[r.Row])
		}
	}
	if rep.Rejects[0].Column != "lat" || rep.Rejects[0].Value != "95" {
		t.Errorf("first reject %+v", rep.Rejects[0])
	}
	if p, _ := f.Load(); len(p.Accounts) != 1 {
		t.Fatalf("nothing should be written; have %d accounts", len(p.Accounts))
	}
	req.GoodRows = true
	rep, err = Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Added != 2 {
		t.Fatalf("report %+v", rep)
	}
	p, _ := f.Load()
	if len(p.Accounts) != 3 {
		t.Fatalf("accounts %+v", p.Accounts)
	}
	b := p.Accounts[2]
	if b.ID != "A2" || !b.Approx || b.Loc != (orb.Point{-117.5, 34.5}) || b.Potential != 2500 {
		t.Errorf("account by unit %+v", b)
	}
	if a := p.Accounts[1]; a.Attrs["employees"] != 12 || a.Approx {
		t.Errorf("account %+v", a)
	}
}

func TestAccountsMergeAndRemove(t *testing.T) {
	f, _ := testPlan(t)
	req := Request{Path: csvFile(t, "id,name,lon,lat\nOLD,Old,-117,34\nN1,New,-118,34\n"), Now: now,
		Mapping: Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "name": "name", "lon": "lon", "lat": "lat"}}}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil || rep.Added != 1 || rep.Unchanged != 1 || rep.Updated != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	if p, _ := f.Load(); len(p.Accounts[0].History) != 2 {
		t.Errorf("re-import lost the history: %+v", p.Accounts[0])
	}
	req.Path = csvFile(t, "id,name,lon,lat\nN1,Renamed,-118,34\n")
	req.RemoveMissing = true
	rep, err = Run(context.Background(), f, known(t, f), req, nil)
	if err != nil || rep.Updated != 1 || rep.Removed != 1 || rep.Added != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	p, _ := f.Load()
	if len(p.Accounts) != 1 || p.Accounts[0].Name != "Renamed" {
		t.Errorf("accounts %+v", p.Accounts)
	}
}

func TestCancelLeavesPlan(t *testing.T) {
	f, path := testPlan(t)
	var b strings.Builder
	b.WriteString("id,lon,lat\n")
	for i := 0; i < 5000; i++ {
		b.WriteString("X")
		b.WriteString(strings.Repeat("1", 1+i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(",-118,34\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	req := Request{Path: csvFile(t, b.String()), GoodRows: true, Now: now, Mapping: Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "lon": "lon", "lat": "lat"}}}
	_, err := Run(ctx, f, known(t, f), req, func(rows int, done, total int64) {
		if rows >= 2048 {
			cancel()
		}
	})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("err %v", err)
	}
	p, _ := f.Load()
	if len(p.Accounts) != 1 {
		t.Errorf("cancel wrote %d accounts", len(p.Accounts))
	}
	_ = path
}

func TestSalesLongAndWide(t *testing.T) {
	f, _ := testPlan(t)
	long := "account,month,amount\nOLD,2025-02,5\nOLD,2025-03,7\nOLD,2025-03,1\nNOPE,2025-01,1\nOLD,soon,1\n"
	req := Request{Path: csvFile(t, long), GoodRows: true, Now: now, Mapping: Mapping{Kind: KindSales, Columns: map[string]string{"account": "account", "month": "month", "amount": "amount"}}}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 2 || rep.Updated != 1 || !rep.Committed {
		t.Fatalf("%+v", rep)
	}
	p, _ := f.Load()
	if p.HistoryStart != engine.MonthOf(2025, 1) || p.HistoryMonths != 3 {
		t.Fatalf("window %v %d", MonthString(p.HistoryStart), p.HistoryMonths)
	}
	if h := p.Accounts[0].History; len(h) != 3 || h[0] != 1 || h[1] != 5 || h[2] != 8 {
		t.Errorf("history %v", h)
	}
	wide := "客户编号,2024年12月,2025年1月\nOLD,4,1\n"
	req = Request{Path: csvFile(t, wide), Now: now, Mapping: Mapping{Kind: KindSales, Columns: map[string]string{"account": "客户编号"}, MonthColumns: []string{"2024年12月", "2025年1月"}}}
	if rep, err = Run(context.Background(), f, known(t, f), req, nil); err != nil || rep.Updated != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	p, _ = f.Load()
	if h := p.Accounts[0].History; p.HistoryMonths != 4 || len(h) != 4 || h[0] != 4 || h[3] != 8 {
		t.Errorf("history %v months %d", h, p.HistoryMonths)
	}
}

func TestVisits(t *testing.T) {
	f, _ := testPlan(t)
	text := "拜访日期,代表,客户编号,时长,结果\n2026-02-01,R1,OLD,30,order\n2026-05-01,R1,OLD,30,x\n2026-02-02,R9,OLD,1,\n2026-02-03,R1,ZZ,1,\n2026-02-01,R1,OLD,5,dup\n"
	req := Request{Path: csvFile(t, text), GoodRows: true, Now: now,
		Mapping: Mapping{Kind: KindVisits, Columns: map[string]string{"date": "拜访日期", "rep": "代表", "account": "客户编号", "duration": "时长", "outcome": "结果"}}}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, r := range rep.Rejects {
		codes[r.Code] = true
	}
	if rep.Added != 1 || rep.Rejected != 4 || !codes[CodeFutureDate] || !codes[CodeUnknownRep] || !codes[CodeUnknownAccount] || !codes[CodeDuplicate] {
		t.Fatalf("%+v", rep)
	}
	p, _ := f.Load()
	if len(p.Visits) != 1 || p.Visits[0].Minutes != 30 || p.Visits[0].Day != DayOf(2026, 2, 1) {
		t.Errorf("visits %+v", p.Visits)
	}
}

func TestAlignmentAndUnitData(t *testing.T) {
	f, _ := testPlan(t)
	text := "unit,territory,territory name,rep\n06037,T1,,R1\nKing,T2,North,\nNowhere,T2,,\n53033,D1,,\n"
	req := Request{Path: csvFile(t, text), GoodRows: true, Now: now, Scenario: "s1",
		Mapping: Mapping{Kind: KindAlignment, Columns: map[string]string{"unit": "unit", "territory": "territory", "territoryName": "territory name", "rep": "rep"}}}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Rejected != 2 {
		t.Fatalf("%+v", rep)
	}
	s, _ := f.Scenario("s1")
	if s.UnitTerritory["06037"] != "T1" || s.UnitTerritory["53033"] != "T2" || s.Territory("T2").Name != "North" || s.Territory("T1").RepID != "R1" {
		t.Errorf("scenario %+v", s)
	}

	text = "county,population,income\nLos Angeles,10000000,\"70,000\"\nKing,2200000,x\n"
	req = Request{Path: csvFile(t, text), GoodRows: true, Now: now, Mapping: Mapping{Kind: KindUnitData, Columns: map[string]string{"unit": "county"}, Extra: []string{"population", "income"}}}
	if rep, err = Run(context.Background(), f, known(t, f), req, nil); err != nil || rep.Updated != 1 || rep.Rejected != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	p, _ := f.Load()
	if p.Units[0].Data["income"] != 70000 || p.Units[1].Data != nil {
		t.Errorf("data %v %v", p.Units[0].Data, p.Units[1].Data)
	}
}

func TestReps(t *testing.T) {
	f, _ := testPlan(t)
	text := "工号,姓名,每周工时,成本,辖区\nR1,Ann B,40,90000,T1\nR2,Bo,200,1,\nR3,Cy,38,1,D1\nR4,Di,35,1,\n"
	req := Request{Path: csvFile(t, text), GoodRows: true, Now: now, Scenario: "s1", RemoveMissing: true,
		Mapping: Mapping{Kind: KindReps, Columns: map[string]string{"id": "工号", "name": "姓名", "capacity": "每周工时", "cost": "成本", "territory": "辖区"}}}
	rep, err := Run(context.Background(), f, known(t, f), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Added != 1 || rep.Rejected != 2 {
		t.Fatalf("%+v", rep)
	}
	p, _ := f.Load()
	if len(p.Reps) != 2 || p.Reps[0].CapacityHours != 40 || p.Scenarios[0].Territory("T1").RepID != "R1" {
		t.Errorf("reps %+v", p.Reps)
	}
}

func TestMappingErrors(t *testing.T) {
	f, _ := testPlan(t)
	path := csvFile(t, "id,name\nA,B\n")
	tests := []struct {
		name string
		m    Mapping
		msg  string
	}{
		{"unknown kind", Mapping{Kind: "pets"}, "unknown kind"},
		{"missing column", Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "ID number"}}, `"ID number"`},
		{"required", Mapping{Kind: KindAccounts, Columns: map[string]string{"name": "name"}}, "no column is mapped to id"},
		{"lon without lat", Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "lon": "name"}}, "both longitude and latitude"},
		{"bad coords", Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id"}, Coords: "utm"}, "coordinate system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), f, known(t, f), Request{Path: path, Mapping: tt.m, Now: now}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "in.csv") {
				t.Errorf("error %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestGCJInput(t *testing.T) {
	f, _ := testPlan(t)
	req := Request{Path: csvFile(t, "id,经度,纬度\nC1,116.41024449916938,39.91640428150164\n"), Now: now,
		Mapping: Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "lon": "经度", "lat": "纬度"}, Coords: "gcj02"}}
	if _, err := Run(context.Background(), f, known(t, f), req, nil); err != nil {
		t.Fatal(err)
	}
	p, _ := f.Load()
	if a := p.Accounts[1].Loc; a[0] < 116.40399 || a[0] > 116.40401 || a[1] < 39.91499 || a[1] > 39.91501 {
		t.Errorf("converted location %v", a)
	}
}

func TestInspectAndWriteRejects(t *testing.T) {
	path := csvFile(t, accountsCSV)
	p, err := Inspect(path, KindAccounts, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.HeaderRow != 2 || len(p.Rows) != 7 || p.Nums[0] != 3 || p.Suggested.Columns["id"] != "id" || p.Suggested.Columns["unit"] != "fips" {
		t.Errorf("preview %+v", p)
	}
	f, _ := testPlan(t)
	rep, _ := Run(context.Background(), f, known(t, f), Request{Path: path, Mapping: accountMapping(), Now: now}, nil)
	out := filepath.Join(t.TempDir(), "rejects.xlsx")
	if err := WriteRejects(out, rep, [5]string{"Row", "Column", "Value", "Code", "Reason"}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Sheet1")
	if len(rows) != 2+len(rep.Rejects) || rows[2][0] != "5" || rows[2][1] != "lat" {
		t.Errorf("rows %q", rows)
	}
}

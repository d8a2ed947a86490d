package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"territoria/storage/tableimport"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportServiceAccounts(t *testing.T) {
	s, rec, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	svc := NewImportService(s)
	path := writeFile(t, dir, "a.csv", "客户编号,客户名称,经度,纬度,潜力\nC1,甲,116.4,39.9,100\nC2,乙,116.5,39.8,abc\nC3,丙,116.6,39.7,300\n")
	prev, err := svc.Inspect("accounts", path, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if prev.Suggested.Columns["id"] != "客户编号" || len(prev.Rows) != 3 {
		t.Fatalf("preview %+v", prev)
	}
	rep, err := svc.Run("accounts", path, prev.Suggested, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Committed || rep.Rejected != 1 || rep.Rejects[0].Row != 3 || rep.Rejects[0].Column != "潜力" {
		t.Fatalf("report %+v", rep)
	}
	if info, _ := s.Info(); info.Accounts != 0 {
		t.Fatalf("rejected import changed the plan: %d accounts", info.Accounts)
	}
	before := rec.count(EventPlanChanged)
	rep, err = svc.Run("accounts", path, prev.Suggested, ImportOptions{GoodRows: true})
	if err != nil || !rep.Committed || rep.Added != 2 {
		t.Fatalf("report %+v %v", rep, err)
	}
	if info, _ := s.Info(); info.Accounts != 2 {
		t.Errorf("plan has %d accounts after the import", info.Accounts)
	}
	if rec.count(EventPlanChanged) != before+1 || rec.count(EventImportProgress) == 0 {
		t.Errorf("events %v", rec.events)
	}
	out, err := svc.SaveReport("report")
	if err != nil || out != filepath.Join(dir, "report.xlsx") {
		t.Fatal(out, err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("Sheet1")
	x.Close()
	if len(rows) != 3 || rows[1][0] != "Row" {
		t.Errorf("report rows %q", rows)
	}
}

func TestImportServiceErrors(t *testing.T) {
	s, _, dir := testService(t)
	svc := NewImportService(s)
	path := writeFile(t, dir, "a.csv", "id\nA\n")
	if _, err := svc.Run("accounts", path, ImportMapping{}, ImportOptions{}); !errors.Is(err, ErrNoPlan) {
		t.Errorf("no plan: %v", err)
	}
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Run("pets", path, ImportMapping{}, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "unknown import kind") {
		t.Errorf("bad kind: %v", err)
	}
	if _, err := svc.Run("boundaries", path, ImportMapping{}, ImportOptions{}); err == nil || (boundaryImporter == nil && !strings.Contains(err.Error(), "not available")) {
		t.Errorf("boundaries: %v", err)
	}
	if _, err := svc.Run("alignment", path, ImportMapping{Kind: "alignment", Columns: map[string]string{"territory": "id", "unit": "id"}}, ImportOptions{Scenario: "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("bad scenario: %v", err)
	}
	if _, err := svc.ChooseImportFile(); !errors.Is(err, ErrNoDialog) {
		t.Errorf("dialog in a test: %v", err)
	}
}

func TestImportCancel(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,lon,lat\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("A")
		b.WriteString(strings.Repeat("x", i%5))
		b.WriteString(string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26)))
		b.WriteString(",-100,40\n")
	}
	path := writeFile(t, dir, "big.csv", b.String())
	ctx, cancel := context.WithCancel(context.Background())
	m := ImportMapping{Kind: "accounts", Columns: map[string]string{"id": "id", "lon": "lon", "lat": "lat"}}
	_, err := RunImport(ctx, s, "accounts", path, m, ImportOptions{GoodRows: true}, func(p ImportProgress) {
		if p.Rows > 3000 {
			cancel()
		}
	})
	if !errors.Is(err, tableimport.ErrCancelled) {
		t.Fatalf("err %v", err)
	}
	if info, _ := s.Info(); info.Accounts != 0 {
		t.Errorf("cancelled import left %d accounts", info.Accounts)
	}
}

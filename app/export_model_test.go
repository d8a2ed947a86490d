package app

import (
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExportFollowsTheModel checks that a workbook tells what the panel
// tells: the change report's revenue at risk adds up to the plan's
// revenueAtRisk under the plan's own disruption share, and the Accounts
// sheet gives each account the class the map draws.
func TestExportFollowsTheModel(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	e := NewEditService(s)
	set, _ := e.Settings()
	set.Model.DisruptionShare = 0.05
	if _, err := e.SetSettings(set); err != nil {
		t.Fatal(err)
	}
	rows, _ := s.Territories()
	repOf := map[string]string{}
	for _, r := range rows {
		if r.Kind == "territory" {
			repOf[r.ID] = r.RepID
		}
	}
	paintBetweenReps(t, s, repOf)
	rows, _ = s.Territories()
	panel := valuesByID(rows)["plan"]["revenueAtRisk"]
	if !(panel > 0) {
		t.Fatalf("no revenue at risk after the paint: %v", panel)
	}

	path := filepath.Join(dir, "plan.xlsx")
	if _, err := NewExportService(s).Export(ExportRequest{Format: FormatXLSX, Path: path, Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum := 0.0
	changes, _ := f.GetRows("Changes", excelize.Options{RawCellValue: true})
	riskCol := -1
	for i, h := range changes[0] {
		if h == "Revenue at risk (USD)" || h == "Revenue at risk" {
			riskCol = i
		}
	}
	if riskCol < 0 {
		t.Fatalf("no revenue-at-risk column in %q", changes[0])
	}
	for _, r := range changes[1:] {
		if riskCol < len(r) {
			v, _ := strconv.ParseFloat(r[riskCol], 64)
			sum += v
		}
	}
	// Cells are whole currency units.
	if math.Abs(sum-panel) > float64(len(changes)) {
		t.Errorf("the change report puts %v at risk, the panel %v", sum, panel)
	}

	_, v, _ := s.current()
	accounts, _ := f.GetRows("Accounts")
	classCol := -1
	for i, h := range accounts[0] {
		if h == "Class" {
			classCol = i
		}
	}
	if classCol < 0 {
		t.Fatalf("no Class column in %q", accounts[0])
	}
	byID := map[string]int{}
	for i := range s.plan.Accounts {
		byID[s.plan.Accounts[i].ID] = i
	}
	for _, r := range accounts[1:200] {
		if want := v.model.seg.ClassName(byID[r[0]]); r[classCol] != want {
			t.Fatalf("account %s: class %q in the workbook, %q on the map", r[0], r[classCol], want)
		}
	}
}

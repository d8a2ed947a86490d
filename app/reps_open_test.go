package app

import (
	"math"
	"testing"
)

// TestRepsAskedFirstAfterOpen opens a plan whose active scenario already
// holds an edit between two reps' territories and asks for the reps before
// anything else (as territoria reps does): the figures are those of a
// service that had the plan open during the edit, revenue at risk against
// the baseline's reps included.
func TestRepsAskedFirstAfterOpen(t *testing.T) {
	s, _, _ := testService(t)
	info, err := s.OpenDemo()
	if err != nil {
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
	want, err := s.Reps()
	if err != nil {
		t.Fatal(err)
	}
	if err := Shutdown(s); err != nil {
		t.Fatal(err)
	}

	s2, _, _ := testService(t)
	if _, err := s2.OpenPlan(info.Path); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Reps()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d reps after opening, %d before", len(got), len(want))
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
	risk := false
	for i, r := range got {
		for _, k := range []string{"projectedRevenue", "revenueAtRisk", "roi", "workloadHours"} {
			if !near(r.Values[k], want[i].Values[k]) {
				t.Errorf("rep %s: %s %v when asked first after opening, %v while open", r.ID, k, r.Values[k], want[i].Values[k])
			}
		}
		risk = risk || r.Values["revenueAtRisk"] > 0
	}
	if !risk {
		t.Error("no rep has revenue at risk after taking over another rep's accounts")
	}
}

// paintBetweenReps paints every unit of the first territory that has a rep
// into the next territory of another rep (repOf: rep by territory id), and
// returns the two territories as the alignment lists them.
func paintBetweenReps(t *testing.T, s *PlanService, repOf map[string]string) (from, into AlignmentTerritory) {
	t.Helper()
	al, _ := s.Alignment()
	var a, b int32 = -1, -1
	for i, tr := range al.Territories {
		if tr.Kind != "territory" || repOf[tr.ID] == "" {
			continue
		}
		if a < 0 {
			a = int32(i)
		} else if b < 0 && repOf[tr.ID] != repOf[al.Territories[a].ID] {
			b = int32(i)
		}
	}
	if b < 0 {
		t.Fatal("the plan has no two territories of different reps")
	}
	var units []string
	for u, tr := range al.UnitTerritory {
		if tr == a {
			units = append(units, s.plan.Units[u].ID)
		}
	}
	if _, err := NewEditService(s).PaintUnits(units, al.Territories[b].ID); err != nil {
		t.Fatal(err)
	}
	return al.Territories[a], al.Territories[b]
}

package app

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
)

// TestDemoPlanThroughTheServices opens the bundled demo the way the window
// does and checks what the map and the side panel would show.
func TestDemoPlanThroughTheServices(t *testing.T) {
	s, _, _ := testService(t)
	info, err := s.OpenDemo()
	if err != nil {
		t.Fatal(err)
	}
	if info.Accounts == 0 || info.Units == 0 || info.ActiveScenario == "" {
		t.Fatalf("demo info %+v", info)
	}
	// The US demo opens on the contiguous states, not on the whole globe.
	if b := info.Bounds; b[0] < -130 || b[2] > -60 || b[1] < 20 || b[3] > 55 {
		t.Fatalf("bounds %v do not frame the lower 48 states", b)
	}

	al, err := s.Alignment()
	if err != nil {
		t.Fatal(err)
	}
	if len(al.UnitTerritory) != info.Units {
		t.Fatalf("unitTerritory has %d entries for %d units", len(al.UnitTerritory), info.Units)
	}
	labels := 0
	for i, ti := range al.UnitTerritory {
		if ti < 0 || int(ti) >= len(al.Territories) || al.Territories[ti].Kind != "territory" {
			t.Fatalf("unit %d is in %d, not a territory", i, ti)
		}
	}
	for _, tr := range al.Territories {
		if tr.Kind == "territory" && tr.Label != nil {
			labels++
		}
	}
	if labels == 0 {
		t.Fatal("no territory has a label point")
	}

	rows, err := s.Territories()
	if err != nil {
		t.Fatal(err)
	}
	plan := rows[len(rows)-1]
	if plan.Kind != "plan" || plan.Accounts != info.Accounts {
		t.Fatalf("last row %+v", plan)
	}
	var acc int
	var pot, shares float64
	for _, r := range rows {
		if r.Kind == "territory" {
			acc += r.Accounts
			pot += r.Potential
			shares += r.PotentialShare
		}
	}
	if acc != plan.Accounts || math.Abs(pot-plan.Potential) > 1e-6*plan.Potential || math.Abs(shares-1) > 1e-9 {
		t.Fatalf("territories sum to %d accounts, %.0f potential, %.6f share; plan has %d, %.0f", acc, pot, shares, plan.Accounts, plan.Potential)
	}

	units, err := s.Units()
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			ID int `json:"id"`
		} `json:"features"`
	}
	if err := json.Unmarshal(units, &fc); err != nil || len(fc.Features) != info.Units || fc.Features[7].ID != 7 {
		t.Fatalf("units GeoJSON: %v, %d features", err, len(fc.Features))
	}

	// Every account is in exactly one tile of a zoom level, with a valid territory.
	n := 0.0
	for x := 0; x < 8; x++ {
		for y := 0; y < 8; y++ {
			w := httptest.NewRecorder()
			TileHandler(s).ServeHTTP(w, httptest.NewRequest("GET", fmt.Sprintf("/tiles/accounts/3/%d/%d.pbf", x, y), nil))
			if w.Code != http.StatusOK {
				t.Fatalf("tile: %d %s", w.Code, w.Body)
			}
			layers, err := mvt.Unmarshal(w.Body.Bytes())
			if err != nil {
				t.Fatalf("tile decode: %v", err)
			}
			for _, l := range layers {
				for _, f := range l.Features {
					n += f.Properties["n"].(float64)
					if ti := int(f.Properties["t"].(float64)); ti < -1 || ti >= len(al.Territories) {
						t.Fatalf("feature territory %d out of range", ti)
					}
				}
			}
		}
	}
	if int(n) != info.Accounts {
		t.Fatalf("the tiles of zoom 3 hold %v accounts, want %d", n, info.Accounts)
	}
}

// Switching scenarios reuses the plan-level parts of the view and shows the
// new scenario's alignment.
func TestSwitchKeepsPlanLevelView(t *testing.T) {
	s, _, _ := testService(t)
	info, err := s.OpenDemo()
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Units()
	blank, err := s.CreateScenario("Blank")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SwitchScenario(blank.ID); err != nil {
		t.Fatal(err)
	}
	al, _ := s.Alignment()
	for _, ti := range al.UnitTerritory {
		if ti != -1 {
			t.Fatal("a new scenario shows assigned units")
		}
	}
	rows, _ := s.Territories()
	if last := rows[len(rows)-1]; last.Accounts != info.Accounts || rows[0].Kind != "unassigned" || rows[0].Accounts != info.Accounts {
		t.Fatalf("rows of an empty scenario: %+v", rows)
	}
	after, _ := s.Units()
	if len(after) != len(before) {
		t.Fatal("units GeoJSON changed on switch")
	}
	w := httptest.NewRecorder()
	TileHandler(s).ServeHTTP(w, httptest.NewRequest("GET", "/tiles/accounts/4/3/6.pbf", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("tile after switch: %d", w.Code)
	}
}

package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// tileSegments returns the class and flags that the account tiles of zoom
// z give each single account (by account index), over the tiles holding
// the first n accounts.
func tileSegments(t *testing.T, s *PlanService, z maptile.Zoom, n int) (map[int]string, map[int]int) {
	t.Helper()
	p, _, err := s.current()
	if err != nil {
		t.Fatal(err)
	}
	classes, flags := map[int]string{}, map[int]int{}
	seen := map[maptile.Tile]bool{}
	for a := 0; a < n && a < len(p.Accounts); a++ {
		tile := maptile.At(p.Accounts[a].Loc, z)
		if seen[tile] {
			continue
		}
		seen[tile] = true
		w := httptest.NewRecorder()
		TileHandler(s).ServeHTTP(w, httptest.NewRequest("GET", "/tiles/accounts/"+tileName(tile)+".pbf", nil))
		if w.Code != http.StatusOK {
			t.Fatalf("tile %v: %d %s", tile, w.Code, w.Body)
		}
		layers, err := mvt.Unmarshal(w.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range layers[0].Features {
			if f.Properties["n"].(float64) != 1 {
				t.Fatalf("zoom %d tile %v aggregates accounts", z, tile)
			}
			id := int(f.ID.(float64))
			c, ok := f.Properties["c"].(string)
			if !ok {
				t.Fatalf("account %d: no class on the tile: %v", id, f.Properties)
			}
			classes[id], flags[id] = c, int(f.Properties["f"].(float64))
		}
	}
	return classes, flags
}

func tileName(t maptile.Tile) string {
	return fmt.Sprintf("%d/%d/%d", t.Z, t.X, t.Y)
}

// TestTilesFollowSegments checks that account tiles carry the class and
// flags of the planning model's segmentation, and follow a settings edit
// and its undo.
func TestTilesFollowSegments(t *testing.T) {
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	check := func(when string) map[int]string {
		t.Helper()
		classes, flags := tileSegments(t, s, 12, 400)
		_, v, _ := s.current()
		if len(classes) < 300 {
			t.Fatalf("%s: only %d accounts on the tiles", when, len(classes))
		}
		for a, c := range classes {
			if want := v.model.seg.ClassName(a); c != want {
				t.Fatalf("%s: account %d drawn as class %q, the segments say %q", when, a, c, want)
			}
			if want := int(v.model.seg.Flags[a]); flags[a] != want {
				t.Fatalf("%s: account %d drawn with flags %b, the segments say %b", when, a, flags[a], want)
			}
		}
		return classes
	}
	before := check("opened")
	e := NewEditService(s)
	set, err := e.Settings()
	if err != nil {
		t.Fatal(err)
	}
	changed := set
	changed.Model.Segments.CutA, changed.Model.Segments.CutB = 0.2, 0.5
	if _, err := e.SetSettings(changed); err != nil {
		t.Fatal(err)
	}
	after := check("cut-offs lowered")
	moved := 0
	for a, c := range after {
		if c != before[a] {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("lowering the cut-offs changed no class on the tiles")
	}
	if _, err := e.Undo(); err != nil {
		t.Fatal(err)
	}
	undone := check("undone")
	for a, c := range undone {
		if c != before[a] {
			t.Fatalf("after undo account %d is class %q, was %q", a, c, before[a])
		}
	}
}

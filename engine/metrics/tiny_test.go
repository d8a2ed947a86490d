package metrics_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
)

// tinyAcc is an account of a tiny plan, placed in the middle of cell (x, y).
type tinyAcc struct {
	x, y      int
	tier      string
	potential float64
	ltv       float64
	history   []float32
}

// tinyPlan describes a small hand-checkable plan: a grid of 1°×1° units
// starting at longitude 0 and latitude 0 and going south, one per
// character of layout (a letter: the unit belongs to the territory of that
// id; '.': unassigned; ' ': no unit). Every unit has an area of 100 km².
type tinyPlan struct {
	layout   []string
	accounts []tinyAcc
	nodes    []engine.Territory // territories and their parents
	reps     []engine.Rep
	data     map[string]float64 // Unit.Data of every unit
}

// unitAt is the index of the unit at cell (x, y), or NoIndex.
func unitAt(layout []string, x, y int) int32 {
	n := int32(0)
	for j, row := range layout {
		for i, c := range row {
			if c == ' ' {
				continue
			}
			if i == x && j == y {
				return n
			}
			n++
		}
	}
	return engine.NoIndex
}

func corner(x, y int) orb.Point { return orb.Point{float64(x), -float64(y)} }

func (tp tinyPlan) build(t testing.TB) (*engine.Plan, *assign.State) {
	t.Helper()
	p := &engine.Plan{Name: "tiny", Currency: "USD", HistoryStart: engine.MonthOf(2024, 1), HistoryMonths: 14, Reps: tp.reps}
	s := &engine.Scenario{ID: "s", Name: "S", Territories: tp.nodes, UnitTerritory: map[string]string{}}
	at := func(x, y int) int32 {
		if y < 0 || y >= len(tp.layout) || x < 0 || x >= len(tp.layout[y]) || tp.layout[y][x] == ' ' {
			return engine.NoIndex
		}
		return unitAt(tp.layout, x, y)
	}
	for y, row := range tp.layout {
		for x, c := range row {
			if c == ' ' {
				continue
			}
			u := engine.Unit{
				ID: "U" + strconv.Itoa(x) + "_" + strconv.Itoa(y), Level: "cell", AreaKm2: 100,
				Geom:  orb.MultiPolygon{{{corner(x, y+1), corner(x+1, y+1), corner(x+1, y), corner(x, y), corner(x, y+1)}}},
				Label: orb.Point{float64(x) + 0.5, -float64(y) - 0.5},
				Data:  tp.data,
			}
			for _, nb := range [][2]int{{x, y - 1}, {x - 1, y}, {x + 1, y}, {x, y + 1}} {
				if v := at(nb[0], nb[1]); v != engine.NoIndex {
					u.Neighbors = append(u.Neighbors, v)
				}
			}
			if c != '.' {
				s.UnitTerritory[u.ID] = string(c)
			}
			p.Units = append(p.Units, u)
			me := at(x, y)
			// Each edge once: the top and left edges of every cell, and
			// the bottom and right edges where there is no cell beyond.
			edge := func(a, b orb.Point, other int32) {
				p.Borders = append(p.Borders, engine.Border{Line: orb.LineString{a, b}, Left: me, Right: other})
			}
			edge(corner(x, y), corner(x+1, y), at(x, y-1))
			edge(corner(x, y), corner(x, y+1), at(x-1, y))
			if at(x, y+1) == engine.NoIndex {
				edge(corner(x, y+1), corner(x+1, y+1), engine.NoIndex)
			}
			if at(x+1, y) == engine.NoIndex {
				edge(corner(x+1, y), corner(x+1, y+1), engine.NoIndex)
			}
		}
	}
	for i, a := range tp.accounts {
		p.Accounts = append(p.Accounts, engine.Account{
			ID: "A" + strconv.Itoa(i), Loc: orb.Point{float64(a.x) + 0.5, -float64(a.y) - 0.5},
			Tier: a.tier, Potential: a.potential, LifetimeValue: a.ltv, History: a.history, Unit: engine.NoIndex,
		})
	}
	p.Scenarios = []*engine.Scenario{s}
	assign.LocateAccounts(p)
	st, err := assign.Compute(p, s)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

const earthRadiusKm = 6378.137 // the radius orb/geo uses

// The edges of the 1° cells of a tiny plan, by the equirectangular
// distance orb/geo uses for lengths: along the equator R·Δλ, along the
// parallel at 1° south R·cos(1°)·Δλ, along a meridian R·Δφ.
var (
	edgeH0 = earthRadiusKm * math.Pi / 180
	edgeH1 = earthRadiusKm * math.Cos(math.Pi/180) * math.Pi / 180
	edgeV  = earthRadiusKm * math.Pi / 180
)

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func node(id string, kind engine.Kind, parent, rep string) engine.Territory {
	return engine.Territory{ID: id, Name: "Node " + id, Kind: kind, Parent: parent, RepID: rep}
}

func hist(months int, v float32) []float32 {
	h := make([]float32, months)
	for i := range h {
		h[i] = v
	}
	return h
}

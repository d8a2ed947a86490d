package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"territoria/engine"
	enginegeo "territoria/engine/geo"
)

func TestPlan(t *testing.T) {
	p, err := Plan()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("counts", func(t *testing.T) {
		if n := len(p.Units); n < 3100 || n > 3300 {
			t.Errorf("%d units, want the ~3,142 counties of the states and DC", n)
		}
		if n := len(p.Accounts); n < 45000 || n > 55000 {
			t.Errorf("%d accounts, want about 50,000", n)
		}
		if n := len(p.Reps); n < 35 || n > 45 {
			t.Errorf("%d reps, want about 40", n)
		}
		if len(p.Scenarios) != 1 {
			t.Errorf("%d scenarios, want 1", len(p.Scenarios))
		}
		if len(p.Borders) == 0 {
			t.Error("no borders")
		}
		if p.Currency != "USD" || p.HistoryMonths != 24 || p.HistoryStart+23 != engine.MonthOf(2026, 10) {
			t.Errorf("currency %s, history %d months from %d", p.Currency, p.HistoryMonths, p.HistoryStart)
		}
	})
	sc := p.Scenarios[0]
	t.Run("hierarchy", func(t *testing.T) {
		kinds := map[engine.Kind]int{}
		for _, tr := range sc.Territories {
			kinds[tr.Kind]++
			var want engine.Kind
			switch tr.Kind {
			case engine.KindTerritory:
				want = engine.KindDistrict
			case engine.KindDistrict:
				want = engine.KindRegion
			case engine.KindRegion:
				if tr.Parent != "" {
					t.Errorf("region %s has parent %q", tr.ID, tr.Parent)
				}
				continue
			default:
				t.Errorf("node %s has kind %q", tr.ID, tr.Kind)
				continue
			}
			if par := sc.Territory(tr.Parent); par == nil || par.Kind != want {
				t.Errorf("%s %s: parent %q is not a %s", tr.Kind, tr.ID, tr.Parent, want)
			}
		}
		if kinds[engine.KindRegion] != 4 || kinds[engine.KindDistrict] != 9 {
			t.Errorf("kinds %v, want the 4 Census regions and 9 divisions", kinds)
		}
		for _, u := range p.Units {
			tr := sc.Territory(sc.UnitTerritory[u.ID])
			if tr == nil || tr.Kind != engine.KindTerritory {
				t.Errorf("unit %s assigned to %q, not a territory", u.ID, sc.UnitTerritory[u.ID])
			}
		}
	})
	t.Run("reps", func(t *testing.T) {
		reps := map[string]bool{}
		for _, r := range p.Reps {
			reps[r.ID] = true
			if r.CapacityHours <= 0 || r.Cost < 100000 || r.Cost > 200000 {
				t.Errorf("rep %s: capacity %v h, cost %v", r.ID, r.CapacityHours, r.Cost)
			}
		}
		for _, tr := range sc.Territories {
			if tr.Kind == engine.KindTerritory && !reps[tr.RepID] {
				t.Errorf("territory %s has rep %q, not in the plan", tr.ID, tr.RepID)
			}
		}
	})
	t.Run("neighbours", func(t *testing.T) {
		for i, u := range p.Units {
			if !slices.IsSorted(u.Neighbors) {
				t.Errorf("unit %s: neighbours not ascending", u.ID)
			}
			for _, j := range u.Neighbors {
				if int(j) == i || !slices.Contains(p.Units[j].Neighbors, int32(i)) {
					t.Errorf("unit %s lists %s but not the other way round", u.ID, p.Units[j].ID)
				}
			}
		}
	})
	t.Run("adjacent territories differ in colour", func(t *testing.T) {
		for _, u := range p.Units {
			a := sc.Territory(sc.UnitTerritory[u.ID])
			for _, j := range u.Neighbors {
				b := sc.Territory(sc.UnitTerritory[p.Units[j].ID])
				if a.ID != b.ID && a.Color == b.Color {
					t.Errorf("territories %s and %s touch and share colour %s", a.Name, b.Name, a.Color)
				}
			}
		}
	})
	t.Run("units", func(t *testing.T) {
		for _, u := range p.Units {
			if len(u.Geom) == 0 || u.AreaKm2 <= 0 || u.Data["population"] <= 0 {
				t.Errorf("unit %s: %d polygons, %v km², population %v", u.ID, len(u.Geom), u.AreaKm2, u.Data["population"])
			}
			if !enginegeo.Contains(u.Geom, u.Label) {
				t.Errorf("unit %s: label %v outside", u.ID, u.Label)
			}
		}
	})
	t.Run("accounts lie in their unit", func(t *testing.T) {
		bounds := make([]orb.Bound, len(p.Units))
		for i, u := range p.Units {
			bounds[i] = u.Geom.Bound()
		}
		ids := map[string]bool{}
		for _, a := range p.Accounts {
			if ids[a.ID] {
				t.Fatalf("account id %s repeated", a.ID)
			}
			ids[a.ID] = true
			if a.Unit < 0 || !bounds[a.Unit].Contains(a.Loc) || !enginegeo.Contains(p.Units[a.Unit].Geom, a.Loc) {
				t.Fatalf("account %s at %v is not inside its unit %d", a.ID, a.Loc, a.Unit)
			}
			if len(a.History) != p.HistoryMonths || a.Potential <= 0 || (a.Tier != "A" && a.Tier != "B" && a.Tier != "C") {
				t.Fatalf("account %s: %d months, potential %v, tier %q", a.ID, len(a.History), a.Potential, a.Tier)
			}
		}
	})
	t.Run("fresh copy", func(t *testing.T) {
		id := p.Units[0].ID
		p.Units[0].ID = "changed"
		p.Accounts[0].History[0] = -1
		sc.UnitTerritory[id] = "changed"
		q, err := Plan()
		if err != nil {
			t.Fatal(err)
		}
		if q.Units[0].ID != id || q.Accounts[0].History[0] == -1 || q.Scenarios[0].UnitTerritory[id] == "changed" {
			t.Error("a change to one copy shows in the next")
		}
	})
}

// smallPlan is a plan with every field set, on the 1e-6 degree grid.
func smallPlan() *engine.Plan {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	sq2 := orb.Polygon{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}, {{1.25, 0.25}, {1.25, 0.75}, {1.75, 0.75}, {1.75, 0.25}, {1.25, 0.25}}}
	return &engine.Plan{
		Name: "Small — test", Currency: "EUR", HistoryStart: engine.MonthOf(2025, 1), HistoryMonths: 3,
		Units: []engine.Unit{
			{ID: "a", Name: "A", Level: "county", Parent: "01", Geom: orb.MultiPolygon{sq}, Label: orb.Point{0.5, 0.5},
				AreaKm2: 12345.5, Data: map[string]float64{"population": 10, "x": 2}, Neighbors: []int32{1}},
			{ID: "b", Name: "B", Level: "county", Parent: "01", Geom: orb.MultiPolygon{sq2}, Label: orb.Point{1.1, 0.5},
				Neighbors: []int32{0}},
		},
		Borders: []engine.Border{
			{Line: orb.LineString{{1, 0}, {1, 1}}, Left: 0, Right: 1},
			{Line: orb.LineString{{1, 1}, {0, 1}, {0, 0}, {1, 0}}, Left: 0, Right: engine.NoIndex},
		},
		Accounts: []engine.Account{
			{ID: "x1", Name: "X", Loc: orb.Point{0.123456, -0.654321}, Approx: true, Unit: engine.NoIndex, Potential: 1000.5,
				History: []float32{1, 2.5, 0}, LifetimeValue: 77, Tier: "A", Industry: "Retail", Size: "Small",
				Attrs: map[string]float64{"employees": 12}},
			{ID: "x2", Unit: 1},
		},
		Reps:     []engine.Rep{{ID: "r1", Name: "R", Home: orb.Point{-77.5, 38.25}, CapacityHours: 40, Cost: 150000}},
		Visits:   []engine.Visit{{AccountID: "x1", RepID: "r1", Day: 20400, Minutes: 45, Outcome: "order"}, {AccountID: "x2", Day: -3}},
		Settings: &engine.Settings{WeeksPerYear: 45, Model: &engine.ModelSettings{RepHoursPerWeek: 38}},
		Scenarios: []*engine.Scenario{{
			ID: "s", Name: "S",
			Territories: []engine.Territory{
				{ID: "R1", Name: "Region", Kind: engine.KindRegion, Color: "#000000"},
				{ID: "T1", Name: "T", Kind: engine.KindTerritory, Parent: "R1", RepID: "r1", Color: "#ff0000", Locked: true,
					Polygon: orb.Polygon{{{0, 0}, {0.5, 0}, {0.5, 0.5}, {0, 0}}}},
			},
			UnitTerritory:    map[string]string{"a": "T1", "b": "T1"},
			AccountTerritory: map[string]string{"x2": "T1"},
			LockedUnits:      map[string]bool{"a": true},
			LockedAccounts:   map[string]bool{},
		}},
	}
}

func TestRoundTrip(t *testing.T) {
	p := smallPlan()
	var buf bytes.Buffer
	if err := Encode(&buf, p); err != nil {
		t.Fatal(err)
	}
	first := slices.Clone(buf.Bytes())
	q, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("round trip changed the plan:\n got %+v\nwant %+v", q, p)
	}
	buf.Reset()
	if err := Encode(&buf, q); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, buf.Bytes()) {
		t.Error("encoding the same plan twice gave different bytes")
	}
}

func TestDecodeErrors(t *testing.T) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	enc := func(p *engine.Plan) []byte {
		var buf bytes.Buffer
		if err := Encode(&buf, p); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	badUnit := smallPlan()
	badUnit.Accounts[0].Unit = 5
	badBorder := smallPlan()
	badBorder.Borders[0].Right = 2
	badNeighbour := smallPlan()
	badNeighbour.Units[0].Neighbors = []int32{-3}
	longHistory := smallPlan()
	longHistory.Accounts[0].History = make([]float32, 4)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("plain"), "gzip"},
		{"bad magic", gz([]byte("something else entirely")), "magic"},
		{"newer version", gz(binary.AppendUvarint([]byte(magic), Version+1)), "version 2"},
		{"truncated record", gz(binary.AppendUvarint([]byte(magic), Version)), "decode"},
		{"account unit out of range", enc(badUnit), "unit 5 out of range"},
		{"border side out of range", enc(badBorder), "border 0"},
		{"neighbour out of range", enc(badNeighbour), "neighbour -3"},
		{"history too long", enc(longHistory), "4 months"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestGeometryStream(t *testing.T) {
	cases := []struct {
		name string
		v    []int64
		ok   bool
	}{
		{"empty multipolygon", []int64{0}, true},
		{"one triangle", []int64{1, 1, 4, 0, 0, 1, 0, 0, 1, -1, -1}, true},
		{"missing points", []int64{1, 1, 4, 0, 0}, false},
		{"negative count", []int64{-1}, false},
		{"huge count", []int64{1, 1, 1 << 40}, false},
		{"trailing values", []int64{0, 7}, false},
		{"nothing", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := getMultiPolygon(c.v)
			if (err == nil) != c.ok {
				t.Errorf("err = %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, smallPlan()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, a := range p.Accounts {
			if a.Unit != engine.NoIndex && int(a.Unit) >= len(p.Units) {
				t.Fatalf("decoded account unit %d of %d units", a.Unit, len(p.Units))
			}
		}
	})
}

func FuzzGeometryStream(f *testing.F) {
	f.Add([]byte{1, 1, 4, 0, 0, 1, 0, 0, 1, 255, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		v := make([]int64, len(b))
		for i, x := range b {
			v[i] = int64(int8(x))
		}
		mp, err := getMultiPolygon(v)
		if err == nil {
			if got := putMultiPolygon(nil, mp); !slices.Equal(got, v) {
				t.Errorf("re-encoding gave %v, want %v", got, v)
			}
		}
	})
}

func BenchmarkPlan(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Plan(); err != nil {
			b.Fatal(err)
		}
	}
}

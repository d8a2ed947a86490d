package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"territoria/engine"
	"territoria/storage/gisfile"
)

const gisTestdata = "../storage/gisfile/testdata/"

// boundaryPlan opens a new empty plan and imports the 14 counties of the
// zipped Shapefile, then assigns every Rhode Island county (44...) to
// territory "RI" and every other county to "REST".
func boundaryPlan(t *testing.T) (*PlanService, *recorder) {
	t.Helper()
	s, rec, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "b.territoria")); err != nil {
		t.Fatal(err)
	}
	var calls [][2]int
	rep, err := ImportBoundaries(context.Background(), s, gisTestdata+"ct_ri_counties.zip", BoundaryOptions{},
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Rows != 14 || rep.Accepted != 14 || rep.Added != 14 || rep.Rejected != 0 || rep.Kind != "boundaries" {
		t.Fatalf("report %+v", rep)
	}
	if len(calls) == 0 || calls[len(calls)-1] != [2]int{14, 14} {
		t.Errorf("progress calls %v, want to end with 14 of 14", calls)
	}
	info, _ := s.Info()
	if info.Units != 14 {
		t.Fatalf("%d units after the import", info.Units)
	}
	acc, _ := s.access()
	sc := info.ActiveScenario
	for _, tr := range []engine.Territory{{ID: "RI", Name: "Rhode Island", Kind: engine.KindTerritory}, {ID: "REST", Name: "Rest", Kind: engine.KindTerritory}} {
		if err := acc.File.PutTerritory(sc, tr); err != nil {
			t.Fatal(err)
		}
	}
	var ri, rest []string
	for _, u := range acc.Plan.Units {
		if strings.HasPrefix(u.ID, "44") {
			ri = append(ri, u.ID)
		} else {
			rest = append(rest, u.ID)
		}
	}
	if err := acc.File.SetUnitTerritory(sc, ri, "RI"); err != nil {
		t.Fatal(err)
	}
	if err := acc.File.SetUnitTerritory(sc, rest, "REST"); err != nil {
		t.Fatal(err)
	}
	if err := acc.File.SetUnitLocks(sc, []string{"09001"}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.reloadPlan(); err != nil {
		t.Fatal(err)
	}
	return s, rec
}

func TestImportBoundaries(t *testing.T) {
	s, rec := boundaryPlan(t)
	kml := gisTestdata + "ri_counties.kml"

	t.Run("dry run changes nothing", func(t *testing.T) {
		before := rec.count(EventPlanChanged)
		rep, err := ImportBoundaries(context.Background(), s, kml, BoundaryOptions{DryRun: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Committed || !rep.DryRun || rep.Removed != 9 || rep.Added != 0 || rep.Updated+rep.Unchanged != 5 {
			t.Errorf("report %+v", rep)
		}
		if !hasLine(rep.Warnings, "would lose the assignments of 9 units") {
			t.Errorf("warnings %v", rep.Warnings)
		}
		if info, _ := s.Info(); info.Units != 14 || rec.count(EventPlanChanged) != before {
			t.Errorf("the dry run changed the plan: %d units", info.Units)
		}
	})

	t.Run("replacing keeps the assignments of units that remain", func(t *testing.T) {
		rep, err := ImportBoundaries(context.Background(), s, kml, BoundaryOptions{Level: "county"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Committed || rep.Removed != 9 || rep.Accepted != 5 {
			t.Errorf("report %+v", rep)
		}
		for _, want := range []string{"lost the assignments of 9 units", "unit 09001 was in territory REST (locked)", "ids from field GEOID, names from the placemark names"} {
			if !hasLine(rep.Warnings, want) {
				t.Errorf("no warning mentions %q: %v", want, rep.Warnings)
			}
		}
		acc, _ := s.access()
		p := acc.Plan
		sc := p.Scenario(acc.Active)
		if len(p.Units) != 5 || len(sc.UnitTerritory) != 5 || len(sc.LockedUnits) != 0 {
			t.Fatalf("%d units, assignments %v, locks %v", len(p.Units), sc.UnitTerritory, sc.LockedUnits)
		}
		for id, tr := range sc.UnitTerritory {
			if tr != "RI" {
				t.Errorf("unit %s is in %s, want RI", id, tr)
			}
		}
		if u := p.Units[slices.IndexFunc(p.Units, func(u engine.Unit) bool { return u.ID == "44007" })]; u.Name != "Providence" || len(u.Neighbors) != 2 {
			t.Errorf("Providence: %+v", u)
		}
	})

	t.Run("the same file again changes nothing", func(t *testing.T) {
		rep, err := ImportBoundaries(context.Background(), s, kml, BoundaryOptions{Level: "county"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unchanged != 5 || rep.Updated != 0 || rep.Added != 0 || rep.Removed != 0 {
			t.Errorf("report %+v", rep)
		}
	})

	t.Run("adding keeps the other units", func(t *testing.T) {
		rep, err := AddBoundaries(context.Background(), s, gisTestdata+"beijing_gbk.shp", BoundaryOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 3 || rep.Removed != 0 || rep.Encoding != "GBK" {
			t.Errorf("report %+v", rep)
		}
		acc, _ := s.access()
		if len(acc.Plan.Units) != 8 || len(acc.Plan.Scenario(acc.Active).UnitTerritory) != 5 {
			t.Errorf("%d units", len(acc.Plan.Units))
		}
		if i := slices.IndexFunc(acc.Plan.Units, func(u engine.Unit) bool { return u.ID == "110101" }); i < 0 || len(acc.Plan.Units[i].Neighbors) != 2 {
			t.Errorf("东城区 missing or without its two neighbours")
		}
	})
}

func TestImportBoundariesThroughTheImportService(t *testing.T) {
	s, rec, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	doc := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"A","label":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
		{"type":"Feature","properties":{"code":"B","label":"Beta"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
		{"type":"Feature","properties":{"code":"C","label":"Pin"},"geometry":{"type":"Point","coordinates":[5,5]}}]}`
	path := writeFile(t, dir, "zones.geojson", doc)
	rep, err := NewImportService(s).Run("boundaries", path, ImportMapping{}, ImportOptions{IDField: "code", NameField: "label", Level: "zone"})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Added != 2 || rep.Rejected != 1 || len(rep.Rejects) != 1 || rep.Millis < 0 {
		t.Fatalf("report %+v", rep)
	}
	r := rep.Rejects[0]
	if r.Row != 3 || r.Column != "geometry" || r.Code != gisfile.CodeNotPolygon || !strings.Contains(r.Reason, "Point") {
		t.Errorf("reject %+v", r)
	}
	if rec.count(EventImportProgress) == 0 {
		t.Error("no progress event")
	}
	acc, _ := s.access()
	if u := acc.Plan.Units[1]; u.ID != "B" || u.Name != "Beta" || u.Level != "zone" || !slices.Equal(u.Neighbors, []int32{0}) {
		t.Errorf("unit %+v", u)
	}
}

func TestImportBoundariesErrors(t *testing.T) {
	s, _, dir := testService(t)
	ctx := context.Background()
	if _, err := ImportBoundaries(ctx, s, gisTestdata+"ri_counties.kml", BoundaryOptions{}, nil); !errors.Is(err, ErrNoPlan) {
		t.Errorf("no plan: %v", err)
	}
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	png := writeFile(t, dir, "map.geojson", "\x89PNG\r\n\x1a\n")
	if _, err := ImportBoundaries(ctx, s, png, BoundaryOptions{}, nil); err == nil || !strings.Contains(err.Error(), "map.geojson") {
		t.Errorf("renamed image: %v", err)
	}
	if _, err := ImportBoundaries(ctx, s, gisTestdata+"ri_counties.kml", BoundaryOptions{IDField: "FIPS"}, nil); err == nil || !strings.Contains(err.Error(), "GEOID") {
		t.Errorf("unknown id field: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := ImportBoundaries(cancelled, s, gisTestdata+"ct_ri_counties.zip", BoundaryOptions{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if info, _ := s.Info(); info.Units != 0 {
		t.Errorf("a failed import left %d units", info.Units)
	}
}

// TestImportCountiesOverDemo lays the whole us-atlas county file over the
// demo plan, whose units are the same counties: every assignment but Falls
// Church's (an empty polygon in the file) survives, and the accounts are
// placed in the new units.
func TestImportCountiesOverDemo(t *testing.T) {
	counties := "../frontend/node_modules/us-atlas/counties-10m.json"
	if _, err := os.Stat(counties); err != nil {
		t.Skip("us-atlas not installed")
	}
	if testing.Short() {
		t.Skip("imports 3,231 counties into the demo plan")
	}
	s, _, _ := testService(t)
	if _, err := s.OpenDemo(); err != nil {
		t.Fatal(err)
	}
	before, _ := s.access()
	assigned := len(before.Plan.Scenario(before.Active).UnitTerritory)
	rep, err := ImportBoundaries(context.Background(), s, counties, BoundaryOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || rep.Rejected != 1 || rep.Rejects[0].Value != "51610" || rep.Removed != 1 {
		t.Fatalf("report: committed %v, rejected %d %v, removed %d", rep.Committed, rep.Rejected, rep.Rejects, rep.Removed)
	}
	after, _ := s.access()
	p := after.Plan
	if got := len(p.Scenario(after.Active).UnitTerritory); got != assigned-1 {
		t.Errorf("%d assignments kept of %d", got, assigned)
	}
	located := 0
	for i := range p.Accounts {
		if p.Accounts[i].Unit != engine.NoIndex {
			located++
		}
	}
	if located < len(p.Accounts)*99/100 {
		t.Errorf("only %d of %d accounts lie in a unit", located, len(p.Accounts))
	}
	t.Logf("added %d, updated %d, unchanged %d, removed %d; %d of %d accounts located; %d ms",
		rep.Added, rep.Updated, rep.Unchanged, rep.Removed, located, len(p.Accounts), rep.Millis)
}

func hasLine(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}

func TestInspectBoundaries(t *testing.T) {
	s, _ := boundaryPlan(t)
	svc := NewImportService(s)
	cases := []struct {
		file                 string
		format, crs, enc     string
		features             int
		idField, name, level string
		field, firstValue    string
		fields               []string
	}{
		{"ct_ri_counties.zip", "shapefile", gisfile.CRS4326, "CP1252", 14, "GEOID", "NAME", "county", "NAME", "Fairfield",
			[]string{"GEOID", "NAME", "STATEFP", "SEQ", "@number"}},
		{"ri_counties.kml", "kml", gisfile.CRS4326, "", 5, "GEOID", "@name", "county", "@name", "Bristol", nil},
		{"beijing_gbk.zip", "shapefile", gisfile.CRS4326, "GBK", 3, "adcode", "name", "district", "name", "东城区", nil},
		{"ct_ri_3857.geojson", "geojson", gisfile.CRS3857, "", 13, "GEOID", "NAME", "county", "GEOID", "09001", nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			pv, err := svc.InspectBoundaries(gisTestdata + c.file)
			if err != nil {
				t.Fatal(err)
			}
			if pv.File != c.file || pv.Format != c.format || pv.CRS != c.crs || !strings.EqualFold(pv.Encoding, c.enc) || pv.Features != c.features {
				t.Errorf("read %+v", pv)
			}
			if pv.IDField != c.idField || pv.NameField != c.name || pv.Level != c.level {
				t.Errorf("detected id %q name %q level %q", pv.IDField, pv.NameField, pv.Level)
			}
			if c.fields != nil && !slices.Equal(pv.Fields, c.fields) {
				t.Errorf("fields %q", pv.Fields)
			}
			j := slices.Index(pv.Fields, c.field)
			if j < 0 || len(pv.Sample) == 0 || pv.Sample[0][j] != c.firstValue || pv.Numbers[0] != 1 {
				t.Errorf("sample %q (numbers %v), want %s = %q first", pv.Sample, pv.Numbers, c.field, c.firstValue)
			}
			if len(pv.Sample) != min(c.features, previewFeatures) || !slices.Contains(pv.IDFields, pv.IDField) {
				t.Errorf("%d sample rows, id fields %q", len(pv.Sample), pv.IDFields)
			}
			if pv.PlanUnits != 14 {
				t.Errorf("plan units %d", pv.PlanUnits)
			}
		})
	}
	for name, path := range map[string]string{"": "", "missing": gisTestdata + "nope.geojson", "table": writeFile(t, t.TempDir(), "a.geojson", "id,name\n1,x\n")} {
		if _, err := svc.InspectBoundaries(path); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBoundaryReportDetail(t *testing.T) {
	s, _ := boundaryPlan(t)
	svc := NewImportService(s)
	kml := gisTestdata + "ri_counties.kml"
	dry, err := svc.Run("boundaries", kml, ImportMapping{}, ImportOptions{DryRun: true, NameField: "GEOID"})
	if err != nil {
		t.Fatal(err)
	}
	d := dry.Boundary
	if d == nil || d.Format != "kml" || d.IDField != "GEOID" || d.NameField != "GEOID" || d.Level != "county" || d.Units != 5 || d.Neighbours != 3 || d.Add {
		t.Fatalf("detail %+v", d)
	}
	// The 9 Connecticut and New Mexico counties; 09001 was locked too.
	if d.DroppedTotal != 9 || len(d.Dropped) != 9 || d.Scenarios[0].Units != 9 || d.Scenarios[0].Scenario == "" {
		t.Errorf("dropped %d %+v", d.DroppedTotal, d.Scenarios)
	}
	i := slices.IndexFunc(d.Dropped, func(x BoundaryDrop) bool { return x.Unit == "09001" })
	if i < 0 || d.Dropped[i].Territory != "REST" || !d.Dropped[i].Locked {
		t.Errorf("09001 dropped as %+v", d.Dropped)
	}
	if d.Repairs == nil || d.HistoriesCleared == nil {
		t.Error("lists must be empty, not null, for the page")
	}

	add, err := svc.Run("boundaries", gisTestdata+"beijing_gbk.zip", ImportMapping{}, ImportOptions{DryRun: true, AddUnits: true})
	if err != nil {
		t.Fatal(err)
	}
	if d := add.Boundary; !d.Add || d.DroppedTotal != 0 || add.Added != 3 || add.Removed != 0 || d.Units != 3 {
		t.Errorf("adding: %+v %+v", add, d)
	}

	done, err := svc.Run("boundaries", kml, ImportMapping{}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := done.Boundary; !done.Committed || d.DroppedTotal != 9 || d.Scenarios[0].Units != 9 {
		t.Errorf("committed: %+v", d)
	}
}

func TestBoundaryRepairsListed(t *testing.T) {
	s, _, dir := testService(t)
	if _, err := s.NewPlan(filepath.Join(dir, "p.territoria")); err != nil {
		t.Fatal(err)
	}
	// A bow tie (self-crossing ring) next to a square.
	doc := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}},
		{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}`
	rep, err := NewImportService(s).Run("boundaries", writeFile(t, dir, "bow.geojson", doc), ImportMapping{}, ImportOptions{DryRun: true, IDField: "code"})
	if err != nil {
		t.Fatal(err)
	}
	d := rep.Boundary
	if d.Repaired != 1 || len(d.Repairs) != 1 || d.Repairs[0].Feature != 1 || d.Repairs[0].ID != "A" || d.Repairs[0].Code != gisfile.CodeRepaired || d.Repairs[0].Message == "" {
		t.Errorf("repairs %d %+v", d.Repaired, d.Repairs)
	}
}

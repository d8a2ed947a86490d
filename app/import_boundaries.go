package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/storage/geo"
	"territoria/storage/gisfile"
)

func init() { boundaryImporter = ImportBoundaries }

// maxDetail bounds the lines of one kind listed in a report's warnings.
const maxDetail = 20

// maxListed bounds the repairs and dropped assignments a report lists one
// by one (BoundaryDetail); the totals count them all.
const maxListed = 200

// BoundaryDetail is what a boundary import tells besides the counts of an
// ImportReport: how the layer was read, which fields made the units, the
// repairs, and the assignments of units that are gone (with DryRun, those
// that would be).
type BoundaryDetail struct {
	// Format is geojson, topojson, kml or shapefile; Layer the TopoJSON
	// object or Shapefile inside a zip; CRS the file's coordinate system.
	Format   string `json:"format"`
	Layer    string `json:"layer"`
	CRS      string `json:"crs"`
	Encoding string `json:"encoding"`
	// IDField, NameField and Level are those used (as chosen or detected).
	IDField   string `json:"idField"`
	NameField string `json:"nameField"`
	Level     string `json:"level"`
	// Units and Neighbours count the units made of the file and their
	// neighbour pairs.
	Units      int `json:"units"`
	Neighbours int `json:"neighbours"`
	// Add is true when the file's units were added to the plan's.
	Add bool `json:"add"`
	// Repaired counts invalid polygons that were repaired (Repairs lists
	// the first 200); Merged counts features joined to an earlier one
	// with the same id.
	Repaired int             `json:"repaired"`
	Repairs  []BoundaryIssue `json:"repairs"`
	Merged   int             `json:"merged"`
	// Dropped lists the first 200 assignments and locks lost with the units
	// that are gone, DroppedTotal counts them all, Scenarios counts them per
	// scenario.
	Dropped      []BoundaryDrop     `json:"dropped"`
	DroppedTotal int                `json:"droppedTotal"`
	Scenarios    []BoundaryScenario `json:"scenarios"`
	// HistoriesCleared names the scenarios whose undo history was cleared.
	HistoriesCleared []string `json:"historiesCleared"`
}

// BoundaryIssue is one feature a boundary import changed (a repair).
type BoundaryIssue struct {
	Feature int    `json:"feature"`
	ID      string `json:"id"`
	Code    string `json:"code"`
	// Message says what was done, in English.
	Message string `json:"message"`
}

// BoundaryDrop is the assignment (or lock) of a unit the new boundaries do
// not have, in one scenario.
type BoundaryDrop struct {
	Scenario  string `json:"scenario"` // the scenario's name
	Unit      string `json:"unit"`
	Territory string `json:"territory"` // "" when the unit was only locked
	Locked    bool   `json:"locked"`
}

// BoundaryScenario counts the dropped assignments of one scenario.
type BoundaryScenario struct {
	Scenario string `json:"scenario"`
	Units    int    `json:"units"`
}

// ImportBoundaries reads a boundary layer (GeoJSON, TopoJSON, KML/KMZ,
// Shapefile) and makes its polygons the plan's units: features sharing an
// id become one unit, invalid polygons are repaired, neighbours and shared
// borders are computed. Units of the plan that the file does not hold are
// removed; every scenario keeps its assignments of units whose ids remain,
// and the report lists those dropped. Features that cannot be units are
// reported as rejects (Row is the feature number) and left out; the others
// are imported. With opts.DryRun nothing is written; with opts.Add the plan's
// other units are kept (see AddBoundaries). After the commit the
// plan is read again, which places the accounts in the new units.
//
// progress is called with the features read so far (total 0 while the
// total is unknown), then with the features made into units of the total.
func ImportBoundaries(ctx context.Context, s *PlanService, path string, opts BoundaryOptions, progress func(done, total int)) (ImportReport, error) {
	return importBoundaries(ctx, s, path, opts, opts.Add, progress)
}

// AddBoundaries is ImportBoundaries that keeps the plan's other units: the
// file's units are added, or replace the units with the same ids, and the
// borders and neighbours of the whole set are computed again. Use it to
// add a region next to the plan's units, not to lay a layer over them.
func AddBoundaries(ctx context.Context, s *PlanService, path string, opts BoundaryOptions, progress func(done, total int)) (ImportReport, error) {
	return importBoundaries(ctx, s, path, opts, true, progress)
}

// planUnits is what a boundary import needs of the open plan, copied
// under the service lock.
type planUnits struct {
	units     []engine.Unit // shares geometry with the plan: read only
	scenarios []scenarioUnits
}

type scenarioUnits struct {
	id, name string
	assigned map[string]string // unit → territory
	locked   map[string]bool
}

func (s *PlanService) snapshotUnits() (planUnits, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.plan == nil {
		return planUnits{}, ErrNoPlan
	}
	pu := planUnits{units: append([]engine.Unit(nil), s.plan.Units...)}
	for _, sc := range s.plan.Scenarios {
		pu.scenarios = append(pu.scenarios, scenarioUnits{id: sc.ID, name: sc.Name,
			assigned: maps.Clone(sc.UnitTerritory), locked: maps.Clone(sc.LockedUnits)})
	}
	return pu, nil
}

func importBoundaries(ctx context.Context, s *PlanService, path string, opts BoundaryOptions, add bool, progress func(done, total int)) (ImportReport, error) {
	start := time.Now()
	if strings.TrimSpace(path) == "" {
		return ImportReport{}, errors.New("no file given")
	}
	acc, err := s.access()
	if err != nil {
		return ImportReport{}, err
	}
	if acc.ReadOnly {
		return ImportReport{}, ErrReadOnly
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	layer, err := gisfile.Read(ctx, path, gisfile.Options{Progress: func(n int) { progress(n, 0) }})
	if err != nil {
		return ImportReport{}, err
	}
	set, err := gisfile.BuildUnits(ctx, layer, gisfile.UnitOptions{
		IDField: opts.IDField, NameField: opts.NameField, Level: opts.Level, Progress: progress})
	if err != nil {
		return ImportReport{}, err
	}
	old, err := s.snapshotUnits()
	if err != nil {
		return ImportReport{}, err
	}
	units, borders := set.Units, set.Borders
	keepData(units, old.units)
	if add {
		units, borders, err = mergeUnits(old.units, units)
		if err != nil {
			return ImportReport{}, err
		}
	}
	rep := boundaryReport(path, layer, set, opts)
	rep.Boundary.Add = add
	rep.Added, rep.Updated, rep.Unchanged, rep.Removed = compareUnits(old.units, units)
	dropped, names := wouldDrop(old, units)
	if opts.DryRun {
		rep.Warnings = append(rep.Warnings, droppedLines(dropped, names, "would lose")...)
		rep.Boundary.setDropped(dropped, names)
		rep.Millis = time.Since(start).Milliseconds()
		return rep, nil
	}
	if err := ctx.Err(); err != nil {
		return ImportReport{}, err
	}
	ch, err := acc.File.ReplaceUnits(units, borders)
	if err != nil {
		return ImportReport{}, fmt.Errorf("cannot save the units: %w", err)
	}
	rep.Committed = true
	var lost []dropLine
	for _, d := range ch.Dropped {
		lost = append(lost, dropLine{scenario: d.Scenario, unit: d.Unit, territory: d.Territory, locked: d.Locked})
	}
	rep.Warnings = append(rep.Warnings, droppedLines(lost, names, "lost")...)
	rep.Boundary.setDropped(lost, names)
	for _, id := range ch.HistoriesCleared {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("The undo history of scenario %q was cleared: it named units that are gone.", names[id]))
		rep.Boundary.HistoriesCleared = append(rep.Boundary.HistoriesCleared, names[id])
	}
	total := rep.Rows
	progress(total, total)
	if _, err := s.reloadPlan(); err != nil {
		return rep, fmt.Errorf("the boundaries were saved, but the plan could not be re-read: %w", err)
	}
	rep.Millis = time.Since(start).Milliseconds()
	return rep, nil
}

// boundaryReport fills a report from what was read and built.
func boundaryReport(path string, l *gisfile.Layer, set *gisfile.UnitSet, opts BoundaryOptions) ImportReport {
	rep := ImportReport{Kind: "boundaries", File: filepath.Base(path), Sheet: l.Name, Encoding: l.Encoding,
		Rows: len(l.Features) + len(l.Skipped), Rejected: set.Rejected, DryRun: opts.DryRun,
		Rejects: []ImportReject{}, Warnings: []string{}}
	det := &BoundaryDetail{Format: string(l.Format), Layer: l.Name, CRS: l.CRS, Encoding: l.Encoding,
		IDField: set.IDField, NameField: set.NameField, Level: set.Level, Units: len(set.Units),
		Neighbours: neighbourPairs(set.Units), Repaired: set.Invalid, Repairs: []BoundaryIssue{},
		Dropped: []BoundaryDrop{}, Scenarios: []BoundaryScenario{}, HistoriesCleared: []string{}}
	rep.Boundary = det
	for _, f := range set.Features {
		rep.Accepted += len(f)
	}
	what := map[gisfile.Format]string{gisfile.FormatGeoJSON: "GeoJSON", gisfile.FormatTopoJSON: "TopoJSON",
		gisfile.FormatKML: "KML", gisfile.FormatShapefile: "Shapefile"}[l.Format]
	if l.Name != "" {
		what += fmt.Sprintf(" layer %q", l.Name)
	}
	crs := l.CRS
	if crs == gisfile.CRS3857 {
		crs += " (Web Mercator, converted to longitude/latitude)"
	}
	rep.Warnings = append(rep.Warnings, fmt.Sprintf("Read %d features of a %s in %s: %d units, ids from %s, names from %s, level %q, %d neighbour pairs.",
		rep.Rows, what, crs, len(set.Units), fieldName(set.IDField), fieldName(set.NameField), set.Level, neighbourPairs(set.Units)))
	rep.Warnings = append(rep.Warnings, set.Notes...)
	var repaired, merged []string
	for _, p := range set.Problems {
		switch {
		case p.Rejected():
			col := p.Field
			switch p.Code {
			case gisfile.CodeNotPolygon, gisfile.CodeNoGeometry, gisfile.CodeBadGeometry, gisfile.CodeOutOfRange, gisfile.CodeNoArea:
				col = "geometry"
			}
			rep.Rejects = append(rep.Rejects, ImportReject{Row: p.Feature, Column: col, Value: p.ID, Code: p.Code, Reason: p.Message})
		case p.Code == gisfile.CodeRepaired:
			repaired = append(repaired, p.String())
			if len(det.Repairs) < maxListed {
				det.Repairs = append(det.Repairs, BoundaryIssue{Feature: p.Feature, ID: p.ID, Code: p.Code, Message: p.Message})
			}
		default:
			merged = append(merged, p.String())
			det.Merged++
		}
	}
	rep.RejectsTotal = len(rep.Rejects)
	if len(repaired) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d invalid polygons were repaired.", set.Invalid))
		rep.Warnings = append(rep.Warnings, capLines(repaired)...)
	}
	if len(merged) > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d features share an id with an earlier feature and were joined to its unit.", len(merged)))
		rep.Warnings = append(rep.Warnings, capLines(merged)...)
	}
	return rep
}

func fieldName(f string) string {
	switch f {
	case gisfile.FieldFeatureID:
		return "the feature ids"
	case gisfile.FieldFeatureName:
		return "the placemark names"
	case gisfile.FieldNumber:
		return "the feature numbers"
	}
	return "field " + f
}

func neighbourPairs(units []engine.Unit) int {
	n := 0
	for _, u := range units {
		n += len(u.Neighbors)
	}
	return n / 2
}

func capLines(lines []string) []string {
	if len(lines) <= maxDetail {
		return lines
	}
	return append(lines[:maxDetail:maxDetail], fmt.Sprintf("… and %d more.", len(lines)-maxDetail))
}

// keepData gives units whose id the plan already has the plan's unit-level
// values (from earlier unit-data imports) where the file has none.
func keepData(units, old []engine.Unit) {
	byID := make(map[string]*engine.Unit, len(old))
	for i := range old {
		byID[old[i].ID] = &old[i]
	}
	for i := range units {
		o := byID[units[i].ID]
		if o == nil || len(o.Data) == 0 {
			continue
		}
		data := maps.Clone(o.Data)
		maps.Copy(data, units[i].Data)
		units[i].Data = data
	}
}

// mergeUnits adds units to old (replacing those with the same id) and
// computes the borders and neighbours of the whole set again.
func mergeUnits(old, units []engine.Unit) ([]engine.Unit, []engine.Border, error) {
	out := make([]engine.Unit, 0, len(old)+len(units))
	at := make(map[string]int, len(old)+len(units))
	for _, u := range old {
		u.Neighbors = nil
		at[u.ID] = len(out)
		out = append(out, u)
	}
	for _, u := range units {
		if i, ok := at[u.ID]; ok {
			out[i] = u
			continue
		}
		at[u.ID] = len(out)
		out = append(out, u)
	}
	geoms := make([]orb.MultiPolygon, len(out))
	for i := range out {
		geoms[i] = out[i].Geom
	}
	borders, _ := gisfile.Borders(geoms, 0)
	nb, err := geo.Neighbors(borders, len(out))
	if err != nil {
		return nil, nil, err
	}
	for i := range out {
		out[i].Neighbors = nb[i]
	}
	return out, borders, nil
}

// compareUnits counts units new to the plan, changed, unchanged and gone.
func compareUnits(old, units []engine.Unit) (added, updated, unchanged, removed int) {
	byID := make(map[string]*engine.Unit, len(old))
	for i := range old {
		byID[old[i].ID] = &old[i]
	}
	seen := make(map[string]bool, len(units))
	for i := range units {
		u := &units[i]
		seen[u.ID] = true
		o := byID[u.ID]
		switch {
		case o == nil:
			added++
		case o.Name == u.Name && o.Level == u.Level && o.Parent == u.Parent && o.Geom.Equal(u.Geom) && maps.Equal(o.Data, u.Data):
			unchanged++
		default:
			updated++
		}
	}
	for id := range byID {
		if !seen[id] {
			removed++
		}
	}
	return
}

type dropLine struct {
	scenario, unit, territory string
	locked                    bool
}

// wouldDrop lists the assignments and locks of units that units does not
// keep, and maps scenario ids to names.
func wouldDrop(old planUnits, units []engine.Unit) ([]dropLine, map[string]string) {
	keep := make(map[string]bool, len(units))
	for _, u := range units {
		keep[u.ID] = true
	}
	names := map[string]string{}
	var out []dropLine
	for _, sc := range old.scenarios {
		names[sc.id] = sc.name
		for _, u := range old.units {
			if keep[u.ID] {
				continue
			}
			t, assigned := sc.assigned[u.ID]
			if assigned || sc.locked[u.ID] {
				out = append(out, dropLine{scenario: sc.id, unit: u.ID, territory: t, locked: sc.locked[u.ID]})
			}
		}
	}
	return out, names
}

// setDropped lists dropped assignments in d: the first few, and the count
// per scenario.
func (d *BoundaryDetail) setDropped(lines []dropLine, names map[string]string) {
	d.DroppedTotal = len(lines)
	at := map[string]int{}
	for _, l := range lines {
		if len(d.Dropped) < maxListed {
			d.Dropped = append(d.Dropped, BoundaryDrop{Scenario: names[l.scenario], Unit: l.unit, Territory: l.territory, Locked: l.locked})
		}
		i, ok := at[l.scenario]
		if !ok {
			i = len(d.Scenarios)
			at[l.scenario] = i
			d.Scenarios = append(d.Scenarios, BoundaryScenario{Scenario: names[l.scenario]})
		}
		d.Scenarios[i].Units++
	}
}

// droppedLines describes dropped assignments: one summary line per
// scenario, then the first few units.
func droppedLines(lines []dropLine, names map[string]string, verb string) []string {
	if len(lines) == 0 {
		return nil
	}
	count := map[string]int{}
	var order []string
	for _, d := range lines {
		if count[d.scenario] == 0 {
			order = append(order, d.scenario)
		}
		count[d.scenario]++
	}
	var out []string
	for _, id := range order {
		out = append(out, fmt.Sprintf("Scenario %q %s the assignments of %d units that the new boundaries do not have.", names[id], verb, count[id]))
	}
	var detail []string
	for _, d := range lines {
		switch {
		case d.territory != "" && d.locked:
			detail = append(detail, fmt.Sprintf("%s: unit %s was in territory %s (locked)", names[d.scenario], d.unit, d.territory))
		case d.territory != "":
			detail = append(detail, fmt.Sprintf("%s: unit %s was in territory %s", names[d.scenario], d.unit, d.territory))
		default:
			detail = append(detail, fmt.Sprintf("%s: unit %s was locked", names[d.scenario], d.unit))
		}
	}
	return append(out, capLines(detail)...)
}

// BoundaryPreview is a boundary layer as the import wizard first shows it:
// what was read, the attributes to choose the unit ids and names from,
// what would be chosen on its own, and the first features' values.
type BoundaryPreview struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Layer    string `json:"layer"`
	CRS      string `json:"crs"`
	Encoding string `json:"encoding"`
	// Features counts the polygon features; Skipped those the reader left
	// out (points, lines, empty geometries).
	Features int `json:"features"`
	Skipped  int `json:"skipped"`
	// Fields are the choices for the id and name fields: the attributes,
	// then "@id", "@name" (a feature's own id, a KML Placemark's name) when
	// the features have them, and "@number" (the feature number).
	// IDFields are those whose values could be ids (present and distinct).
	Fields   []string `json:"fields"`
	IDFields []string `json:"idFields"`
	// IDField, NameField and Level are what the import would use unless
	// told otherwise; Level is "" when it cannot tell.
	IDField   string `json:"idField"`
	NameField string `json:"nameField"`
	Level     string `json:"level"`
	// Sample holds the values of Fields for the first features, Numbers
	// their feature numbers.
	Sample  [][]string `json:"sample"`
	Numbers []int      `json:"numbers"`
	Notes   []string   `json:"notes"`
	// PlanUnits is how many units the open plan has now.
	PlanUnits int `json:"planUnits"`
}

// previewFeatures is how many features InspectBoundaries shows.
const previewFeatures = 20

// InspectBoundaries reads a boundary layer and describes it for the import
// wizard (see BoundaryPreview); nothing is imported.
func (s *ImportService) InspectBoundaries(path string) (*BoundaryPreview, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("no file given")
	}
	layer, err := gisfile.Read(context.Background(), path, gisfile.Options{})
	if err != nil {
		return nil, err
	}
	d, err := gisfile.Describe(layer, previewFeatures)
	if err != nil {
		return nil, err
	}
	pv := &BoundaryPreview{File: filepath.Base(path), Format: string(layer.Format), Layer: layer.Name, CRS: layer.CRS,
		Encoding: layer.Encoding, Features: len(layer.Features), Skipped: len(layer.Skipped), Fields: d.Fields,
		IDFields: d.IDFields, IDField: d.IDField, NameField: d.NameField, Level: d.Level, Sample: d.Sample,
		Numbers: d.SampleNumbers, Notes: append([]string{}, layer.Notes...)}
	if pv.Sample == nil {
		pv.Sample, pv.Numbers = [][]string{}, []int{}
	}
	s.p.mu.RLock()
	if s.p.plan != nil {
		pv.PlanUnits = len(s.p.plan.Units)
	}
	s.p.mu.RUnlock()
	return pv, nil
}

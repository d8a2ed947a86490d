package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"

	"territoria/engine"
	"territoria/storage/gisfile"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func TestWriteCSV(t *testing.T) {
	d := fixture(t, "en")
	dir := filepath.Join(t.TempDir(), "out")
	files, err := WriteCSV(dir, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("wrote %v", files)
	}
	st := d.Current.State
	tests := []struct {
		name   string
		file   string
		header string
		rows   int
		check  func(t *testing.T, rec []string)
	}{
		{"units", UnitsCSV, "unit_id,territory_id", len(d.Plan.Units), func(t *testing.T, rec []string) {
			u := st.UnitIndex(rec[0])
			want := ""
			if tt := st.UnitTerr[u]; tt != engine.NoIndex {
				want = st.Nodes[tt].ID
			}
			if rec[1] != want {
				t.Errorf("unit %s: territory %q, want %q", rec[0], rec[1], want)
			}
		}},
		{"accounts", AccountsCSV, "account_id,territory_id,rep_id", len(d.Plan.Accounts), func(t *testing.T, rec []string) {
			a := st.AccountIndex(rec[0])
			want, rep := "", ""
			if tt := st.AccountTerr[a]; tt != engine.NoIndex {
				want, rep = st.Nodes[tt].ID, st.Nodes[tt].RepID
			}
			if rec[1] != want || rec[2] != rep {
				t.Errorf("account %s: %q %q, want %q %q", rec[0], rec[1], rec[2], want, rep)
			}
		}},
		{"overrides", OverridesCSV, "account_id,territory_id", 1, func(t *testing.T, rec []string) {
			if rec[0] != "A9" || rec[1] != "T1" {
				t.Errorf("override %v, want A9 → T1", rec)
			}
		}},
		{"territories", TerritoriesCSV, "territory_id,name,kind,parent_id,rep_id,rep_name", len(st.Nodes), func(t *testing.T, rec []string) {
			n := st.Node(rec[0])
			if n == engine.NoIndex || st.Nodes[n].Name != rec[1] || string(st.Nodes[n].Kind) != rec[2] {
				t.Errorf("territory row %v", rec)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
				t.Error("starts with a byte-order mark")
			}
			recs := readCSV(t, filepath.Join(dir, tc.file))
			if got := strings.Join(recs[0], ","); got != tc.header {
				t.Fatalf("header %q, want %q", got, tc.header)
			}
			if len(recs)-1 != tc.rows {
				t.Fatalf("%d rows, want %d", len(recs)-1, tc.rows)
			}
			for _, rec := range recs[1:] {
				tc.check(t, rec)
			}
		})
	}
}

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteXLSX(t *testing.T) {
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			d := fixture(t, lang)
			path := filepath.Join(t.TempDir(), "plan.xlsx")
			if err := WriteXLSX(path, d, nil); err != nil {
				t.Fatal(err)
			}
			f := openXLSX(t, path)
			want := map[string][]string{
				"en":    {"Summary", "Territories", "Districts", "Regions", "Accounts", "Units", "Changes", "Unit changes", "Change by territory", "Tier mix"},
				"zh-CN": {"概览", "辖区", "片区", "大区", "客户", "单元", "变更", "单元变更", "辖区变更汇总", "客户分级构成"},
			}[lang]
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("sheets %q, want %q", got, want)
			}
			terr, acc := want[1], want[4]
			rows, err := f.GetRows(terr)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 { // header + 3 territories
				t.Fatalf("%s: %d rows", terr, len(rows))
			}
			if lang == "zh-CN" && rows[0][0] != "辖区编码" {
				t.Errorf("Chinese header %q", rows[0][0])
			}
			if rows[2][1] != "东区" {
				t.Errorf("Chinese text %q, want 东区", rows[2][1])
			}
			// Numbers are numbers, with the plan's figures.
			typ, _ := f.GetCellType(terr, "G2")
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("accounts cell type %v", typ)
			}
			// Frozen header and a filtered table on every data sheet.
			for _, sh := range want[1:] {
				panes, err := f.GetPanes(sh)
				if err != nil || !panes.Freeze || panes.YSplit != 1 {
					t.Errorf("%s: panes %+v %v", sh, panes, err)
				}
				tables, err := f.GetTables(sh)
				if err != nil || len(tables) != 1 {
					t.Errorf("%s: tables %v %v", sh, tables, err)
				}
			}
			// Charts on the summary.
			if n := countCharts(t, path); n != 2 {
				t.Errorf("%d charts, want 2", n)
			}
			arows, _ := f.GetRows(acc)
			if len(arows) != 1+len(d.Plan.Accounts) {
				t.Errorf("%s: %d rows", acc, len(arows))
			}
		})
	}
}

func countCharts(t *testing.T, path string) int {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(raw, []byte("xl/charts/chart")) / 2 // each chart is named in the zip's local and central headers
}

// TestXLSXTextIsNeverAFormula: names beginning with = + - @ are stored as
// text, and no cell of the workbook holds a formula.
func TestXLSXTextIsNeverAFormula(t *testing.T) {
	d := fixture(t, "en")
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := WriteXLSX(path, d, nil); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, path)
	for _, sh := range f.GetSheetList() {
		rows, err := f.Rows(sh)
		if err != nil {
			t.Fatal(err)
		}
		r := 0
		for rows.Next() {
			r++
			cols, _ := rows.Columns()
			for c := range cols {
				cell, _ := excelize.CoordinatesToCellName(c+1, r)
				if fm, _ := f.GetCellFormula(sh, cell); fm != "" {
					t.Errorf("%s!%s holds formula %q", sh, cell, fm)
				}
			}
		}
		rows.Close()
	}
	for _, tc := range []struct{ cell, want string }{
		{"B2", "=SUM(A1:A9)"}, {"B3", "+86 Trading"}, {"B4", "-minus Co"}, {"B5", "@mention Ltd"}, {"B6", "北京协和医院"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			v, _ := f.GetCellValue("Accounts", tc.cell)
			typ, _ := f.GetCellType("Accounts", tc.cell)
			if v != tc.want || typ != excelize.CellTypeInlineString {
				t.Errorf("Accounts!%s = %q (type %v), want text %q", tc.cell, v, typ, tc.want)
			}
		})
	}
	if v, _ := f.GetCellValue("Territories", "B4"); v != "=Formula" {
		t.Errorf("territory name %q", v)
	}
}

func TestXLSXChangeReport(t *testing.T) {
	d := fixture(t, "en")
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := WriteXLSX(path, d, nil); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, path)
	moved, err := d.changes(nil)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Changes")
	if len(rows)-1 != len(moved) || len(moved) == 0 {
		t.Fatalf("Changes has %d rows, %d accounts moved", len(rows)-1, len(moved))
	}
	var risk, rev float64
	for _, c := range moved {
		risk += c.atRisk
		rev += c.revenue
		a := &d.Plan.Accounts[c.account]
		want := 0.0
		if c.fromRep != c.toRep {
			want = DefaultRiskShare * a.Revenue12()
		}
		if math.Abs(c.atRisk-want) > 1e-9 {
			t.Errorf("account %s: at risk %v, want %v", a.ID, c.atRisk, want)
		}
	}
	if risk == 0 {
		t.Error("no revenue at risk although accounts change rep")
	}
	units, _ := f.GetRows("Unit changes")
	if len(units)-1 != 2 { // 110100 T1 → T2, 110201 T3 → none
		t.Errorf("Unit changes: %d rows, want 2", len(units)-1)
	}
	// The per-territory summary balances: accounts gained = accounts lost
	// between territories, plus those entering or leaving the unassigned.
	sum, _ := f.GetRows("Change by territory")
	if len(sum) != 4 {
		t.Errorf("Change by territory: %d rows", len(sum))
	}
}

func TestXLSXRollsOverLongSheets(t *testing.T) {
	old := maxSheetRows
	maxSheetRows = 4
	defer func() { maxSheetRows = old }()
	d := fixture(t, "en")
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := WriteXLSX(path, d, nil); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, path)
	total := 0
	for _, sh := range []string{"Accounts", "Accounts (2)", "Accounts (3)"} {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatalf("%s: %v", sh, err)
		}
		total += len(rows) - 1
	}
	if total != len(d.Plan.Accounts) {
		t.Errorf("%d account rows over three sheets, want %d", total, len(d.Plan.Accounts))
	}
}

func TestCancelledExportLeavesNothing(t *testing.T) {
	d := fixture(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	o := &Options{Ctx: ctx}
	writers := []struct {
		name  string
		write func(path string) error
	}{
		{"xlsx", func(p string) error { return WriteXLSX(p, d, o) }},
		{"geojson", func(p string) error { _, err := WriteGeoJSON(p, d, &GISOptions{Options: *o}); return err }},
		{"kml", func(p string) error { _, err := WriteKML(p, d, &GISOptions{Options: *o}); return err }},
		{"shp", func(p string) error { _, err := WriteShapefile(p, d, &GISOptions{Options: *o}); return err }},
	}
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			path := filepath.Join(dir, "out."+w.name)
			if err := w.write(path); !errors.Is(err, ErrCancelled) {
				t.Fatalf("err %v, want ErrCancelled", err)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

func TestWriteGeoJSON(t *testing.T) {
	d := fixture(t, "en")
	path := filepath.Join(t.TempDir(), "plan.geojson")
	res, err := WriteGeoJSON(path, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatalf("not GeoJSON: %v", err)
	}
	want := map[string]int{"territories": 3, "districts": 1, "regions": 1, "areas": 1, "accounts": 9}
	got := map[string]int{}
	for _, f := range fc.Features {
		layer, _ := f.Properties["layer"].(string)
		got[layer]++
		if mp, ok := f.Geometry.(orb.MultiPolygon); ok {
			for _, p := range mp {
				for k, r := range p {
					if r[0] != r[len(r)-1] {
						t.Errorf("%s %v: ring not closed", layer, f.ID)
					}
					if o := r.Orientation(); (k == 0) != (o == orb.CCW) {
						t.Errorf("%s %v ring %d: orientation %v breaks the right-hand rule", layer, f.ID, k, o)
					}
				}
			}
		}
		if layer == "territories" && f.Properties["id"] == "T2" {
			if f.Properties["name"] != "东区" || f.Properties["accounts"].(float64) != rowOf(d, "T2")["accounts"] {
				t.Errorf("T2 properties %v", f.Properties)
			}
			// Two unit squares, dissolved into one ring of 6 corners.
			mp := f.Geometry.(orb.MultiPolygon)
			if len(mp) != 1 || len(mp[0]) != 1 || len(mp[0][0]) != 7 {
				t.Errorf("T2 outline %v", mp)
			}
		}
	}
	for k, n := range want {
		if got[k] != n || res.Layers[k] != n {
			t.Errorf("layer %s: %d features (result says %d), want %d", k, got[k], res.Layers[k], n)
		}
	}
}

func rowOf(d *Data, id string) map[string]float64 {
	for _, r := range d.Current.Rows {
		if r.ID == id {
			return r.Values
		}
	}
	return nil
}

func TestWriteShapefileReadsBack(t *testing.T) {
	d := fixture(t, "zh-CN")
	path := filepath.Join(t.TempDir(), "plan.zip")
	if _, err := WriteShapefile(path, d, nil); err != nil {
		t.Fatal(err)
	}
	// storage/gisfile is an independent reader of Shapefiles (it imports
	// boundary layers); it reads polygons.
	for _, tc := range []struct {
		layer string
		n     int
	}{{"territories", 3}, {"districts", 1}, {"regions", 1}, {"areas", 1}} {
		t.Run(tc.layer, func(t *testing.T) {
			l, err := gisfile.Read(context.Background(), path, gisfile.Options{Layer: tc.layer})
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Features) != tc.n || l.Encoding != "UTF-8" {
				t.Fatalf("%d features, encoding %q", len(l.Features), l.Encoding)
			}
			if tc.layer != "territories" {
				return
			}
			for _, f := range l.Features {
				id := f.Properties["id"].(string)
				want := rowOf(d, id)
				if got := f.Properties["potential"].(float64); got != want["potential"] {
					t.Errorf("%s potential %v, want %v", id, got, want["potential"])
				}
				if id == "T2" && f.Properties["name"] != "东区" {
					t.Errorf("T2 name %q", f.Properties["name"])
				}
				// Shapefile rings: outer clockwise.
				if f.Geom[0][0].Orientation() != orb.CW {
					t.Errorf("%s: outer ring not clockwise", id)
				}
			}
		})
	}
}

func TestWriteKML(t *testing.T) {
	d := fixture(t, "en")
	path := filepath.Join(t.TempDir(), "plan.kml")
	if _, err := WriteKML(path, d, nil); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	var doc struct {
		Folders []struct {
			Name       string `xml:"name"`
			Placemarks []struct {
				Name string `xml:"name"`
				Data []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value"`
				} `xml:"ExtendedData>Data"`
			} `xml:"Placemark"`
		} `xml:"Document>Folder"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	counts := []int{}
	for _, f := range doc.Folders {
		counts = append(counts, len(f.Placemarks))
	}
	if got := len(counts); got != 5 || counts[0] != 3 || counts[4] != 9 {
		t.Fatalf("folders %v", counts)
	}
	if doc.Folders[4].Placemarks[5].Name != "Plain & <Co>" {
		t.Errorf("escaped name %q", doc.Folders[4].Placemarks[5].Name)
	}
	// gisfile reads the polygons back.
	l, err := gisfile.Read(context.Background(), path, gisfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Features) != 6 { // 3 territories, 1 district, 1 region, 1 drawn area
		t.Errorf("%d polygon placemarks", len(l.Features))
	}
}

func TestMakeFields(t *testing.T) {
	fs := makeFields([]field{{name: "lifetimeValue"}, {name: "population density"}, {name: "population density 2"}, {name: "人口"}, {name: "9lives"}})
	want := []string{"ltv", "population", "populati_2", "f___", "f_9lives"}
	for i, f := range fs {
		if f.short != want[i] {
			t.Errorf("%s → %q, want %q", f.name, f.short, want[i])
		}
	}
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x1f", "北京", "\u2028", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q → %s: %v", s, b, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want && !strings.Contains(s, "\uFFFD") {
			// Each invalid byte becomes one U+FFFD; ToValidUTF8 joins runs.
			if strings.ReplaceAll(got, "\uFFFD", "") != strings.ReplaceAll(want, "\uFFFD", "") {
				t.Fatalf("%q read back as %q", s, got)
			}
		}
	})
}

func FuzzClip(f *testing.F) {
	f.Add("北京协和医院", 5)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 300 {
			return
		}
		c := clip(s, n)
		if len(c) > n || !strings.HasPrefix(strings.ToValidUTF8(s, "\uFFFD"), c) && len(c) > 0 && !strings.Contains(s, "\uFFFD") && utfValid(s) {
			t.Fatalf("clip(%q, %d) = %q", s, n, c)
		}
	})
}

func utfValid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// TestXLSXNumberFormats: the return on cost is written as a multiple
// ("3.54×"), compactness as a plain index, utilisation as a percentage.
func TestXLSXNumberFormats(t *testing.T) {
	d := fixture(t, "en")
	d.Metrics = append(d.Metrics, Metric{Name: "roi", Unit: "ratio"}, Metric{Name: "compactness", Unit: "ratio"})
	for i := range d.Current.Rows {
		d.Current.Rows[i].Values["roi"] = 3.5412
		d.Current.Rows[i].Values["compactness"] = 0.41
	}
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	if err := WriteXLSX(path, d, nil); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, path)
	rows, err := f.GetRows("Territories")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Return on cost": "×", "Compactness": "0.000", "Utilisation": "%"}
	found := 0
	for c, h := range rows[0] {
		w, ok := want[h]
		if !ok {
			continue
		}
		found++
		cell, _ := excelize.CoordinatesToCellName(c+1, 2)
		id, err := f.GetCellStyle("Territories", cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, w) || w == "0.000" && strings.Contains(*st.CustomNumFmt, "×") {
			t.Errorf("%s (%s): number format %v, want one with %q", h, cell, st.CustomNumFmt, w)
		}
	}
	if found != len(want) {
		t.Fatalf("found %d of the columns %v in %q", found, want, rows[0])
	}
}

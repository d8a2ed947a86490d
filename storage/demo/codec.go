package demo

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"territoria/engine"
)

// magic opens every demo file, inside the gzip stream.
const magic = "territoria-demo\n"

// Version is the encoding version written by Encode. Decode refuses files
// of any other version.
const Version = 1

// coordScale is the fixed-point scale of coordinates: 1e-6 degree (about
// 0.1 m) per unit.
const coordScale = 1e6

// maxCount bounds every length read from a geometry stream, so that a
// corrupt file cannot ask for a huge allocation.
const maxCount = 1 << 24

// The records below are the encoding; they belong to storage and change
// only together with Version. Coordinates are fixed-point integers
// (degrees × coordScale). A geometry is a flat stream of integers:
//
//	multipolygon: nPolygons, then per polygon nRings, then per ring
//	              nPoints and the points
//	line:         nPoints and the points
//
// where each point is the difference (dx, dy) from the previous point of
// the same stream (the first from 0, 0).

type fileRec struct {
	Name          string
	Currency      string
	HistoryStart  int32
	HistoryMonths int32
	Units         []unitRec
	Borders       []borderRec
	Accounts      []accountRec
	Reps          []repRec
	Scenarios     []scenarioRec
	// Settings is the plan's engine.Settings as JSON ("" for none) and
	// Visits its visit log; files written before they existed decode
	// without them.
	Settings string
	Visits   []visitRec
}

type visitRec struct {
	AccountID, RepID string
	Day              int32
	Minutes          float64
	Outcome          string
}

type unitRec struct {
	ID, Name, Level, Parent string
	Geom                    []int64
	LabelX, LabelY          int64
	AreaKm2                 float64
	Data                    []numberRec
	Neighbors               []int32
}

type borderRec struct {
	Line        []int64
	Left, Right int32
}

type accountRec struct {
	ID, Name      string
	X, Y          int64
	Approx        bool
	Unit          int32
	Potential     float64
	History       []float32
	LifetimeValue float64
	Tier          string
	Industry      string
	Size          string
	Attrs         []numberRec
}

type repRec struct {
	ID, Name      string
	X, Y          int64
	CapacityHours float64
	Cost          float64
}

type territoryRec struct {
	ID, Name, Kind, Parent, RepID, Color string
	Locked                               bool
	Polygon                              []int64 // one-polygon multipolygon stream, nil when none
}

// Maps are stored as slices sorted by key, so that the same plan always
// gives the same bytes. Lock sets keep only the keys locked (true).
type scenarioRec struct {
	ID, Name         string
	Territories      []territoryRec
	UnitTerritory    []pairRec
	AccountTerritory []pairRec
	LockedUnits      []string
	LockedAccounts   []string
}

type numberRec struct {
	K string
	V float64
}

type pairRec struct {
	K, V string
}

// Encode writes p to w in the demo encoding: a gzip stream holding the
// magic line, the version as a uvarint and a gob-encoded record. Coordinates
// are rounded to 1e-6 degree; everything else is kept exactly.
func Encode(w io.Writer, p *engine.Plan) error {
	rec := fileRec{
		Name: p.Name, Currency: p.Currency,
		HistoryStart: int32(p.HistoryStart), HistoryMonths: int32(p.HistoryMonths),
	}
	for _, u := range p.Units {
		rec.Units = append(rec.Units, unitRec{
			ID: u.ID, Name: u.Name, Level: u.Level, Parent: u.Parent,
			Geom:   putMultiPolygon(nil, u.Geom),
			LabelX: fixed(u.Label[0]), LabelY: fixed(u.Label[1]),
			AreaKm2: u.AreaKm2, Data: putNumbers(u.Data), Neighbors: u.Neighbors,
		})
	}
	for _, b := range p.Borders {
		rec.Borders = append(rec.Borders, borderRec{Line: putLine(nil, b.Line), Left: b.Left, Right: b.Right})
	}
	for _, a := range p.Accounts {
		rec.Accounts = append(rec.Accounts, accountRec{
			ID: a.ID, Name: a.Name, X: fixed(a.Loc[0]), Y: fixed(a.Loc[1]), Approx: a.Approx, Unit: a.Unit,
			Potential: a.Potential, History: a.History, LifetimeValue: a.LifetimeValue,
			Tier: a.Tier, Industry: a.Industry, Size: a.Size, Attrs: putNumbers(a.Attrs),
		})
	}
	if p.Settings != nil {
		b, err := json.Marshal(p.Settings)
		if err != nil {
			return fmt.Errorf("demo: settings: %w", err)
		}
		rec.Settings = string(b)
	}
	for _, v := range p.Visits {
		rec.Visits = append(rec.Visits, visitRec{AccountID: v.AccountID, RepID: v.RepID, Day: v.Day, Minutes: v.Minutes, Outcome: v.Outcome})
	}
	for _, r := range p.Reps {
		rec.Reps = append(rec.Reps, repRec{ID: r.ID, Name: r.Name, X: fixed(r.Home[0]), Y: fixed(r.Home[1]),
			CapacityHours: r.CapacityHours, Cost: r.Cost})
	}
	for _, s := range p.Scenarios {
		sr := scenarioRec{ID: s.ID, Name: s.Name, UnitTerritory: putPairs(s.UnitTerritory),
			AccountTerritory: putPairs(s.AccountTerritory), LockedUnits: putSet(s.LockedUnits), LockedAccounts: putSet(s.LockedAccounts)}
		for _, t := range s.Territories {
			tr := territoryRec{ID: t.ID, Name: t.Name, Kind: string(t.Kind), Parent: t.Parent, RepID: t.RepID,
				Color: t.Color, Locked: t.Locked}
			if len(t.Polygon) > 0 {
				tr.Polygon = putMultiPolygon(nil, orb.MultiPolygon{t.Polygon})
			}
			sr.Territories = append(sr.Territories, tr)
		}
		rec.Scenarios = append(rec.Scenarios, sr)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(magic)
	bw.Write(binary.AppendUvarint(nil, Version))
	if err := gob.NewEncoder(bw).Encode(&rec); err != nil {
		return fmt.Errorf("demo: encode: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("demo: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("demo: write: %w", err)
	}
	return nil
}

// Decode reads a plan written by Encode. It checks the magic line and the
// version, and that every index (account unit, border sides, neighbours)
// is in range, and returns an error naming the first problem.
func Decode(r io.Reader) (*engine.Plan, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("demo: not a gzip stream: %w", err)
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("demo: not a demo plan file (bad magic)")
	}
	v, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("demo: reading version: %w", err)
	}
	if v != Version {
		return nil, fmt.Errorf("demo: file version %d, this build reads version %d", v, Version)
	}
	var rec fileRec
	if err := gob.NewDecoder(br).Decode(&rec); err != nil {
		return nil, fmt.Errorf("demo: decode: %w", err)
	}
	return rec.plan()
}

func (rec *fileRec) plan() (*engine.Plan, error) {
	if rec.HistoryMonths < 0 {
		return nil, fmt.Errorf("demo: negative history length %d", rec.HistoryMonths)
	}
	p := &engine.Plan{
		Name: rec.Name, Currency: rec.Currency,
		HistoryStart: engine.Month(rec.HistoryStart), HistoryMonths: int(rec.HistoryMonths),
		Units:    make([]engine.Unit, len(rec.Units)),
		Borders:  make([]engine.Border, len(rec.Borders)),
		Accounts: make([]engine.Account, len(rec.Accounts)),
		Reps:     make([]engine.Rep, len(rec.Reps)),
	}
	n := int32(len(rec.Units))
	var err error
	for i, u := range rec.Units {
		pu := &p.Units[i]
		*pu = engine.Unit{ID: u.ID, Name: u.Name, Level: u.Level, Parent: u.Parent,
			Label: point(u.LabelX, u.LabelY), AreaKm2: u.AreaKm2, Data: getNumbers(u.Data), Neighbors: u.Neighbors}
		if pu.Geom, err = getMultiPolygon(u.Geom); err != nil {
			return nil, fmt.Errorf("demo: unit %q: %w", u.ID, err)
		}
		for _, nb := range u.Neighbors {
			if nb < 0 || nb >= n {
				return nil, fmt.Errorf("demo: unit %q: neighbour %d out of range", u.ID, nb)
			}
		}
	}
	for i, b := range rec.Borders {
		if b.Left < 0 || b.Left >= n || b.Right < engine.NoIndex || b.Right >= n {
			return nil, fmt.Errorf("demo: border %d: sides %d/%d out of range", i, b.Left, b.Right)
		}
		line, err := getLine(b.Line)
		if err != nil {
			return nil, fmt.Errorf("demo: border %d: %w", i, err)
		}
		p.Borders[i] = engine.Border{Line: line, Left: b.Left, Right: b.Right}
	}
	for i, a := range rec.Accounts {
		if a.Unit < engine.NoIndex || a.Unit >= n {
			return nil, fmt.Errorf("demo: account %q: unit %d out of range", a.ID, a.Unit)
		}
		if len(a.History) > p.HistoryMonths {
			return nil, fmt.Errorf("demo: account %q: %d months of history, plan keeps %d", a.ID, len(a.History), p.HistoryMonths)
		}
		p.Accounts[i] = engine.Account{ID: a.ID, Name: a.Name, Loc: point(a.X, a.Y), Approx: a.Approx, Unit: a.Unit,
			Potential: a.Potential, History: a.History, LifetimeValue: a.LifetimeValue,
			Tier: a.Tier, Industry: a.Industry, Size: a.Size, Attrs: getNumbers(a.Attrs)}
	}
	for i, r := range rec.Reps {
		p.Reps[i] = engine.Rep{ID: r.ID, Name: r.Name, Home: point(r.X, r.Y), CapacityHours: r.CapacityHours, Cost: r.Cost}
	}
	if rec.Settings != "" {
		p.Settings = &engine.Settings{}
		if err := json.Unmarshal([]byte(rec.Settings), p.Settings); err != nil {
			return nil, fmt.Errorf("demo: settings: %w", err)
		}
	}
	if len(rec.Visits) > 0 {
		p.Visits = make([]engine.Visit, len(rec.Visits))
		for i, v := range rec.Visits {
			p.Visits[i] = engine.Visit{AccountID: v.AccountID, RepID: v.RepID, Day: v.Day, Minutes: v.Minutes, Outcome: v.Outcome}
		}
	}
	for _, s := range rec.Scenarios {
		ps := &engine.Scenario{ID: s.ID, Name: s.Name, UnitTerritory: getPairs(s.UnitTerritory),
			AccountTerritory: getPairs(s.AccountTerritory), LockedUnits: getSet(s.LockedUnits), LockedAccounts: getSet(s.LockedAccounts)}
		for _, t := range s.Territories {
			pt := engine.Territory{ID: t.ID, Name: t.Name, Kind: engine.Kind(t.Kind), Parent: t.Parent, RepID: t.RepID,
				Color: t.Color, Locked: t.Locked}
			if t.Polygon != nil {
				mp, err := getMultiPolygon(t.Polygon)
				if err != nil || len(mp) != 1 {
					return nil, fmt.Errorf("demo: scenario %q territory %q: bad polygon", s.ID, t.ID)
				}
				pt.Polygon = mp[0]
			}
			ps.Territories = append(ps.Territories, pt)
		}
		p.Scenarios = append(p.Scenarios, ps)
	}
	return p, nil
}

func putNumbers(m map[string]float64) []numberRec {
	if m == nil {
		return nil
	}
	out := make([]numberRec, 0, len(m))
	for k, v := range m {
		out = append(out, numberRec{k, v})
	}
	slices.SortFunc(out, func(a, b numberRec) int { return strings.Compare(a.K, b.K) })
	return out
}

func getNumbers(s []numberRec) map[string]float64 {
	if s == nil {
		return nil
	}
	m := make(map[string]float64, len(s))
	for _, e := range s {
		m[e.K] = e.V
	}
	return m
}

func putPairs(m map[string]string) []pairRec {
	if m == nil {
		return nil
	}
	out := make([]pairRec, 0, len(m))
	for k, v := range m {
		out = append(out, pairRec{k, v})
	}
	slices.SortFunc(out, func(a, b pairRec) int { return strings.Compare(a.K, b.K) })
	return out
}

func getPairs(s []pairRec) map[string]string {
	m := make(map[string]string, len(s))
	for _, e := range s {
		m[e.K] = e.V
	}
	return m
}

func putSet(m map[string]bool) []string {
	var out []string
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func getSet(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, k := range s {
		m[k] = true
	}
	return m
}

func fixed(v float64) int64 { return int64(math.Round(v * coordScale)) }

func point(x, y int64) orb.Point { return orb.Point{float64(x) / coordScale, float64(y) / coordScale} }

// stream writes and reads the delta-encoded point streams.
type stream struct {
	x, y int64
}

func (s *stream) put(dst []int64, p orb.Point) []int64 {
	x, y := fixed(p[0]), fixed(p[1])
	dst = append(dst, x-s.x, y-s.y)
	s.x, s.y = x, y
	return dst
}

func putLine(dst []int64, ls []orb.Point) []int64 {
	var s stream
	return s.putPoints(dst, ls)
}

func (s *stream) putPoints(dst []int64, pts []orb.Point) []int64 {
	dst = append(dst, int64(len(pts)))
	for _, p := range pts {
		dst = s.put(dst, p)
	}
	return dst
}

func putMultiPolygon(dst []int64, mp orb.MultiPolygon) []int64 {
	var s stream
	dst = append(dst, int64(len(mp)))
	for _, poly := range mp {
		dst = append(dst, int64(len(poly)))
		for _, r := range poly {
			dst = s.putPoints(dst, r)
		}
	}
	return dst
}

type reader struct {
	v    []int64
	x, y int64
	err  error
}

func (r *reader) count() int {
	if r.err != nil {
		return 0
	}
	if len(r.v) == 0 {
		r.err = errors.New("geometry stream ends early")
		return 0
	}
	c := r.v[0]
	r.v = r.v[1:]
	if c < 0 || c > maxCount || c > int64(len(r.v)) {
		r.err = fmt.Errorf("geometry stream has a bad count %d", c)
		return 0
	}
	return int(c)
}

func (r *reader) points() []orb.Point {
	n := r.count()
	if r.err != nil {
		return nil
	}
	if 2*n > len(r.v) {
		r.err = errors.New("geometry stream ends early")
		return nil
	}
	pts := make([]orb.Point, n)
	for i := range pts {
		r.x += r.v[2*i]
		r.y += r.v[2*i+1]
		pts[i] = point(r.x, r.y)
	}
	r.v = r.v[2*n:]
	return pts
}

func getLine(v []int64) (orb.LineString, error) {
	r := reader{v: v}
	pts := r.points()
	if r.err == nil && len(r.v) > 0 {
		r.err = errors.New("geometry stream has trailing values")
	}
	return pts, r.err
}

func getMultiPolygon(v []int64) (orb.MultiPolygon, error) {
	r := reader{v: v}
	np := r.count()
	mp := make(orb.MultiPolygon, 0, np)
	for i := 0; i < np && r.err == nil; i++ {
		nr := r.count()
		poly := make(orb.Polygon, 0, nr)
		for j := 0; j < nr && r.err == nil; j++ {
			poly = append(poly, orb.Ring(r.points()))
		}
		mp = append(mp, poly)
	}
	if r.err == nil && len(r.v) > 0 {
		r.err = errors.New("geometry stream has trailing values")
	}
	return mp, r.err
}

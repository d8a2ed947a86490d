package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/borders"
	"territoria/engine/metrics"
	"territoria/engine/model"
	"territoria/engine/segment"
	"territoria/engine/session"
	"territoria/engine/tiles"
)

// view is everything derived from the plan and its active scenario that the
// map and the side panel show. It is rebuilt when the plan or the active
// scenario changes.
type view struct {
	version  int64
	scenario string
	sess     *session.Session // the active scenario under edit: alignment, figures, drawn topology
	tiles    *tiles.Index
	bounds   [4]float64
	units    json.RawMessage // GeoJSON of the units, built once per plan
	baseline *baselineFigures
	model    *modelState // the planning model's segments, shared with views of other scenarios
}

// modelState is the plan-level part of the planning model: the accounts'
// segments under the current settings.
type modelState struct {
	seg *segment.Result
}

// configFor returns the figures' assumptions of plan p under settings s
// with the planning model on, and records the segments in ms.
func (ms *modelState) configFor(p *engine.Plan, s *engine.Settings) (metrics.Config, error) {
	cfg, seg, err := model.ConfigFor(p, s)
	if err != nil {
		return metrics.Config{}, err
	}
	ms.seg = seg
	return cfg, nil
}

// st is the alignment of the view's scenario.
func (v *view) st() *assign.State { return v.sess.State }

// buildView derives what the map and panel show for scenario sc of plan p.
// prev, when not nil, is the view of another scenario of the same plan: the
// plan-level parts (accounts located in units, the tile index, the bounds,
// the units GeoJSON) are reused rather than recomputed.
func buildView(p *engine.Plan, sc *engine.Scenario, prev *view) (*view, error) {
	if sc == nil {
		sc = &engine.Scenario{ID: "", Name: ""}
	}
	var base *metrics.Base
	var ms *modelState
	if prev != nil {
		base, ms = prev.sess.Base(), prev.model
	} else {
		assign.LocateAccounts(p)
		ms = &modelState{}
		cfg, err := ms.configFor(p, p.Settings)
		if err != nil {
			return nil, fmt.Errorf("the plan's settings: %w", err)
		}
		if base, err = metrics.NewBase(p, cfg); err != nil {
			return nil, fmt.Errorf("the plan's settings: %w", err)
		}
	}
	sess, err := session.New(p, sc, base)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", sc.Name, err)
	}
	sess.ConfigFor = ms.configFor
	v := &view{scenario: sc.ID, sess: sess, model: ms}
	if prev != nil {
		v.tiles, v.bounds, v.units = prev.tiles, prev.bounds, prev.units
		if prev.scenario == sc.ID && prev.baseline != nil {
			v.baseline = prev.baseline
			if err := sess.SetBaseline(prev.baseline.reps); err != nil {
				return nil, err
			}
		}
	} else {
		v.tiles, v.bounds = tiles.NewIndex(p), planBounds(p)
	}
	return v, nil
}

// planBounds is the area the map opens on: where the accounts are (without
// the farthest 1 % on each side, so a few remote islands do not shrink the
// map to a dot), or the units' extent when there are no accounts.
func planBounds(p *engine.Plan) [4]float64 {
	var lons, lats []float64
	if len(p.Accounts) > 0 {
		for i := range p.Accounts {
			lons = append(lons, p.Accounts[i].Loc[0])
			lats = append(lats, p.Accounts[i].Loc[1])
		}
	} else {
		for i := range p.Units {
			b := p.Units[i].Geom.Bound()
			lons = append(lons, b.Min[0], b.Max[0])
			lats = append(lats, b.Min[1], b.Max[1])
		}
	}
	if len(lons) == 0 {
		return [4]float64{-125, 24, -66, 50} // nothing to show yet: the contiguous US
	}
	lo, hi := trimmedRange(lons)
	la, ha := trimmedRange(lats)
	if hi-lo < 0.01 {
		lo, hi = lo-0.5, hi+0.5
	}
	if ha-la < 0.01 {
		la, ha = la-0.5, ha+0.5
	}
	return [4]float64{lo, la, hi, ha}
}

// trimmedRange returns the 1st and 99th percentiles of v (sorted in place).
func trimmedRange(v []float64) (float64, float64) {
	slices.Sort(v)
	k := len(v) / 100
	return v[k], v[len(v)-1-k]
}

// current returns the plan and view for a read, or ErrNoPlan.
func (s *PlanService) current() (*engine.Plan, *view, error) {
	if s.plan == nil || s.view == nil {
		return nil, nil, ErrNoPlan
	}
	return s.plan, s.view, nil
}

// Units returns every unit of the plan as GeoJSON; feature id i is unit index i.
func (s *PlanService) Units() (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	if v.units == nil {
		fc := geojson.NewFeatureCollection()
		for i := range p.Units {
			u := &p.Units[i]
			f := geojson.NewFeature(u.Geom)
			f.ID = i
			f.Properties = geojson.Properties{"uid": u.ID, "name": u.Name, "level": u.Level}
			fc.Append(f)
		}
		b, err := json.Marshal(fc)
		if err != nil {
			return nil, err
		}
		v.units = b
	}
	return v.units, nil
}

// Alignment returns the active scenario as the map draws it.
func (s *PlanService) Alignment() (Alignment, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, v, err := s.current()
	if err != nil {
		return Alignment{}, err
	}
	st := v.st()
	reps := repNames(p)
	labels := borders.Labels(p, st)
	out := Alignment{ScenarioID: s.active, Version: v.version, UnitTerritory: st.UnitTerr}
	out.Territories = make([]AlignmentTerritory, len(st.Nodes))
	for i, t := range st.Nodes {
		at := AlignmentTerritory{ID: t.ID, Name: t.Name, Kind: string(t.Kind), Parent: t.Parent, RepID: t.RepID, Rep: reps[t.RepID], Color: t.Color}
		if t.Kind == engine.KindTerritory && i < len(labels) && labels[i].OK {
			at.Label = &[2]float64{labels[i].Point[0], labels[i].Point[1]}
		}
		out.Territories[i] = at
	}
	set, err := borders.Compute(p, st)
	if err != nil {
		return Alignment{}, err
	}
	fc := geojson.NewFeatureCollection()
	for _, b := range []struct {
		kind  string
		lines orb.MultiLineString
	}{{"region", set.Region}, {"district", set.District}, {"territory", set.Territory}, {"edge", set.Edge}} {
		if len(b.lines) > 0 {
			f := geojson.NewFeature(b.lines)
			f.Properties = geojson.Properties{"kind": b.kind}
			fc.Append(f)
		}
	}
	out.Borders = fc
	if out.UnitTerritory == nil {
		out.UnitTerritory = []int32{}
	}
	return out, nil
}

func repNames(p *engine.Plan) map[string]string {
	m := make(map[string]string, len(p.Reps))
	for _, r := range p.Reps {
		m[r.ID] = r.Name
	}
	return m
}

// Territories returns the side panel's rows: every node of the hierarchy
// depth first, then the whole plan (Kind "plan").
func (s *PlanService) Territories() ([]TerritoryRow, error) {
	s.mu.Lock() // the baseline is computed on first use
	defer s.mu.Unlock()
	p, v, err := s.current()
	if err != nil {
		return nil, err
	}
	return territoryRows(p, v, s.baselineLocked()), nil
}

// TileHandler serves the account vector tiles at
// /tiles/accounts/{z}/{x}/{y}.pbf for the window's asset server and the
// browser mode.
func TileHandler(s *PlanService) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/tiles/accounts/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		parts := strings.Split(strings.TrimSuffix(rest, ".pbf"), "/")
		if len(parts) != 3 {
			http.Error(w, "want /tiles/accounts/{z}/{x}/{y}.pbf", http.StatusBadRequest)
			return
		}
		var zxy [3]uint64
		for i, s := range parts {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				http.Error(w, "bad tile coordinate "+s, http.StatusBadRequest)
				return
			}
			zxy[i] = n
		}
		z, x, y := uint32(zxy[0]), uint32(zxy[1]), uint32(zxy[2])
		if z > 22 || x >= 1<<z || y >= 1<<z {
			http.Error(w, "tile out of range", http.StatusBadRequest)
			return
		}
		s.mu.RLock()
		p, v, err := s.current()
		var data []byte
		if err == nil {
			data, err = tiles.AccountTile(v.tiles, p, v.st().AccountTerr, v.model.seg, z, x, y)
		}
		s.mu.RUnlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(data)
	})
}

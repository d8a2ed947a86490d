// Package session is one scenario being edited: its alignment
// (engine/assign), its live figures (engine/metrics) and the topology of its
// free-drawn areas (engine/topo), kept consistent with the scenario data
// under edits, undos and vertex drags.
//
// A Session does not persist anything: the caller records each edit
// (storage keeps the history) and plays undos and redos back with Replay.
// A Session is not safe for concurrent use.
package session

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/metrics"
	"territoria/engine/topo"
)

// Session is one scenario under edit.
type Session struct {
	plan *engine.Plan
	// Scenario is the scenario's data, kept equal to what the edits made it.
	Scenario *engine.Scenario
	// State is the alignment; Live the figures. Read them, do not edit them
	// directly.
	State *assign.State
	Live  *metrics.Live

	// ConfigFor builds the figures' assumptions when the plan's settings
	// change; nil uses metrics.ConfigFor (no planning model).
	ConfigFor func(p *engine.Plan, s *engine.Settings) (metrics.Config, error)

	base     *metrics.Base
	baseline []int32 // per account: its rep in the baseline (metrics.Live.SetBaseline)
	topo     *topo.Topology
	faceNode []int32
	drag     *Drag
}

// Change is what an edit, a replay or a drag step changed.
type Change struct {
	// Delta lists the units and accounts that changed territory, and the
	// nodes whose record or area changed. It is empty for a structural edit.
	Delta assign.Delta
	// Structural is true when nodes were created or deleted: the alignment
	// and the figures were recomputed, and node indexes may have changed.
	Structural bool
	// Settings is true when the plan's assumptions changed: every figure
	// was recomputed (Base returns the new plan-level part).
	Settings bool
	// Step lists the figures that changed (nil for a structural edit: read
	// Live.Report).
	Step *metrics.Step
}

// New starts a session on scenario sc of plan p, whose accounts must be
// located (assign.LocateAccounts). base holds the plan-level parts of the
// figures (metrics.NewBase); it may be shared by sessions of the same plan.
func New(p *engine.Plan, sc *engine.Scenario, base *metrics.Base) (*Session, error) {
	if sc == nil {
		return nil, errors.New("session: no scenario")
	}
	st, err := assign.Compute(p, sc)
	if err != nil {
		return nil, err
	}
	live, err := base.Live(st)
	if err != nil {
		return nil, err
	}
	return &Session{plan: p, Scenario: sc, State: st, Live: live, base: base}, nil
}

// SetBaseline sets, for every account, the index of its rep in the
// baseline scenario (−1 for none; nil for no baseline), against which the
// revenue at risk is measured; it is kept when the figures are rebuilt.
func (s *Session) SetBaseline(reps []int32) error {
	if err := s.Live.SetBaseline(reps); err != nil {
		return err
	}
	s.baseline = reps
	return nil
}

// newLive builds the figures of st over base with the session's baseline.
func (s *Session) newLive(base *metrics.Base, st *assign.State) (*metrics.Live, error) {
	live, err := base.Live(st)
	if err != nil {
		return nil, err
	}
	if s.baseline != nil {
		if err := live.SetBaseline(s.baseline); err != nil {
			return nil, err
		}
	}
	return live, nil
}

// Plan returns the plan the session edits.
func (s *Session) Plan() *engine.Plan { return s.plan }

// Base returns the plan-level part of the figures.
func (s *Session) Base() *metrics.Base { return s.base }

// ErrDragging is returned by edits while a vertex drag is in progress.
var ErrDragging = errors.New("a vertex is being dragged; finish the drag first")

// Apply plays a new edit: locks are checked (a refusal returns an
// *assign.LockError and changes nothing), then the alignment, the figures
// and the scenario data follow.
func (s *Session) Apply(e edit.Edit) (Change, error) {
	return s.play(e, true)
}

// Replay plays an edit from the history (an undo's inverse or a redo):
// locks are not checked, since the edit was allowed when it was made.
func (s *Session) Replay(e edit.Edit) (Change, error) {
	return s.play(e, false)
}

func (s *Session) play(e edit.Edit, checked bool) (Change, error) {
	if s.drag != nil {
		return Change{}, ErrDragging
	}
	if e.Empty() {
		return Change{}, nil
	}
	if e.Settings != nil {
		return s.settings(e)
	}
	if e.Structural() {
		if checked {
			if err := structuralLocks(s.State, e); err != nil {
				return Change{}, err
			}
		}
		next := s.Scenario.Clone(s.Scenario.ID, s.Scenario.Name)
		if err := edit.ApplyTo(next, e); err != nil {
			return Change{}, err
		}
		st, err := assign.Compute(s.plan, next)
		if err != nil {
			return Change{}, err
		}
		live, err := s.newLive(s.base, st)
		if err != nil {
			return Change{}, err
		}
		*s.Scenario = *next
		s.State, s.Live, s.topo = st, live, nil
		return Change{Structural: true}, nil
	}
	if err := edit.Check(s.Scenario, e); err != nil {
		return Change{}, err
	}
	var d assign.Delta
	var err error
	if checked {
		d, err = s.State.ApplyChecked(e)
	} else {
		d, err = s.State.Apply(e)
	}
	if err != nil {
		return Change{}, err
	}
	if err := edit.ApplyTo(s.Scenario, e); err != nil {
		return Change{}, fmt.Errorf("session: scenario data: %w", err)
	}
	step, err := s.Live.Apply(d)
	if err != nil {
		return Change{}, err
	}
	if len(d.Polygons) > 0 {
		s.topo = nil
	}
	return Change{Delta: d, Step: &step}, nil
}

// settings plays an edit of the plan's assumptions.
func (s *Session) settings(e edit.Edit) (Change, error) {
	only := e
	only.Settings = nil
	if !only.Empty() {
		return Change{}, errors.New("session: an edit of the settings changes nothing else")
	}
	if !sameSettings(s.plan.Settings, e.Settings.Before) {
		return Change{}, errors.New("session: the settings are not as the edit expects (the history does not match the plan)")
	}
	cfg := metrics.ConfigFor(e.Settings.After)
	if s.ConfigFor != nil {
		var err error
		if cfg, err = s.ConfigFor(s.plan, e.Settings.After); err != nil {
			return Change{}, err
		}
	}
	base, err := metrics.NewBase(s.plan, cfg)
	var live *metrics.Live
	if err == nil {
		live, err = s.newLive(base, s.State)
	}
	if err != nil {
		if s.ConfigFor != nil {
			// ConfigFor may keep what it derived (the segments): derive
			// again what the settings in force give.
			s.ConfigFor(s.plan, s.plan.Settings)
		}
		return Change{}, err
	}
	s.plan.Settings = e.Settings.After.Clone()
	s.base, s.Live = base, live
	return Change{Settings: true}, nil
}

// sameSettings compares settings, nil and empty alike.
func sameSettings(a, b *engine.Settings) bool {
	ja, _ := json.Marshal(normal(a))
	jb, _ := json.Marshal(normal(b))
	return string(ja) == string(jb)
}

func normal(s *engine.Settings) *engine.Settings {
	if s == nil {
		return &engine.Settings{}
	}
	return s
}

// structuralLocks refuses an edit that creates or deletes nodes when it
// touches anything locked.
func structuralLocks(st *assign.State, e edit.Edit) error {
	for _, n := range e.Nodes {
		if n.Before != nil && n.Before.Locked {
			if n.After == nil {
				return &assign.LockError{What: "territory", ID: n.ID, Name: n.Before.Name}
			}
			b, a := *n.Before, *n.After
			b.Locked, a.Locked = false, false
			if !b.Equal(a) {
				return &assign.LockError{What: "territory", ID: n.ID, Name: n.Before.Name}
			}
		}
	}
	var d assign.Delta
	for _, m := range e.Units {
		u := st.UnitIndex(m.ID)
		if u == engine.NoIndex {
			return fmt.Errorf("unknown unit %q", m.ID)
		}
		d.Units = append(d.Units, assign.Change{Index: u, From: st.Node(m.From), To: st.Node(m.To)})
	}
	for _, m := range e.Overrides {
		a := st.AccountIndex(m.ID)
		if a == engine.NoIndex {
			return fmt.Errorf("unknown account %q", m.ID)
		}
		d.Overrides = append(d.Overrides, assign.Change{Index: a, From: st.Node(m.From), To: st.Node(m.To)})
		d.Accounts = append(d.Accounts, assign.Change{Index: a, From: st.AccountTerr[a], To: st.Node(m.To)})
	}
	return st.CheckLocks(edit.Edit{}, d)
}

// Topology returns the topology of the free-drawn areas and the node index
// of each of its faces, building it on first use. It is valid until the
// next edit that changes areas; do not modify it.
func (s *Session) Topology() (*topo.Topology, []int32) {
	if s.topo == nil {
		var polys []orb.Polygon
		s.faceNode = s.faceNode[:0]
		for i, n := range s.State.Nodes {
			if len(n.Polygon) > 0 {
				polys = append(polys, n.Polygon)
				s.faceNode = append(s.faceNode, int32(i))
			}
		}
		s.topo = topo.Build(polys)
	}
	return s.topo, s.faceNode
}

// Reshape returns an edit that gives the territories of faces their
// outlines in tp, a modified copy of the session's topology (see
// CloneTopology).
func (s *Session) Reshape(tp *topo.Topology, faces []int) edit.Edit {
	_, faceNode := s.Topology()
	ed := edit.Edit{Kind: edit.KindReshape}
	for _, f := range faces {
		n := faceNode[f]
		before := s.State.Nodes[n]
		after := before
		after.Polygon = tp.Polygon(f)
		ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: before.ID, At: int(n), Before: &before, After: &after})
	}
	return ed
}

// CloneTopology returns a copy of the session's topology that can be
// changed (InsertVertex, RemoveVertex, Split) to build an edit.
func (s *Session) CloneTopology() (*topo.Topology, []int32) {
	tp, faceNode := s.Topology()
	return topo.Build(tp.Polygons()), faceNode
}

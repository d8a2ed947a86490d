package session

import (
	"errors"
	"slices"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/assign"
	"territoria/engine/edit"
	"territoria/engine/topo"
)

// Drag is a vertex of the drawn topology being dragged: the alignment and
// the figures follow every step; the scenario data changes only when the
// drag ends (EndDrag returns the edit to record).
type Drag struct {
	arc, index int
	sites      []topo.VertexSite
	faces      []int
	// Nodes are the territories whose outline moves.
	Nodes      []int32
	Start, Cur orb.Point
	before     map[int32]engine.Territory
	moved      map[int32]bool
}

// Moved returns the number of accounts whose territory changed since the
// drag began (counting an account that went and came back).
func (d *Drag) Moved() int { return len(d.moved) }

// DragStep is the outcome of one DragTo.
type DragStep struct {
	Change
	// Blocked is true when the step was refused (a border would cross
	// another, or a locked territory would gain or lose accounts): the
	// vertex stayed where it was.
	Blocked bool
}

// Dragging returns the drag in progress, or nil.
func (s *Session) Dragging() *Drag { return s.drag }

// BeginDrag starts dragging vertex index of arc arc. It returns an
// *assign.LockError when a territory the vertex bounds is locked.
func (s *Session) BeginDrag(arc, index int) (*Drag, error) {
	if s.drag != nil {
		return nil, ErrDragging
	}
	tp, faceNode := s.Topology()
	sites, err := tp.Sites(arc, index)
	if err != nil {
		return nil, err
	}
	d := &Drag{arc: arc, index: index, sites: sites, faces: tp.FacesOf(sites),
		before: map[int32]engine.Territory{}, moved: map[int32]bool{}}
	for _, f := range d.faces {
		n := faceNode[f]
		t := s.State.Nodes[n]
		if t.Locked {
			return nil, &assign.LockError{What: "territory", ID: t.ID, Name: t.Name}
		}
		t.Polygon = t.Polygon.Clone()
		d.before[n] = t
		d.Nodes = append(d.Nodes, n)
	}
	d.Start = tp.Arcs[arc][index]
	d.Cur = d.Start
	s.drag = d
	return d, nil
}

// DragTo moves the dragged vertex to pt. Only the accounts inside the area
// the moved borders swept are re-examined, and the figures are updated by
// the delta.
func (s *Session) DragTo(pt orb.Point) (DragStep, error) {
	d := s.drag
	if d == nil {
		return DragStep{}, errors.New("session: no drag in progress")
	}
	if pt == d.Cur {
		return DragStep{}, nil
	}
	tp, faceNode := s.Topology()
	swept := tp.Swept(d.sites, d.Cur, pt)
	if _, err := tp.MoveVertex(d.arc, d.index, pt); errors.Is(err, topo.ErrCrossing) {
		return DragStep{Blocked: true}, nil
	} else if err != nil {
		return DragStep{}, err
	}
	polys := make(map[int32]orb.Polygon, len(d.faces))
	for _, f := range d.faces {
		polys[faceNode[f]] = tp.Polygon(f)
	}
	delta, err := s.State.SetPolygons(polys, swept)
	if err != nil {
		return DragStep{}, err
	}
	if lerr := s.State.CheckLocks(edit.Edit{}, delta); lerr != nil {
		// Take the step back: it would move accounts of a locked territory.
		if _, err := tp.MoveVertex(d.arc, d.index, d.Cur); err != nil {
			s.topo = nil
		}
		for _, f := range d.faces {
			polys[faceNode[f]] = tp.Polygon(f)
		}
		if _, err := s.State.SetPolygons(polys, swept); err != nil {
			return DragStep{}, err
		}
		return DragStep{Blocked: true}, nil
	}
	step, err := s.Live.Apply(delta)
	if err != nil {
		return DragStep{}, err
	}
	for _, c := range delta.Accounts {
		d.moved[c.Index] = true
	}
	d.Cur = pt
	return DragStep{Change: Change{Delta: delta, Step: &step}}, nil
}

// EndDrag finishes the drag and returns the edit that records it (Empty
// when the vertex ended where it began). The scenario data now holds it.
func (s *Session) EndDrag() (edit.Edit, error) {
	d := s.drag
	if d == nil {
		return edit.Edit{}, errors.New("session: no drag in progress")
	}
	s.drag = nil
	ed := edit.Edit{Kind: edit.KindReshape}
	if d.Cur == d.Start {
		return ed, nil
	}
	for _, n := range sortedNodes(d.before) {
		before := d.before[n]
		after := s.State.Nodes[n]
		after.Polygon = after.Polygon.Clone()
		ed.Nodes = append(ed.Nodes, edit.NodeChange{ID: before.ID, At: int(n), Before: &before, After: &after})
	}
	if err := edit.ApplyTo(s.Scenario, ed); err != nil {
		return edit.Edit{}, err
	}
	return ed, nil
}

// CancelDrag puts the vertex back where the drag began.
func (s *Session) CancelDrag() (Change, error) {
	d := s.drag
	if d == nil {
		return Change{}, errors.New("session: no drag in progress")
	}
	s.drag = nil
	if d.Cur == d.Start {
		return Change{}, nil
	}
	tp, _ := s.Topology()
	if _, err := tp.MoveVertex(d.arc, d.index, d.Start); err != nil {
		s.topo = nil
	}
	polys := make(map[int32]orb.Polygon, len(d.before))
	for n, t := range d.before {
		polys[n] = t.Polygon
	}
	delta, err := s.State.SetPolygons(polys, nil)
	if err != nil {
		return Change{}, err
	}
	step, err := s.Live.Apply(delta)
	if err != nil {
		return Change{}, err
	}
	return Change{Delta: delta, Step: &step}, nil
}

func sortedNodes(m map[int32]engine.Territory) []int32 {
	out := make([]int32, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

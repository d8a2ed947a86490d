// Package edit describes changes to a scenario as data: what each edit
// changed, by stable ids, with enough of the state before it to be undone.
//
// An Edit is what the undo history keeps. Inverse gives the edit that undoes
// it, and ApplyTo plays an edit on a Scenario, checking that the scenario is
// in the state the edit expects, so that a history that no longer matches
// its scenario is detected rather than silently applied.
package edit

import (
	"fmt"
	"slices"

	"territoria/engine"
)

// Kinds of edit, as shown (translated) in the undo menu.
const (
	KindPaint        = "paint"         // units assigned to a territory
	KindMoveAccounts = "move-accounts" // accounts overridden into a territory or back
	KindCreate       = "create"        // a node created
	KindUpdate       = "update"        // a node renamed, recoloured, given a rep or moved in the hierarchy
	KindDelete       = "delete"        // a node deleted
	KindMerge        = "merge"         // territories merged
	KindDraw         = "draw"          // a free-drawn area set or removed
	KindSplit        = "split"         // a drawn area cut in two
	KindReshape      = "reshape"       // a vertex moved, added or removed
	KindLock         = "lock"          // territories, units or accounts locked
	KindUnlock       = "unlock"        // territories, units or accounts unlocked
	KindSettings     = "settings"      // the plan's assumptions changed
)

// Move is one unit (or account override) changing territory: From and To
// are territory ids, "" for none.
type Move struct {
	ID       string
	From, To string
}

// NodeChange is one node of the hierarchy created (Before nil), deleted
// (After nil) or changed. At is the node's position in
// Scenario.Territories: where it is inserted, or where it was.
type NodeChange struct {
	ID            string
	At            int
	Before, After *engine.Territory
}

// LockChange sets the lock of a unit or account.
type LockChange struct {
	ID     string
	Locked bool
}

// Edit is one step of a scenario's history.
//
// ApplyTo plays its parts in this order: nodes created or changed, unit
// moves, account overrides, locks, nodes deleted, so that an edit may create
// a territory and fill it, or empty a territory and delete it.
type Edit struct {
	Kind      string
	Units     []Move
	Overrides []Move
	Nodes     []NodeChange
	// UnitLocks and AccountLocks hold the lock state after the edit; the
	// state before is the opposite.
	UnitLocks    []LockChange
	AccountLocks []LockChange
	// Settings, when not nil, changes the plan-wide assumptions
	// (Plan.Settings). ApplyTo does not play it: it is not scenario data.
	Settings *SettingsChange `json:",omitempty"`
}

// SettingsChange replaces the plan's settings; nil means the defaults.
type SettingsChange struct {
	Before, After *engine.Settings
}

// Empty reports whether e changes nothing.
func (e Edit) Empty() bool {
	return len(e.Units) == 0 && len(e.Overrides) == 0 && len(e.Nodes) == 0 &&
		len(e.UnitLocks) == 0 && len(e.AccountLocks) == 0 && e.Settings == nil
}

// Structural reports whether e creates or deletes nodes, which changes the
// indexes of an alignment (engine/assign recomputes rather than patches).
func (e Edit) Structural() bool {
	for _, n := range e.Nodes {
		if n.Before == nil || n.After == nil {
			return true
		}
	}
	return false
}

// Inverse returns the edit that undoes e.
func (e Edit) Inverse() Edit {
	inv := Edit{Kind: e.Kind}
	inv.Units = invertMoves(e.Units)
	inv.Overrides = invertMoves(e.Overrides)
	if e.Nodes != nil {
		inv.Nodes = make([]NodeChange, len(e.Nodes))
		for i, n := range e.Nodes {
			inv.Nodes[len(e.Nodes)-1-i] = NodeChange{ID: n.ID, At: n.At, Before: n.After, After: n.Before}
		}
	}
	inv.UnitLocks = invertLocks(e.UnitLocks)
	inv.AccountLocks = invertLocks(e.AccountLocks)
	if e.Settings != nil {
		inv.Settings = &SettingsChange{Before: e.Settings.After, After: e.Settings.Before}
	}
	return inv
}

func invertMoves(ms []Move) []Move {
	if ms == nil {
		return nil
	}
	out := make([]Move, len(ms))
	for i, m := range ms {
		out[len(ms)-1-i] = Move{ID: m.ID, From: m.To, To: m.From}
	}
	return out
}

func invertLocks(ls []LockChange) []LockChange {
	if ls == nil {
		return nil
	}
	out := make([]LockChange, len(ls))
	for i, l := range ls {
		out[len(ls)-1-i] = LockChange{ID: l.ID, Locked: !l.Locked}
	}
	return out
}

// ApplyTo plays e on s. It returns an error, and leaves s unchanged, when s
// is not in the state e expects (a unit not in the territory a move starts
// from, a node that differs from the one the edit changes).
func ApplyTo(s *engine.Scenario, e Edit) error {
	if err := Check(s, e); err != nil {
		return err
	}
	for _, n := range e.Nodes {
		if n.After == nil {
			continue
		}
		t := cloneTerritory(*n.After)
		if n.Before == nil {
			at := min(max(n.At, 0), len(s.Territories))
			s.Territories = slices.Insert(s.Territories, at, t)
		} else {
			*s.Territory(n.ID) = t
		}
	}
	for _, m := range e.Units {
		s.UnitTerritory = set(s.UnitTerritory, m.ID, m.To)
	}
	for _, m := range e.Overrides {
		s.AccountTerritory = set(s.AccountTerritory, m.ID, m.To)
	}
	for _, l := range e.UnitLocks {
		s.LockedUnits = setLock(s.LockedUnits, l.ID, l.Locked)
	}
	for _, l := range e.AccountLocks {
		s.LockedAccounts = setLock(s.LockedAccounts, l.ID, l.Locked)
	}
	for i := len(e.Nodes) - 1; i >= 0; i-- {
		if n := e.Nodes[i]; n.After == nil {
			s.Territories = slices.DeleteFunc(s.Territories, func(t engine.Territory) bool { return t.ID == n.ID })
		}
	}
	return nil
}

// Check reports whether e can be played on s (see ApplyTo), without
// changing s. Moves are checked in sequence, so an edit may move the same
// unit twice.
func Check(s *engine.Scenario, e Edit) error {
	exists := make(map[string]bool, len(s.Territories))
	for _, t := range s.Territories {
		exists[t.ID] = true
	}
	for _, n := range e.Nodes {
		switch {
		case n.Before == nil && n.After == nil:
			return fmt.Errorf("edit: node %q has neither a state before nor after", n.ID)
		case n.Before == nil:
			if exists[n.ID] {
				return fmt.Errorf("edit: cannot create %q: the scenario already has it", n.ID)
			}
			if n.After.ID != n.ID {
				return fmt.Errorf("edit: node %q created with id %q", n.ID, n.After.ID)
			}
			exists[n.ID] = true
		default:
			cur := s.Territory(n.ID)
			if cur == nil {
				return fmt.Errorf("edit: the scenario has no node %q", n.ID)
			}
			if !cur.Equal(*n.Before) {
				return fmt.Errorf("edit: node %q is not as the edit expects (the history does not match the scenario)", n.ID)
			}
			if n.After != nil && n.After.ID != n.ID {
				return fmt.Errorf("edit: node %q renamed to id %q; ids never change", n.ID, n.After.ID)
			}
		}
	}
	if err := checkMoves("unit", s.UnitTerritory, e.Units, exists); err != nil {
		return err
	}
	return checkMoves("account", s.AccountTerritory, e.Overrides, exists)
}

func checkMoves(what string, cur map[string]string, ms []Move, exists map[string]bool) error {
	seen := map[string]string{}
	for _, m := range ms {
		have, ok := seen[m.ID]
		if !ok {
			have = cur[m.ID]
		}
		if have != m.From {
			return fmt.Errorf("edit: %s %q is in %q, the edit expects %q (the history does not match the scenario)", what, m.ID, have, m.From)
		}
		if m.To != "" && !exists[m.To] {
			return fmt.Errorf("edit: %s %q moves to unknown territory %q", what, m.ID, m.To)
		}
		seen[m.ID] = m.To
	}
	return nil
}

func set(m map[string]string, k, v string) map[string]string {
	if v == "" {
		delete(m, k)
		return m
	}
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

func setLock(m map[string]bool, k string, v bool) map[string]bool {
	if !v {
		delete(m, k)
		return m
	}
	if m == nil {
		m = map[string]bool{}
	}
	m[k] = true
	return m
}

func cloneTerritory(t engine.Territory) engine.Territory {
	t.Polygon = t.Polygon.Clone()
	return t
}

// Summary describes e in a short English phrase, for logs and the CLI.
func Summary(e Edit) string {
	parts := []string{}
	if n := len(e.Units); n > 0 {
		parts = append(parts, plural(n, "unit"))
	}
	if n := len(e.Overrides); n > 0 {
		parts = append(parts, plural(n, "account"))
	}
	if n := len(e.Nodes); n > 0 {
		parts = append(parts, plural(n, "node"))
	}
	if n := len(e.UnitLocks) + len(e.AccountLocks); n > 0 {
		parts = append(parts, plural(n, "lock"))
	}
	if e.Settings != nil {
		parts = append(parts, "settings")
	}
	s := e.Kind
	for i, p := range parts {
		if i == 0 {
			s += ": "
		} else {
			s += ", "
		}
		s += p
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

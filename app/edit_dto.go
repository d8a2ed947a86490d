package app

import "territoria/engine/model"

// Values crossing the bridge for editing (EditService). See docs/bridge.md,
// "EditService".

// VertexRef names one vertex of the free-drawn topology: vertex Index of arc
// Arc. Dragging an arc's end point moves every arc ending there.
type VertexRef struct {
	Arc   int `json:"arc"`
	Index int `json:"index"`
}

// NewTerritory describes a node to create.
type NewTerritory struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`   // "territory" (default), "district" or "region"
	Parent string `json:"parent"` // id of the parent node, "" for top level
	Color  string `json:"color"`  // "#rrggbb"; "" picks an unused colour
	RepID  string `json:"repId"`
	// Ring, when given, is the free-drawn area of the new territory as
	// [lon, lat] points (closed or not).
	Ring [][2]float64 `json:"ring"`
}

// TerritoryUpdate changes fields of a node; nil fields are kept.
type TerritoryUpdate struct {
	Name   *string `json:"name"`
	Color  *string `json:"color"`
	RepID  *string `json:"repId"`
	Parent *string `json:"parent"`
	Locked *bool   `json:"locked"`
}

// UnitChange tells the map the new territory of a unit: Territory is the
// index into Alignment.Territories (-1 when unassigned).
type UnitChange struct {
	Unit      int   `json:"unit"`
	Territory int32 `json:"territory"`
}

// UndoState tells the page what Undo and Redo would do. Kind is the kind of
// edit ("paint", "move-accounts", "reshape", ...) for a translated label.
type UndoState struct {
	CanUndo   bool   `json:"canUndo"`
	CanRedo   bool   `json:"canRedo"`
	UndoKind  string `json:"undoKind"`
	RedoKind  string `json:"redoKind"`
	UndoCount int    `json:"undoCount"` // number of edits that can be undone
	RedoCount int    `json:"redoCount"`
}

// EditResult is what an edit, an undo or a redo changed.
type EditResult struct {
	// Kind of the edit applied (or undone/redone).
	Kind string `json:"kind"`
	// Version is the new alignment version (account tiles are requested with it).
	Version int64 `json:"version"`
	// Units lists units to recolour by feature-state: those whose territory
	// changed, or every unit after a structural edit (node indexes moved).
	Units []UnitChange `json:"units"`
	// UnitsChanged is the number of units whose territory changed.
	UnitsChanged int `json:"unitsChanged"`
	// AccountsMoved is the number of accounts whose territory changed.
	AccountsMoved int `json:"accountsMoved"`
	// Structure is true when nodes were created, deleted, renamed, recoloured,
	// locked or moved in the hierarchy: the page re-reads Alignment.
	Structure bool `json:"structure"`
	// Drawn is true when free-drawn areas changed: the page re-reads Drawn.
	Drawn bool `json:"drawn"`
	// Settings is true when the plan's assumptions changed: every figure
	// changed (the page re-reads Settings and Metrics).
	Settings bool `json:"settings"`
	// Created is the id of a node the edit created, if any.
	Created string `json:"created,omitempty"`
	// Rows are the side panel rows after the edit.
	Rows []TerritoryRow `json:"rows"`
	// Balance is the plan-wide balance after the edit.
	Balance BalanceView `json:"balance"`
	Undo    UndoState   `json:"undo"`
}

// LiveUpdate is the state during a vertex drag, before it is committed.
type LiveUpdate struct {
	// Rows are the side panel rows that changed since the drag began
	// (territories touched, their ancestors, unassigned and plan).
	Rows []TerritoryRow `json:"rows"`
	// Balance is the plan-wide balance at this step.
	Balance BalanceView `json:"balance"`
	// Areas is a GeoJSON FeatureCollection of the touched territories'
	// free-drawn polygons at this step (properties: id, color).
	Areas any `json:"areas"`
	// AccountsMoved counts accounts changing territory since the drag began.
	AccountsMoved int `json:"accountsMoved"`
	// Blocked is true when this step was refused (a border would cross
	// another, or a locked territory would change): the vertex stayed put.
	Blocked bool `json:"blocked"`
}

// DragInfo answers BeginDrag.
type DragInfo struct {
	Vertex VertexRef `json:"vertex"`
	// Territories are the ids of the territories whose outline moves.
	Territories []string `json:"territories"`
	// Point is the vertex's [lon, lat] at the start.
	Point [2]float64 `json:"point"`
}

// DrawnView is the free-drawn topology of the active scenario: every shared
// boundary is one arc; each territory's area is a ring of arcs.
type DrawnView struct {
	// Areas is a GeoJSON FeatureCollection of Polygons, one per territory
	// with a free-drawn area (properties: id, name, color, locked).
	Areas any `json:"areas"`
	// Arcs lists every arc; an arc's vertices are what the page can drag.
	Arcs []DrawnArc `json:"arcs"`
}

// DrawnArc is one shared piece of boundary of the free-drawn topology.
type DrawnArc struct {
	ID     int          `json:"id"`
	Coords [][2]float64 `json:"coords"`
	// Territories are the ids of the one or two territories it bounds.
	Territories []string `json:"territories"`
	// Locked is true when a territory it bounds is locked (it cannot move).
	Locked bool `json:"locked"`
}

// AccountSelection answers SelectAccounts.
type AccountSelection struct {
	// IDs of the selected accounts (at most the limit asked for).
	IDs []string `json:"ids"`
	// Count is the number of accounts inside the ring, which may exceed len(IDs).
	Count int `json:"count"`
}

// HistoryEntry is one step of the undo history.
type HistoryEntry struct {
	Seq     int    `json:"seq"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"` // short English summary, for the CLI and logs
	At      string `json:"at"`      // RFC 3339 time of the edit
	Undone  bool   `json:"undone"`  // true for redo-able entries
}

// BalanceView is the plan-wide balance of each metric across territories.
type BalanceView struct {
	// Index is the composite balance index 0–100 (100 = perfectly balanced).
	Index float64 `json:"index"`
	// Metrics holds, per metric name, the spread across territories.
	Metrics map[string]MetricBalance `json:"metrics"`
}

// MetricBalance is the spread of one metric across territories.
type MetricBalance struct {
	Mean            float64 `json:"mean"`
	CV              float64 `json:"cv"`
	Gini            float64 `json:"gini"`
	MaxAbsDeviation float64 `json:"maxAbsDeviation"`
	Weight          float64 `json:"weight"`
}

// MetricInfo describes one figure of the rows: its name (the key in
// TerritoryRow.values), its unit ("count", "currency", "visits", "hours",
// "fraction", "km2", "km", "ratio" or "" for an imported unit value),
// whether a parent's value is the sum of its children's, and whether its
// balance across territories is measured.
type MetricInfo struct {
	Name     string `json:"name"`
	Unit     string `json:"unit"`
	Summed   bool   `json:"summed"`
	Balanced bool   `json:"balanced"`
}

// CallPlan is how often and how long an account of a tier is visited.
type CallPlan struct {
	VisitsPerYear float64 `json:"visitsPerYear"`
	VisitMinutes  float64 `json:"visitMinutes"`
	TravelMinutes float64 `json:"travelMinutes"`
}

// PlanSettings are the plan's assumptions behind the figures, with every
// default filled in (docs/model.md explains each).
type PlanSettings struct {
	// CallPlans by account tier; DefaultCallPlan for any other tier.
	CallPlans       map[string]CallPlan `json:"callPlans"`
	DefaultCallPlan CallPlan            `json:"defaultCallPlan"`
	// WeeksPerYear a rep sells: capacity per year = weekly hours × weeks.
	WeeksPerYear float64 `json:"weeksPerYear"`
	// Weights of metrics in the composite balance index.
	Weights map[string]float64 `json:"weights"`
	// Targets are per-territory target shares (territory id → share); none
	// means every territory aims at the plan average.
	Targets map[string]float64 `json:"targets"`
	// Bands are the deviation bands as fractions (0.05 = ±5 %).
	Bands []float64 `json:"bands"`
	// Model holds the planning model's assumptions (segments, per-account
	// call plans, travel, admin, response curves, disruption, sizing,
	// quotas, alerts; docs/model.md, "The planning model"). Left out (no
	// segment basis) by SetSettings, the plan's are kept.
	Model model.Params `json:"model"`
}

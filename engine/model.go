package engine

import (
	"github.com/paulmach/orb"
)

// NoIndex marks an absent index (an account outside every unit, a territory
// with no parent).
const NoIndex int32 = -1

// Month identifies a calendar month as year*12 + (month-1), so that
// consecutive months are consecutive integers.
type Month int32

// MonthOf returns the Month for a year and a 1-based month.
func MonthOf(year, month int) Month { return Month(year*12 + month - 1) }

// Year returns the calendar year of m.
func (m Month) Year() int { return int(m) / 12 }

// MonthNumber returns the 1-based month of the year of m.
func (m Month) MonthNumber() int { return int(m)%12 + 1 }

// Account is a customer or prospect: a point on the map with values attached.
type Account struct {
	ID   string
	Name string
	// Loc is the account's location. When Approx is true the location is the
	// label point of the account's unit rather than a geocoded address.
	Loc    orb.Point
	Approx bool
	// Unit is the index of the building block containing Loc, or NoIndex.
	// It is derived (see engine/assign.LocateAccounts) and not persisted as truth.
	Unit int32
	// Potential is the estimated annual revenue opportunity, in plan currency.
	Potential float64
	// History holds monthly revenue starting at Plan.HistoryStart; its length
	// is at most Plan.HistoryMonths.
	History []float32
	// LifetimeValue is the customer lifetime value in plan currency.
	LifetimeValue float64
	// Tier is the segment label, e.g. "A", "B", "C" (or "golden", "sleeping", "white-space").
	Tier string
	// Industry and Size are free-form descriptive attributes from the CRM.
	Industry string
	Size     string
	// Attrs holds extra numeric columns kept from imports (nil when none).
	Attrs map[string]float64
}

// Revenue12 is the account's revenue over the last 12 months of history.
func (a *Account) Revenue12() float64 {
	h := a.History
	if len(h) > 12 {
		h = h[len(h)-12:]
	}
	var s float64
	for _, v := range h {
		s += float64(v)
	}
	return s
}

// Rep is a sales representative.
type Rep struct {
	ID   string
	Name string
	Home orb.Point
	// CapacityHours is the selling time available per week, in hours.
	CapacityHours float64
	// Cost is the fully loaded annual cost, in plan currency.
	Cost float64
}

// Visit is one logged call of a rep on an account.
type Visit struct {
	AccountID string
	RepID     string
	// Day is the date of the visit as days since 1970-01-01.
	Day int32
	// Minutes is the duration of the visit (0 when unknown).
	Minutes float64
	// Outcome is a free-form result label from the CRM ("order", "follow-up", ...).
	Outcome string
}

// Unit is a geographic building block (county, ZIP, district...) that
// territories are made of.
type Unit struct {
	ID    string
	Name  string
	Level string // "state", "county", "zip", "district", ...
	// Parent is a free-form grouping code, e.g. the state FIPS of a county.
	Parent string
	Geom   orb.MultiPolygon
	// Label is a point inside the unit suitable for a label or as an
	// approximate location.
	Label orb.Point
	// AreaKm2 is the geodesic area in square kilometres.
	AreaKm2 float64
	// Data holds unit-level values such as "population" (nil when none).
	Data map[string]float64
	// Neighbors lists indexes of units sharing a boundary, ascending.
	Neighbors []int32
}

// Border is one shared piece of boundary (an arc) between two units, or
// between a unit and the outside (Right == NoIndex). Every arc is stored
// once, so moving it moves both sides and no gap or overlap can appear.
type Border struct {
	Line  orb.LineString
	Left  int32
	Right int32
}

// Kind is the level of a node in the territory hierarchy.
type Kind string

// The three levels of the hierarchy region → district → territory.
const (
	KindRegion    Kind = "region"
	KindDistrict  Kind = "district"
	KindTerritory Kind = "territory"
)

// Territory is one node of the sales hierarchy. Only KindTerritory nodes hold
// units and accounts; districts and regions roll up their children.
type Territory struct {
	ID     string
	Name   string
	Kind   Kind
	Parent string // id of the parent node, "" for a top-level node
	RepID  string // "" when vacant
	Color  string // CSS hex colour "#rrggbb"
	Locked bool
	// Polygon is an optional free-drawn area; accounts inside it belong to the
	// territory regardless of their unit (account overrides still win).
	Polygon orb.Polygon
}

// Scenario is one complete alignment: the hierarchy plus which territory
// every unit and overridden account belongs to.
type Scenario struct {
	ID          string
	Name        string
	Territories []Territory
	// UnitTerritory maps unit id → territory id. Units absent from the map are unassigned.
	UnitTerritory map[string]string
	// AccountTerritory maps account id → territory id for accounts placed
	// regardless of geography (overrides).
	AccountTerritory map[string]string
	// LockedUnits and LockedAccounts cannot be changed by an edit.
	LockedUnits    map[string]bool
	LockedAccounts map[string]bool
}

// Territory returns the node with the given id, or nil.
func (s *Scenario) Territory(id string) *Territory {
	for i := range s.Territories {
		if s.Territories[i].ID == id {
			return &s.Territories[i]
		}
	}
	return nil
}

// Clone returns a deep copy of s with a new id and name.
func (s *Scenario) Clone(id, name string) *Scenario {
	c := &Scenario{ID: id, Name: name}
	if s.Territories != nil {
		c.Territories = make([]Territory, len(s.Territories))
	}
	for i, t := range s.Territories {
		t.Polygon = t.Polygon.Clone()
		c.Territories[i] = t
	}
	c.UnitTerritory = cloneMap(s.UnitTerritory)
	c.AccountTerritory = cloneMap(s.AccountTerritory)
	c.LockedUnits = cloneMap(s.LockedUnits)
	c.LockedAccounts = cloneMap(s.LockedAccounts)
	return c
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	c := make(map[string]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// Plan is everything a planner works on: the shared data (accounts, reps,
// units) and the scenarios drawn over it.
type Plan struct {
	Name     string
	Currency string
	// HistoryStart is the month of History[0] for every account;
	// HistoryMonths is the number of months of history kept.
	HistoryStart  Month
	HistoryMonths int

	Accounts []Account
	Reps     []Rep
	Units    []Unit
	Borders  []Border
	// Visits is the visit log, in the order it was imported.
	Visits []Visit

	// Settings are the planner's assumptions behind the figures (call
	// plans, balance weights and targets); nil means the documented defaults.
	Settings *Settings

	Scenarios []*Scenario
}

// Scenario returns the scenario with the given id, or nil.
func (p *Plan) Scenario(id string) *Scenario {
	for _, s := range p.Scenarios {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// CallPlan is how often and how long an account of a tier is visited.
type CallPlan struct {
	VisitsPerYear float64 `json:"visitsPerYear"`
	VisitMinutes  float64 `json:"visitMinutes"`
	TravelMinutes float64 `json:"travelMinutes"`
}

// Settings are the plan-wide assumptions a planner can change; every field
// left empty (nil map or slice, zero number) takes its documented default
// (docs/model.md).
type Settings struct {
	// CallPlans maps an account tier to its call plan.
	CallPlans map[string]CallPlan `json:"callPlans,omitempty"`
	// DefaultCallPlan applies to tiers without a call plan (when set).
	DefaultCallPlan *CallPlan `json:"defaultCallPlan,omitempty"`
	// WeeksPerYear is the number of working weeks a rep sells.
	WeeksPerYear float64 `json:"weeksPerYear,omitempty"`
	// Weights maps metric names to their weight in the balance index.
	Weights map[string]float64 `json:"weights,omitempty"`
	// Targets maps territory ids to their target share of the total.
	Targets map[string]float64 `json:"targets,omitempty"`
	// Bands are the deviation bands as ascending fractions (0.05 = ±5 %).
	Bands []float64 `json:"bands,omitempty"`
	// Model holds the planning model's assumptions (segments, travel,
	// sales response, disruption, quotas, alerts); nil means the defaults.
	Model *ModelSettings `json:"model,omitempty"`
}

// Clone returns a deep copy of s (nil for nil).
func (s *Settings) Clone() *Settings {
	if s == nil {
		return nil
	}
	c := *s
	c.CallPlans = cloneMap(s.CallPlans)
	if s.DefaultCallPlan != nil {
		d := *s.DefaultCallPlan
		c.DefaultCallPlan = &d
	}
	c.Weights = cloneMap(s.Weights)
	c.Targets = cloneMap(s.Targets)
	if s.Bands != nil {
		c.Bands = append([]float64(nil), s.Bands...)
	}
	c.Model = s.Model.Clone()
	return &c
}

// Equal reports whether t and o are the same node record, polygons vertex
// by vertex.
func (t Territory) Equal(o Territory) bool {
	return t.ID == o.ID && t.Name == o.Name && t.Kind == o.Kind && t.Parent == o.Parent &&
		t.RepID == o.RepID && t.Color == o.Color && t.Locked == o.Locked && PolygonEqual(t.Polygon, o.Polygon)
}

// PolygonEqual reports whether two polygons have the same rings with the
// same vertices (bit for bit).
func PolygonEqual(a, b orb.Polygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

package app

// JSON-tagged values that cross the bridge to the frontend. Geometry crosses
// as GeoJSON; no interfaces, no engine structs.

// PlanInfo describes the open plan.
type PlanInfo struct {
	Open          bool           `json:"open"`
	Path          string         `json:"path"`
	Name          string         `json:"name"`
	Currency      string         `json:"currency"`
	SchemaVersion int            `json:"schemaVersion"`
	ReadOnly      bool           `json:"readOnly"`
	Accounts      int            `json:"accounts"`
	Reps          int            `json:"reps"`
	Units         int            `json:"units"`
	Scenarios     []ScenarioInfo `json:"scenarios"`
	// ActiveScenario is the id of the scenario being shown and edited.
	ActiveScenario string `json:"activeScenario"`
	// Bounds is [minLon, minLat, maxLon, maxLat] of the plan's units and accounts.
	Bounds [4]float64 `json:"bounds"`
}

// ScenarioInfo is one scenario in a list.
type ScenarioInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Territories int    `json:"territories"`
}

// AlignmentTerritory is one node of the hierarchy as the map draws it.
type AlignmentTerritory struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Parent string `json:"parent"`
	RepID  string `json:"repId"`
	Rep    string `json:"rep"`
	Color  string `json:"color"`
	// Label is [lon, lat] of a point inside the territory for its label; null for regions and districts.
	Label *[2]float64 `json:"label"`
}

// Alignment is the active scenario as the map needs it.
type Alignment struct {
	ScenarioID string `json:"scenarioId"`
	// Version changes whenever the alignment changes; account tiles are requested with it.
	Version     int64                `json:"version"`
	Territories []AlignmentTerritory `json:"territories"`
	// UnitTerritory[i] is the index into Territories of unit i (feature id i of Units()), -1 when unassigned.
	UnitTerritory []int32 `json:"unitTerritory"`
	// Borders is a GeoJSON FeatureCollection of MultiLineStrings: the boundaries between
	// different territories (property "kind": "territory") and the outer edges of assigned units ("edge").
	Borders any `json:"borders"`
}

// Figures are the tallies of one node of the hierarchy.
type Figures struct {
	Accounts      int     `json:"accounts"`
	Units         int     `json:"units"`
	Potential     float64 `json:"potential"`
	Revenue       float64 `json:"revenue"` // trailing 12 months
	LifetimeValue float64 `json:"lifetimeValue"`
}

// TerritoryRow is one line of the side panel: a territory, district, region,
// what no territory holds (Kind "unassigned", ID ""), or the whole plan
// (Kind "plan", ID "").
type TerritoryRow struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Parent string `json:"parent"`
	Rep    string `json:"rep"`
	Color  string `json:"color"`
	Depth  int    `json:"depth"`
	Figures
	// PotentialShare is this node's share of plan potential, 0..1.
	PotentialShare float64 `json:"potentialShare"`
	// PotentialDeviation is (potential − mean territory potential)/mean for territories, 0 otherwise.
	PotentialDeviation float64 `json:"potentialDeviation"`
	RepID              string  `json:"repId"`
	Locked             bool    `json:"locked"`
	// Values holds every live figure by metric name (see docs/model.md);
	// a figure that is undefined (utilisation without a rep) is absent.
	Values map[string]float64 `json:"values"`
	// Deviation holds, for territories, each metric's relative deviation
	// from its target (the plan average unless a target share is set).
	Deviation map[string]float64 `json:"deviation,omitempty"`
	// Band holds, for territories, each deviation's band: 0 within ±5 %,
	// 1 within ±10 %, 2 within ±20 %, 3 beyond (see docs/model.md).
	Band map[string]int `json:"band,omitempty"`
	// Baseline holds the same node's figures in the baseline (absent when
	// the node does not exist there).
	Baseline map[string]float64 `json:"baseline,omitempty"`
}

// Settings are the user's preferences, kept outside any plan.
type Settings struct {
	Language    string   `json:"language"`
	BasemapURL  string   `json:"basemapUrl"`
	RecentPlans []string `json:"recentPlans"`
}

// RepInfo is one rep of the plan.
type RepInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Home is [lon, lat].
	Home [2]float64 `json:"home"`
	// CapacityHours is selling hours per week; Cost the annual cost.
	CapacityHours float64 `json:"capacityHours"`
	Cost          float64 `json:"cost"`
	// Territories are the ids of the territories of the active scenario the rep covers.
	Territories []string `json:"territories"`
	// Values are the rep's figures: the sums over its territories of the
	// summed figures (EditService.Metrics), with utilisation and return on
	// investment over the sums; undefined figures (shapes, ratios over
	// nothing) are left out. Empty for a rep without territories.
	Values map[string]float64 `json:"values"`
	// Baseline are the same figures in the baseline (nil when there is none;
	// empty when the rep covered nothing there).
	Baseline map[string]float64 `json:"baseline,omitempty"`
}

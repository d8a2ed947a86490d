// Package engine is the pure computational core of Territoria: the domain model
// of a territory plan and the algorithms that work on it.
//
// Nothing in engine or its sub-packages touches files, databases, the clock,
// logging or the user interface. Callers (storage, app) hand in plain values
// and receive plain values back, which keeps every algorithm testable and
// benchmarkable in isolation.
//
// # Conventions
//
//   - Coordinates are WGS-84 longitude/latitude in degrees, stored as
//     orb.Point{lon, lat}. Areas are in square kilometres and distances in
//     kilometres unless a name says otherwise.
//   - Money is in the plan's currency (Plan.Currency, an ISO 4217 code); no
//     amounts are converted.
//   - Time is in hours (workload, capacity, travel); calendar months are
//     identified by Month values (year*12 + month-1).
//   - Identifiers (account, rep, unit, territory and scenario ids) are stable
//     strings chosen by the planner or the source system (a CRM id, a county
//     FIPS code, a Chinese adcode). Engine code works on dense int32 indexes
//     into the plan's slices for speed; NoIndex marks "none".
//
// # Sub-packages
//
//   - engine/geo: geometry helpers (areas, centroids, point in polygon, label points).
//   - engine/assign: which territory each account belongs to, and incremental reassignment.
//   - engine/metrics: per-territory tallies and roll-ups along the hierarchy.
//   - engine/borders: boundaries between territories and label points.
//   - engine/tiles: Mapbox vector tiles of accounts for the map.
package engine

// Package geo reads boundary files into the engine's domain model.
//
// DecodeTopoJSON reads a TopoJSON topology (RFC-style JSON with shared arcs,
// optionally quantized and delta-encoded). Its polygon geometries become
// orb.MultiPolygon values with Topology.MultiPolygon, and its shared arcs
// become engine.Border values with Topology.Borders, so that a boundary
// between two units is stored once and knows the unit on each side.
// Neighbors derives unit adjacency from those borders.
//
// Boundary files of public origin are rarely clean. Validate lists the
// structural problems of a multipolygon (unclosed rings, repeated points,
// spikes, self-touching or self-crossing rings, holes outside their shell)
// and Repair fixes what can be fixed without guessing: it closes rings,
// drops repeated points, spikes and rings without area, splits rings that
// touch themselves at a vertex, and winds exterior rings counterclockwise and
// holes clockwise as RFC 7946 asks.
package geo

// Package optimize designs territories automatically: it builds k
// territories from scratch or rebalances a scenario, balanced on weighted
// metrics within a tolerance, contiguous, compact, near the reps' homes,
// with locks, capacity limits and caps on disruption, and explains the
// result.
//
// Run is the entry point. It works on building blocks (units with
// neighbours: counties, ZIP codes) or on accounts alone, and always returns
// a new engine.Scenario with a Report: balance, shape and disruption
// before and after, the bound the item sizes set (a unit larger than the
// tolerance allows makes exact balance impossible, and the report says so)
// and a reason for each move.
//
// # Method
//
// Objective. For territory t and balanced metric m the deviation is
// d = value/target − 1 (targets as in engine/metrics: an equal share, or
// Options.Targets). The search minimizes
//
//	(1 − c) · mean_t Σ_m w_m (d/τ)²            balance
//	+ λ · mean_t Σ_m w_m (e + 4e²)              excess beyond the tolerance τ (e in units of τ) and limits
//	+ c · cut / cut₀                            shape: length of borders between territories
//	+ h · Σ_i share_i · distance(i, anchor)/r₀  closeness to the rep's home
//	+ s · share of load moved                   disruption (rebalance)
//
// with c = Compactness/100 and h = HomeDistanceWeight/100. The price λ of
// the excess adapts: it rises while the search is outside the tolerance
// and falls while inside (strategic oscillation), so the search may cross
// slightly unbalanced alignments on its way to better shapes.
//
// Units. A build starts from a recursive bisection of the units along the
// longer axis at the load that matches the target shares (balanced up to
// one unit per cut), then makes every territory one connected piece (cut-off
// pieces go to the neighbouring territory furthest below target). Simulated
// annealing then moves boundary units to neighbouring territories; a move
// that would split its territory (the unit is an articulation point, found
// by a search bounded by the smaller pieces) is refused when contiguity is
// asked. Greedy descent and pairs of moves polish the tolerance at the end.
// Small instances are restarted with perturbed bisections and the best kept.
// Islands (units without neighbours) and separate land masses are tied to
// the nearest units by virtual links, so that they join a neighbouring
// territory; the report counts such territories as contiguous islands.
//
// Accounts. A build bisects the accounts the same way; passes over the
// accounts then move single accounts to one of the six nearest territories
// when that lowers the objective (balance and distance to the territory's
// centre).
//
// Hard constraints: locked units, accounts and territories never change;
// the disruption caps are never exceeded; a rebalance never lowers the
// balance index (engine/metrics) below its start; territories do not split
// when contiguity is asked. Same options and seed give the same result:
// nothing depends on map order or the clock.
package optimize

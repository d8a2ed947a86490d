package metrics

import (
	"math"

	"territoria/engine"
)

// GroupValues returns every metric of an ad-hoc group of nodes, such as
// the territories one rep covers: summed figures are the sums of the
// nodes' (each node counted with its descendants, so the nodes should not
// nest); utilisation is the group's workload over its capacity and the
// return on investment its projected revenue over its rep and travel
// costs, as for any district; figures of shape (perimeter, compactness,
// parts), which do not add up, are NaN. Node NoIndex is the unassigned
// remainder. An empty group has zero sums and NaN ratios.
func (l *Live) GroupValues(nodes []int32) []float64 {
	b := l.b
	out := make([]float64, len(b.metrics))
	for _, n := range nodes {
		g, ok := l.groupOf(n)
		if !ok {
			continue
		}
		for m, mi := range b.metrics {
			if mi.Summed {
				out[m] += l.value(g, Metric(m))
			}
		}
	}
	ratio := func(num, den float64) float64 {
		if den > 0 {
			return num / den
		}
		return math.NaN()
	}
	sum := func(name string) float64 {
		if m, ok := b.byName[name]; ok && b.metrics[m].Summed {
			return out[m]
		}
		return math.NaN()
	}
	for m, mi := range b.metrics {
		switch {
		case mi.Summed:
		case Metric(m) == Utilisation:
			out[m] = ratio(out[WorkloadHours], out[CapacityHours])
		case mi.Name == "roi":
			out[m] = ratio(sum("projectedRevenue"), sum("repCost")+sum("travelCost"))
		default:
			out[m] = math.NaN()
		}
	}
	return out
}

// RepGroups returns the territories each rep covers among nodes, by rep
// id; territories without a rep are left out.
func RepGroups(nodes []engine.Territory) map[string][]int32 {
	out := map[string][]int32{}
	for i, n := range nodes {
		if n.Kind == engine.KindTerritory && n.RepID != "" {
			out[n.RepID] = append(out[n.RepID], int32(i))
		}
	}
	return out
}

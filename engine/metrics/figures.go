package metrics

// AccountValue returns what account a adds to figure m of the territory
// holding it: 1 for accounts, the account's potential, revenue, lifetime
// value, visits, workload hours or extra column value. It returns 0 for
// figures an account does not add to (units, area, unit data, capacity and
// the ratios) and for indexes out of range.
//
// Together with UnitValue it lets a caller (the territory optimizer) tally
// figures for alignments that are never built as a Live.
func (b *Base) AccountValue(a int, m Metric) float64 {
	if a < 0 || a >= len(b.plan.Accounts) || m < 0 || int(m) >= len(b.metrics) {
		return 0
	}
	f := b.acc[a*b.accK : (a+1)*b.accK]
	switch m {
	case Accounts:
		return 1
	case Potential:
		return f[slotPotential]
	case Revenue:
		return f[slotRevenue]
	case LifetimeValue:
		return f[slotLifetimeValue]
	case Visits:
		return f[slotVisits]
	case WorkloadHours:
		return f[slotWorkload]
	}
	if x := int(m - NumBuiltin); x >= 0 && x < len(b.cfg.Columns) {
		return f[accBuiltin+x]
	}
	return 0
}

// UnitValue returns what unit u adds to figure m of the territory holding
// it: 1 for units, the unit's area (km²) or its unit data value. It returns
// 0 for the figures its accounts carry (see AccountValue), for the shape
// figures and ratios, and for indexes out of range.
func (b *Base) UnitValue(u int, m Metric) float64 {
	if u < 0 || u >= len(b.plan.Units) || m < 0 || int(m) >= len(b.metrics) {
		return 0
	}
	f := b.unit[u*b.unitK : (u+1)*b.unitK]
	switch m {
	case Units:
		return 1
	case AreaKm2:
		return f[slotArea]
	}
	x := int(m-NumBuiltin) - len(b.cfg.Columns)
	if x >= 0 && x < b.unitK-unitBuiltin {
		return f[unitBuiltin+x]
	}
	return 0
}

// PerUnit reports whether figure m is carried by units themselves (units,
// area, unit data) rather than by their accounts; such figures have no
// meaning for an alignment of accounts alone.
func (b *Base) PerUnit(m Metric) bool {
	if m < 0 || int(m) >= len(b.metrics) {
		return false
	}
	return m == Units || m == AreaKm2 || int(m-NumBuiltin) >= len(b.cfg.Columns)
}

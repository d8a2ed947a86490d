package metrics

// SetCutSearch sets how many accounts' first steps a capacity cut sorts
// at first (factor times the steps it expects, plus candidates) and
// returns a function that restores the previous setting.
func SetCutSearch(factor float64, candidates int) (restore func()) {
	oldF, oldC := cutFactor, cutCandidates
	cutFactor, cutCandidates = factor, candidates
	return func() { cutFactor, cutCandidates = oldF, oldC }
}

// DefaultCutSearch is the setting the package starts with.
func DefaultCutSearch() (factor float64, candidates int) { return 2, 64 }

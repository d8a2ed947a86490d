package app

// binders build the services bound next to the PlanService; each service
// file registers its constructor with registerBinding from an init function.
var binders []func(*PlanService) any

// registerBinding adds a service built over the plan service to Bindings.
func registerBinding(f func(*PlanService) any) { binders = append(binders, f) }

// Bindings returns every service the page can call, for the window and the
// browser mode alike: the plan service first, then the services that work on
// its open plan. Each call builds the extra services afresh over p.
func Bindings(p *PlanService) []any {
	out := []any{p}
	for _, f := range binders {
		out = append(out, f(p))
	}
	return out
}

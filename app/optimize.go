package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"territoria/engine"
	"territoria/engine/metrics"
	"territoria/engine/optimize"
)

// EventOptimizeProgress carries OptimizeProgress, at most ten times a second.
const EventOptimizeProgress = "optimize:progress"

// OptimizeRequest asks for territories to be designed. Percentages are
// written as percent (5 = 5 %).
type OptimizeRequest struct {
	// From is the scenario id or name to start from; "" builds from nothing.
	From string `json:"from"`
	// Into is the name of the new scenario ("" names it after From).
	Into string `json:"into"`
	// Mode is "build" (draw Territories afresh) or "rebalance" (adjust
	// From's territories); "" builds when Territories is set or there is no
	// From, and rebalances otherwise.
	Mode string `json:"mode"`
	// Level is "units", "accounts" or "" (units when the plan has them).
	Level       string `json:"level"`
	Territories int    `json:"territories"`
	// Balance maps metric names (or aliases: workload, ltv, area) to
	// weights; empty takes workload 60, potential 30, revenue 10.
	Balance map[string]float64 `json:"balance"`
	// Tolerance is the accepted deviation from target, in percent.
	Tolerance   float64 `json:"tolerance"`
	Contiguous  bool    `json:"contiguous"`
	Compactness float64 `json:"compactness"` // 0..100
	// HomeDistance, 0..100, keeps territories near their rep's home.
	HomeDistance float64 `json:"homeDistance"`
	// RepHomes anchors one territory at each rep's home (a build) and
	// names the rep.
	RepHomes bool `json:"repHomes"`
	// RepCapacity caps each territory's workload at its rep's capacity.
	RepCapacity bool `json:"repCapacity"`
	// Caps on disruption, in percent (0 = none), overall and per territory.
	MaxMovedRevenue          float64 `json:"maxMovedRevenue"`
	MaxMovedAccounts         float64 `json:"maxMovedAccounts"`
	MaxMovedRevenueTerritory float64 `json:"maxMovedRevenueTerritory"`
	MaxMovedAccountsTerr     float64 `json:"maxMovedAccountsTerritory"`
	// Targets maps territory ids to target shares of the total (fractions).
	Targets map[string]float64 `json:"targets"`
	// Focus restricts a rebalance to these territories and their neighbours.
	Focus  []string `json:"focus"`
	Seed   uint64   `json:"seed"`
	Effort float64  `json:"effort"`
}

// OptimizeProgress tells how far a running optimization has come.
type OptimizeProgress struct {
	Phase    string  `json:"phase"`
	Fraction float64 `json:"fraction"`
	Restart  int     `json:"restart"`
	Restarts int     `json:"restarts"`
	// Objective, Feasible and MaxDeviation describe the best so far.
	Objective    float64 `json:"objective"`
	Feasible     bool    `json:"feasible"`
	MaxDeviation float64 `json:"maxDeviation"`
}

// OptimizeResult is the new scenario and the optimizer's report.
type OptimizeResult struct {
	Scenario ScenarioInfo    `json:"scenario"`
	Report   optimize.Report `json:"report"`
	Millis   int64           `json:"millis"`
}

// ErrOptimizeRunning is returned when an optimization is started while another runs.
var ErrOptimizeRunning = errors.New("an optimization is already running")

// OptimizeService is the bound service for automatic territory design: a
// long job with progress events (EventOptimizeProgress) and cancel that
// keeps the best alignment found so far. The result is always a new
// scenario. Reachable from the page as window.go.app.OptimizeService.
type OptimizeService struct {
	p *PlanService

	mu     sync.Mutex
	cancel context.CancelFunc
}

// NewOptimizeService returns the optimizer service over the plan service p.
func NewOptimizeService(p *PlanService) *OptimizeService { return &OptimizeService{p: p} }

func init() { registerBinding(func(p *PlanService) any { return NewOptimizeService(p) }) }

// Run optimizes and saves the result as a new scenario; it returns when
// done or cancelled (then with the best alignment found so far).
func (s *OptimizeService) Run(req OptimizeRequest) (OptimizeResult, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	if s.cancel != nil {
		s.mu.Unlock()
		cancel()
		return OptimizeResult{}, ErrOptimizeRunning
	}
	s.cancel = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.cancel = nil
		s.mu.Unlock()
		cancel()
	}()
	return RunOptimize(ctx, s.p, req, s.p.emitOptimizeProgress())
}

// Cancel stops the running optimization; Run then saves the best so far.
func (s *OptimizeService) Cancel() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	return nil
}

// Metrics lists the metrics a request may balance on the open plan.
func (s *OptimizeService) Metrics() ([]string, error) {
	s.p.mu.RLock()
	defer s.p.mu.RUnlock()
	_, v, err := s.p.current()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, mi := range v.sess.Base().Metrics() {
		if mi.Balanced {
			out = append(out, mi.Name)
		}
	}
	return out, nil
}

// emitOptimizeProgress returns a progress callback that emits at most ten
// events a second, and always the last one.
func (s *PlanService) emitOptimizeProgress() func(OptimizeProgress) {
	var last time.Time
	return func(p OptimizeProgress) {
		now := time.Now()
		if p.Phase == "report" || now.Sub(last) >= 100*time.Millisecond {
			last = now
			s.emit(EventOptimizeProgress, p)
		}
	}
}

// options translates a request for plan p.
func (req OptimizeRequest) options(p *engine.Plan, from *engine.Scenario) (optimize.Options, error) {
	o := optimize.Options{K: req.Territories, Balance: req.Balance, Tolerance: req.Tolerance / 100,
		Contiguous: req.Contiguous, Compactness: req.Compactness, HomeDistanceWeight: req.HomeDistance,
		RepCapacity: req.RepCapacity, Targets: req.Targets, Focus: req.Focus, Seed: req.Seed, Effort: req.Effort,
		MaxMovedRevenueShare: req.MaxMovedRevenue / 100, MaxMovedAccountsShare: req.MaxMovedAccounts / 100,
		MaxMovedRevenueShareTerritory: req.MaxMovedRevenueTerritory / 100, MaxMovedAccountsShareTerritory: req.MaxMovedAccountsTerr / 100}
	switch strings.ToLower(req.Mode) {
	case "build":
		o.Mode = optimize.Build
	case "rebalance":
		o.Mode = optimize.Rebalance
	case "":
		if from != nil && req.Territories == 0 {
			o.Mode = optimize.Rebalance
		}
	default:
		return o, fmt.Errorf("mode %q: want build or rebalance", req.Mode)
	}
	switch strings.ToLower(req.Level) {
	case "", "auto":
	case "units":
		o.Level = optimize.LevelUnits
	case "accounts":
		o.Level = optimize.LevelAccounts
	default:
		return o, fmt.Errorf("level %q: want units or accounts", req.Level)
	}
	if req.RepHomes {
		for _, r := range p.Reps {
			if r.Home == (orb.Point{}) {
				continue
			}
			a := optimize.Anchor{RepID: r.ID, Home: r.Home}
			if o.Mode == optimize.Rebalance && from != nil {
				// Anchor the territories the rep already covers.
				for _, t := range from.Territories {
					if t.Kind == engine.KindTerritory && t.RepID == r.ID {
						a.Territory = t.ID
						o.Anchors = append(o.Anchors, a)
					}
				}
				continue
			}
			o.Anchors = append(o.Anchors, a)
		}
		if o.Mode == optimize.Build && o.K == 0 {
			o.K = len(o.Anchors)
		}
		if o.Mode == optimize.Build && len(o.Anchors) > o.K {
			return o, fmt.Errorf("%d reps have a home but only %d territories are asked for", len(o.Anchors), o.K)
		}
	}
	return o, nil
}

// RunOptimize runs the optimizer on the open plan and saves the result as
// a new scenario. ctx cancels the search (the best so far is saved);
// progress, when not nil, receives every progress report.
func RunOptimize(ctx context.Context, s *PlanService, req OptimizeRequest, progress func(OptimizeProgress)) (OptimizeResult, error) {
	start := time.Now()
	s.mu.RLock()
	if err := s.writableLocked(); err != nil {
		s.mu.RUnlock()
		return OptimizeResult{}, err
	}
	p := s.plan
	version := s.version
	var from *engine.Scenario
	if req.From != "" {
		from = p.Scenario(req.From)
		if from == nil {
			for _, sc := range p.Scenarios {
				if sc.Name == req.From {
					from = sc
					break
				}
			}
		}
		if from == nil {
			s.mu.RUnlock()
			return OptimizeResult{}, fmt.Errorf("no scenario with id or name %q", req.From)
		}
	}
	opts, err := req.options(p, from)
	if err != nil {
		s.mu.RUnlock()
		return OptimizeResult{}, err
	}
	if s.view != nil {
		opts.Base = s.view.sess.Base()
	} else {
		cfg := metrics.ConfigFor(p.Settings)
		opts.Metrics = &cfg
	}
	opts.ID = nextScenarioID(p)
	opts.Name = strings.TrimSpace(req.Into)
	if opts.Name == "" {
		opts.Name = "Optimized"
		if from != nil {
			opts.Name = from.Name + " (optimized)"
		}
	}
	if opts.Name, err = cleanName(opts.Name); err != nil {
		s.mu.RUnlock()
		return OptimizeResult{}, err
	}
	res, err := optimize.Run(func() bool { return ctx.Err() != nil }, p, from, opts, func(pg optimize.Progress) {
		if progress != nil {
			progress(OptimizeProgress{Phase: pg.Phase, Fraction: pg.Fraction, Restart: pg.Restart, Restarts: pg.Restarts,
				Objective: pg.Objective, Feasible: pg.Feasible, MaxDeviation: pg.MaxDeviation})
		}
	})
	s.mu.RUnlock()
	if err != nil {
		return OptimizeResult{}, err
	}
	info, err := s.addScenario(func(q *engine.Plan) (*engine.Scenario, error) {
		if q != p || s.version != version {
			return nil, errors.New("the plan changed while the optimizer ran; run it again")
		}
		sc := res.Scenario
		sc.ID = nextScenarioID(q) // unchanged unless a scenario was added meanwhile
		return sc, nil
	})
	if err != nil {
		return OptimizeResult{}, err
	}
	return OptimizeResult{Scenario: info, Report: res.Report, Millis: time.Since(start).Milliseconds()}, nil
}

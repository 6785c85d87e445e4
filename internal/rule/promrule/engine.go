package promrule

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/schedule"
	"github.com/picket-monitor/picket/internal/store"
)

// goneRetention is how long Describe still knows a resolved instance, so
// that a notice rendered after the resolution can name it.
const goneRetention = 24 * time.Hour

// Options are the optional parts of an Engine.
type Options struct {
	// States keeps pending and firing instances across restarts; default
	// a MemoryStates (kept only while the process lives).
	States StateStore
	// Logger receives evaluation failures (once per new error) and state
	// store failures; default none.
	Logger *slog.Logger
}

// Engine evaluates a Set of rules, each on its own interval. It sends a
// rule.Change to its sink when an alert instance fires (From up To down,
// or degraded for a warning), when it resolves (To up), and when a reload
// changes a firing rule's severity. A failed evaluation changes nothing.
type Engine struct {
	q      Querier
	a      Appender
	sink   rule.Sink
	clock  schedule.Clock
	states StateStore
	log    *slog.Logger

	wake      chan struct{}       // Update tells Run to look at the new rules
	afterTick func(now time.Time) // tests: called after each pass of Run

	mu        sync.Mutex // protects the fields below
	set       *Set
	updated   bool                               // Update was called: set is the config's
	next      map[string]time.Time               // rule key → next evaluation
	stats     map[string]*RuleStats              // rule key → its counters
	instances map[string]Instance                // pending and firing, by id
	unsaved   map[string]bool                    // ids whose last state store write failed
	gone      map[string]goneInstance            // resolved, kept for Describe
	recorded  map[string]map[string]store.Labels // record key → series written last
}

// goneInstance is a resolved instance and when it resolved.
type goneInstance struct {
	in     Instance
	static map[string]string
	at     time.Time
}

// New returns an engine that reads through q, records through a and
// hands changes to sink (see rule.Sink: it must be idempotent, and a
// change that fails is tried again at the next evaluation). clock paces
// the evaluations; the evaluation time is clock.Now().
func New(q Querier, a Appender, sink rule.Sink, clock schedule.Clock, opts Options) *Engine {
	if opts.States == nil {
		opts.States = &MemoryStates{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{
		q: q, a: a, sink: sink, clock: clock, states: opts.States, log: opts.Logger,
		wake: make(chan struct{}, 1), set: &Set{},
		next: map[string]time.Time{}, stats: map[string]*RuleStats{},
		instances: map[string]Instance{}, unsaved: map[string]bool{},
		gone: map[string]goneInstance{}, recorded: map[string]map[string]store.Labels{},
	}
}

// Update replaces the rules. A rule that stays (same id, or same record,
// expression and labels) keeps its schedule and its instances; a new rule
// is evaluated at once; the firing instances of a removed alerting rule
// are resolved at Run's next pass.
func (e *Engine) Update(s *Set) {
	e.mu.Lock()
	e.set, e.updated = s, true
	keys := map[string]bool{}
	for _, r := range s.alerts {
		keys[r.key()] = true
	}
	for _, r := range s.records {
		keys[r.key()] = true
	}
	keepOnly(e.next, keys)
	keepOnly(e.stats, keys)
	keepOnly(e.recorded, keys)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Run loads the stored instances, then evaluates the rules until ctx
// ends, when it returns nil. It fails only when the stored instances
// cannot be loaded. Call Update first: until then no rule runs, and
// stored instances are kept, not resolved as belonging to no rule.
func (e *Engine) Run(ctx context.Context) error {
	stored, err := e.states.Load(ctx)
	if err != nil {
		return err
	}
	e.mu.Lock()
	for id, in := range stored {
		e.instances[id] = in
	}
	e.mu.Unlock()
	select {
	case <-e.wake: // the first pass sees the rules anyway
	default:
	}
	t := e.clock.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		now := e.clock.Now()
		if next := e.tick(ctx, now); next.IsZero() {
			t.Stop()
		} else {
			t.Reset(max(next.Sub(e.clock.Now()), 0))
		}
		if e.afterTick != nil {
			e.afterTick(now)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C():
		case <-e.wake:
		}
	}
}

// tick evaluates the rules due at now, recording rules first so alerts
// see their output, and returns when the next rule is due (zero: none).
func (e *Engine) tick(ctx context.Context, now time.Time) time.Time {
	records, alerts := e.due(now)
	for _, r := range records {
		e.evalRecord(ctx, r, now)
	}
	for _, r := range alerts {
		e.evalAlert(ctx, r, now)
	}
	e.resolveRemoved(ctx, now)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pruneLocked(now)
	var next time.Time
	for _, n := range e.next {
		if next.IsZero() || n.Before(next) {
			next = n
		}
	}
	return next
}

// due returns the rules whose time has come and moves their schedule on
// by their interval (or past now, after a stall).
func (e *Engine) due(now time.Time) ([]*recordRule, []*alertRule) {
	e.mu.Lock()
	defer e.mu.Unlock()
	isDue := func(key string, every time.Duration) bool {
		n, ok := e.next[key]
		if !ok {
			n = now
		}
		if n.After(now) {
			e.next[key] = n
			return false
		}
		if n = n.Add(every); !n.After(now) {
			n = now.Add(every)
		}
		e.next[key] = n
		return true
	}
	var records []*recordRule
	var alerts []*alertRule
	for _, r := range e.set.records {
		if isDue(r.key(), r.Interval) {
			records = append(records, r)
		}
	}
	for _, r := range e.set.alerts {
		if isDue(r.key(), r.Interval) {
			alerts = append(alerts, r)
		}
	}
	return records, alerts
}

// pruneLocked forgets resolved instances older than goneRetention.
func (e *Engine) pruneLocked(now time.Time) {
	for id, g := range e.gone {
		if now.Sub(g.at) > goneRetention {
			delete(e.gone, id)
		}
	}
}

// keepOnly deletes the entries of m whose key is not in keys.
func keepOnly[V any](m map[string]V, keys map[string]bool) {
	for k := range m {
		if !keys[k] {
			delete(m, k)
		}
	}
}

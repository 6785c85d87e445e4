package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
)

// run keeps the alerting loops going until ctx ends: the rule consumer,
// reminders, grouping windows, the outbox workers (restarted when the
// set of channels changes) and the pruning of expired silences.
func (al *alerting) run(ctx context.Context, run func(string, func(context.Context) error)) {
	// A new rule consumer on a server with history starts a minute back,
	// not at last week's results, which would page for old outages.
	since := bus.StartNewAt(time.Now().Add(-time.Minute))
	run("rule", func(ctx context.Context) error { return al.app.consume(ctx, "rule", al.handle, since) })
	run("reminders", al.remind)
	run("dispatch", al.dispatch.Run)
	run("rules", al.rules.Run)
	run("outbox", al.deliver)
	run("silences", al.prune)
}

// remind ticks the incident manager when a reminder or a mute's end is
// due. A one-second tick is simpler than re-arming a timer whenever a new
// incident brings its due time forward, and costs nothing when idle.
func (al *alerting) remind(ctx context.Context) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			if due := al.incidents.NextDue(); !due.IsZero() && !now.Before(due) {
				if err := al.incidents.Tick(ctx); err != nil && ctx.Err() == nil {
					al.app.log.Warn("incident reminders", "err", err)
				}
			}
		}
	}
}

// deliver runs the outbox workers for the configured channels and
// restarts them when a reload changes which channels there are.
func (al *alerting) deliver(ctx context.Context) error {
	var ids []string
	var cur *workers
	defer func() { cur.stop() }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case next := <-al.channels:
			slices.Sort(next)
			if cur != nil && slices.Equal(next, ids) {
				continue
			}
			cur.stop()
			ids, cur = next, al.startWorkers(ctx, next)
		}
	}
}

// workers is one generation of outbox workers.
type workers struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (al *alerting) startWorkers(ctx context.Context, ids []string) *workers {
	wctx, cancel := context.WithCancel(ctx)
	w := &workers{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		if err := al.pipeline.Run(wctx, ids); err != nil && wctx.Err() == nil {
			al.app.log.Error("outbox workers", "err", err)
		}
	}()
	return w
}

// stop ends the generation and waits for it; a nil generation is done.
func (w *workers) stop() {
	if w == nil {
		return
	}
	w.cancel()
	<-w.done
}

func (al *alerting) prune(ctx context.Context) error {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := al.silences.Prune(ctx); err != nil && ctx.Err() == nil {
				al.app.log.Warn("pruning expired silences", "err", err)
			}
		}
	}
}

// retrier re-runs a check at its retry_interval while its state is soft,
// so a failure is confirmed (or dismissed) sooner than the next interval.
type retrier struct {
	app *App
	mu  sync.Mutex // protects pending
	// pending holds the checks with a re-run already planned.
	pending map[string]bool
}

func (r *retrier) init(a *App) { r.app, r.pending = a, map[string]bool{} }

func (r *retrier) soon(id string) {
	c := r.app.check(id)
	if c.RetryInterval <= 0 || c.RetryInterval >= c.Interval {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending[id] {
		return
	}
	r.pending[id] = true
	time.AfterFunc(c.RetryInterval, func() {
		r.mu.Lock()
		delete(r.pending, id)
		r.mu.Unlock()
		r.app.sched.RunNow(id)
	})
}

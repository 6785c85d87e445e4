package app

import (
	"context"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/schedule"
)

// jobs turns the config's checks into scheduler jobs. A job's version is
// the check's fingerprint, so a reload leaves unchanged checks alone.
func (a *App) jobs(cfg *config.Config) []schedule.Job {
	jobs := make([]schedule.Job, 0, len(cfg.Checks))
	for i := range cfg.Checks {
		c := &cfg.Checks[i]
		jobs = append(jobs, schedule.Job{ID: c.ID, Interval: c.Interval, Version: c.Fingerprint,
			Run: func(ctx context.Context, _ time.Time) { a.runCheck(ctx, c) }})
	}
	return jobs
}

// runCheck probes once and publishes the result. A result that cannot be
// published is counted and logged; the next run publishes afresh.
func (a *App) runCheck(ctx context.Context, c *config.Check) {
	lim := probe.Limits{Timeout: c.Timeout, DegradedOver: c.DegradedWhen.LatencyOver}
	prober := c.Prober
	if c.Type == config.HostCheckType {
		prober = a.hosts.Prober(c.Target) // a host check asks the registry, not the network
	}
	res := probe.Run(ctx, prober, lim, time.Now)
	if ctx.Err() != nil {
		return // stopping or the check was removed: the result means nothing
	}
	a.metrics.observeRun(c.Type, res.Status)
	err := a.bus.PublishResult(ctx, bus.Result{
		Check: c.ID, Type: c.Type, Node: a.node, Start: res.Start, Duration: res.Duration,
		Status: res.Status, Reason: res.Reason, Metrics: res.Metrics,
	})
	if err != nil && ctx.Err() == nil {
		a.metrics.publishErrors.Inc()
		a.log.Warn("publishing a result", "check", c.ID, "err", err)
	}
}

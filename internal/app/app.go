// Package app builds Picket's parts from the config and owns their
// lifecycle: start, reload and stop happen here and nowhere else.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/ingest"
	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/schedule"
	"github.com/picket-monitor/picket/internal/store"
)

// Options are what `picket serve` takes from its flags. Empty fields fall
// back to the config file's server section.
type Options struct {
	ConfigPath string
	DataDir    string
	Listen     string
	NATSListen *string // nil keeps the config's value; "" disables listening
	Logger     *slog.Logger
	// Ready, when set, is called once the HTTP listener is up, with its
	// address.
	Ready func(addr string)
}

// App is one running Picket server.
type App struct {
	opts    Options
	log     *slog.Logger
	catalog catalog
	metrics *metrics
	bus     *bus.Bus
	store   *store.Store
	tracker *rule.Tracker
	alert   *alerting
	hosts   *host.Registry
	agents  *ingest.Agents
	sched   *schedule.Scheduler
	node    string
}

// Run loads the config, starts every part and serves until ctx ends. A
// config that does not load is returned as an error before anything starts.
func Run(ctx context.Context, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	cfg, err := config.Load(opts.ConfigPath)
	if err != nil {
		return fmt.Errorf("loading config: %w", err)
	}
	a := &App{opts: opts, log: opts.Logger, metrics: newMetrics()}
	a.node, _ = os.Hostname()
	a.catalog.set(cfg)
	a.metrics.loaded(len(cfg.Checks), time.Now())
	if err := a.open(ctx, cfg); err != nil {
		return err
	}
	defer a.close()
	return a.serve(ctx)
}

// dataDir is the flag's value, else the config's, relative to the config
// file's directory.
func (a *App) dataDir(cfg *config.Config) string {
	dir := a.opts.DataDir
	if dir == "" {
		dir = cfg.Server.DataDir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(cfg.File), dir)
		}
	}
	return dir
}

func (a *App) open(ctx context.Context, cfg *config.Config) error {
	dir := a.dataDir(cfg)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}
	natsListen := cfg.Server.NATSListen
	if a.opts.NATSListen != nil {
		natsListen = *a.opts.NATSListen
	}
	natsTLS, err := bus.ServerTLS(cfg.Server.NATSTLS.CertFile, cfg.Server.NATSTLS.KeyFile)
	if err != nil {
		return fmt.Errorf("server.nats_tls: %w", err)
	}
	a.bus, err = bus.Start(ctx, bus.Options{DataDir: dir, Listen: natsListen, Agents: agentUsers(cfg),
		TLS: natsTLS, Logger: quiet(a.log.With("part", "nats"))})
	if err != nil {
		return fmt.Errorf("starting the bus: %w", err)
	}
	a.store, err = store.Open(store.Options{Dir: filepath.Join(dir, "tsdb"), Retention: cfg.Server.Retention,
		Logger: quiet(a.log.With("part", "tsdb"))})
	if err != nil {
		a.bus.Close()
		return fmt.Errorf("opening the store: %w", err)
	}
	a.tracker, err = rule.NewTracker(ctx, a.bus)
	if err == nil {
		err = a.openAgents(cfg)
	}
	if err == nil {
		a.alert, err = a.openAlerting(ctx, cfg)
	}
	if err != nil {
		a.close()
		return err
	}
	a.log.Info("data", "dir", dir, "nats", a.bus.ClientURL())
	return nil
}

func (a *App) close() {
	if a.store != nil {
		if err := a.store.Close(); err != nil {
			a.log.Error("closing the store", "err", err)
		}
	}
	if a.bus != nil {
		if err := a.bus.Close(); err != nil {
			a.log.Error("closing the bus", "err", err)
		}
	}
}

// serve runs the scheduler, the consumers, the reloader and the HTTP
// server until ctx ends, then stops them in order: no new runs, running
// checks finish, consumers finish their batch, then the caller closes the
// store and the bus.
func (a *App) serve(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.sched = schedule.New(schedule.Options{
		MaxConcurrent: a.catalog.config().Server.MaxConcurrency,
		OnStart:       a.metrics.observeStart,
		OnSkip:        func(string, time.Time) { a.metrics.skipped.Inc() },
	})
	a.sched.Update(a.jobs(a.catalog.config()))

	var wg sync.WaitGroup
	errc := make(chan error, 16)
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	in := ingest.NewResults(a.store, a.catalog.Labels)
	run("ingest", func(ctx context.Context) error { return a.consume(ctx, "ingest", in.Handle) })
	run("state", func(ctx context.Context) error { return a.consume(ctx, "state", a.tracker.Handle) })
	run("scheduler", a.sched.Run)
	run("agents", a.runAgents)
	a.alert.run(ctx, run)
	run("reloader", a.watchConfig)
	run("http", a.serveHTTP)

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		a.log.Error("stopping", "err", err)
	}
	cancel()
	wg.Wait()
	return err
}

// consume runs a durable consumer, counting failed batches; the bus
// redelivers them.
func (a *App) consume(ctx context.Context, durable string, handle func(context.Context, []bus.Result) error, opts ...bus.ConsumeOption) error {
	return a.bus.ConsumeResults(ctx, durable, func(ctx context.Context, batch []bus.Result) error {
		err := handle(ctx, batch)
		if err != nil && ctx.Err() == nil {
			a.metrics.consumeErrors.WithLabelValues(durable).Inc()
			a.log.Warn("result batch failed; it will be redelivered", "consumer", durable, "err", err)
		}
		return err
	}, opts...)
}

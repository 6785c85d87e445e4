package agent

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/schedule"
)

// Options configure Run.
type Options struct {
	// Config is the agent's config, from LoadConfig.
	Config *Config
	// Logger receives the agent's log; default slog.Default().
	Logger *slog.Logger
	// Version is the agent's version, told to the server in hello.
	Version string
}

// maxBatchBytes is the largest batch the agent makes: the default
// max_payload of a NATS server.
const maxBatchBytes = 1 << 20

// Run runs the agent until ctx ends: it connects to the servers of the
// config (retrying forever), collects, spools and sends, and answers the
// server's commands. It returns an error only when it cannot start (a bad
// key, an unusable spool); a server that cannot be reached is waited for.
func Run(ctx context.Context, o Options) error {
	cfg := o.Config
	if cfg == nil {
		return errors.New("agent: no config")
	}
	log := cmp.Or(o.Logger, slog.Default())
	kp, err := loadKey(cfg.KeyFile)
	if err != nil {
		return err
	}
	sp, err := spool.Open(cfg.SpoolDir, spool.Options{MaxBytes: int64(cfg.SpoolMax)})
	if err != nil {
		return fmt.Errorf("opening the spool: %w", err)
	}
	defer sp.Close()
	tr, err := newNATSTransport(cfg, kp, log)
	if err != nil {
		return err
	}
	slots, scanner := buildCollectors(cfg, collector.Paths{})
	d := deps{clock: schedule.RealClock(), tr: tr, sp: sp, log: log, slots: slots,
		hello: hostHello(cfg.ID, o.Version, slotNames(slots))}
	if scanner != nil {
		d.procs = scanner
	}
	rt, err := newRunner(cfg, d)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { tr.connect(ctx) })
	log.Info("agent running", "id", cfg.ID, "servers", cfg.Servers, "collectors", d.hello.Collectors,
		"spooled", sp.Len(), "next_seq", sp.NextSeq())
	err = rt.run(ctx)
	cancel() // run returns early only on an error; stop connecting too
	wg.Wait()
	tr.Close()
	st := rt.stats.snapshot()
	log.Info("agent stopped", "batches_sent", st.BatchesSent, "batches_rejected", st.BatchesRejected,
		"batches_lost", st.BatchesLost, "events_dropped", st.EventsDropped, "spooled", sp.Len())
	return err
}

// buildCollectors makes the enabled collectors. The process collector is
// the process table's scanner too, so the two share their scans.
func buildCollectors(cfg *Config, p collector.Paths) ([]*slot, *collector.ProcessScanner) {
	var slots []*slot
	var scanner *collector.ProcessScanner
	for _, name := range collector.Names() {
		if !cfg.Enabled(name) {
			continue
		}
		t, _ := collector.Lookup(name)
		c := t.New(p)
		if sc, ok := c.(*collector.ProcessScanner); ok {
			// A little over the table's interval: Collect reuses the
			// table's scans instead of making its own.
			sc.Every = cfg.ProcessInterval + cfg.Interval/2
			scanner = sc
		}
		slots = append(slots, &slot{name: name, c: c})
	}
	return slots, scanner
}

func slotNames(slots []*slot) []string {
	names := make([]string, len(slots))
	for i, s := range slots {
		names[i] = s.name
	}
	return names
}

// deps are what the runtime is made of; tests pass fakes.
type deps struct {
	clock schedule.Clock
	tr    transport
	sp    *spool.Spool
	log   *slog.Logger
	slots []*slot
	procs processSource // nil: no process table
	hello proto.Hello
}

// runner is the agent's loops, wired together.
type runner struct {
	tr      transport
	subj    subjects
	metrics *metrics
	sender  *sender
	procs   *procs
	cmds    *commands
	stats   *stats
}

func newRunner(cfg *Config, d deps) (*runner, error) {
	b, err := wire.NewBuilder(cfg.ID, wire.BuilderOptions{Limits: wire.Limits{MaxBytes: maxBatchBytes}})
	if err != nil {
		return nil, err
	}
	helloJSON, err := json.Marshal(d.hello)
	if err != nil {
		return nil, fmt.Errorf("encoding hello: %w", err)
	}
	r := &runner{tr: d.tr, subj: subjectsOf(cfg.ID), stats: &stats{}}
	lv, kick, greeted := &live{}, make(chan struct{}, 1), &atomic.Bool{}
	r.metrics = &metrics{clock: d.clock, every: cfg.Interval, batch: cfg.BatchInterval, live: lv,
		slots: d.slots, b: b, sp: d.sp, kick: kick, log: d.log, stats: r.stats}
	r.sender = &sender{tr: d.tr, subj: r.subj, sp: d.sp, kick: kick, hello: helloJSON,
		timeout: defaultRequestTimeout, log: d.log, stats: r.stats, greeted: greeted}
	if d.procs != nil {
		enc, err := newEncoder()
		if err != nil {
			return nil, fmt.Errorf("making the process table's encoder: %w", err)
		}
		r.procs = &procs{src: d.procs, clock: d.clock, every: cfg.ProcessInterval, live: lv, tr: d.tr,
			subject: r.subj.procs, timeout: defaultRequestTimeout, greeted: greeted, log: d.log,
			stats: r.stats, enc: enc}
	}
	r.cmds = &commands{clock: d.clock, live: lv, procs: r.procs, log: d.log, stats: r.stats,
		actions: newActions(cfg.Actions, d.clock, d.log, r.stats)}
	return r, nil
}

// run runs the loops until ctx ends.
func (r *runner) run(ctx context.Context) error {
	if err := r.tr.Handle(ctx, r.subj.cmd, r.cmds.handle); err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() { r.metrics.run(ctx) })
	wg.Go(func() { r.sender.run(ctx) })
	if r.procs != nil {
		wg.Go(func() { r.procs.run(ctx) })
	}
	wg.Wait()
	return nil
}

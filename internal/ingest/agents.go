package ingest

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
)

// Defaults for AgentsOptions.
const (
	DefaultAgentQueue   = 4096
	DefaultQueueBytes   = 64 << 20
	DefaultServerName   = "picket"
	DefaultMaxFuture    = 5 * time.Minute
	DefaultMaxProcsSize = 32 << 20 // a procs message once decompressed
	maxHelloSize        = 64 << 10
)

// AgentBus is where agents' requests come from; *bus.Bus is one.
type AgentBus interface {
	ServeAgents(ctx context.Context, fn func(*bus.AgentMessage)) error
}

// HostSink receives what agents say about their hosts; *host.Registry
// is one.
type HostSink interface {
	Hello(id string, h proto.HostInfo)
	Batch(id string, b *wire.Batch)
	Procs(id string, p host.Procs)
	Rejected(id, reason string)
}

// AgentsOptions configure NewAgents. Zero values take the defaults.
type AgentsOptions struct {
	Store Appender // required
	Hosts HostSink // nil: nobody keeps host state
	// Limits bound a metrics batch (see wire.Limits); the NATS server's
	// max_payload (1 MiB) bounds any message before that.
	Limits wire.Limits
	// Workers is how many messages are handled at once; default
	// GOMAXPROCS. All messages of one agent go to the same worker, in
	// the order they came, so its batches are stored in order.
	Workers int
	// Queue is how many messages may wait for each worker, and QueueBytes
	// how many bytes of messages may wait for all of them; beyond either
	// an agent is told to retry later ("busy"). Defaults 4096 and 64 MiB:
	// enough for the first batches of a few thousand agents started at
	// once, whose new series make them the slowest to store.
	Queue      int
	QueueBytes int64
	// Server is the name in replies to hellos; default "picket".
	Server string
	// MaxFuture refuses a batch with a point more than this ahead of
	// the server's clock (an agent with a wrong clock would otherwise
	// block its own series until that time); default 5 minutes.
	MaxFuture time.Duration
	// MaxProcsSize bounds a procs message once decompressed; default
	// 32 MiB.
	MaxProcsSize int
	Now          func() time.Time // default time.Now
}

// Agents stores what agents send: metrics batches into the store, hellos
// and process tables into the hosts registry. It answers every request as
// agent protocol v1 says. Make one with NewAgents and start it with Run
// or Start.
type Agents struct {
	opts    AgentsOptions
	dec     *wire.Decoder
	zd      *zstd.Decoder
	workers []*worker
	queued  atomic.Int64 // bytes of messages waiting for a worker
	wg      sync.WaitGroup
	stats   *agentStats
}

// NewAgents checks opts and returns Agents ready to start.
func NewAgents(opts AgentsOptions) (*Agents, error) {
	if opts.Store == nil {
		return nil, fmt.Errorf("ingesting agents: no store")
	}
	opts = agentsDefaults(opts)
	dec, err := wire.NewDecoder(opts.Limits)
	if err != nil {
		return nil, fmt.Errorf("ingesting agents: %w", err)
	}
	zd, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(uint64(opts.MaxProcsSize)), zstd.WithDecoderConcurrency(0))
	if err != nil {
		dec.Close()
		return nil, fmt.Errorf("ingesting agents: %w", err)
	}
	a := &Agents{opts: opts, dec: dec, zd: zd, stats: newAgentStats()}
	for range opts.Workers {
		a.workers = append(a.workers, newWorker(opts.Queue))
	}
	return a, nil
}

func agentsDefaults(o AgentsOptions) AgentsOptions {
	if o.Hosts == nil {
		o.Hosts = noHosts{}
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Queue <= 0 {
		o.Queue = DefaultAgentQueue
	}
	if o.QueueBytes <= 0 {
		o.QueueBytes = DefaultQueueBytes
	}
	if o.Server == "" {
		o.Server = DefaultServerName
	}
	if o.MaxFuture <= 0 {
		o.MaxFuture = DefaultMaxFuture
	}
	if o.MaxProcsSize <= 0 {
		o.MaxProcsSize = DefaultMaxProcsSize
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Run serves agents until ctx ends, then waits for the messages being
// handled and releases the decoders. Messages still queued get no reply:
// their agents send them again.
func (a *Agents) Run(ctx context.Context, b AgentBus) error {
	if err := a.Start(ctx, b); err != nil {
		return err
	}
	<-ctx.Done()
	a.Wait()
	return nil
}

// Start starts the workers and subscribes, returning once agents' requests
// are being served; they are until ctx ends. Call Wait after.
func (a *Agents) Start(ctx context.Context, b AgentBus) error {
	for _, w := range a.workers {
		a.wg.Go(func() { a.work(ctx, w) })
	}
	err := b.ServeAgents(ctx, func(m *bus.AgentMessage) { a.dispatch(ctx, m) })
	if err != nil {
		return fmt.Errorf("serving agents: %w", err)
	}
	return nil
}

// Wait waits, once the ctx given to Start has ended, for the workers to
// stop, and releases the decoders.
func (a *Agents) Wait() {
	a.wg.Wait()
	a.dec.Close()
	a.zd.Close()
}

// dispatch queues m for its agent's worker, or tells the agent to retry
// when that worker, or all of them, are too far behind. It runs on the
// bus's delivery goroutine and never blocks.
func (a *Agents) dispatch(ctx context.Context, m *bus.AgentMessage) {
	size := int64(len(m.Data))
	if a.queued.Add(size) > a.opts.QueueBytes {
		a.queued.Add(-size)
		a.refuse(m, ReasonBusy, true)
		return
	}
	w := a.workers[shard(m.Agent, len(a.workers))]
	select {
	case w.in <- m:
		return
	case <-ctx.Done():
	default:
		a.refuse(m, ReasonBusy, true)
	}
	a.queued.Add(-size)
}

// shard maps an agent id to a worker (FNV-1a).
func shard(id string, n int) int {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return int(h % uint32(n))
}

// work handles the messages of its agents one at a time until ctx ends.
func (a *Agents) work(ctx context.Context, w *worker) {
	for {
		select {
		case m := <-w.in:
			a.queued.Add(-int64(len(m.Data)))
			a.handle(ctx, w, m)
		case <-ctx.Done():
			return
		}
	}
}

func (a *Agents) handle(ctx context.Context, w *worker, m *bus.AgentMessage) {
	switch m.Kind {
	case bus.AgentHello:
		a.hello(m)
	case bus.AgentMetrics:
		a.metrics(ctx, w, m)
	case bus.AgentProcs:
		a.procs(m)
	}
}

// noHosts is the HostSink that keeps nothing.
type noHosts struct{}

func (noHosts) Hello(string, proto.HostInfo) {}
func (noHosts) Batch(string, *wire.Batch)    {}
func (noHosts) Procs(string, host.Procs)     {}
func (noHosts) Rejected(string, string)      {}

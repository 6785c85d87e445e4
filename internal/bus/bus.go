// Package bus owns Picket's backbone: an embedded NATS server with
// JetStream, the subjects results and events travel on, and the definitions
// of the streams and key-value buckets that keep them. It is the only package
// that knows subject, stream and bucket names; the others publish, consume
// and query through its methods.
package bus

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// Options configure Start.
type Options struct {
	// DataDir holds JetStream storage in DataDir/nats, created if missing.
	DataDir string
	// Listen is the "host:port" clients (agents, later other nodes) connect
	// to; port 0 picks a free port. Empty means no TCP listener at all: only
	// the in-process connection reaches the server.
	Listen string
	// ResultsMaxAge is how long results are kept; default 7 days.
	ResultsMaxAge time.Duration
	// ResultsMaxBytes bounds the results stream on disk; the oldest results
	// are dropped first. JetStream reserves this much of its storage limit
	// (75% of the free disk space at start) when the stream is declared,
	// so the default is DefaultResultsMaxBytes or half that limit,
	// whichever is smaller.
	ResultsMaxBytes int64
	// EventsMaxAge is how long events (the audit log) are kept; default 0,
	// forever.
	EventsMaxAge time.Duration
	// Logger receives the server's log and the bus's own warnings; nil
	// means no logging at all.
	Logger *slog.Logger
	// Agents may connect over Listen, each confined to its own subjects
	// (see AgentUser); SetAgents changes the list of a running bus. Nobody
	// else can connect over TCP: the bus's own connection is in-process
	// and authenticated with a key made at Start that never leaves memory.
	Agents []AgentUser
	// TLS, when set, is the certificate the listener presents: every
	// client connecting over Listen must then speak TLS 1.2 or later, and
	// a plain one is refused before it can authenticate. ServerTLS loads
	// one from files. The bus's own connection is in-process and does not
	// use TLS. Start keeps its own copy (with TLS 1.2 at least), so later
	// changes to this config have no effect; the copy survives SetAgents.
	// Nil means no TLS.
	TLS *tls.Config
}

// Defaults for Options.
const (
	DefaultResultsMaxAge   = 7 * 24 * time.Hour
	DefaultResultsMaxBytes = 8 << 30
)

// readyTimeout bounds how long Start waits for the server to accept
// connections (on top of recovering JetStream storage, which Start does
// synchronously).
const readyTimeout = 30 * time.Second

// closeTimeout bounds how long Close waits for the connection to drain.
const closeTimeout = 10 * time.Second

// Bus is a running embedded NATS server and Picket's connection to it. Its
// methods are safe for concurrent use.
type Bus struct {
	srv    *server.Server
	self   nkeys.KeyPair // the in-process connection's identity
	opts   Options       // as started, for SetAgents
	lock   *os.File      // the store lock, released by Close
	nc     *nats.Conn
	js     jetstream.JetStream
	kv     jetstream.KeyValue
	done   jetstream.KeyValue // outbox entries delivered or given up
	log    *slog.Logger
	listen bool
	closed chan struct{} // closed when nc is closed
	now    func() time.Time

	// retryDelay is how long a batch whose handler failed waits before it
	// is delivered again; tests shorten it.
	retryDelay time.Duration
	// fetchWait bounds how long one fetch waits to fill a batch.
	fetchWait time.Duration

	agentsMu  sync.Mutex // serializes SetAgents
	malformed atomic.Uint64
	closeOnce sync.Once
	closeErr  error
}

// Start starts the embedded server, waits until it is ready, connects to it
// in-process and creates or updates the streams and buckets. ctx bounds the
// start; the bus then runs until Close.
func Start(ctx context.Context, opts Options) (*Bus, error) {
	opts = withDefaults(opts)
	self, err := nkeys.CreateUser()
	if err != nil {
		return nil, fmt.Errorf("making the bus's own key: %w", err)
	}
	srv, lock, err := startServer(ctx, opts, publicKey(self))
	if err != nil {
		self.Wipe()
		return nil, err
	}
	opts.ResultsMaxBytes = resultsMaxBytes(opts.ResultsMaxBytes, srv)
	b := &Bus{
		srv:        srv,
		self:       self,
		opts:       opts,
		lock:       lock,
		log:        opts.Logger,
		listen:     opts.Listen != "",
		closed:     make(chan struct{}),
		now:        time.Now,
		retryDelay: 5 * time.Second,
		fetchWait:  250 * time.Millisecond,
	}
	if err := b.connect(ctx, opts); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func withDefaults(o Options) Options {
	if o.ResultsMaxAge == 0 {
		o.ResultsMaxAge = DefaultResultsMaxAge
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.TLS = listenerTLS(o.TLS)
	return o
}

// resultsMaxBytes returns set, or when it is 0 the default, capped so a
// small disk still starts.
func resultsMaxBytes(set int64, srv *server.Server) int64 {
	if set != 0 {
		return set
	}
	if cfg := srv.JetStreamConfig(); cfg != nil && cfg.MaxStore > 0 {
		return min(DefaultResultsMaxBytes, cfg.MaxStore/2)
	}
	return DefaultResultsMaxBytes
}

// connect opens the in-process connection and declares the streams.
func (b *Bus) connect(ctx context.Context, opts Options) error {
	nc, err := nats.Connect("",
		nats.InProcessServer(b.srv),
		nats.Name("picket"),
		nats.Nkey(publicKey(b.self), b.self.Sign),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			b.log.Warn("nats connection error", "subject", subj, "err", err)
		}),
	)
	if err != nil {
		return fmt.Errorf("connecting to embedded nats: %w", err)
	}
	b.nc = nc
	b.js, err = jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("opening jetstream: %w", err)
	}
	if b.kv, err = declare(ctx, b.js, opts); err != nil {
		return err
	}
	b.done, err = declareOutbox(ctx, b.js)
	return err
}

// Close drains the connection, so that acknowledgements and publishes in
// flight reach the server, then shuts the server down and waits for it.
// It is safe to call more than once.
func (b *Bus) Close() error {
	b.closeOnce.Do(func() {
		if b.nc != nil {
			b.closeErr = b.drain()
		}
		b.srv.Shutdown()
		b.srv.WaitForShutdown()
		b.lock.Close()
		b.self.Wipe()
	})
	return b.closeErr
}

func (b *Bus) drain() error {
	if err := b.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		b.nc.Close()
		return fmt.Errorf("draining nats connection: %w", err)
	}
	select {
	case <-b.closed:
		return nil
	case <-time.After(closeTimeout):
		b.nc.Close()
		return fmt.Errorf("draining nats connection: not done after %s", closeTimeout)
	}
}

// ClientURL returns the URL clients dial, or "" when the bus does not
// listen on TCP.
func (b *Bus) ClientURL() string {
	if !b.listen {
		return ""
	}
	return b.srv.ClientURL()
}

// Conn returns the bus's own connection, for the few parts (agents) that
// need plain NATS. Prefer the typed methods.
func (b *Bus) Conn() *nats.Conn { return b.nc }

// Malformed returns how many undecodable results consumers have skipped
// since Start.
func (b *Bus) Malformed() uint64 { return b.malformed.Load() }

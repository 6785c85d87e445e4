package agent

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// Connection tuning. Pings every 15 s with two outstanding notice a dead
// server within 45 s; reconnect waits grow to 15 s, with jitter so that a
// thousand agents do not come back at the same instant.
const (
	pingInterval      = 15 * time.Second
	maxReconnectWait  = 15 * time.Second
	maxCommandsAtOnce = 4
)

// natsTransport is the transport over the server's NATS. The first
// connect is retried by connect itself, so that a refused key is logged
// from the first attempt; after that nats.go reconnects and fails over
// between the servers forever.
type natsTransport struct {
	url      string
	opts     []nats.Option
	log      *slog.Logger
	errs     onceLog
	connects chan struct{}
	sem      chan struct{} // bounds the commands handled at once
	handlers sync.WaitGroup

	nc   atomic.Pointer[nats.Conn]
	mu   sync.Mutex // protects subs and the subscribing of each
	subs []handled
}

type handled struct {
	ctx     context.Context
	subject string
	h       handler
}

// newNATSTransport prepares a transport for cfg authenticated by kp; it
// connects when connect runs.
func newNATSTransport(cfg *Config, kp nkeys.KeyPair, log *slog.Logger) (*natsTransport, error) {
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("agent key: %w", err)
	}
	t := &natsTransport{url: strings.Join(cfg.Servers, ","), log: log, errs: onceLog{log: log},
		connects: make(chan struct{}, 1), sem: make(chan struct{}, maxCommandsAtOnce)}
	t.opts = []nats.Option{
		nats.Name("picket-agent " + cfg.ID),
		nats.Nkey(pub, kp.Sign),
		nats.CustomInboxPrefix(inboxPrefix(cfg.ID)),
		nats.MaxReconnects(-1),
		nats.IgnoreAuthErrorAbort(),
		nats.ReconnectBufSize(-1), // fail at once while down: the spool keeps the batch
		nats.CustomReconnectDelay(reconnectDelay),
		nats.PingInterval(pingInterval),
		nats.MaxPingsOutstanding(2),
		nats.ReconnectHandler(t.reconnected),
		nats.DisconnectErrHandler(t.disconnected),
		nats.ReconnectErrHandler(func(_ *nats.Conn, err error) { t.errs.warn("connecting to the server", err) }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { t.errs.warn("server connection", err) }),
	}
	if cfg.TLS != nil {
		tc, err := tlsConfig(cfg.TLS)
		if err != nil {
			return nil, err
		}
		t.opts = append(t.opts, nats.Secure(tc))
	}
	return t, nil
}

// tlsConfig is the client side of TLS: the roots of tls.ca_file, or the
// system's. nats.Secure with it makes every connection use TLS, whatever
// the scheme of the URL: with a server that does not offer TLS, connecting
// fails ("secure connection required"); it never falls back to plain.
func tlsConfig(c *TLS) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: c.InsecureSkipVerify}
	if c.CAFile == "" {
		return tc, nil
	}
	pool, err := caPool(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("tls.ca_file: %w", err)
	}
	tc.RootCAs = pool
	return tc, nil
}

// caPool reads a PEM bundle of certificates into a pool: the only roots
// the agent then trusts.
func caPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// reconnectDelay doubles from 1 s to 15 s, ±25 %.
func reconnectDelay(attempts int) time.Duration {
	d := min(time.Second<<min(attempts, 5), maxReconnectWait)
	return d*3/4 + rand.N(d/2)
}

// connect dials until it succeeds or ctx ends, then hands reconnection to
// nats.go.
func (t *natsTransport) connect(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		nc, err := nats.Connect(t.url, t.opts...)
		if err == nil {
			t.up(nc)
			return
		}
		t.errs.warn("connecting to the server", err)
		wait := time.NewTimer(reconnectDelay(attempt))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
	}
}

func (t *natsTransport) up(nc *nats.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.nc.Store(nc)
	for _, s := range t.subs {
		t.subscribeLocked(nc, s)
	}
	t.errs.reset()
	t.log.Info("connected to the server", "url", nc.ConnectedUrlRedacted())
	t.signal()
}

func (t *natsTransport) reconnected(nc *nats.Conn) {
	t.errs.reset()
	t.log.Info("reconnected to the server", "url", nc.ConnectedUrlRedacted())
	t.signal()
}

func (t *natsTransport) disconnected(_ *nats.Conn, err error) {
	if err != nil {
		t.log.Warn("disconnected from the server; batches are kept in the spool", "err", err)
	}
}

func (t *natsTransport) signal() {
	select {
	case t.connects <- struct{}{}:
	default:
	}
}

// Connects implements transport.
func (t *natsTransport) Connects() <-chan struct{} { return t.connects }

// Close closes the connection and waits for the commands being handled.
func (t *natsTransport) Close() {
	if nc := t.nc.Load(); nc != nil {
		nc.Close()
	}
	t.handlers.Wait()
}

// onceLog logs an error once until it changes or reset is called, so that
// a server down for an hour does not fill the log.
type onceLog struct {
	log  *slog.Logger
	mu   sync.Mutex // protects last
	last string
}

func (o *onceLog) warn(msg string, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if s := err.Error(); s != o.last {
		o.last = s
		o.log.Warn(msg, "err", err)
	}
}

func (o *onceLog) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.last = ""
}

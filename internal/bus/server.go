package bus

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startServer locks the store and starts the embedded NATS server with
// JetStream, waiting, bounded by ctx and readyTimeout, until it accepts
// connections; self is the public key of the bus's own connection.
// Closing the returned file releases the store.
func startServer(ctx context.Context, o Options, self string) (*server.Server, *os.File, error) {
	sopts, err := serverOptions(o, self)
	if err != nil {
		return nil, nil, err
	}
	if err := os.MkdirAll(sopts.StoreDir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("creating nats store: %w", err)
	}
	lock, err := lockStore(sopts.StoreDir)
	if err != nil {
		return nil, nil, err
	}
	srv, err := runServer(ctx, sopts, o.Logger)
	if err != nil {
		lock.Close()
		return nil, nil, err
	}
	return srv, lock, nil
}

func runServer(ctx context.Context, sopts *server.Options, log *slog.Logger) (*server.Server, error) {
	srv, err := server.NewServer(sopts)
	if err != nil {
		return nil, fmt.Errorf("configuring nats server: %w", err)
	}
	logs := &serverLog{log: log}
	debug := log.Enabled(ctx, slog.LevelDebug)
	srv.SetLoggerV2(logs, debug, false, false)
	srv.Start()
	if err := waitReady(ctx, srv, logs); err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return nil, err
	}
	return srv, nil
}

func serverOptions(o Options, self string) (*server.Options, error) {
	if o.DataDir == "" {
		return nil, fmt.Errorf("bus options: DataDir is empty")
	}
	users, err := nkeyUsers(self, o.Agents)
	if err != nil {
		return nil, fmt.Errorf("bus options: %w", err)
	}
	sopts := &server.Options{
		ServerName: "picket",
		JetStream:  true,
		StoreDir:   filepath.Join(o.DataDir, "nats"),
		NoSigs:     true,
		DontListen: o.Listen == "",
		Nkeys:      users,
		// Limits stay at the server's defaults: memory 75% of RAM, storage
		// up to 1 TB of the disk holding StoreDir; Picket streams are file
		// backed and bounded by their own MaxAge and MaxBytes.
	}
	if o.Listen == "" {
		return sopts, nil
	}
	host, port, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return nil, fmt.Errorf("bus listen address %q: %w", o.Listen, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return nil, fmt.Errorf("bus listen address %q: bad port", o.Listen)
	}
	if p == 0 {
		p = server.RANDOM_PORT // port 0 means "the default 4222" to nats-server
	}
	sopts.Host, sopts.Port = host, p
	if o.TLS != nil {
		sopts.TLSConfig, sopts.TLSTimeout = o.TLS, tlsTimeout.Seconds()
	}
	return sopts, nil
}

// waitReady polls the server until it accepts connections and JetStream is
// up, so a failure reports why instead of hanging.
func waitReady(ctx context.Context, srv *server.Server, logs *serverLog) error {
	deadline := time.Now().Add(readyTimeout)
	for !srv.ReadyForConnections(100 * time.Millisecond) {
		if fatal := logs.fatal(); fatal != "" {
			return fmt.Errorf("starting nats server: %s", fatal)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("waiting for nats server: %w", err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waiting for nats server: not ready after %s", readyTimeout)
		}
	}
	if !srv.JetStreamEnabled() {
		return fmt.Errorf("starting jetstream: %s", or(logs.fatal(), "not enabled, see the server log"))
	}
	return nil
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// serverLog adapts the server's printf-style logger to slog. It also
// remembers the first fatal message so Start can return it: the server
// reports a failed JetStream start only through its log.
type serverLog struct {
	log *slog.Logger

	mu         sync.Mutex // protects firstFatal
	firstFatal string
}

func (l *serverLog) fatal() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.firstFatal
}

func (l *serverLog) Noticef(format string, v ...any) {
	l.log.Info(fmt.Sprintf(format, v...), "component", "nats")
}
func (l *serverLog) Warnf(format string, v ...any) {
	l.log.Warn(fmt.Sprintf(format, v...), "component", "nats")
}
func (l *serverLog) Errorf(format string, v ...any) {
	l.log.Error(fmt.Sprintf(format, v...), "component", "nats")
}
func (l *serverLog) Debugf(format string, v ...any) {
	l.log.Debug(fmt.Sprintf(format, v...), "component", "nats")
}
func (l *serverLog) Tracef(format string, v ...any) {
	l.log.Debug(fmt.Sprintf(format, v...), "component", "nats")
}

// Fatalf logs at error level and does not exit: an embedded server must not
// end the process.
func (l *serverLog) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.mu.Lock()
	if l.firstFatal == "" {
		l.firstFatal = msg
	}
	l.mu.Unlock()
	l.log.Error(msg, "component", "nats")
}

package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/api/promapi"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/web"
)

// listenAddr is the flag's value, else the config's.
func (a *App) listenAddr() string {
	if a.opts.Listen != "" {
		return a.opts.Listen
	}
	return a.catalog.config().Server.Listen
}

// serveHTTP serves the API, UI and /metrics until ctx ends. Streams are
// tied to ctx through BaseContext, so shutdown does not wait on them.
func (a *App) serveHTTP(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.listenAddr())
	if err != nil {
		return fmt.Errorf("listening for HTTP: %w", err)
	}
	h := api.New(api.Deps{
		Catalog: &a.catalog, States: a.tracker, History: a.bus,
		Incidents: a.alert.incidents, Silences: a.alert.silences, Hosts: a.hosts,
		HostCommands: host.NewCommander(a.bus, a.hosts),
		Prometheus:   promapi.New(a.store, promapi.Options{}), Metrics: a.metrics.handler(), Web: web.Handler(),
		Logger: a.log.With("part", "api"),
	})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	a.log.Info("serving HTTP", "addr", "http://"+ln.Addr().String())
	if a.opts.Ready != nil {
		a.opts.Ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("stopping HTTP: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

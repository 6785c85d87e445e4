package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/picket-monitor/picket/internal/host"
)

// HostCommands asks hosts' agents to do things; *host.Commander is one.
type HostCommands interface {
	Live(ctx context.Context, id string, d time.Duration) (time.Time, error)
	Processes(ctx context.Context, id string) (host.ProcessTable, error)
}

// Bounds of POST /api/v1/hosts/{id}/live: the agent caps live mode at ten
// minutes, so a viewer asks again before it ends.
const (
	defaultLiveFor = 2 * time.Minute
	minLiveFor     = time.Second
	maxLiveFor     = 10 * time.Minute
	// hostCommandTimeout bounds a request to an agent; a process table
	// read on a busy host takes a few hundred milliseconds.
	hostCommandTimeout = 10 * time.Second
)

func (s *server) routeHostCommands(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/hosts/{id}/live", s.hostLive)
	mux.HandleFunc("POST /api/v1/hosts/{id}/processes/refresh", s.hostProcessesNow)
}

// hostLive puts a host's agent in live mode: every metric every second,
// for "for" (default two minutes, at most ten).
func (s *server) hostLive(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.Hosts.Host(id); !ok {
		noHost(w, r)
		return
	}
	var b struct {
		For string `json:"for"`
	}
	if err := decodeOptionalBody(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, "body", err.Error())
		return
	}
	d := defaultLiveFor
	if b.For != "" {
		var err error
		if d, err = time.ParseDuration(b.For); err != nil || d < minLiveFor || d > maxLiveFor {
			writeError(w, http.StatusBadRequest, "for", `invalid field "for": want a duration from 1s to 10m, such as "2m"`)
			return
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), hostCommandTimeout)
	defer cancel()
	until, err := s.HostCommands.Live(ctx, id, d)
	if err != nil {
		s.hostCommandError(w, r, "live", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"host": id, "until": until.UTC()})
}

// hostProcessesNow reads a host's process table from its agent now, and
// answers as GET /api/v1/hosts/{id}/processes.
func (s *server) hostProcessesNow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.Hosts.Host(id); !ok {
		noHost(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), hostCommandTimeout)
	defer cancel()
	t, err := s.HostCommands.Processes(ctx, id)
	if err != nil {
		s.hostCommandError(w, r, "processes", err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// hostCommandError answers 503 when the agent is not connected, 504 when
// it did not answer in time and 502 when it said no.
func (s *server) hostCommandError(w http.ResponseWriter, r *http.Request, cmd string, err error) {
	var refused *host.RefusedError
	switch {
	case errors.Is(err, host.ErrOffline):
		writeError(w, http.StatusServiceUnavailable, "id", "the agent of host "+r.PathValue("id")+" is not connected")
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "id", "the agent of host "+r.PathValue("id")+" did not answer in time")
	case errors.As(err, &refused):
		writeError(w, http.StatusBadGateway, "id", refused.Error())
	case errors.Is(err, context.Canceled): // the client went away
		writeError(w, http.StatusServiceUnavailable, "", "the request was cancelled")
	default:
		s.Logger.Warn("asking an agent", "host", r.PathValue("id"), "cmd", cmd, "err", err)
		writeError(w, http.StatusBadGateway, "id", "asking the agent of host "+r.PathValue("id")+" failed; see the server log")
	}
}

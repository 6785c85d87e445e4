// Package api serves Picket's HTTP interface: the JSON API under /api/v1,
// server-sent events of state changes, the Prometheus-compatible query API
// under /prometheus, /metrics, /healthz and the web UI.
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/rule"
)

// Check is a configured check as the API shows it.
type Check struct {
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Type     string            `json:"type"`
	Target   string            `json:"target"`
	Labels   map[string]string `json:"labels"`
	Interval time.Duration     `json:"-"`
}

// Catalog lists the checks of the running config.
type Catalog interface {
	Checks() []Check
	Check(id string) (Check, bool)
}

// States is the live state of checks.
type States interface {
	State(check string) (bus.State, bool)
	Subscribe(ctx context.Context) <-chan rule.Update
}

// History reads past results and events.
type History interface {
	Results(ctx context.Context, check string, from, to time.Time, limit int) ([]bus.Result, error)
	Events(ctx context.Context, f bus.EventFilter) ([]bus.Event, error)
}

// Deps are the parts the API serves from. Prometheus, Metrics and Web may be
// nil, leaving their paths unserved.
type Deps struct {
	Catalog   Catalog
	States    States
	History   History
	Incidents Incidents // nil leaves /api/v1/incidents unserved
	Silences  Silences  // nil leaves /api/v1/silences unserved
	Hosts     Hosts     // nil leaves /api/v1/hosts unserved
	// HostCommands, with Hosts, serves POST /api/v1/hosts/{id}/live and
	// /processes/refresh; nil leaves them unserved.
	HostCommands HostCommands
	Prometheus   http.Handler // the query API, mounted under /prometheus
	Metrics      http.Handler
	Web          http.Handler
	Logger       *slog.Logger
	Now          func() time.Time
}

type server struct{ Deps }

// New returns the handler for every path Picket serves.
func New(d Deps) http.Handler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &server{d}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/checks", s.listChecks)
	mux.HandleFunc("GET /api/v1/checks/{id}", s.getCheck)
	mux.HandleFunc("GET /api/v1/checks/{id}/results", s.checkResults)
	mux.HandleFunc("GET /api/v1/events", s.events)
	mux.HandleFunc("GET /api/v1/stream", s.stream)
	if d.Incidents != nil {
		s.routeIncidents(mux)
	}
	if d.Silences != nil {
		s.routeSilences(mux)
	}
	if d.Hosts != nil {
		s.routeHosts(mux)
	}
	if d.Hosts != nil && d.HostCommands != nil {
		s.routeHostCommands(mux)
	}
	mux.HandleFunc("/api/", s.notFound)
	if d.Prometheus != nil {
		mux.Handle("/prometheus/", http.StripPrefix("/prometheus", d.Prometheus))
	}
	if d.Metrics != nil {
		mux.Handle("GET /metrics", d.Metrics)
	}
	if d.Web != nil {
		mux.Handle("/", d.Web)
	}
	return mux
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "", "no such endpoint: "+r.URL.Path)
}

// apiError is the body of every 4xx and 5xx reply. Param names the query
// parameter at fault, when one is.
type apiError struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"`
}

func writeError(w http.ResponseWriter, code int, param, msg string) {
	writeJSON(w, code, apiError{Error: msg, Param: param})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v) // the client went away; nothing useful to do
}

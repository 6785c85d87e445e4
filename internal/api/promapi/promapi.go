// Package promapi serves Prometheus's HTTP query API (/api/v1/query,
// query_range, series, labels, label values, buildinfo, metadata) the way
// Prometheus itself answers it, so Grafana and Prometheus's client libraries
// can read Picket's store as a Prometheus data source. The caller mounts the
// Handler with http.StripPrefix (Picket uses /prometheus).
package promapi

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// Querier is what the API reads; *store.Store satisfies it. Errors are
// expected to match store.ErrBadData, ErrTimeout, ErrCanceled, ErrExecution
// or ErrInternal (anything else is answered as an execution error).
type Querier interface {
	Query(ctx context.Context, expr string, ts time.Time) (store.Value, error)
	QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (store.Value, error)
	Series(ctx context.Context, matchers []string, start, end time.Time) ([]store.Labels, error)
	LabelNames(ctx context.Context, matchers []string, start, end time.Time) ([]string, error)
	LabelValues(ctx context.Context, name string, matchers []string, start, end time.Time) ([]string, error)
}

var _ Querier = (*store.Store)(nil)

// Options configures New. The zero value is ready to use.
type Options struct {
	// Now is the clock for queries without a time; default time.Now.
	Now func() time.Time
	// Version is the Prometheus version /api/v1/status/buildinfo reports;
	// default store.PrometheusVersion, the engine Picket embeds (Grafana
	// enables PromQL features by it).
	Version string
}

// Handler answers the Prometheus query API from a Querier.
type Handler struct {
	q   Querier
	now func() time.Time
	mux *http.ServeMux
	// build is the body of /api/v1/status/buildinfo.
	build buildInfo
}

// New returns a Handler that reads q.
func New(q Querier, opts Options) *Handler {
	h := &Handler{q: q, now: opts.Now, mux: http.NewServeMux()}
	if h.now == nil {
		h.now = time.Now
	}
	h.build = buildInfo{Version: opts.Version, GoVersion: runtime.Version()}
	if h.build.Version == "" {
		h.build.Version = store.PrometheusVersion
	}
	h.route("/api/v1/query", h.query, http.MethodGet, http.MethodPost)
	h.route("/api/v1/query_range", h.queryRange, http.MethodGet, http.MethodPost)
	h.route("/api/v1/series", h.series, http.MethodGet, http.MethodPost)
	h.route("/api/v1/labels", h.labelNames, http.MethodGet, http.MethodPost)
	h.route("/api/v1/label/{name}/values", h.labelValues, http.MethodGet)
	h.route("/api/v1/status/buildinfo", h.serveBuildInfo, http.MethodGet)
	h.route("/api/v1/metadata", h.metadata, http.MethodGet)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// endpoint answers one request with data or an error.
type endpoint func(r *http.Request) result

// result is what an endpoint found: data, or err; warnings and infos go
// with either.
type result struct {
	data     any
	err      *apiError
	warnings []string
	infos    []string
}

func (h *Handler) route(path string, ep endpoint, methods ...string) {
	for _, m := range methods {
		h.mux.HandleFunc(m+" "+path, func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil {
				writeError(w, badData("error parsing form values: %w", err))
				return
			}
			res := ep(r)
			if res.err != nil {
				writeError(w, res.err)
				return
			}
			writeSuccess(w, res)
		})
	}
}

// buildInfo is the data of /api/v1/status/buildinfo.
type buildInfo struct {
	Version   string `json:"version"`
	Revision  string `json:"revision"`
	Branch    string `json:"branch"`
	BuildUser string `json:"buildUser"`
	BuildDate string `json:"buildDate"`
	GoVersion string `json:"goVersion"`
}

func (h *Handler) serveBuildInfo(*http.Request) result {
	return result{data: h.build}
}

// metadata answers /api/v1/metadata with no metric metadata: Picket keeps
// none, and an empty success is what Prometheus sends when it has none.
func (h *Handler) metadata(*http.Request) result {
	return result{data: map[string]any{}}
}

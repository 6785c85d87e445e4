package app

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/picket-monitor/picket/internal/probe"
)

// metrics are Picket's own, served on /metrics from a registry of its own.
type metrics struct {
	reg           *prometheus.Registry
	checks        prometheus.Gauge
	runs          *prometheus.CounterVec
	lag           prometheus.Histogram
	skipped       prometheus.Counter
	publishErrors prometheus.Counter
	consumeErrors *prometheus.CounterVec
	reloads       *prometheus.CounterVec
	reloadTime    prometheus.Gauge
	unrouted      prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		checks: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "picket_checks", Help: "Checks in the running config."}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_probe_runs_total", Help: "Probe runs by type and outcome."}, []string{"type", "status"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "picket_schedule_lag_seconds", Help: "Actual start minus planned start of probe runs.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5}}),
		skipped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_schedule_skipped_total", Help: "Runs skipped because the previous run of the check was still going."}),
		publishErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_result_publish_errors_total", Help: "Results that could not be written to the bus."}),
		consumeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_result_consume_errors_total", Help: "Result batches a consumer failed to handle (they are redelivered)."}, []string{"consumer"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "picket_config_reloads_total", Help: "Config reloads by result."}, []string{"result"}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "picket_config_last_reload_success_timestamp_seconds", Help: "When the running config was loaded."}),
		unrouted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "picket_notifications_unrouted_total", Help: "Notices that no route sent anywhere."}),
	}
	m.reg.MustRegister(m.checks, m.runs, m.lag, m.skipped, m.publishErrors, m.consumeErrors, m.reloads, m.reloadTime, m.unrouted,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

func (m *metrics) observeRun(typ string, st probe.Status) {
	m.runs.WithLabelValues(typ, st.String()).Inc()
}

func (m *metrics) observeStart(_ string, planned, actual time.Time) {
	m.lag.Observe(actual.Sub(planned).Seconds())
}

func (m *metrics) loaded(n int, now time.Time) {
	m.checks.Set(float64(n))
	m.reloadTime.Set(float64(now.Unix()))
}

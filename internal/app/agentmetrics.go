package app

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/picket-monitor/picket/internal/ingest"
)

// agentCollector exposes agent ingest's counters on /metrics, read at
// each scrape.
type agentCollector struct {
	stats    func() ingest.AgentStats
	messages *prometheus.Desc
	samples  *prometheus.Desc
	refused  *prometheus.Desc
}

func newAgentCollector(stats func() ingest.AgentStats) *agentCollector {
	return &agentCollector{
		stats: stats,
		messages: prometheus.NewDesc("picket_agent_messages_total",
			"Messages from agents accepted, by kind (hello, metrics, procs).", []string{"kind"}, nil),
		samples: prometheus.NewDesc("picket_agent_samples_total",
			"Samples from agents handed to the store.", nil, nil),
		refused: prometheus.NewDesc("picket_agent_messages_refused_total",
			"Messages from agents refused, by reason.", []string{"reason"}, nil),
	}
}

func (c *agentCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.messages
	ch <- c.samples
	ch <- c.refused
}

func (c *agentCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	for kind, n := range s.Messages {
		ch <- prometheus.MustNewConstMetric(c.messages, prometheus.CounterValue, float64(n), kind)
	}
	ch <- prometheus.MustNewConstMetric(c.samples, prometheus.CounterValue, float64(s.Samples))
	for reason, n := range s.Refused {
		ch <- prometheus.MustNewConstMetric(c.refused, prometheus.CounterValue, float64(n), reason)
	}
}

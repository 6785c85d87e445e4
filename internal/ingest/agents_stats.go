package ingest

import (
	"encoding/json"
	"sync/atomic"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
)

// Reasons for refusing an agent's message besides the wire.Reason*
// constants of a malformed batch (wire.ReasonVersion and
// wire.ReasonTooLarge also apply to hellos and process messages). Only
// ReasonBusy and ReasonStore, and wire.ReasonUnknownTable, ask the agent
// to keep the message ("retry": true).
const (
	ReasonWrongAgent = "wrong_agent"       // names another agent than its subject's
	ReasonFuture     = "future_timestamps" // a point further ahead than MaxFuture
	ReasonBadMessage = "bad_message"       // a hello or process message that is not valid (zstd) JSON
	ReasonBusy       = "busy"              // the agent's worker is too far behind
	ReasonStore      = "store_failed"      // the store could not take the samples
)

// AgentReasons returns every reason a message can be refused for.
func AgentReasons() []string {
	return append(wire.Reasons(), ReasonWrongAgent, ReasonFuture, ReasonBadMessage, ReasonBusy, ReasonStore)
}

// AgentStats are counters since NewAgents, for Picket's own /metrics:
// picket_agent_messages_total{kind}, picket_agent_samples_total and
// picket_agent_messages_refused_total{reason}.
type AgentStats struct {
	Messages map[string]uint64 // accepted messages by kind (hello, metrics, procs)
	// Samples are the samples handed to the store; the store counts
	// those it skipped as out of order or duplicates (store.Stats).
	Samples uint64
	Refused map[string]uint64 // refused messages by reason, every reason present
}

// agentStats are the counters, made up front so that counting takes no
// lock; the maps are only read after newAgentStats.
type agentStats struct {
	messages map[string]*atomic.Uint64
	samples  atomic.Uint64
	refused  map[string]*atomic.Uint64
}

func newAgentStats() *agentStats {
	s := &agentStats{messages: make(map[string]*atomic.Uint64), refused: make(map[string]*atomic.Uint64)}
	for _, k := range []string{bus.AgentHello, bus.AgentMetrics, bus.AgentProcs} {
		s.messages[k] = new(atomic.Uint64)
	}
	for _, r := range AgentReasons() {
		s.refused[r] = new(atomic.Uint64)
	}
	return s
}

func (s *agentStats) accepted(kind string, samples int) {
	s.messages[kind].Add(1)
	s.samples.Add(uint64(samples))
}

// Stats returns the counters.
func (a *Agents) Stats() AgentStats {
	return AgentStats{Messages: snapshot(a.stats.messages), Samples: a.stats.samples.Load(), Refused: snapshot(a.stats.refused)}
}

func snapshot(m map[string]*atomic.Uint64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = v.Load()
	}
	return out
}

// refuse counts a refused message, records it on its host and tells the
// agent why, and whether to keep the message to send it again.
func (a *Agents) refuse(m *bus.AgentMessage, reason string, retry bool) {
	if c, ok := a.stats.refused[reason]; ok {
		c.Add(1)
	}
	a.opts.Hosts.Rejected(m.Agent, reason)
	a.reply(m, proto.Reply{V: proto.Version, Error: reason, Retry: &retry})
}

// reply sends r; an agent that is gone will send its message again, so a
// failed reply needs nothing more.
func (a *Agents) reply(m *bus.AgentMessage, r proto.Reply) {
	data, err := json.Marshal(r)
	if err != nil {
		return // a reply of plain fields always encodes
	}
	_ = m.Respond(data)
}

package ingest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/store"
)

// HostLabel is the label that names the agent a series comes from. The
// server sets it to the agent's id, replacing any the agent sent: an
// agent only speaks for itself.
const HostLabel = "host"

// keptSamples is the largest sample buffer a worker keeps between batches.
const keptSamples = 1 << 16

// worker is one worker's queue and the state of the agents it serves;
// only its goroutine touches the state.
type worker struct {
	in      chan *bus.AgentMessage
	agents  map[string]*agentState
	samples []store.Sample
}

// agentState is what a worker keeps of one agent: the series tables it
// sent (so that it can refer to them), and the labels of the series of
// the latest one, so that a batch with the same table builds no labels.
type agentState struct {
	tables *wire.Tables
	table  wire.TableID
	labels []store.Labels // of table's series, in order
}

func newWorker(queue int) *worker {
	return &worker{in: make(chan *bus.AgentMessage, queue), agents: make(map[string]*agentState)}
}

func (w *worker) agent(id string) *agentState {
	st, ok := w.agents[id]
	if !ok {
		st = &agentState{tables: wire.NewTables(0)}
		w.agents[id] = st
	}
	return st
}

// metrics stores one batch and replies with its sequence number, or
// refuses it with a counted reason. Samples the store skips (out of
// order, duplicates: a batch sent again after its reply was lost) are
// counted by the store and do not fail the batch.
func (a *Agents) metrics(ctx context.Context, w *worker, m *bus.AgentMessage) {
	st := w.agent(m.Agent)
	b, reason := a.decode(st, m)
	if reason != "" {
		// A batch referring to a table this server does not hold is
		// kept by the agent, which sends it again with the table.
		a.refuse(m, reason, reason == wire.ReasonUnknownTable)
		return
	}
	samples, newest := w.convert(m.Agent, st, b)
	defer w.release()
	if newest > a.opts.Now().Add(a.opts.MaxFuture).UnixMilli() {
		a.refuse(m, ReasonFuture, false)
		return
	}
	err := a.opts.Store.Append(ctx, samples)
	if err != nil && !errors.Is(err, store.ErrBadData) {
		a.refuse(m, ReasonStore, true)
		return
	}
	a.stats.accepted(bus.AgentMetrics, len(samples))
	a.opts.Hosts.Batch(m.Agent, b)
	a.reply(m, proto.Reply{V: proto.Version, OK: true, Seq: &b.Seq})
}

// decode checks the header before decompressing anything: the batch must
// be the agent's own.
func (a *Agents) decode(st *agentState, m *bus.AgentMessage) (*wire.Batch, string) {
	h, err := wire.ReadHeader(m.Data, a.opts.Limits)
	if err != nil {
		return nil, reasonOf(err)
	}
	if h.Agent != m.Agent {
		return nil, ReasonWrongAgent
	}
	b, err := a.dec.Decode(m.Data, st.tables)
	if err != nil {
		return nil, reasonOf(err)
	}
	return b, ""
}

func reasonOf(err error) string {
	var we *wire.Error
	if errors.As(err, &we) {
		return we.Reason
	}
	return wire.ReasonCorrupt
}

// convert returns the samples of b, labelled, in the worker's buffer, and
// the newest point's time.
func (w *worker) convert(id string, st *agentState, b *wire.Batch) ([]store.Sample, int64) {
	if st.labels == nil || st.table != b.Table || len(st.labels) != len(b.Series) {
		st.table, st.labels = b.Table, tableLabels(id, b.Series)
	}
	out := w.samples[:0]
	newest := int64(0)
	for i := range b.Series {
		ls := st.labels[i]
		for _, p := range b.Series[i].Points {
			out = append(out, store.Sample{Labels: ls, T: time.UnixMilli(p.T), V: p.V})
		}
		if n := len(b.Series[i].Points); n > 0 {
			newest = max(newest, b.Series[i].Points[n-1].T)
		}
	}
	w.samples = out
	return out, newest
}

// release empties the sample buffer, dropping it when a large batch grew
// it beyond what is worth keeping.
func (w *worker) release() {
	if cap(w.samples) > keptSamples {
		w.samples = nil
		return
	}
	clear(w.samples)
	w.samples = w.samples[:0]
}

// tableLabels returns the labels of each series: its name, host=id and its
// own labels but host, sorted by name, all in one allocation.
func tableLabels(id string, series []wire.Series) []store.Labels {
	n := 0
	for i := range series {
		n += len(series[i].Labels) + 2
	}
	buf := make([]store.Label, 0, n)
	out := make([]store.Labels, len(series))
	for i := range series {
		start := len(buf)
		buf = append(buf, store.Label{Name: store.MetricName, Value: series[i].Name}, store.Label{Name: HostLabel, Value: id})
		for _, l := range series[i].Labels {
			if l.Name != HostLabel {
				buf = append(buf, store.Label{Name: l.Name, Value: l.Value})
			}
		}
		ls := store.Labels(buf[start:len(buf):len(buf)])
		slices.SortFunc(ls, func(a, b store.Label) int { return cmp.Compare(a.Name, b.Name) })
		out[i] = ls
	}
	return out
}

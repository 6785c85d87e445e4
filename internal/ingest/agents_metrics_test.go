package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/ingest"
	"github.com/picket-monitor/picket/internal/store"
)

// hostBatch is a batch of three ticks: load, CPU idle of all cores, and a
// series that claims another host, which the server must overrule.
func hostBatch(t *testing.T, agent string, seq uint64, start time.Time) []byte {
	t.Helper()
	var pts []point
	for i, v := range []float64{0.5, 0.75, 1.25} {
		pts = append(pts,
			point{i, sample(collector.CPUPercent, 90-float64(i), "cpu", "all", "mode", "idle")},
			point{i, sample(collector.Load1, v)},
			point{i, sample(collector.UptimeSeconds, 100+float64(i), "host", "somebody-else")},
		)
	}
	return encode(t, agent, seq, start, pts...)
}

func TestAgentMetricsStored(t *testing.T) {
	st := openStore(t)
	srv := startServer(t, ingest.AgentsOptions{Store: st})
	nc := srv.connect(t, "web-1")
	batch := hostBatch(t, "web-1", 1, t0)

	r := request(t, nc, "web-1", "metrics", batch)
	if !r.OK || r.Seq == nil || *r.Seq != 1 || r.V != 1 {
		t.Fatalf("reply = %+v, want ok with seq 1", r)
	}
	last := t0.Add(2 * time.Second)
	tests := []struct {
		expr string
		want []store.Sample
	}{
		{`picket_host_load1`, []store.Sample{{Labels: store.Labels{
			{Name: store.MetricName, Value: collector.Load1}, {Name: "host", Value: "web-1"}}, T: last, V: 1.25}}},
		{`picket_host_uptime_seconds`, []store.Sample{{Labels: store.Labels{
			{Name: store.MetricName, Value: collector.UptimeSeconds}, {Name: "host", Value: "web-1"}}, T: last, V: 102}}},
		{`count_over_time(picket_host_cpu_percent{host="web-1",cpu="all",mode="idle"}[1m])`, []store.Sample{{Labels: store.Labels{
			{Name: "cpu", Value: "all"}, {Name: "host", Value: "web-1"}, {Name: "mode", Value: "idle"}}, T: last, V: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, query(t, st, tt.expr, last)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	h, _ := srv.hosts.Host("web-1")
	if h.LastSeq != 1 || h.Figures.Load1 == nil || *h.Figures.Load1 != 1.25 || h.Figures.CPUPercent == nil || *h.Figures.CPUPercent != 12 {
		t.Errorf("registry: seq %d, figures %+v; want seq 1, load1 1.25, CPU 12", h.LastSeq, h.Figures)
	}

	// The same batch again, as after a lost reply: acknowledged, and the
	// store skips the samples it has (the TSDB takes the newest point of
	// each series again as a no-op: same time, same value).
	before := st.Stats()
	if r := request(t, nc, "web-1", "metrics", batch); !r.OK {
		t.Fatalf("replayed batch: reply %+v, want ok", r)
	}
	if skipped := st.Stats().SamplesSkipped - before.SamplesSkipped; skipped != 6 {
		t.Errorf("replay: %d samples skipped, want 6", skipped)
	}
	if diff := cmp.Diff(tests[2].want, query(t, st, tests[2].expr, last)); diff != "" {
		t.Errorf("after the replay (-want +got):\n%s", diff)
	}

	// The next batch refers to the table the server now holds.
	ref, err := wire.WithTableRef(hostBatch(t, "web-1", 2, t0.Add(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if r := request(t, nc, "web-1", "metrics", ref); !r.OK || *r.Seq != 2 {
		t.Fatalf("batch with a table reference: reply %+v, want ok seq 2", r)
	}
	got := query(t, st, `picket_host_load1{host="web-1"}`, t0.Add(7*time.Second))
	if len(got) != 1 || got[0].V != 1.25 {
		t.Errorf("after the second batch: %v", got)
	}

	// Another agent cannot use that table: the server holds tables per agent.
	other := srv.connect(t, "web-2")
	ref2, _ := wire.WithTableRef(hostBatch(t, "web-2", 1, t0))
	r = request(t, other, "web-2", "metrics", ref2)
	if r.OK || r.Error != wire.ReasonUnknownTable || r.Retry == nil || !*r.Retry {
		t.Errorf("unknown table: reply %+v, want error unknown_table, retry true", r)
	}
	if got := srv.agents.Stats(); got.Messages["metrics"] != 3 || got.Samples != 27 {
		t.Errorf("stats %+v, want 3 metrics messages and 27 samples", got)
	}
}

// bigBatch is a batch of n series of random values, which do not compress.
func bigBatch(t *testing.T, agent string, n int) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var pts []point
	for i := range n {
		pts = append(pts, point{0, sample("picket_host_test", rng.Float64(), "n", fmt.Sprint(i))})
	}
	return encode(t, agent, 1, t0, pts...)
}

func TestAgentMetricsRefused(t *testing.T) {
	st := openStore(t)
	srv := startServer(t, ingest.AgentsOptions{Store: st, Limits: wire.Limits{MaxBytes: 4096}})
	nc := srv.connect(t, "web-1")
	good := hostBatch(t, "web-1", 1, t0)
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)-3] ^= 0xff
	tests := []struct {
		name  string
		batch []byte
		want  string
	}{
		{"not a batch", []byte(`{"load1": 0.5}`), wire.ReasonBadMagic},
		{"truncated", good[:len(good)/2], wire.ReasonTruncated},
		{"corrupt", corrupt, wire.ReasonCorrupt},
		{"oversized", bigBatch(t, "web-1", 1000), wire.ReasonTooLarge},
		{"another agent's", hostBatch(t, "web-2", 1, t0), ingest.ReasonWrongAgent},
		{"from the future", hostBatch(t, "web-1", 1, t0.Add(2*time.Hour)), ingest.ReasonFuture},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.agents.Stats().Refused[tt.want]
			r := request(t, nc, "web-1", "metrics", tt.batch)
			if r.OK || r.Error != tt.want || r.Retry == nil || *r.Retry {
				t.Errorf("reply %+v, want error %q, retry false", r, tt.want)
			}
			if got := srv.agents.Stats().Refused[tt.want] - before; got != 1 {
				t.Errorf("%s counted %d times, want 1", tt.want, got)
			}
		})
	}
	if s := st.Stats(); s.SamplesAppended != 0 || s.HeadSeries != 0 {
		t.Errorf("store holds %d samples in %d series, want none", s.SamplesAppended, s.HeadSeries)
	}
	if h, _ := srv.hosts.Host("web-1"); h.LastError == nil || h.LastError.Reason != ingest.ReasonFuture {
		t.Errorf("host's last error = %+v, want %s", h.LastError, ingest.ReasonFuture)
	}
}

// gateStore blocks each Append until released, and fails it with err.
type gateStore struct {
	entered chan struct{}
	release chan error
}

func (g *gateStore) Append(ctx context.Context, _ []store.Sample) error {
	g.entered <- struct{}{}
	select {
	case err := <-g.release:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestAgentBusy: a worker too far behind, by messages or by bytes, tells
// the agent to keep the batch, and so does a store that fails.
func TestAgentBusy(t *testing.T) {
	size := int64(len(hostBatch(t, "web-1", 1, t0)))
	for name, opts := range map[string]ingest.AgentsOptions{
		"queue":       {Workers: 1, Queue: 1},
		"queue bytes": {Workers: 1, QueueBytes: size * 3 / 2},
	} {
		t.Run(name, func(t *testing.T) { testAgentBusy(t, opts) })
	}
}

func testAgentBusy(t *testing.T, opts ingest.AgentsOptions) {
	g := &gateStore{entered: make(chan struct{}, 4), release: make(chan error)}
	opts.Store = g
	srv := startServer(t, opts)
	nc := srv.connect(t, "web-1")
	replies := make(chan agentReply, 3)
	send := func(seq uint64) {
		batch := hostBatch(t, "web-1", seq, t0)
		go func() {
			var r agentReply
			m, err := nc.Request("picket.agent.web-1.metrics", batch, waitFor)
			if err == nil {
				err = json.Unmarshal(m.Data, &r)
			}
			if err != nil {
				r.Error = err.Error()
			}
			replies <- r
		}()
	}
	send(1)
	<-g.entered // the worker holds batch 1
	send(2)     // waits in the queue
	send(3)     // finds it full
	// Batch 2 or 3 is refused as busy, whichever came second.
	if r := <-replies; r.OK || r.Error != ingest.ReasonBusy || r.Retry == nil || !*r.Retry {
		t.Errorf("reply %+v, want error busy, retry true", r)
	}
	g.release <- errors.New("disk full")
	<-g.entered
	g.release <- nil
	got := map[bool]agentReply{}
	for range 2 {
		r := <-replies
		got[r.OK] = r
	}
	if r := got[false]; r.Error != ingest.ReasonStore || r.Retry == nil || !*r.Retry {
		t.Errorf("store failure: reply %+v, want error store_failed, retry true", r)
	}
	if _, ok := got[true]; !ok {
		t.Errorf("no batch was acknowledged after the store recovered: %+v", got)
	}
}

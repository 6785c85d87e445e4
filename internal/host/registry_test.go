package host_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/probe"
)

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newRegistry(t *testing.T, opts host.Options) (*host.Registry, *clock) {
	t.Helper()
	c := &clock{t: t0}
	opts.Now = c.now
	return host.NewRegistry(opts), c
}

func ptr[T any](v T) *T { return &v }

func TestStatus(t *testing.T) {
	r, c := newRegistry(t, host.Options{Grace: 30 * time.Second})
	r.SetHosts([]string{"web", "db"})
	type want struct {
		status string
		since  *time.Time
		down   []string
	}
	check := func(t *testing.T, w want) {
		t.Helper()
		h, ok := r.Host("web")
		if !ok {
			t.Fatal("Host(web) not found")
		}
		got := want{status: h.Status, since: h.Since, down: r.Down(c.now())}
		if diff := cmp.Diff(w, got, cmp.AllowUnexported(want{})); diff != "" {
			t.Errorf("web (-want +got):\n%s", diff)
		}
		if h.Connected != (h.Status == host.StatusUp) {
			t.Errorf("Connected = %v with status %s", h.Connected, h.Status)
		}
		err := r.Check("web")
		if (err != nil) != (w.status == host.StatusDown) {
			t.Errorf("Check = %v with status %s", err, w.status)
		}
	}
	steps := []struct {
		name string
		do   func()
		want want
	}{
		{"listed", func() {}, want{status: host.StatusUnknown}},
		{"grace over", func() { c.add(31 * time.Second) },
			want{status: host.StatusDown, since: ptr(t0.Add(30 * time.Second)), down: []string{"db", "web"}}},
		{"reports", func() { r.Seen("web") }, want{status: host.StatusUp, since: ptr(t0.Add(31 * time.Second)), down: []string{"db"}}},
		{"within grace", func() { c.add(20 * time.Second); r.Seen("web"); c.add(30 * time.Second) },
			want{status: host.StatusUp, since: ptr(t0.Add(31 * time.Second)), down: []string{"db"}}},
		{"silent", func() { c.add(time.Second) },
			want{status: host.StatusDown, since: ptr(t0.Add(81 * time.Second)), down: []string{"db", "web"}}},
		{"back", func() { r.Seen("web") }, want{status: host.StatusUp, since: ptr(t0.Add(82 * time.Second)), down: []string{"db"}}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do()
			check(t, s.want)
		})
	}
}

func TestProber(t *testing.T) {
	r, c := newRegistry(t, host.Options{Grace: 10 * time.Second})
	r.SetHosts([]string{"web"})
	p := r.Prober("web")
	probeOnce := func() (probe.Status, string, probe.Report) {
		var rep probe.Report
		err := p.Probe(t.Context(), &rep)
		reason := rep.Detail
		if err != nil {
			reason = err.Error()
		}
		return probe.StatusOf(err), reason, rep
	}
	if s, reason, _ := probeOnce(); s != probe.StatusUp {
		t.Errorf("before the grace period: %s (%s), want up", s, reason)
	}
	c.add(11 * time.Second)
	if s, reason, _ := probeOnce(); s != probe.StatusDown || !strings.Contains(reason, "not reported") {
		t.Errorf("never reported: %s (%s), want down, not reported", s, reason)
	}
	r.Seen("web")
	c.add(4 * time.Second)
	s, reason, rep := probeOnce()
	if s != probe.StatusUp || reason != "agent reported 4s ago" {
		t.Errorf("reporting: %s (%s), want up, agent reported 4s ago", s, reason)
	}
	if diff := cmp.Diff([]probe.Metric{{Name: "host_last_report_age_seconds", Value: 4}}, rep.Metrics); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	c.add(7 * time.Second)
	if s, reason, _ := probeOnce(); s != probe.StatusDown || reason != "no report from agent for 11s (grace 10s)" {
		t.Errorf("silent: %s (%s)", s, reason)
	}
	if err := r.Prober("nope").Probe(t.Context(), &probe.Report{}); err == nil || !strings.Contains(err.Error(), "no such host") {
		t.Errorf("unknown host: %v", err)
	}
}

func TestSetHosts(t *testing.T) {
	r, _ := newRegistry(t, host.Options{})
	r.Seen("old")
	r.SetHosts([]string{"a", "b"})
	r.Seen("c") // an agent's message adds its host
	var ids []string
	for _, h := range r.Hosts() {
		ids = append(ids, h.ID)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, ids); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	for _, id := range []string{"old", "x"} {
		if _, ok := r.Host(id); ok {
			t.Errorf("Host(%s) found", id)
		}
		if _, ok := r.Processes(id); ok {
			t.Errorf("Processes(%s) found", id)
		}
		if _, ok := r.Events(id, time.Time{}, 0); ok {
			t.Errorf("Events(%s) found", id)
		}
	}
}

func TestHelloAndJSON(t *testing.T) {
	r, c := newRegistry(t, host.Options{})
	r.Hello("web", proto.HostInfo{Hostname: "web1.example.com", OS: "linux", Kernel: "6.12.0", Arch: "amd64",
		Cores: 8, Collectors: []string{"cpu", "memory"}, AgentVersion: "0.4.0"})
	c.add(time.Second)
	r.Batch("web", &wire.Batch{Header: wire.Header{Seq: 7}, Series: []wire.Series{
		{Name: collector.Load1, Points: []wire.Point{{T: t0.UnixMilli(), V: 0.42}}},
	}})
	r.Rejected("web", "corrupt")
	h, _ := r.Host("web")
	data, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"web","name":"web1.example.com","status":"up","connected":true,` +
		`"since":"2026-11-21T08:00:00Z","last_seen":"2026-11-21T08:00:01Z",` +
		`"hostname":"web1.example.com","os":"linux","kernel":"6.12.0","arch":"amd64","cores":8,` +
		`"collectors":["cpu","memory"],"agent_version":"0.4.0","hello_at":"2026-11-21T08:00:00Z",` +
		`"figures":{"cpu_percent":null,"memory_used_percent":null,"load1":0.42,"disk_used_percent":null,` +
		`"time":"2026-11-21T08:00:00Z"},"last_seq":7,"processes":0,` +
		`"last_error":{"time":"2026-11-21T08:00:01Z","reason":"corrupt"}}`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

// start is when the fake clock of the tests starts: a whole second, so
// the first tick is one second later.
var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Modes of the fake server.
const (
	serverUp      = "up"       // answers and stores
	serverDown    = "down"     // the connection is down
	serverNoReply = "no-reply" // requests time out
	serverBusy    = "busy"     // "retry":true
)

// fakeServer plays Picket's server side of the protocol.
type fakeServer struct {
	t         *testing.T
	dec       *wire.Decoder
	zd        *zstd.Decoder
	tables    *wire.Tables // nil: refuses batches by table reference
	mu        sync.Mutex   // protects the fields below
	mode      string
	refuseSeq map[uint64]bool
	hellos    []proto.Hello
	batches   []*wire.Batch
	byRef     int // batches that came with a table reference
	procs     []proto.Procs
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	dec, err := wire.NewDecoder(wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	zd, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dec.Close(); zd.Close() })
	return &fakeServer{t: t, dec: dec, zd: zd, tables: wire.NewTables(0), mode: serverUp, refuseSeq: map[uint64]bool{}}
}

func (s *fakeServer) setMode(m string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

func (s *fakeServer) serve(subject string, data []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.mode {
	case serverDown:
		return nil, errNotConnected
	case serverNoReply:
		return nil, fmt.Errorf("request on %s: %w", subject, context.DeadlineExceeded)
	}
	switch {
	case strings.HasSuffix(subject, ".hello"):
		var h proto.Hello
		if err := json.Unmarshal(data, &h); err != nil {
			s.t.Errorf("hello: %v", err)
		}
		s.hellos = append(s.hellos, h)
		return []byte(`{"v":1,"ok":true,"server":"fake"}`), nil
	case strings.HasSuffix(subject, ".metrics"):
		return s.metricsLocked(data), nil
	case strings.HasSuffix(subject, ".procs"):
		return s.procsLocked(data), nil
	}
	s.t.Errorf("request on unexpected subject %s", subject)
	return nil, errors.New("no responders")
}

func (s *fakeServer) metricsLocked(data []byte) []byte {
	h, err := wire.ReadHeader(data, wire.Limits{})
	if err != nil {
		s.t.Errorf("batch header: %v", err)
		return []byte(`{"v":1,"ok":false,"error":"bad","retry":false}`)
	}
	if s.mode == serverBusy {
		return []byte(`{"v":1,"ok":false,"error":"busy","retry":true}`)
	}
	if s.refuseSeq[h.Seq] {
		return []byte(`{"v":1,"ok":false,"error":"malformed","retry":false}`)
	}
	b, err := s.dec.Decode(data, s.tables)
	var we *wire.Error
	if errors.As(err, &we) && we.Reason == wire.ReasonUnknownTable {
		return []byte(`{"v":1,"ok":false,"error":"unknown_table","retry":true}`)
	}
	if err != nil {
		s.t.Errorf("batch %d: %v", h.Seq, err)
		return []byte(`{"v":1,"ok":false,"error":"bad","retry":false}`)
	}
	if b.Flags&wire.FlagTableRef != 0 {
		s.byRef++
	}
	s.batches = append(s.batches, b)
	return fmt.Appendf(nil, `{"v":1,"ok":true,"seq":%d}`, h.Seq)
}

func (s *fakeServer) procsLocked(data []byte) []byte {
	js, err := s.zd.DecodeAll(data, nil)
	var m proto.Procs
	if err == nil {
		err = json.Unmarshal(js, &m)
	}
	if err != nil {
		s.t.Errorf("procs: %v", err)
		return []byte(`{"v":1,"ok":false,"error":"bad","retry":false}`)
	}
	s.procs = append(s.procs, m)
	return []byte(`{"v":1,"ok":true}`)
}

// received returns the batches stored so far.
func (s *fakeServer) received() []*wire.Batch {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*wire.Batch(nil), s.batches...)
}

func (s *fakeServer) procsReceived() []proto.Procs {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]proto.Procs(nil), s.procs...)
}

// fakeTransport connects the agent to a fakeServer in memory.
type fakeTransport struct {
	srv      *fakeServer
	connects chan struct{}
	mu       sync.Mutex // protects handlers
	handlers map[string]handled
}

func newFakeTransport(srv *fakeServer) *fakeTransport {
	return &fakeTransport{srv: srv, connects: make(chan struct{}, 1), handlers: map[string]handled{}}
}

func (f *fakeTransport) Request(_ context.Context, subject string, data []byte) ([]byte, error) {
	return f.srv.serve(subject, bytes.Clone(data))
}

func (f *fakeTransport) Connects() <-chan struct{} { return f.connects }

func (f *fakeTransport) Handle(ctx context.Context, subject string, h handler) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[subject] = handled{ctx: ctx, subject: subject, h: h}
	return nil
}

// connect says the connection is (back) up.
func (f *fakeTransport) connect() {
	f.srv.setMode(serverUp)
	select {
	case f.connects <- struct{}{}:
	default:
	}
}

// command sends a command to the agent as the server would.
func (f *fakeTransport) command(t *testing.T, id, req string) commandReply {
	t.Helper()
	f.mu.Lock()
	h, ok := f.handlers[subjectsOf(id).cmd]
	f.mu.Unlock()
	if !ok {
		t.Fatal("the agent does not handle commands")
	}
	var r commandReply
	var data json.RawMessage
	r.Data = &data
	if err := json.Unmarshal(h.h(h.ctx, []byte(req)), &r); err != nil {
		t.Fatalf("reply to %s: %v", req, err)
	}
	r.Data = data
	return r
}

// counter is a collector whose value counts its calls, so the ticks a
// batch holds can be read back from the values.
type counter struct {
	n      float64
	labels []collector.Label
}

func (c *counter) Collect(_ context.Context, emit collector.Emit) error {
	c.n++
	emit(collector.Sample{Name: collector.Load1, Value: c.n})
	emit(collector.Sample{Name: collector.CPUPercent, Labels: c.labels, Value: 12.5})
	return nil
}

// unsupported is a collector with nothing to measure.
type unsupported struct{ calls int }

func (u *unsupported) Collect(context.Context, collector.Emit) error {
	u.calls++
	return fmt.Errorf("no such thing: %w", collector.ErrNotSupported)
}

// fakeProcs is a process table that changes when told to.
type fakeProcs struct {
	mu     sync.Mutex // protects the fields below
	table  []collector.Process
	events []collector.ProcessEvent
	scans  int
}

func (p *fakeProcs) Scan(_ context.Context, now time.Time) ([]collector.Process, []collector.ProcessEvent, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.scans++
	ev := p.events
	p.events = nil
	for i := range ev {
		ev[i].Time = now
	}
	return append([]collector.Process(nil), p.table...), ev, nil
}

// spawn adds a process and its birth.
func (p *fakeProcs) spawn(pid int, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	proc := collector.Process{PID: pid, Name: name, Cmdline: "/usr/bin/" + name, User: "root", State: "sleeping"}
	p.table = append(p.table, proc)
	p.events = append(p.events, collector.ProcessEvent{Kind: collector.ProcessBirth, Process: proc})
}

// logBuffer collects the agent's log for tests that check it.
type logBuffer struct {
	mu sync.Mutex // protects b
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness runs an agent against a fake server on a fake clock. Make it
// inside a synctest bubble: the clock waits for the agent's goroutines
// to settle after each timer.
type harness struct {
	t      *testing.T
	cfg    *Config
	clock  *schedtest.Clock
	srv    *fakeServer
	tr     *fakeTransport
	sp     *spool.Spool
	r      *runner
	logs   *logBuffer
	procs  *fakeProcs
	cancel context.CancelFunc
	done   chan struct{}
}

func testConfig(dir string) *Config {
	return &Config{ID: "web-1", SpoolDir: dir, SpoolMax: DefaultSpoolMax, Interval: time.Second,
		ProcessInterval: 5 * time.Second, BatchInterval: 5 * time.Second}
}

// startAgent runs an agent; the clock starts at clockAt.
func startAgent(t *testing.T, cfg *Config, srv *fakeServer, clockAt time.Time, slots ...*slot) *harness {
	t.Helper()
	sp, err := spool.Open(cfg.SpoolDir, spool.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, cfg: cfg, clock: schedtest.NewClock(clockAt, synctest.Wait), srv: srv,
		tr: newFakeTransport(srv), sp: sp, logs: &logBuffer{}, procs: &fakeProcs{}, done: make(chan struct{})}
	if len(slots) == 0 {
		slots = []*slot{{name: "counter", c: &counter{labels: []collector.Label{{Name: "cpu", Value: "all"}, {Name: "mode", Value: "user"}}}}}
	}
	log := slog.New(slog.NewTextHandler(h.logs, nil))
	h.r, err = newRunner(cfg, deps{clock: h.clock, tr: h.tr, sp: sp, log: log, slots: slots, procs: h.procs,
		hello: hostHello(cfg.ID, "test", slotNames(slots))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	h.cancel = cancel
	go func() {
		defer close(h.done)
		if err := h.r.run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	synctest.Wait()
	return h
}

// stop stops the agent and closes its spool.
func (h *harness) stop() {
	h.t.Helper()
	h.cancel()
	<-h.done
	if err := h.sp.Close(); err != nil {
		h.t.Errorf("closing spool: %v", err)
	}
}

// ticksOf returns the timestamps of the given batches, in order, and
// checks that the counter's values match them (one value per tick).
func ticksOf(t *testing.T, batches []*wire.Batch) []time.Time {
	t.Helper()
	var ticks []time.Time
	for _, b := range batches {
		for _, s := range b.Series {
			if s.Name != collector.Load1 {
				continue
			}
			for _, p := range s.Points {
				ticks = append(ticks, time.UnixMilli(p.T).UTC())
			}
		}
	}
	return ticks
}

// everySecond returns the ticks from first to last, one second apart.
func everySecond(first, last time.Time) []time.Time {
	var ts []time.Time
	for at := first; !at.After(last); at = at.Add(time.Second) {
		ts = append(ts, at)
	}
	return ts
}

package bus

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go"

	"github.com/picket-monitor/picket/internal/probe"
)

// waitFor bounds every wait in these tests.
const waitFor = 20 * time.Second

// startBus starts a bus on dir with short retry and fetch delays and closes
// it when the test ends.
func startBus(t testing.TB, dir string, opts Options) *Bus {
	t.Helper()
	opts.DataDir = dir
	if opts.ResultsMaxBytes == 0 {
		opts.ResultsMaxBytes = 64 << 20 // JetStream reserves it on disk
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	b, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	b.retryDelay = 100 * time.Millisecond
	b.fetchWait = 50 * time.Millisecond
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

// testCtx is a context bounded by waitFor and the test.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	t.Cleanup(cancel)
	return ctx
}

// result returns a result of check started at start.
func result(check string, start time.Time) Result {
	return Result{
		Check: check, Type: "http", Node: "n1", Start: start.UTC(),
		Duration: 12 * time.Millisecond, Status: probe.StatusUp, Reason: "HTTP 200",
		Metrics: []probe.Metric{{Name: "http_status_code", Value: 200}},
	}
}

func publish(t *testing.T, b *Bus, rs ...Result) {
	t.Helper()
	for _, r := range rs {
		if err := b.PublishResult(testCtx(t), r); err != nil {
			t.Fatalf("PublishResult(%s): %v", r.Check, err)
		}
	}
}

func TestStartOptions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no data dir", Options{}, "DataDir is empty"},
		{"data dir is a file", Options{DataDir: file}, "creating nats store"},
		{"listen without port", Options{DataDir: t.TempDir(), Listen: "127.0.0.1"}, "missing port"},
		{"listen with bad port", Options{DataDir: t.TempDir(), Listen: "127.0.0.1:http"}, "bad port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Start(testCtx(t), tt.opts)
			if err == nil {
				b.Close()
				t.Fatalf("Start succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestListen(t *testing.T) {
	quiet := startBus(t, t.TempDir(), Options{})
	if got := quiet.ClientURL(); got != "" {
		t.Errorf("ClientURL without Listen = %q, want empty", got)
	}
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0"})
	url := b.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("ClientURL = %q, want nats://127.0.0.1:<port>", url)
	}
	// The listener answers, and only to agents (see agents_test.go): an
	// anonymous client is refused.
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second), nats.NoReconnect())
	if err == nil {
		nc.Close()
	}
	if !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("anonymous connect over TCP: error = %v, want %v", err, nats.ErrAuthorization)
	}
}

func TestInvalidID(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	ctx := testCtx(t)
	bad := []string{"", "a.b", "a*", ">", "a b", "-x", "_x", "ä", "a/b", strings.Repeat("x", 65)}
	for _, id := range bad {
		calls := map[string]error{
			"PublishResult":  b.PublishResult(ctx, result(id, time.Now())),
			"PutState":       b.PutState(ctx, State{Check: id}),
			"DeleteState":    b.DeleteState(ctx, id),
			"ConsumeResults": b.ConsumeResults(ctx, id, func(context.Context, []Result) error { return nil }),
		}
		_, calls["Results"] = b.Results(ctx, id, time.Time{}, time.Time{}, 0)
		_, _, calls["GetState"] = b.GetState(ctx, id)
		_, calls["AppendEvent"] = b.AppendEvent(ctx, Event{Check: id, Kind: EventKindState})
		if id != "" { // "" selects every check
			_, calls["Events"] = b.Events(ctx, EventFilter{Check: id})
		}
		for name, err := range calls {
			t.Run(name+"/"+id, func(t *testing.T) {
				if !errors.Is(err, ErrInvalidID) {
					t.Errorf("%s(%q) error = %v, want ErrInvalidID", name, id, err)
				}
			})
		}
	}
	for _, stream := range []string{resultsStream, eventsStream} {
		s, err := b.js.Stream(ctx, stream)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.CachedInfo().State.Msgs; n != 0 {
			t.Errorf("%s holds %d messages after refused calls, want 0", stream, n)
		}
	}
	if err := checkID("check id", strings.Repeat("x", 64)); err != nil {
		t.Errorf("a 64-character id was refused: %v", err)
	}
}

func TestStates(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	ctx := testCtx(t)
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	web := State{Check: "web", Status: probe.StatusDown, Reason: "connection refused", Since: t0, LastCheck: t0.Add(time.Minute), Latency: time.Second}
	db := State{Check: "db", Status: probe.StatusUp, Since: t0, LastCheck: t0, Latency: time.Millisecond}
	for _, s := range []State{web, db, {Check: "gone"}} {
		if err := b.PutState(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	web.Status = probe.StatusDegraded
	if err := b.PutState(ctx, web); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteState(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteState(ctx, "never-there"); err != nil {
		t.Errorf("DeleteState of a missing state: %v", err)
	}
	got, ok, err := b.GetState(ctx, "web")
	if err != nil || !ok {
		t.Fatalf("GetState(web) = %v, %v", ok, err)
	}
	if diff := cmp.Diff(web, got); diff != "" {
		t.Errorf("GetState(web) (-want +got):\n%s", diff)
	}
	if _, ok, err := b.GetState(ctx, "gone"); ok || err != nil {
		t.Errorf("GetState(gone) = %v, %v; want false, nil", ok, err)
	}
	all, err := b.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]State{"web": web, "db": db}, all); diff != "" {
		t.Errorf("States (-want +got):\n%s", diff)
	}
}

// collector gathers what a handler is given.
type collector struct {
	mu      sync.Mutex // protects the fields below
	results []Result
	calls   int
}

func (c *collector) add(batch []Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results = append(c.results, batch...)
	c.calls++
}

func (c *collector) snapshot() []Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Result(nil), c.results...)
}

// waitCount polls c until it holds n results or the wait runs out.
func (c *collector) waitCount(t *testing.T, n int) []Result {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if got := c.snapshot(); len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("got %d results, want %d", len(c.snapshot()), n)
	return nil
}

func TestStoreLocked(t *testing.T) {
	dir := t.TempDir()
	startBus(t, dir, Options{})
	b, err := Start(testCtx(t), Options{DataDir: dir, ResultsMaxBytes: 64 << 20})
	if err == nil {
		b.Close()
		t.Fatal("a second bus started on a store in use")
	}
	if !strings.Contains(err.Error(), "another picket") {
		t.Errorf("Start error = %q, want it to say the store is in use", err)
	}
}

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex // protects buf
	buf strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestServerLogsToSlog(t *testing.T) {
	var out lockedBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	b := startBus(t, t.TempDir(), Options{Logger: log})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`msg="Starting nats-server"`, "component=nats", `msg="Server is ready"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("server log lacks %s:\n%s", want, out.String())
		}
	}
}

func TestResultsStreamLimits(t *testing.T) {
	ctx := testCtx(t)
	b, err := Start(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := b.js.Stream(ctx, resultsStream)
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	maxStore := b.srv.JetStreamConfig().MaxStore
	if want := min(DefaultResultsMaxBytes, maxStore/2); cfg.MaxBytes != want {
		t.Errorf("results MaxBytes = %d, want %d (JetStream MaxStore %d)", cfg.MaxBytes, want, maxStore)
	}
	if cfg.MaxAge != DefaultResultsMaxAge {
		t.Errorf("results MaxAge = %s, want %s", cfg.MaxAge, DefaultResultsMaxAge)
	}
	events, err := b.js.Stream(ctx, eventsStream)
	if err != nil {
		t.Fatal(err)
	}
	if got := events.CachedInfo().Config.MaxAge; got != 0 {
		t.Errorf("events MaxAge = %s, want 0 (forever)", got)
	}
}

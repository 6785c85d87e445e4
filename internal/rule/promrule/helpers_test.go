package promrule

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
	"github.com/picket-monitor/picket/internal/store"
)

// waitFor bounds every wait on the engine's goroutine.
const waitFor = 20 * time.Second

// t0 is where fake time starts in these tests.
var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// openStore opens a real store in a temporary directory.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing store: %v", err)
		}
	})
	return st
}

// compile compiles cfg, parsing with st.
func compile(t *testing.T, st *store.Store, cfg Config) *Set {
	t.Helper()
	set, err := Compile(cfg, ParseByQuery(st))
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return set
}

// series returns the labels of a metric with name/value pairs.
func series(metric string, kv ...string) store.Labels {
	m := map[string]string{store.MetricName: metric}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return store.FromMap(m)
}

func fsAvail(host, mount string) store.Labels {
	return series(collector.FilesystemBytes, "host", host, "mountpoint", mount, "device", "/dev/sda1", "fstype", "ext4", "kind", "avail")
}

func fsSize(host, mount string) store.Labels {
	return series(collector.FilesystemBytes, "host", host, "mountpoint", mount, "device", "/dev/sda1", "fstype", "ext4", "kind", "size")
}

// points returns a sample of ls every step from from to to (included),
// valued by f of the time since from.
func points(ls store.Labels, from, to time.Time, step time.Duration, f func(since time.Duration) float64) []store.Sample {
	var out []store.Sample
	for ts := from; !ts.After(to); ts = ts.Add(step) {
		out = append(out, store.Sample{Labels: ls, T: ts, V: f(ts.Sub(from))})
	}
	return out
}

// constant is a value function for points.
func constant(v float64) func(time.Duration) float64 { return func(time.Duration) float64 { return v } }

// write appends samples, sorted by time so every series grows in order.
func write(t *testing.T, st *store.Store, samples ...[]store.Sample) {
	t.Helper()
	all := slices.Concat(samples...)
	slices.SortStableFunc(all, func(a, b store.Sample) int { return a.T.Compare(b.T) })
	if err := st.Append(t.Context(), all); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

// sink records the changes the engine hands over; failing makes it
// refuse them.
type sink struct {
	failing atomic.Bool
	mu      sync.Mutex // protects the field below
	got     []rule.Change
}

func (s *sink) handle(_ context.Context, c rule.Change) error {
	if s.failing.Load() {
		return errors.New("sink down")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, c)
	return nil
}

// take returns the changes so far and forgets them.
func (s *sink) take() []rule.Change {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.got
	s.got = nil
	return out
}

// harness runs an engine on a fake clock. Each pass of Run is reported
// on ticks, and the clock's settle waits for it, so Advance returns once
// the engine has evaluated every rule due on the way.
type harness struct {
	clock *schedtest.Clock
	eng   *Engine
	sink  *sink
	wait  func() // for a pass of Run that no Advance waits for
	stop  func()
}

// start runs an engine over q (and st for appends) with set, from start.
func start(t *testing.T, q Querier, a Appender, states StateStore, set *Set, from time.Time) *harness {
	t.Helper()
	ticks := make(chan time.Time)
	wait := func() {
		select {
		case <-ticks:
		case <-time.After(waitFor):
			panic("the engine did not finish a pass")
		}
	}
	h := &harness{clock: schedtest.NewClock(from, wait), sink: &sink{}, wait: wait}
	h.eng = New(q, a, h.sink.handle, h.clock, Options{States: states})
	ctx, cancel := context.WithCancel(t.Context())
	h.eng.afterTick = func(time.Time) {
		select {
		case ticks <- time.Time{}:
		case <-ctx.Done():
		}
	}
	h.eng.Update(set)
	done := make(chan error, 1)
	go func() { done <- h.eng.Run(ctx) }()
	var once sync.Once
	h.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(h.stop)
	wait()
	return h
}

// failingQuerier fails every query while fail is set.
type failingQuerier struct {
	Querier
	fail atomic.Bool
}

func (f *failingQuerier) Query(ctx context.Context, expr string, ts time.Time) (store.Value, error) {
	if f.fail.Load() {
		return store.Value{}, errors.New("query refused")
	}
	return f.Querier.Query(ctx, expr, ts)
}

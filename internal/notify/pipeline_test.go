package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/bus/bustest"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

// script is a channel whose answers are given in advance: each entry is
// the (retry, err) of one attempt; after the script it succeeds.
type script struct {
	mu      sync.Mutex
	answers []error
	retry   bool
	sent    []notify.Message
	calls   chan notify.Message
}

func newScript(retry bool, answers ...error) *script {
	return &script{answers: answers, retry: retry, calls: make(chan notify.Message, 100)}
}

func (s *script) Notify(_ context.Context, m notify.Message) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() { s.calls <- m }()
	if len(s.answers) > 0 {
		err := s.answers[0]
		s.answers = s.answers[1:]
		return s.retry, err
	}
	s.sent = append(s.sent, m)
	return false, nil
}

func (s *script) delivered() []notify.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notify.Message(nil), s.sent...)
}

// startBus starts a real bus on dir for the test (see bustest.Start).
func startBus(t testing.TB, dir string) *bus.Bus { return bustest.Start(t, dir) }

var fast = notify.Backoff{First: 10 * time.Millisecond, Max: 40 * time.Millisecond, GiveUpAfter: time.Hour}

// run starts p's workers for channels until the test ends or stop is called.
func run(t *testing.T, p *notify.Pipeline, channels ...string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, channels) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func wait(t *testing.T, s *script) notify.Message {
	t.Helper()
	select {
	case m := <-s.calls:
		return m
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery attempt")
		return notify.Message{}
	}
}

func notifyEvents(t *testing.T, b *bus.Bus, check string) []string {
	t.Helper()
	evs, err := b.Events(t.Context(), bus.EventFilter{Check: check})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		if e.Kind == notify.EventKind {
			out = append(out, e.Reason)
		}
	}
	return out
}

func TestPipelineDeliversOnce(t *testing.T) {
	b := startBus(t, t.TempDir())
	ch := newScript(false)
	p := notify.NewPipeline(b, fast, nil, nil)
	p.SetNotifiers(map[string]notify.Notifier{"hook": ch})
	m := notifytest.Problem()
	for range 2 { // the same notification twice is one delivery
		if err := p.Send(t.Context(), "hook", m); err != nil {
			t.Fatal(err)
		}
	}
	run(t, p, "hook")
	if got := wait(t, ch); got.ID != m.ID || got.Title != m.Title {
		t.Errorf("delivered %+v", got)
	}
	select {
	case extra := <-ch.calls:
		t.Errorf("delivered again: %s", extra.ID)
	case <-time.After(500 * time.Millisecond): // a bounded look for a second delivery
	}
	evs := notifyEvents(t, b, "billing-api")
	if len(evs) != 1 || !strings.HasPrefix(evs[0], "sent problem via hook") {
		t.Errorf("audit log = %q", evs)
	}
}

func TestPipelineRetriesRetryable(t *testing.T) {
	b := startBus(t, t.TempDir())
	ch := newScript(true, errors.New("HTTP 500: oops"), errors.New("HTTP 503: busy"))
	p := notify.NewPipeline(b, fast, nil, nil)
	p.SetNotifiers(map[string]notify.Notifier{"hook": ch})
	if err := p.Send(t.Context(), "hook", notifytest.Problem()); err != nil {
		t.Fatal(err)
	}
	run(t, p, "hook")
	for range 3 {
		wait(t, ch)
	}
	if n := len(ch.delivered()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
	evs := notifyEvents(t, b, "billing-api")
	if len(evs) != 3 || !strings.Contains(evs[0], "attempt 1 of problem via hook failed, retrying in 10ms: HTTP 500") ||
		!strings.Contains(evs[2], "sent problem via hook (attempt 3)") {
		t.Errorf("audit log = %q", evs)
	}
}

func TestPipelineGivesUp(t *testing.T) {
	tests := []struct {
		name    string
		ch      *script
		backoff notify.Backoff
		want    string
	}{
		{"not retryable", newScript(false, errors.New("HTTP 400: bad payload")), fast,
			"gave up on problem via hook after attempt 1: HTTP 400: bad payload"},
		{"too old", newScript(true, errors.New("HTTP 500")), notify.Backoff{First: time.Millisecond, Max: time.Millisecond},
			"gave up on problem via hook after 1 attempts over 0s: HTTP 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := startBus(t, t.TempDir())
			p := notify.NewPipeline(b, tt.backoff, nil, nil)
			p.SetNotifiers(map[string]notify.Notifier{"hook": tt.ch})
			if err := p.Send(t.Context(), "hook", notifytest.Problem()); err != nil {
				t.Fatal(err)
			}
			run(t, p, "hook")
			wait(t, tt.ch)
			waitEvents(t, b, 1)
			if evs := notifyEvents(t, b, "billing-api"); len(evs) != 1 || evs[0] != tt.want {
				t.Errorf("audit log = %q, want [%q]", evs, tt.want)
			}
		})
	}
}

func waitEvents(t *testing.T, b *bus.Bus, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for len(notifyEvents(t, b, "billing-api")) < n {
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d notify events", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPipelineSurvivesRestart: a message queued before a stop is
// delivered once after the start that follows, and one delivered before
// it is not delivered again.
func TestPipelineSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir)
	first := newScript(false)
	p := notify.NewPipeline(b, fast, nil, nil)
	p.SetNotifiers(map[string]notify.Notifier{"hook": first})
	if err := p.Send(t.Context(), "hook", notifytest.Problem()); err != nil {
		t.Fatal(err)
	}
	stop := run(t, p, "hook")
	wait(t, first)
	stop()
	if err := p.Send(t.Context(), "hook", notifytest.Recovery()); err != nil {
		t.Fatal(err)
	}
	b.Close()

	b2 := startBus(t, dir)
	second := newScript(false)
	p2 := notify.NewPipeline(b2, fast, nil, nil)
	p2.SetNotifiers(map[string]notify.Notifier{"hook": second})
	if err := p2.Send(t.Context(), "hook", notifytest.Problem()); err != nil { // re-sent after the restart: a duplicate
		t.Fatal(err)
	}
	run(t, p2, "hook")
	if got := wait(t, second); got.ID != notifytest.Recovery().ID {
		t.Errorf("after restart delivered %s, want only the recovery", got.ID)
	}
	select {
	case extra := <-second.calls:
		t.Errorf("delivered again after restart: %s", extra.ID)
	case <-time.After(500 * time.Millisecond):
	}
}

func TestPipelineRemovedChannel(t *testing.T) {
	b := startBus(t, t.TempDir())
	p := notify.NewPipeline(b, fast, nil, nil)
	if err := p.Send(t.Context(), "gone", notifytest.Problem()); err != nil {
		t.Fatal(err)
	}
	run(t, p, "gone")
	waitEvents(t, b, 1)
	if evs := notifyEvents(t, b, "billing-api"); evs[0] != "gave up: channel gone is no longer configured" {
		t.Errorf("audit log = %q", evs)
	}
}

package rule

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

// next returns the next update on ch, failing when none comes or ch closes.
func next(t *testing.T, ch <-chan Update) Update {
	t.Helper()
	select {
	case u, ok := <-ch:
		if !ok {
			t.Fatal("the subscription closed while its context was live")
		}
		return u
	case <-time.After(waitFor):
		t.Fatal("no update")
	}
	return Update{}
}

// closes reports whether ch is closed, once the updates in it are
// drained, within waitFor.
func closes(ch <-chan Update) bool {
	timeout := time.After(waitFor)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

func TestSubscribe(t *testing.T) {
	b := startBus(t, t.TempDir())
	tr := newTracker(t, b)
	ctx, cancel := context.WithCancel(testCtx(t))
	subs := []<-chan Update{tr.Subscribe(ctx), tr.Subscribe(ctx)}

	handle(t, tr, up("web", 0), up("web", 1))
	stored := events(t, b, "web")
	if len(stored) != 1 {
		t.Fatalf("%d stored events, want 1", len(stored))
	}
	want := []Update{
		{State: state("web", probe.StatusUp, "HTTP 200", 0, 0), Event: &stored[0]},
		{State: state("web", probe.StatusUp, "HTTP 200", 0, 1)}, // no change: no event
	}
	for i, ch := range subs {
		for _, w := range want {
			if diff := cmp.Diff(w, next(t, ch)); diff != "" {
				t.Errorf("subscriber %d: update (-want +got):\n%s", i, diff)
			}
		}
	}
	if stored[0].Seq == 0 {
		t.Error("the event has no sequence number")
	}

	cancel()
	for i, ch := range subs {
		if !closes(ch) {
			t.Fatalf("subscriber %d: not closed after its context ended", i)
		}
	}
	handle(t, tr, down("web", 2)) // nobody listens; must not panic on a closed channel
}

func TestSlowSubscriberDoesNotBlockHandle(t *testing.T) {
	b := startBus(t, t.TempDir())
	tr := newTracker(t, b)
	slow := tr.Subscribe(testCtx(t)) // never read
	batch := make([]bus.Result, subBuffer+100)
	for i := range batch {
		batch[i] = up("web", i)
	}
	done := make(chan error, 1)
	go func() { done <- tr.Handle(testCtx(t), batch) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Handle: %v", err)
		}
	case <-time.After(waitFor):
		t.Fatal("Handle blocked on a subscriber that does not read")
	}
	if len(slow) != subBuffer {
		t.Errorf("the slow subscriber holds %d updates, want a full buffer of %d", len(slow), subBuffer)
	}
	got, _ := tr.State("web")
	if got.LastCheck != at(len(batch)-1) {
		t.Errorf("LastCheck = %v, want the latest result's start %v", got.LastCheck, at(len(batch)-1))
	}
}

// TestSubscribeWhileHandling subscribes and unsubscribes while results
// flow, for the race detector.
func TestSubscribeWhileHandling(t *testing.T) {
	b := startBus(t, t.TempDir())
	tr := newTracker(t, b)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				ctx, cancel := context.WithCancel(testCtx(t))
				ch := tr.Subscribe(ctx)
				cancel()
				if !closes(ch) {
					t.Error("a subscription was not closed after its context ended")
					return
				}
			}
		})
	}
	for i := range 200 {
		st := probe.StatusUp
		if i%10 == 0 {
			st = probe.StatusDown
		}
		handle(t, tr, res("web", i, st, "flapping"))
	}
	wg.Wait()
}

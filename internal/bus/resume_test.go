package bus

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestConsumerResumesAtAckFloor: results a consumer fetched but never
// acknowledged (its process was killed mid-batch) come again at once after
// a restart, before any newer result, not after the acknowledgement wait.
func TestConsumerResumesAtAckFloor(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir, Options{})
	t0 := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	publish(t, b, result("web", t0), result("web", t0.Add(time.Second)))

	// The first run handles the first result, then fetches the second and
	// dies holding it.
	got := make(chan Result, 10)
	ctx, cancel := context.WithCancel(testCtx(t))
	stopped := make(chan error, 1)
	go func() {
		stopped <- b.ConsumeResults(ctx, "rule", func(_ context.Context, batch []Result) error {
			for _, r := range batch {
				got <- r
			}
			return nil
		})
	}()
	<-got
	<-got
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	publish(t, b, result("web", t0.Add(2*time.Second)))
	cons, err := b.js.Consumer(testCtx(t), resultsStream, "rule")
	if err != nil {
		t.Fatal(err)
	}
	held, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second)) // taken, never acknowledged
	if err != nil {
		t.Fatal(err)
	}
	for range held.Messages() {
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b2 := startBus(t, dir, Options{})
	publish(t, b2, result("web", t0.Add(3*time.Second)))
	var starts []time.Duration
	ctx2, cancel2 := context.WithCancel(testCtx(t))
	defer cancel2()
	go b2.ConsumeResults(ctx2, "rule", func(_ context.Context, batch []Result) error {
		for _, r := range batch {
			got <- r
		}
		return nil
	})
	for len(starts) < 2 {
		select {
		case r := <-got:
			starts = append(starts, r.Start.Sub(t0))
		case <-time.After(10 * time.Second): // well under the 30 s acknowledgement wait
			t.Fatalf("after restart got %v, want the held result (2s) at once, then 3s", starts)
		}
	}
	if starts[0] != 2*time.Second || starts[1] != 3*time.Second {
		t.Errorf("after restart got %v, want [2s 3s]: the held result first, in order", starts)
	}
}

// TestStartNewAt: a durable added to a bus with history starts at the
// given time; once it exists it carries on where it was.
func TestStartNewAt(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir, Options{})
	t0 := time.Now().UTC()
	publish(t, b, result("web", t0.Add(-time.Hour)))
	cut := time.Now()
	publish(t, b, result("web", t0))
	got := make(chan Result, 10)
	ctx, cancel := context.WithCancel(testCtx(t))
	stopped := make(chan error, 1)
	go func() {
		stopped <- b.ConsumeResults(ctx, "late", func(_ context.Context, batch []Result) error {
			for _, r := range batch {
				got <- r
			}
			return nil
		}, StartNewAt(cut))
	}()
	if r := <-got; !r.Start.Equal(t0) {
		t.Errorf("first result %v, want the one stored after the start time", r.Start)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	// Started again later with another start time, it keeps its place.
	publish(t, b, result("web", t0.Add(time.Second)))
	ctx2, cancel2 := context.WithCancel(testCtx(t))
	defer cancel2()
	go b.ConsumeResults(ctx2, "late", func(_ context.Context, batch []Result) error {
		for _, r := range batch {
			got <- r
		}
		return nil
	}, StartNewAt(time.Now()))
	select {
	case r := <-got:
		if !r.Start.Equal(t0.Add(time.Second)) {
			t.Errorf("after restart got %v, want the next result", r.Start)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no result after restart")
	}
}

package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// runConsumer runs ConsumeResults in the background; the returned stop
// (also run at cleanup) cancels it and checks that it returned nil.
func runConsumer(t *testing.T, b *Bus, durable string, handle func(context.Context, []Result) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.ConsumeResults(ctx, durable, handle) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("ConsumeResults(%s) = %v, want nil", durable, err)
				}
			case <-time.After(waitFor):
				t.Errorf("ConsumeResults(%s) did not return after cancel", durable)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// collect is a handler that records every batch and succeeds.
func (c *collector) collect(_ context.Context, batch []Result) error {
	c.add(batch)
	return nil
}

// waitAcked polls durable until it has nothing pending or unacknowledged.
func waitAcked(t *testing.T, b *Bus, durable string) {
	t.Helper()
	ctx := testCtx(t)
	for ctx.Err() == nil {
		cons, err := b.js.Consumer(ctx, resultsStream, durable)
		if err != nil {
			t.Fatal(err)
		}
		info := cons.CachedInfo()
		if info.NumPending == 0 && info.NumAckPending == 0 && info.NumRedelivered == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("consumer %s still has unacknowledged results", durable)
}

func results(check string, n int) []Result {
	t0 := time.Now().Add(-time.Minute)
	out := make([]Result, n)
	for i := range out {
		out[i] = result(check, t0.Add(time.Duration(i)*time.Millisecond))
	}
	return out
}

func TestConsume(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	want := append(results("web", 3), results("db", 2)...)
	publish(t, b, want...)
	var c collector
	runConsumer(t, b, "ingest", c.collect)
	got := c.waitCount(t, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("consumed results (-want +got):\n%s", diff)
	}
	waitAcked(t, b, "ingest")
	more := result("web", time.Now())
	publish(t, b, more)
	if diff := cmp.Diff(append(want, more), c.waitCount(t, len(want)+1)); diff != "" {
		t.Errorf("after a later publish (-want +got):\n%s", diff)
	}
}

func TestRedelivery(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	want := results("web", 4)
	publish(t, b, want...)
	var c collector
	var mu sync.Mutex
	failures := 0
	runConsumer(t, b, "ingest", func(ctx context.Context, batch []Result) error {
		mu.Lock()
		defer mu.Unlock()
		if failures < 2 {
			failures++
			return errors.New("store is down")
		}
		return c.collect(ctx, batch)
	})
	got := c.waitCount(t, len(want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results after two failed batches (-want +got):\n%s", diff)
	}
	waitAcked(t, b, "ingest")
}

func TestDurablesEachSeeEverything(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	want := results("web", consumeBatch+100) // more than one batch
	publish(t, b, want...)
	var ingest, state collector
	runConsumer(t, b, "ingest", ingest.collect)
	runConsumer(t, b, "state", state.collect)
	for name, c := range map[string]*collector{"ingest": &ingest, "state": &state} {
		if diff := cmp.Diff(want, c.waitCount(t, len(want))); diff != "" {
			t.Errorf("durable %s (-want +got):\n%s", name, diff)
		}
		if c.calls < 2 {
			t.Errorf("durable %s got %d results in %d batch, want several batches", name, len(want), c.calls)
		}
	}
}

func TestMalformedSkipped(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	ctx := testCtx(t)
	bad := []string{`not json`, `{"check":"other"}`, `{"check":"web","status":"sideways"}`}
	for _, data := range bad {
		if _, err := b.js.Publish(ctx, resultSubject("web"), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	good := result("web", time.Now())
	publish(t, b, good)
	var c collector
	runConsumer(t, b, "ingest", c.collect)
	if diff := cmp.Diff([]Result{good}, c.waitCount(t, 1)); diff != "" {
		t.Errorf("consumed (-want +got):\n%s", diff)
	}
	waitAcked(t, b, "ingest")
	if got := b.Malformed(); got != uint64(len(bad)) {
		t.Errorf("Malformed() = %d, want %d", got, len(bad))
	}
	hist, err := b.Results(ctx, "web", time.Time{}, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Result{good}, hist); diff != "" {
		t.Errorf("Results with malformed messages stored (-want +got):\n%s", diff)
	}
}

func TestRestartKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := testCtx(t)
	first := results("web", 3)
	state := State{Check: "web", Status: first[2].Status, Since: first[0].Start, LastCheck: first[2].Start}
	event := Event{Time: first[0].Start, Check: "web", Kind: EventKindState, To: first[0].Status, Reason: "HTTP 200"}

	b := startBus(t, dir, Options{ResultsMaxAge: time.Hour})
	publish(t, b, first...)
	var before collector
	stop := runConsumer(t, b, "ingest", before.collect)
	before.waitCount(t, len(first))
	waitAcked(t, b, "ingest")
	stop()
	if err := b.PutState(ctx, state); err != nil {
		t.Fatal(err)
	}
	seq, err := b.AppendEvent(ctx, event)
	if err != nil {
		t.Fatal(err)
	}
	event.Seq = seq
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = startBus(t, dir, Options{ResultsMaxAge: 2 * time.Hour})
	checkMaxAge(t, b, 2*time.Hour)
	later := result("web", time.Now())
	publish(t, b, later)
	var after collector
	runConsumer(t, b, "ingest", after.collect)
	if diff := cmp.Diff([]Result{later}, after.waitCount(t, 1)); diff != "" {
		t.Errorf("the durable did not resume where it left off (-want +got):\n%s", diff)
	}
	checkStored(t, b, append(first, later), map[string]State{"web": state}, []Event{event})
}

func checkMaxAge(t *testing.T, b *Bus, want time.Duration) {
	t.Helper()
	s, err := b.js.Stream(testCtx(t), resultsStream)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.MaxAge; got != want {
		t.Errorf("results MaxAge after restart = %s, want %s (the stream was not updated)", got, want)
	}
}

func checkStored(t *testing.T, b *Bus, results []Result, states map[string]State, events []Event) {
	t.Helper()
	ctx := testCtx(t)
	gotResults, err := b.Results(ctx, "web", time.Time{}, time.Time{}, 0)
	gotStates, err2 := b.States(ctx)
	gotEvents, err3 := b.Events(ctx, EventFilter{})
	if err := errors.Join(err, err2, err3); err != nil {
		t.Fatal(err)
	}
	for name, diff := range map[string]string{
		"results": cmp.Diff(results, gotResults),
		"states":  cmp.Diff(states, gotStates),
		"events":  cmp.Diff(events, gotEvents),
	} {
		if diff != "" {
			t.Errorf("%s after restart (-want +got):\n%s", name, diff)
		}
	}
}

func TestConsumeStopsWithContext(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	for i := range 3 {
		t.Run(fmt.Sprint("run", i), func(t *testing.T) {
			var c collector
			stop := runConsumer(t, b, "ingest", c.collect)
			publish(t, b, result("web", time.Now()))
			c.waitCount(t, 1)
			stop()
		})
	}
}

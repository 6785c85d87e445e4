package bus

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func entry(id, channel string) OutboxEntry {
	return OutboxEntry{ID: id, Channel: channel, Payload: json.RawMessage(`{"title":"` + id + `"}`),
		Created: time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)}
}

func enqueue(t *testing.T, b *Bus, es ...OutboxEntry) {
	t.Helper()
	for _, e := range es {
		if _, err := b.Enqueue(testCtx(t), e); err != nil {
			t.Fatalf("Enqueue(%s): %v", e.ID, err)
		}
	}
}

// consume runs ConsumeOutbox for channel with decide choosing each
// outcome, and records every delivery.
type outboxLog struct {
	got chan Delivery
}

func consume(t *testing.T, b *Bus, channel string, decide func(Delivery) (bool, time.Duration)) *outboxLog {
	t.Helper()
	c := &outboxLog{got: make(chan Delivery, 100)}
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() {
		done <- b.ConsumeOutbox(ctx, channel, func(_ context.Context, d Delivery) (bool, time.Duration) {
			ok, in := decide(d)
			c.got <- d
			return ok, in
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ConsumeOutbox: %v", err)
		}
	})
	return c
}

func (c *outboxLog) next(t *testing.T) Delivery {
	t.Helper()
	select {
	case d := <-c.got:
		return d
	case <-time.After(waitFor):
		t.Fatal("no delivery")
		return Delivery{}
	}
}

func always(Delivery) (bool, time.Duration) { return true, 0 }

func TestOutboxDeliversInOrderOnce(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	enqueue(t, b, entry("inc-1/open/hook", "hook"), entry("inc-1/resolve/hook", "hook"))
	if dup, err := b.Enqueue(testCtx(t), entry("inc-1/open/hook", "hook")); err != nil || !dup {
		t.Fatalf("enqueuing the same id again: duplicate %v, %v; want true", dup, err)
	}
	c := consume(t, b, "hook", always)
	first, second := c.next(t), c.next(t)
	if first.Entry.ID != "inc-1/open/hook" || second.Entry.ID != "inc-1/resolve/hook" {
		t.Errorf("order: %s, %s", first.Entry.ID, second.Entry.ID)
	}
	if diff := cmp.Diff(entry("inc-1/open/hook", "hook"), first.Entry); diff != "" {
		t.Errorf("entry (-want +got):\n%s", diff)
	}
	if dup, err := b.Enqueue(testCtx(t), entry("inc-1/open/hook", "hook")); err != nil || !dup {
		t.Errorf("enqueuing a delivered id: duplicate %v, %v; want true", dup, err)
	}
	select {
	case d := <-c.got:
		t.Errorf("unexpected delivery %s", d.Entry.ID)
	case <-time.After(300 * time.Millisecond): // nothing more is queued; a bounded look
	}
}

func TestOutboxRetriesUntilDone(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	enqueue(t, b, entry("inc-2/open/hook", "hook"), entry("inc-2/resolve/hook", "hook"))
	c := consume(t, b, "hook", func(d Delivery) (bool, time.Duration) {
		return d.Attempt >= 3, 10 * time.Millisecond
	})
	for want := 1; want <= 3; want++ {
		if d := c.next(t); d.Entry.ID != "inc-2/open/hook" || d.Attempt != want {
			t.Fatalf("delivery %s attempt %d, want the first entry's attempt %d (order held)", d.Entry.ID, d.Attempt, want)
		}
	}
	if d := c.next(t); d.Entry.ID != "inc-2/resolve/hook" {
		t.Errorf("after the first was done: %s", d.Entry.ID)
	}
}

func TestOutboxChannelsIndependent(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	enqueue(t, b, entry("x/open/broken", "broken"), entry("x/open/fine", "fine"))
	consume(t, b, "broken", func(Delivery) (bool, time.Duration) { return false, time.Hour })
	fine := consume(t, b, "fine", always)
	if d := fine.next(t); d.Entry.ID != "x/open/fine" {
		t.Errorf("fine channel got %s", d.Entry.ID)
	}
}

// TestOutboxDoneSurvivesRestart: an entry marked done is not handed out
// again after a restart, and one that was not is.
func TestOutboxDoneSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir, Options{})
	enqueue(t, b, entry("r/open/hook", "hook"))
	ctx, cancel := context.WithCancel(testCtx(t))
	handled, stopped := make(chan struct{}), make(chan error, 1)
	go func() {
		stopped <- b.ConsumeOutbox(ctx, "hook", func(_ context.Context, d Delivery) (bool, time.Duration) {
			if d.Entry.ID != "r/open/hook" {
				return false, time.Hour // stopping: handed back, not sent
			}
			close(handled)
			return true, 0
		})
	}()
	<-handled
	enqueue(t, b, entry("r/resolve/hook", "hook")) // may reach the stopping consumer: it must hand it back
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2 := startBus(t, dir, Options{})
	c := consume(t, b2, "hook", always)
	if d := c.next(t); d.Entry.ID != "r/resolve/hook" {
		t.Errorf("after restart got %s, want only the entry not yet done", d.Entry.ID)
	}
	if dup, _ := b2.Enqueue(testCtx(t), entry("r/open/hook", "hook")); !dup {
		t.Error("an entry done before the restart was enqueued again")
	}
}

func TestOutboxRefusesBadChannel(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	if _, err := b.Enqueue(testCtx(t), entry("a", "no.dots")); err == nil {
		t.Error("Enqueue accepted a channel id with a dot")
	}
}

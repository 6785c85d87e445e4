package rule

import (
	"context"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/bus/bustest"
	"github.com/picket-monitor/picket/internal/probe"
)

// waitFor bounds every wait in these tests.
const waitFor = 20 * time.Second

// startBus starts a real bus on dir for the test (see bustest.Start).
func startBus(t testing.TB, dir string) *bus.Bus { return bustest.Start(t, dir) }

// testCtx is a context bounded by waitFor and the test.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	t.Cleanup(cancel)
	return ctx
}

func newTracker(t *testing.T, b Backend) *Tracker {
	t.Helper()
	tr, err := NewTracker(testCtx(t), b)
	if err != nil {
		t.Fatalf("NewTracker: %v", err)
	}
	return tr
}

// t0 is the start of the first result of each test, in UTC as results
// travel. Reads of the events stream here have no time bounds, so any
// fixed time serves.
var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// at returns t0 plus i seconds.
func at(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }

// res returns a result of check with status st started i seconds after t0.
func res(check string, i int, st probe.Status, reason string) bus.Result {
	return bus.Result{Check: check, Type: "http", Node: "n1", Start: at(i),
		Duration: time.Duration(10+i) * time.Millisecond, Status: st, Reason: reason}
}

func up(check string, i int) bus.Result {
	return res(check, i, probe.StatusUp, "HTTP 200")
}

func down(check string, i int) bus.Result {
	return res(check, i, probe.StatusDown, "connection refused")
}

func handle(t *testing.T, tr *Tracker, batch ...bus.Result) {
	t.Helper()
	if err := tr.Handle(testCtx(t), batch); err != nil {
		t.Fatalf("Handle: %v", err)
	}
}

// events returns the stored events of check.
func events(t *testing.T, b *bus.Bus, check string) []bus.Event {
	t.Helper()
	evs, err := b.Events(testCtx(t), bus.EventFilter{Check: check})
	if err != nil {
		t.Fatalf("Events(%s): %v", check, err)
	}
	return evs
}

// stored returns the state of check kept in the bus's bucket.
func stored(t *testing.T, b *bus.Bus, check string) (bus.State, bool) {
	t.Helper()
	s, ok, err := b.GetState(testCtx(t), check)
	if err != nil {
		t.Fatalf("GetState(%s): %v", check, err)
	}
	return s, ok
}

// state returns the state the tracker holds for check.
func state(check string, st probe.Status, reason string, since, last int) bus.State {
	return bus.State{Check: check, Status: st, Reason: reason, Since: at(since), LastCheck: at(last),
		Latency: time.Duration(10+last) * time.Millisecond}
}

// change is the event recording check's move from one status to another
// at t0 plus i seconds, without its sequence number.
func change(check string, i int, from, to probe.Status, reason string) bus.Event {
	return bus.Event{Time: at(i), Check: check, Kind: bus.EventKindState, From: from, To: to, Reason: reason}
}

package bus

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/picket-monitor/picket/internal/probe"
)

func TestResultsWindow(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	// Results started a second apart, up to a few seconds ago: the way
	// the scheduler publishes them, each stored after it started.
	t0 := time.Now().Add(-10 * time.Second).UTC().Truncate(time.Second)
	var web []Result
	for i := range 6 {
		r := result("web", t0.Add(time.Duration(i)*time.Second))
		web = append(web, r)
		publish(t, b, r, result("db", r.Start))
	}
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	tests := []struct {
		name     string
		check    string
		from, to time.Time
		limit    int
		want     []Result
	}{
		{"everything", "web", time.Time{}, time.Time{}, 0, web},
		{"from", "web", at(2), time.Time{}, 0, web[2:]},
		{"to", "web", time.Time{}, at(2), 0, web[:3]},
		{"from and to", "web", at(1), at(3), 0, web[1:4]},
		{"between results", "web", at(1).Add(time.Millisecond), at(3).Add(-time.Millisecond), 0, web[2:3]},
		{"limit", "web", at(1), time.Time{}, 2, web[1:3]},
		{"future", "web", time.Now().Add(time.Hour), time.Time{}, 0, nil},
		{"long ago", "web", time.Time{}, t0.Add(-time.Hour), 0, nil},
		{"no such check", "nope", time.Time{}, time.Time{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.Results(testCtx(t), tt.check, tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Results (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResultsManyBatches(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	want := results("web", scanBatch+scanBatch/2)
	publishAsync(t, b, want)
	got, err := b.Results(testCtx(t), "web", time.Time{}, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Results over several fetches (-want +got):\n%s", diff)
	}
}

// publishAsync stores rs quickly, for tests that need many.
func publishAsync(t testing.TB, b *Bus, rs []Result) {
	t.Helper()
	for _, r := range rs {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.js.PublishAsync(resultSubject(r.Check), data, jetstream.WithStallWait(waitFor)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-b.js.PublishAsyncComplete():
	case <-time.After(waitFor):
		t.Fatal("async publishes not acknowledged")
	}
}

func TestEvents(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	ctx := testCtx(t)
	t0 := time.Now().Add(-10 * time.Second).UTC().Truncate(time.Second)
	var all []Event
	for i, check := range []string{"web", "db", "web", "web", "db"} {
		e := Event{Time: t0.Add(time.Duration(i) * time.Second), Check: check, Kind: EventKindState,
			From: probe.StatusUp, To: probe.StatusDown, Reason: "timed out"}
		seq, err := b.AppendEvent(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if seq != uint64(i+1) {
			t.Errorf("AppendEvent #%d returned seq %d, want %d", i, seq, i+1)
		}
		e.Seq = seq
		all = append(all, e)
	}
	at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) }
	pick := func(i ...int) []Event {
		var out []Event
		for _, n := range i {
			out = append(out, all[n])
		}
		return out
	}
	tests := []struct {
		name string
		f    EventFilter
		want []Event
	}{
		{"everything", EventFilter{}, all},
		{"one check", EventFilter{Check: "web"}, pick(0, 2, 3)},
		{"from", EventFilter{From: at(2)}, all[2:]},
		{"to", EventFilter{To: at(1)}, all[:2]},
		{"check and time", EventFilter{Check: "db", From: at(1), To: at(3)}, pick(1)},
		{"limit", EventFilter{Check: "web", Limit: 2}, pick(0, 2)},
		{"no such check", EventFilter{Check: "nope"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := b.Events(testCtx(t), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Events(%+v) (-want +got):\n%s", tt.f, diff)
			}
		})
	}
}

func TestAppendEventFillsTime(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	b.now = func() time.Time { return now }
	ctx := testCtx(t)
	if _, err := b.AppendEvent(ctx, Event{Check: "web", Kind: EventKindState, Seq: 99}); err != nil {
		t.Fatal(err)
	}
	got, err := b.Events(ctx, EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{{Seq: 1, Time: now, Check: "web", Kind: EventKindState}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}
}

func TestLive(t *testing.T) {
	b := startBus(t, t.TempDir(), Options{})
	ctx, cancel := context.WithCancel(testCtx(t))
	type msg struct {
		kind string
		data []byte
	}
	got := make(chan msg, 10)
	baseline := b.nc.NumSubscriptions()
	if err := b.Live(ctx, func(kind string, data []byte) { got <- msg{kind, data} }); err != nil {
		t.Fatal(err)
	}
	r := result("web", time.Now())
	publish(t, b, r)
	e := Event{Time: r.Start, Check: "web", Kind: EventKindState, From: probe.StatusDown, To: probe.StatusUp}
	if _, err := b.AppendEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	var gotResult Result
	var gotEvent Event
	for range 2 {
		select {
		case m := <-got:
			var err error
			switch m.kind {
			case LiveResult:
				err = json.Unmarshal(m.data, &gotResult)
			case LiveEvent:
				err = json.Unmarshal(m.data, &gotEvent)
			default:
				t.Fatalf("unexpected kind %q", m.kind)
			}
			if err != nil {
				t.Fatal(err)
			}
		case <-ctx.Done():
			t.Fatal("Live did not deliver both a result and an event")
		}
	}
	if diff := cmp.Diff(r, gotResult); diff != "" {
		t.Errorf("live result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(e, gotEvent); diff != "" {
		t.Errorf("live event (-want +got):\n%s", diff)
	}
	cancel()
	deadline := time.Now().Add(waitFor)
	for b.nc.NumSubscriptions() != baseline && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := b.nc.NumSubscriptions(); n != baseline {
		t.Errorf("%d subscriptions after ctx ended, want %d", n, baseline)
	}
}

package promrule

import (
	"context"
	"maps"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/store"
)

var checkIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`)

// diskData writes /var of web-1, 800 MB free until t0+6m and 3 GB from
// then on, and /var of web-2, 5 GB free, every 5 s from t0-1m to t0+10m.
func diskData(t *testing.T, st *store.Store) {
	t.Helper()
	from, to := t0.Add(-time.Minute), t0.Add(10*time.Minute)
	write(t, st,
		points(fsAvail("web-1", "/var"), from, to, 5*time.Second, func(d time.Duration) float64 {
			if d < 7*time.Minute {
				return 800e6
			}
			return 3e9
		}),
		points(fsAvail("web-2", "/var"), from, to, 5*time.Second, constant(5e9)))
}

func diskRule() Config {
	return Config{Presets: []Preset{{Use: "disk_free_below", Bytes: 1e9}}} // for 1m, every 15s
}

// TestDiskLifecycle follows one instance from pending through firing to
// resolved, and checks that the other host never fires.
func TestDiskLifecycle(t *testing.T) {
	st := openStore(t)
	diskData(t, st)
	h := start(t, st, st, nil, compile(t, st, diskRule()), t0)

	// Pending: nothing is handed over before `for` has passed.
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes at t0: %v", got)
	}
	inst := h.eng.Instances()
	if len(inst) != 1 {
		t.Fatalf("instances = %v, want web-1's", inst)
	}
	var id string
	for id = range inst {
	}
	if !checkIDPattern.MatchString(id) || !strings.HasPrefix(id, "rule-disk_free_below-1GB-") || !IsInstanceID(id) {
		t.Errorf("instance id %q does not fit check ids", id)
	}
	name, summary, labels, ok := h.eng.Describe(id)
	wantName := `disk_free_below-1GB{device="/dev/sda1", fstype="ext4", host="web-1", mountpoint="/var"}`
	if !ok || name != wantName || summary != "disk /var on web-1 has 800 MB free" || labels["alertname"] != "disk_free_below-1GB" {
		t.Errorf("Describe = %q, %q, %v, %v", name, summary, labels, ok)
	}
	h.clock.Advance(45 * time.Second)
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes before `for` passed: %v", got)
	}

	// Firing after 1m of evaluations that returned it.
	h.clock.Advance(15 * time.Second)
	fired := rule.Change{Check: id, Kind: rule.KindHard, From: probe.StatusUp, To: probe.StatusDown,
		Time: t0.Add(time.Minute), Since: t0, Reason: "disk /var on web-1 has 800 MB free"}
	if diff := cmp.Diff([]rule.Change{fired}, h.sink.take()); diff != "" {
		t.Fatalf("changes at t0+1m (-want +got):\n%s", diff)
	}

	// Firing stays quiet; the first evaluation that finds 3 GB resolves.
	h.clock.Advance(4*time.Minute + 45*time.Second)
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes while firing: %v", got)
	}
	h.clock.Advance(15 * time.Second)
	resolved := rule.Change{Check: id, Kind: rule.KindHard, From: probe.StatusDown, To: probe.StatusUp,
		Time: t0.Add(6 * time.Minute), Since: t0.Add(6 * time.Minute),
		Reason: "resolved (was: disk /var on web-1 has 800 MB free)"}
	if diff := cmp.Diff([]rule.Change{resolved}, h.sink.take()); diff != "" {
		t.Fatalf("changes at t0+6m (-want +got):\n%s", diff)
	}
	if got := h.eng.Instances(); len(got) != 0 {
		t.Errorf("instances after resolving: %v", got)
	}
	if _, _, _, ok := h.eng.Describe(id); !ok {
		t.Errorf("Describe forgot the instance as soon as it resolved")
	}
	if st := h.eng.Stats(); len(st) != 1 || st[0].Evaluations != 25 || st[0].Failures != 0 {
		t.Errorf("Stats = %+v, want 25 evaluations (every 15s for 6m), no failure", st)
	}
}

// firedHosts returns the host label of each firing change.
func firedHosts(t *testing.T, h *harness) []string {
	t.Helper()
	var out []string
	for _, c := range h.sink.take() {
		_, _, labels, ok := h.eng.Describe(c.Check)
		if !ok || c.To == probe.StatusUp {
			t.Errorf("unexpected change %+v (described: %v)", c, ok)
		}
		out = append(out, labels["host"]+" "+c.To.String())
	}
	return out
}

// TestPresetsFire runs presets in the engine, with for 0, over host
// series and checks which hosts fire at the first evaluation.
func TestPresetsFire(t *testing.T) {
	from := t0.Add(-time.Hour)
	procs := func(host string) store.Labels { return series("picket_host_processes", "host", host) }
	nginx := func(host string) store.Labels {
		return series("picket_host_process_count", "host", host, "name", "nginx")
	}
	tests := []struct {
		name   string
		preset Preset
		data   [][]store.Sample
		want   []string
	}{
		{"disk filling up", Preset{Use: "disk_full_within", Hours: 24, Window: time.Hour}, [][]store.Sample{
			points(fsAvail("web-1", "/data"), from, t0, 15*time.Second,
				func(d time.Duration) float64 { return 50e9 - 4e9*d.Hours() }), // full in about 11h
			points(fsAvail("web-2", "/data"), from, t0, 15*time.Second, constant(1e9)),
		}, []string{"web-1 degraded"}},
		{"process missing", Preset{Use: "process_missing", Name: "nginx"}, [][]store.Sample{
			points(procs("web-1"), t0.Add(-time.Minute), t0, time.Second, constant(90)),
			points(nginx("web-1"), t0.Add(-time.Minute), t0, time.Second, constant(4)),
			points(procs("web-2"), t0.Add(-time.Minute), t0, time.Second, constant(90)),
			points(nginx("web-2"), t0.Add(-time.Minute), t0.Add(-5*time.Second), time.Second, constant(4)),
		}, []string{"web-2 down"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			write(t, st, tc.data...)
			tc.preset.For = dur(0)
			h := start(t, st, st, nil, compile(t, st, Config{Presets: []Preset{tc.preset}}), t0)
			if diff := cmp.Diff(tc.want, firedHosts(t, h)); diff != "" {
				t.Errorf("fired (-want +got):\n%s", diff)
			}
		})
	}
}

// kv is an in-memory KV, so restarts go through KVStates' JSON.
type kv struct {
	mu sync.Mutex // protects the field below
	m  map[string][]byte
}

func (k *kv) Load(context.Context) (map[string][]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return maps.Clone(k.m), nil
}

func (k *kv) Put(_ context.Context, key string, v []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string][]byte{}
	}
	k.m[key] = v
	return nil
}

func (k *kv) Delete(_ context.Context, key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

// TestRestart stops the engine and starts a new one on the same state
// store: a firing instance keeps firing without a second change, and a
// pending one keeps the time it became active.
func TestRestart(t *testing.T) {
	st := openStore(t)
	diskData(t, st)
	states := NewKVStates(&kv{})
	set := compile(t, st, diskRule())

	first := start(t, st, st, states, set, t0)
	first.clock.Advance(30 * time.Second)
	first.stop()
	if got := first.sink.take(); len(got) != 0 {
		t.Fatalf("changes while pending: %v", got)
	}

	// Pending since t0 across the restart: fires at t0+1m, not t0+1m30s.
	second := start(t, st, st, states, set, t0.Add(45*time.Second))
	second.clock.Advance(15 * time.Second)
	got := second.sink.take()
	if len(got) != 1 || !got[0].Time.Equal(t0.Add(time.Minute)) || !got[0].Since.Equal(t0) {
		t.Fatalf("changes after the restart = %+v, want one firing at t0+1m since t0", got)
	}
	id := got[0].Check
	second.clock.Advance(time.Minute)
	second.stop()

	third := start(t, st, st, states, set, t0.Add(3*time.Minute))
	if _, summary, _, ok := third.eng.Describe(id); !ok || summary == "" {
		t.Errorf("Describe after a restart = %q, %v", summary, ok)
	}
	third.clock.Advance(2 * time.Minute)
	if got := third.sink.take(); len(got) != 0 {
		t.Fatalf("changes of a firing instance after a restart: %v", got)
	}
	third.clock.Advance(time.Minute) // t0+6m: 3 GB free
	got = third.sink.take()
	if len(got) != 1 || got[0].Check != id || got[0].From != probe.StatusDown || got[0].To != probe.StatusUp {
		t.Fatalf("changes at t0+6m = %+v, want %s resolved", got, id)
	}
	if loaded, _ := states.Load(t.Context()); len(loaded) != 0 {
		t.Errorf("stored instances after resolving: %v", loaded)
	}
}

// TestFailures checks that a failing query neither fires nor resolves,
// and is counted; and that a change the sink refuses is handed over
// again at the next evaluation.
func TestFailures(t *testing.T) {
	st := openStore(t)
	diskData(t, st)
	q := &failingQuerier{Querier: st}
	q.fail.Store(true)
	cfg := diskRule()
	cfg.Presets[0].For = dur(0)
	h := start(t, q, st, nil, compile(t, st, cfg), t0)
	h.clock.Advance(15 * time.Second)
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes from a failing query: %v", got)
	}
	if s := h.eng.Stats(); len(s) != 1 || s[0].Failures != 2 || s[0].LastError != "query refused" {
		t.Errorf("Stats = %+v, want 2 failures", s)
	}

	q.fail.Store(false)
	h.sink.failing.Store(true)
	h.clock.Advance(15 * time.Second) // t0+30s: the sink refuses
	h.sink.failing.Store(false)
	h.clock.Advance(15 * time.Second) // t0+45s: handed over
	got := h.sink.take()
	if len(got) != 1 || got[0].To != probe.StatusDown || !got[0].Time.Equal(t0.Add(45*time.Second)) {
		t.Fatalf("changes = %+v, want one firing at t0+45s", got)
	}

	q.fail.Store(true)
	h.clock.Advance(10 * time.Minute) // the disk recovers at t0+6m, unseen
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes while the query fails: %v", got)
	}
	if s := h.eng.Stats(); s[0].LastError == "" || s[0].Evaluations != 44 {
		t.Errorf("Stats = %+v", s)
	}
	q.fail.Store(false)
	h.clock.Advance(15 * time.Second)
	if got := h.sink.take(); len(got) != 1 || got[0].To != probe.StatusUp {
		t.Errorf("changes once the query works = %+v, want a resolution", got)
	}
}

// TestReload changes a firing rule's severity, then removes it.
func TestReload(t *testing.T) {
	st := openStore(t)
	diskData(t, st)
	cfg := diskRule()
	cfg.Presets[0].For = dur(0)
	cfg.Presets[0].Severity = SeverityWarning
	h := start(t, st, st, nil, compile(t, st, cfg), t0)
	if got := h.sink.take(); len(got) != 1 || got[0].To != probe.StatusDegraded {
		t.Fatalf("changes = %+v, want one degraded", got)
	}

	cfg.Presets[0].Severity = ""
	h.eng.Update(compile(t, st, cfg))
	h.wait()
	if got := h.sink.take(); len(got) != 0 {
		t.Fatalf("changes right after the update = %+v (the rule kept its schedule)", got)
	}
	h.clock.Advance(15 * time.Second)
	got := h.sink.take()
	if len(got) != 1 || got[0].From != probe.StatusDegraded || got[0].To != probe.StatusDown {
		t.Fatalf("changes = %+v, want degraded to down", got)
	}

	h.eng.Update(compile(t, st, Config{}))
	h.wait()
	got = h.sink.take()
	if len(got) != 1 || got[0].To != probe.StatusUp || !strings.Contains(got[0].Reason, "removed from the config") {
		t.Fatalf("changes = %+v, want a resolution for the removed rule", got)
	}
}

// TestRecording stores a derived series, reads it back with PromQL, and
// checks that a series the rule no longer returns ends at once.
func TestRecording(t *testing.T) {
	st := openStore(t)
	from, to := t0.Add(-time.Minute), t0.Add(time.Minute)
	write(t, st,
		points(fsAvail("web-1", "/"), from, to, 5*time.Second, constant(2e9)),
		points(fsAvail("web-1", "/var"), from, to, 5*time.Second, constant(3e9)),
		points(fsAvail("web-2", "/"), from, to, 5*time.Second, func(d time.Duration) float64 {
			if d < 80*time.Second { // until t0+20s
				return 4e9
			}
			return 1e9
		}))
	cfg := Config{Records: []RecordRule{{
		Record: "host:avail_bytes:sum",
		Expr:   `sum by (host) (picket_host_filesystem_bytes{kind="avail"}) > 2e9`,
		Labels: map[string]string{"source": "rules"},
	}}}
	h := start(t, st, st, nil, compile(t, st, cfg), t0)
	h.clock.Advance(30 * time.Second)

	v, err := st.QueryRange(t.Context(), `host:avail_bytes:sum{source="rules"}`, t0, t0.Add(45*time.Second), 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{}
	for _, s := range v.Matrix {
		for _, p := range s.Points {
			got[s.Labels.Get("host")] = append(got[s.Labels.Get("host")], p.V)
		}
	}
	// web-2 falls under 2e9 at t0+20s: recorded at t0 and t0+15s, then
	// marked stale at t0+30s instead of lingering for the lookback.
	want := map[string][]float64{"web-1": {5e9, 5e9, 5e9, 5e9}, "web-2": {4e9, 4e9}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recorded series (-want +got):\n%s", diff)
	}
	if s := h.eng.Stats(); len(s) != 1 || s[0].Rule != "host:avail_bytes:sum" || s[0].Evaluations != 3 || s[0].Failures != 0 {
		t.Errorf("Stats = %+v", s)
	}
}

package incident

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{45*time.Second + 900*time.Millisecond, "45s"},
		{10 * time.Minute, "10m"},
		{12*time.Minute + 5*time.Second, "12m5s"},
		{time.Hour, "1h"},
		{time.Hour + 12*time.Minute + 59*time.Second, "1h12m"},
		{47 * time.Hour, "47h"},
		{50*time.Hour + 30*time.Minute, "2d2h"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatDuration(tt.d); got != tt.want {
				t.Errorf("FormatDuration(%s) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestNewID(t *testing.T) {
	none := func(string) bool { return false }
	a := newID("inc-", "api", t0, none)
	tests := []struct {
		name string
		got  string
		cmp  int // how it compares with a
	}{
		{"same check and instant", newID("inc-", "api", t0, none), 0},
		{"later", newID("inc-", "api", t0.Add(time.Millisecond), none), 1},
		{"earlier", newID("inc-", "web", t0.Add(-time.Millisecond), none), -1},
		{"taken", newID("inc-", "api", t0, func(id string) bool { return id == a }), 1},
		{"years later", newID("inc-", "api", t0.AddDate(30, 0, 0), none), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.got) != len(a) {
				t.Errorf("%q and %q differ in length", tt.got, a)
			}
			if got := compare(tt.got, a); got != tt.cmp {
				t.Errorf("%q vs %q: %d, want %d", tt.got, a, got, tt.cmp)
			}
		})
	}
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Every notice of a busy incident has its own key, and the muter hears
// the check's labels.
func TestNoticeKeys(t *testing.T) {
	labels := map[string]string{"team": "payments"}
	r := newRig(t, Options{Labels: func(string) map[string]string { return labels }})
	r.observe(t, hard("api", 0, up, degraded, "slow"))
	r.observe(t, hard("api", time.Minute, degraded, down, "refused"))
	r.observe(t, hard("api", 2*time.Minute, down, degraded, "slow"))
	r.observe(t, hard("api", 3*time.Minute, degraded, down, "refused"))
	r.tick(t, 10*time.Minute)
	r.clock.Set(t0.Add(11 * time.Minute))
	id := only(t, r.m, "api").ID
	if _, err := r.m.Ack(t.Context(), id, "alice", ""); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	r.observe(t, recovers("api", 20*time.Minute))
	var keys []string
	for _, n := range r.sink.take() {
		keys = append(keys, n.Key())
	}
	want := []string{id + "/open", id + "/severity-1", id + "/severity-3", id + "/remind-1", id + "/ack", id + "/resolve"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if len(r.muter.asked) == 0 || !cmp.Equal(r.muter.asked[0].Labels, labels) {
		t.Errorf("muter asked %+v, want the check's labels", r.muter.asked)
	}
}

package rule

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/probe"
)

const (
	unknownSt  = probe.StatusUnknown
	downSt     = probe.StatusDown
	degradedSt = probe.StatusDegraded
	upSt       = probe.StatusUp
)

// ignorePercent leaves the flap percentage to TestPercentChange.
var ignorePercent = cmpopts.IgnoreFields(Change{}, "Percent")

// seqResult is the i-th result of a sequence: at t0 plus i seconds, with
// reason "r<i>". Its status is given by a letter: u up, g degraded, d
// down, ? unknown.
func seqResult(i int, letter byte) Result {
	st := statusOf(letter)
	return Result{Check: "web", Time: at(i), Status: st, Reason: fmt.Sprintf("r%d", i)}
}

// runSeq applies the results spelled by seq to s and returns every change.
func runSeq(t *testing.T, s *State, p Params, seq string) []Change {
	t.Helper()
	var all []Change
	for i := range len(seq) {
		all = append(all, s.Apply(p, seqResult(i, seq[i]))...)
	}
	return all
}

// hard is the hard change at result i, of a streak begun at result since.
func hard(i, since int, from, to probe.Status) Change {
	return Change{Check: "web", Kind: KindHard, From: from, To: to,
		Time: at(i), Since: at(since), Reason: fmt.Sprintf("r%d", i)}
}

// flapping marks a hard change made while the check flaps.
func flapping(c Change) Change {
	c.Flapping = true
	return c
}

// flapStart and flapStop are flap changes at result i while hard st;
// flapStop's flapping began at result since.
func flapStart(i int, st probe.Status) Change {
	return Change{Check: "web", Kind: KindFlapStart, From: st, To: st,
		Time: at(i), Since: at(i), Reason: fmt.Sprintf("r%d", i), Flapping: true}
}

func flapStop(i, since int, st probe.Status) Change {
	return Change{Check: "web", Kind: KindFlapStop, From: st, To: st,
		Time: at(i), Since: at(since), Reason: fmt.Sprintf("r%d", i)}
}

func TestApply(t *testing.T) {
	alternating := strings.Repeat("ud", 10) + "u" // 21 results, 20 changes
	tests := []struct {
		name     string
		p        Params
		seq      string
		want     []Change
		hard     probe.Status
		soft     bool
		flapping bool
	}{
		{name: "first up is hard up at once", seq: "u",
			want: []Change{hard(0, 0, unknownSt, upSt)}, hard: upSt},
		{name: "first failure is soft", seq: "d", hard: unknownSt, soft: true},
		{name: "first failures confirmed", seq: "dd",
			want: []Change{hard(1, 0, unknownSt, downSt)}, hard: downSt},
		{name: "first degraded confirmed", seq: "gg",
			want: []Change{hard(1, 0, unknownSt, degradedSt)}, hard: degradedSt},
		{name: "first failure then up", seq: "du",
			want: []Change{hard(1, 1, unknownSt, upSt)}, hard: upSt},
		{name: "confirm 1 pages at once", p: Params{Confirm: 1}, seq: "ud",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(1, 1, upSt, downSt)}, hard: downSt},
		{name: "default confirm 2", seq: "udd",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt)}, hard: downSt},
		{name: "confirm 2 blip does not page", seq: "uduudu",
			want: []Change{hard(0, 0, unknownSt, upSt)}, hard: upSt},
		{name: "confirm 3", p: Params{Confirm: 3}, seq: "udduddd",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(6, 4, upSt, downSt)}, hard: downSt},
		{name: "confirm 3 streak running", p: Params{Confirm: 3}, seq: "uddudd",
			want: []Change{hard(0, 0, unknownSt, upSt)}, hard: upSt, soft: true},
		{name: "recover 1", seq: "uddu",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt), hard(3, 3, downSt, upSt)}, hard: upSt},
		{name: "recover 2", p: Params{Recover: 2}, seq: "udduduu",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt), hard(6, 5, downSt, upSt)}, hard: upSt},
		{name: "recover 2 running", p: Params{Recover: 2}, seq: "uddu",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt)}, hard: downSt, soft: true},
		{name: "mixed streak takes the latest: degraded", seq: "udg",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, degradedSt)}, hard: degradedSt},
		{name: "mixed streak takes the latest: down", seq: "ugd",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt)}, hard: downSt},
		{name: "degraded to down needs confirm", seq: "uggdgdd",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, degradedSt), hard(6, 5, degradedSt, downSt)},
			hard: downSt},
		{name: "down to degraded needs confirm", seq: "uddgg",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt), hard(4, 3, downSt, degradedSt)},
			hard: degradedSt},
		{name: "severity switch pending", seq: "uddg",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(2, 1, upSt, downSt)}, hard: downSt, soft: true},
		{name: "unknown results are ignored", seq: "ud?d??",
			want: []Change{hard(0, 0, unknownSt, upSt), hard(3, 1, upSt, downSt)}, hard: downSt},
		{name: "window not full: no flapping", seq: alternating[:20],
			want: []Change{hard(0, 0, unknownSt, upSt)}, hard: upSt, soft: true},
		{name: "alternating results flap", seq: alternating,
			want: []Change{hard(0, 0, unknownSt, upSt), flapStart(20, upSt)}, hard: upSt, flapping: true},
		{name: "hard changes go on while flapping", seq: strings.Repeat("uudd", 5) + "uu",
			want: []Change{
				hard(0, 0, unknownSt, upSt),
				hard(3, 2, upSt, downSt), hard(4, 4, downSt, upSt),
				hard(7, 6, upSt, downSt), hard(8, 8, downSt, upSt),
				hard(11, 10, upSt, downSt), hard(12, 12, downSt, upSt),
				hard(15, 14, upSt, downSt), hard(16, 16, downSt, upSt),
				hard(19, 18, upSt, downSt),
				flapStart(20, upSt), flapping(hard(20, 20, downSt, upSt)),
			},
			hard: upSt, flapping: true},
		// 14 and 15 up results after the flapping leave 25.6% and 21.1%:
		// under FlapHigh, but flapping goes on until under FlapLow.
		{name: "stable again after hysteresis", seq: alternating + strings.Repeat("u", 16),
			want: []Change{hard(0, 0, unknownSt, upSt), flapStart(20, upSt), flapStop(36, 20, upSt)}, hard: upSt},
		{name: "still flapping within hysteresis", seq: alternating + strings.Repeat("u", 15),
			want: []Change{hard(0, 0, unknownSt, upSt), flapStart(20, upSt)}, hard: upSt, flapping: true},
		{name: "lower thresholds stop sooner", p: Params{FlapHigh: 50, FlapLow: 40}, seq: alternating + strings.Repeat("u", 11),
			want: []Change{hard(0, 0, unknownSt, upSt), flapStart(20, upSt), flapStop(31, 20, upSt)}, hard: upSt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s State
			got := runSeq(t, &s, tt.p, tt.seq)
			if diff := cmp.Diff(tt.want, got, ignorePercent); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if s.Hard != tt.hard || s.Soft() != tt.soft || s.Flapping != tt.flapping {
				t.Errorf("hard %v soft %v flapping %v, want %v %v %v", s.Hard, s.Soft(), s.Flapping, tt.hard, tt.soft, tt.flapping)
			}
		})
	}
}

func TestStateJSON(t *testing.T) {
	tests := []struct {
		name string
		s    State
	}{
		{name: "zero", s: State{}},
		{name: "soft", s: State{Hard: upSt, HardSince: at(0), Pending: degradedSt, Streak: 1, StreakSince: at(5),
			Window: "uuuuug", Checked: at(5)}},
		{name: "flapping", s: State{Hard: downSt, HardSince: at(3), Window: strings.Repeat("ud", 10) + "d",
			Flapping: true, FlapSince: at(20), Checked: at(21)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.s)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if len(data) > 300 {
				t.Errorf("%d bytes, want a small state: %s", len(data), data)
			}
			var got State
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", data, err)
			}
			if diff := cmp.Diff(tt.s, got); diff != "" {
				t.Errorf("round trip of %s (-want +got):\n%s", data, diff)
			}
		})
	}
}

// TestStateJSONShape pins the stored form, which outlives a version.
func TestStateJSONShape(t *testing.T) {
	s := State{Hard: upSt, HardSince: at(0), Pending: downSt, Streak: 1, StreakSince: at(2), Window: "uud", Checked: at(2)}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	want := `{"hard":"up","hard_since":"2026-11-21T08:00:00Z","pending":"down","streak":1,` +
		`"streak_since":"2026-11-21T08:00:02Z","window":"uud","checked":"2026-11-21T08:00:02Z"}`
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("encoded state (-want +got):\n%s", diff)
	}
}

func TestParamsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Params
		want Params
	}{
		{name: "zero", in: Params{}, want: DefaultParams()},
		{name: "negative", in: Params{Confirm: -1, Recover: -1, FlapWindow: -1, FlapHigh: -1, FlapLow: -1}, want: DefaultParams()},
		{name: "set", in: Params{Confirm: 3, Recover: 2, FlapWindow: 11, FlapHigh: 50, FlapLow: 25},
			want: Params{Confirm: 3, Recover: 2, FlapWindow: 11, FlapHigh: 50, FlapLow: 25}},
		{name: "low above high", in: Params{FlapHigh: 10},
			want: Params{Confirm: 2, Recover: 1, FlapWindow: 21, FlapHigh: 10, FlapLow: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.in.withDefaults()); diff != "" {
				t.Errorf("withDefaults (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLatest(t *testing.T) {
	tests := []struct {
		seq  string
		want probe.Status
	}{{"", unknownSt}, {"u", upSt}, {"ud", downSt}, {"udg", degradedSt}, {"udg?", degradedSt}}
	for _, tt := range tests {
		t.Run(tt.seq, func(t *testing.T) {
			var s State
			runSeq(t, &s, Params{}, tt.seq)
			if got := s.Latest(); got != tt.want {
				t.Errorf("Latest() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestApplyIgnoresBadStatus(t *testing.T) {
	s := State{Hard: upSt, Window: "u", Checked: at(0)}
	before := s
	if got := s.Apply(Params{}, Result{Check: "web", Time: at(1), Status: probe.Status(9)}); got != nil {
		t.Errorf("changes %v for an invalid status", got)
	}
	if diff := cmp.Diff(before, s); diff != "" {
		t.Errorf("an invalid status changed the state (-want +got):\n%s", diff)
	}
}

func TestChangeID(t *testing.T) {
	a := hard(2, 1, upSt, downSt)
	b := flapStart(2, downSt)
	if a.ID() == b.ID() {
		t.Errorf("a hard and a flap change of one result share the ID %q", a.ID())
	}
	if want := "web/hard/2026-11-21T08:00:02Z"; a.ID() != want {
		t.Errorf("ID() = %q, want %q", a.ID(), want)
	}
}

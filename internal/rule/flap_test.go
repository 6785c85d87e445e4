package rule

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestPercentChange(t *testing.T) {
	tests := []struct {
		name   string
		window string
		want   float64
	}{
		{name: "empty", window: "", want: 0},
		{name: "one result", window: "d", want: 0},
		{name: "two different", window: "ud", want: 100},
		{name: "steady", window: strings.Repeat("u", 21), want: 0},
		{name: "alternating", window: strings.Repeat("ud", 10) + "u", want: 100},
		{name: "oldest change weighs 0.8", window: "d" + strings.Repeat("u", 20), want: 4},
		{name: "newest change weighs 1.2", window: strings.Repeat("u", 20) + "d", want: 6},
		{name: "down to degraded is a change", window: strings.Repeat("d", 20) + "g", want: 6},
		{name: "blip in the middle", window: strings.Repeat("u", 10) + "d" + strings.Repeat("u", 10), want: 10},
		{name: "recent changes", window: strings.Repeat("u", 17) + "dudu", want: 23.368421052631582},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := percentChange(tt.window)
			if !cmp.Equal(tt.want, got, cmpopts.EquateApprox(0, 1e-9)) {
				t.Errorf("percentChange(%q) = %v, want %v", tt.window, got, tt.want)
			}
		})
	}
}

// TestFlapHysteresis applies one up result to a state whose window then
// holds a given percent state change.
func TestFlapHysteresis(t *testing.T) {
	var (
		high   = strings.Repeat("ud", 10)           // then u: 100%
		middle = strings.Repeat("u", 16) + "dudu"   // then u: 23.4%, between 20 and 30
		low    = strings.Repeat("u", 19) + "d"      // then u: 12.3%
		short  = strings.Repeat("ud", 9) + "u"      // then u: 20 results, not full
		long   = "uuuuu" + strings.Repeat("ud", 10) // trimmed to the 21 latest: 100%
	)
	tests := []struct {
		name     string
		window   string
		flapping bool
		want     []Change
	}{
		{name: "above high starts", window: high, want: []Change{flapStart(0, upSt)}},
		{name: "above high keeps flapping", window: high, flapping: true},
		{name: "between keeps steady", window: middle},
		{name: "between keeps flapping", window: middle, flapping: true},
		{name: "below low stays steady", window: low},
		{name: "below low stops", window: low, flapping: true, want: []Change{flapStop(0, -60, upSt)}},
		{name: "window not full: no start", window: short},
		{name: "window not full: no stop", window: short, flapping: true},
		{name: "window longer than FlapWindow is trimmed", window: long, want: []Change{flapStart(0, upSt)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := State{Hard: upSt, HardSince: at(-100), Window: tt.window, Checked: at(-1)}
			if tt.flapping {
				s.Flapping, s.FlapSince = true, at(-60)
			}
			got := s.Apply(Params{}, seqResult(0, 'u'))
			if diff := cmp.Diff(tt.want, got, ignorePercent); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			wantFlapping := tt.flapping != (len(tt.want) > 0)
			if s.Flapping != wantFlapping || len(s.Window) > 21 {
				t.Errorf("flapping %v with a window of %d, want %v with at most 21", s.Flapping, len(s.Window), wantFlapping)
			}
		})
	}
}

func TestFlapPercentReported(t *testing.T) {
	s := State{Hard: upSt, Window: strings.Repeat("ud", 10)}
	got := s.Apply(Params{}, seqResult(0, 'u'))
	if len(got) != 1 || !cmp.Equal(100.0, got[0].Percent, cmpopts.EquateApprox(0, 1e-9)) {
		t.Errorf("changes %+v, want one flap_start at 100%%", got)
	}
}

func TestTinyFlapWindowNeverFlaps(t *testing.T) {
	var s State
	p := Params{FlapWindow: 1, FlapHigh: 1, FlapLow: 1}
	for _, c := range runSeq(t, &s, p, strings.Repeat("ud", 20)) {
		if c.Kind != KindHard {
			t.Errorf("%s change with a window of one result", c.Kind)
		}
	}
	if s.Window != "d" {
		t.Errorf("window %q, want %q", s.Window, "d")
	}
}

package rule

import (
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// Flap detection follows Nagios: it looks at the outcomes of the latest
// FlapWindow results and counts the changes between consecutive ones
// (any different outcome, so down to degraded counts), weighting recent
// changes more: the oldest of the window's n-1 transitions weighs 0.8, the
// newest 1.2, linearly in between. The weighted sum over n-1 is the
// percent state change: 0 for a steady check, 100 for one that changes at
// every result. Flapping starts at FlapHigh percent or more and stops
// below FlapLow; in between the check keeps what it was (hysteresis), so
// it does not flap in and out of flapping. Nothing is decided until the
// window is full.

// Weights of the oldest and the newest transition in the window.
const (
	oldWeight = 0.8
	newWeight = 1.2
)

// letters are the window's letters, indexed by probe.Status.
const letters = "?dgu"

func letterOf(st probe.Status) byte {
	if int(st) < len(letters) {
		return letters[st]
	}
	return '?'
}

func statusOf(c byte) probe.Status {
	for i := 1; i < len(letters); i++ {
		if letters[i] == c {
			return probe.Status(i)
		}
	}
	return probe.StatusUnknown
}

// percentChange returns the weighted percent state change of window.
func percentChange(window string) float64 {
	n := len(window)
	if n < 2 {
		return 0
	}
	var sum float64
	for i := 1; i < n; i++ {
		if window[i] == window[i-1] {
			continue
		}
		w := 1.0 // the only transition of a window of two
		if n > 2 {
			w = oldWeight + float64(i-1)*(newWeight-oldWeight)/float64(n-2)
		}
		sum += w
	}
	return sum * 100 / float64(n-1)
}

// flap records r's outcome in the window and decides whether the check
// starts or stops flapping. The changes it returns carry the hard status
// after r, which advance has already applied.
func (s *State) flap(p Params, r Result) (Change, bool) {
	w := s.Window + string(letterOf(r.Status))
	if len(w) > p.FlapWindow {
		w = w[len(w)-p.FlapWindow:]
	}
	s.Window = w
	if len(w) < p.FlapWindow {
		return Change{}, false
	}
	pct := percentChange(w)
	c := Change{Check: r.Check, From: s.Hard, To: s.Hard, Time: r.Time, Reason: r.Reason, Percent: pct}
	switch {
	case !s.Flapping && pct >= p.FlapHigh:
		s.Flapping, s.FlapSince = true, r.Time
		c.Kind, c.Since, c.Flapping = KindFlapStart, r.Time, true
	case s.Flapping && pct < p.FlapLow:
		c.Kind, c.Since = KindFlapStop, s.FlapSince
		s.Flapping, s.FlapSince = false, time.Time{}
	default:
		return Change{}, false
	}
	return c, true
}

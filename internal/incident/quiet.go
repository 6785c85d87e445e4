package incident

import (
	"time"

	"github.com/picket-monitor/picket/internal/mute"
)

// quietLocked returns why a notice about check at t must not be sent:
// the check is flapping, or the Muter mutes it. nil means send it.
func (m *Manager) quietLocked(check string, t time.Time) *mute.Reason {
	if f, ok := m.flaps[check]; ok {
		return &mute.Reason{Kind: MuteFlapping, ID: f.ID, Detail: "flapping since " + f.Since.Format(time.RFC3339)}
	}
	return m.mutedLocked(check, t)
}

// mutedLocked asks the Muter about check at t.
func (m *Manager) mutedLocked(check string, t time.Time) *mute.Reason {
	if m.opts.Muter == nil {
		return nil
	}
	var labels map[string]string
	if m.opts.Labels != nil {
		labels = m.opts.Labels(check)
	}
	r, ok := m.opts.Muter.Muted(mute.Target{Check: check, Labels: labels, Time: t})
	if !ok {
		return nil
	}
	return &r
}

// followUpLocked returns why a follow-up of inc (reminder, recovery,
// acknowledgement) must not be sent at t: it is muted now, or nobody was
// told of the problem in the first place.
func (m *Manager) followUpLocked(inc *Incident, t time.Time) *mute.Reason {
	if r := m.quietLocked(inc.Check, t); r != nil {
		return r
	}
	if inc.Notified {
		return nil
	}
	if inc.Muted != nil {
		r := *inc.Muted
		return &r
	}
	return &mute.Reason{Kind: "unnotified", Detail: "nobody was told of the problem"}
}

// pendingLocked reports whether inc's opening notice was muted by the
// Muter and nobody has been told since, so that the end of the mute while
// the check still fails must be notified.
func (m *Manager) pendingLocked(inc *Incident) bool {
	return inc.Open() && inc.Acknowledged.IsZero() && !inc.Notified &&
		inc.Muted != nil && inc.Muted.Kind != MuteFlapping
}

// childrenLocked returns the checks unreachable because of check.
func (m *Manager) childrenLocked(check string) []string {
	if m.opts.Children == nil {
		return nil
	}
	return m.opts.Children(check)
}

// describe writes a mute reason for the timeline: "maintenance
// sunday-patching until 2026-11-22T04:00:00Z".
func describe(r mute.Reason) string {
	s := r.Kind
	if r.ID != "" {
		s += " " + r.ID
	}
	if !r.Until.IsZero() {
		s += " until " + r.Until.UTC().Format(time.RFC3339)
	}
	if r.Detail != "" {
		s += " (" + r.Detail + ")"
	}
	return s
}

package incident

import (
	"cmp"
	"context"
	"fmt"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
)

// Observe applies one change of a check's state. A hard failure (up or
// unknown to down or degraded) opens an incident unless one is open; down
// ↔ degraded while open changes its status and severity (and notifies when
// the severity got worse); a hard recovery resolves it. flap_start and
// flap_stop begin and end a flap period. Notices go to the Sink.
//
// Observe is idempotent: a change not after the latest one applied to the
// check's newest incident, or a flap change that matches the check's
// flapping state, is a redelivery and does nothing. On error nothing is
// kept, and the change should be delivered again.
func (m *Manager) Observe(ctx context.Context, c rule.Change) error {
	if c.Check == "" {
		return fmt.Errorf("change without a check: %w", ErrInvalid)
	}
	c.Time = c.Time.UTC()
	m.mu.Lock()
	defer m.mu.Unlock()
	var tx *txn
	switch c.Kind {
	case rule.KindHard:
		tx = m.hardLocked(c)
	case rule.KindFlapStart:
		tx = m.flapStartLocked(c)
	case rule.KindFlapStop:
		tx = m.flapStopLocked(c)
	default:
		return fmt.Errorf("change of %s: unknown kind %q: %w", c.Check, c.Kind, ErrInvalid)
	}
	if tx == nil {
		return nil
	}
	return m.commitLocked(ctx, tx)
}

func failing(s probe.Status) bool { return s == probe.StatusDown || s == probe.StatusDegraded }

// hardLocked returns what a hard change does, or nil for nothing.
func (m *Manager) hardLocked(c rule.Change) *txn {
	if l, ok := m.incidents[m.latest[c.Check]]; ok && !c.Time.After(l.LastChange) {
		return nil // a redelivery, or older than what is known
	}
	open := m.incidents[m.open[c.Check]]
	switch {
	case failing(c.To) && open != nil:
		return m.changeLocked(open, c)
	case failing(c.To) && !failing(c.From):
		return m.openLocked(c)
	case c.To == probe.StatusUp && open != nil:
		return m.recoverLocked(open, c)
	}
	return nil // e.g. a recovery after a manual resolve
}

func (m *Manager) openLocked(c rule.Change) *txn {
	taken := func(id string) bool { _, ok := m.incidents[id]; return ok }
	tx := m.newTxnLocked(c.Check)
	muted := m.changeQuietLocked(c)
	since := c.Since
	if since.IsZero() || since.After(c.Time) {
		since = c.Time
	}
	inc := tx.edit(&Incident{
		ID: newID("inc-", c.Check, c.Time, taken), Check: c.Check,
		Severity: m.opts.Policy(c.Check).severity(c.To), Status: c.To, Reason: c.Reason,
		Since: since.UTC(), Opened: c.Time, Muted: muted, Notified: muted == nil, LastChange: c.Time,
	})
	text := c.To.String() + ": " + c.Reason
	if muted != nil {
		text += "; notifications muted: " + describe(*muted)
	}
	tx.add(c.Time, EntryOpened, text, "", c.From, c.To)
	tx.notice(Notice{Kind: notify.KindProblem, Step: "open", Incident: inc.clone(), Time: c.Time,
		Muted: muted, Children: m.childrenLocked(c.Check)})
	return tx
}

// changeLocked moves an open incident between down and degraded; a worse
// severity notifies again, a better or equal one only records the change.
func (m *Manager) changeLocked(open *Incident, c rule.Change) *txn {
	if open.Status == c.To {
		return nil
	}
	tx := m.newTxnLocked(c.Check)
	inc := tx.edit(open)
	was := inc.Severity
	inc.Status, inc.Reason, inc.LastChange = c.To, c.Reason, c.Time
	inc.Severity = m.opts.Policy(c.Check).severity(c.To)
	tx.add(c.Time, EntryChanged, fmt.Sprintf("%s (%s): %s", c.To, inc.Severity, c.Reason), "", open.Status, c.To)
	if rank(inc.Severity) <= rank(was) {
		return tx
	}
	muted := m.changeQuietLocked(c)
	if muted == nil {
		inc.Notified = true
	}
	step := fmt.Sprintf("severity-%d", countEntries(inc.Timeline, EntryChanged))
	tx.notice(Notice{Kind: notify.KindProblem, Step: step, Incident: inc.clone(), Time: c.Time,
		Downtime: Downtime(*inc, c.Time), Muted: muted, Children: m.childrenLocked(c.Check)})
	return tx
}

func (m *Manager) recoverLocked(open *Incident, c rule.Change) *txn {
	tx := m.newTxnLocked(c.Check)
	inc := tx.edit(open)
	inc.Resolved, inc.LastChange = c.Time, c.Time
	d := Downtime(*inc, c.Time)
	tx.add(c.Time, EntryRecovered, "back up after "+FormatDuration(d), "", inc.Status, probe.StatusUp)
	tx.notice(Notice{Kind: notify.KindRecovery, Step: "resolve", Incident: inc.clone(), Time: c.Time,
		Downtime: d, Muted: cmp.Or(m.followUpLocked(inc, c.Time), flappingChange(c))})
	return tx
}

// changeQuietLocked is quietLocked for a hard change, which also says
// itself whether the check flaps.
func (m *Manager) changeQuietLocked(c rule.Change) *mute.Reason {
	return cmp.Or(m.quietLocked(c.Check, c.Time), flappingChange(c))
}

// flappingChange returns a flapping reason for a hard change made while
// the check flaps, in case the flap_start before it was never seen.
func flappingChange(c rule.Change) *mute.Reason {
	if !c.Flapping {
		return nil
	}
	return &mute.Reason{Kind: MuteFlapping, Detail: "the change says the check flaps"}
}

// rank orders severities, worst highest.
func rank(s notify.Severity) int {
	switch s {
	case notify.SeverityCritical:
		return 3
	case notify.SeverityWarning:
		return 2
	case notify.SeverityInfo:
		return 1
	}
	return 0
}

func countEntries(es []Entry, kind string) int {
	n := 0
	for _, e := range es {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

package incident

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
)

// recheck is how often NextDue asks for a Tick while an incident waits for
// a mute whose end is unknown (an unreachable parent) to end.
const recheck = time.Minute

// Tick hands on what is due at the Manager's clock, for each open incident
// that is not acknowledged: its next reminder, or, when its opening notice
// was muted and the mute has ended while the check still fails, a late
// "unmuted" problem notice. At most one notice per incident per Tick: when
// several reminders fell due at once (Picket was stopped), only the latest
// is handed on and the others are recorded as skipped. A reminder due while
// muted is handed on with Muted set and counts as done. Call Tick at
// NextDue; calling it more often is harmless.
func (m *Manager) Tick(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	var errs []error
	for _, id := range m.openIDsLocked() {
		inc := m.incidents[id]
		if m.pendingLocked(inc) {
			m.rechecked[id] = now
		} else {
			delete(m.rechecked, id)
		}
		if tx := m.remindLocked(inc, now); tx != nil {
			errs = append(errs, m.commitLocked(ctx, tx))
		}
	}
	m.pruneLocked(now)
	return errors.Join(errs...)
}

// NextDue returns when Tick next has something to do, possibly already
// past; zero means nothing is scheduled.
func (m *Manager) NextDue() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	var next time.Time
	for _, id := range m.openIDsLocked() {
		inc := m.incidents[id]
		t := m.dueLocked(inc)
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// dueLocked returns when inc next needs a Tick, or zero.
func (m *Manager) dueLocked(inc *Incident) time.Time {
	if !inc.Acknowledged.IsZero() {
		return time.Time{}
	}
	var t time.Time
	if sched := m.scheduleLocked(inc.Check); inc.RemindersSent < len(sched) {
		t = inc.Opened.Add(sched[inc.RemindersSent])
	}
	if m.pendingLocked(inc) {
		// Asked about again a recheck after the last time (a parent may
		// come back, a silence be expired early), or at the mute's known
		// end if that is sooner. A time computed from now would always lie
		// ahead and never be reached.
		last := m.rechecked[inc.ID]
		if last.IsZero() {
			last = inc.Opened
		}
		u := last.Add(recheck)
		if end := inc.Muted.Until; !end.IsZero() && end.Before(u) {
			u = end
		}
		if t.IsZero() || u.Before(t) {
			t = u
		}
	}
	return t
}

func (m *Manager) openIDsLocked() []string {
	ids := make([]string, 0, len(m.open))
	for _, id := range m.open {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// scheduleLocked returns the check's reminder offsets in increasing order.
func (m *Manager) scheduleLocked(check string) []time.Duration {
	s := slices.Clone(m.opts.Policy(check).reminders())
	slices.Sort(s)
	return s
}

// remindLocked returns what is due for inc at now, or nil.
func (m *Manager) remindLocked(inc *Incident, now time.Time) *txn {
	if !inc.Acknowledged.IsZero() {
		return nil
	}
	sched := m.scheduleLocked(inc.Check)
	due := 0
	for due < len(sched) && !now.Before(inc.Opened.Add(sched[due])) {
		due++
	}
	late := m.pendingLocked(inc) && m.quietLocked(inc.Check, now) == nil
	if !late && due <= inc.RemindersSent {
		return nil
	}
	tx := m.newTxnLocked(inc.Check)
	c := tx.edit(inc)
	if late {
		m.lateLocked(tx, c, now)
	}
	for k := c.RemindersSent + 1; k <= due; k++ {
		if late || k < due {
			tx.add(now, EntryReminder, fmt.Sprintf("reminder %d of %d skipped: a later notice covers it", k, len(sched)), "", 0, 0)
			continue
		}
		m.reminderLocked(tx, c, now, k, len(sched))
	}
	c.RemindersSent = max(c.RemindersSent, due)
	return tx
}

// lateLocked tells of inc now that its mute has ended.
func (m *Manager) lateLocked(tx *txn, inc *Incident, now time.Time) {
	inc.Notified = true
	d := Downtime(*inc, now)
	tx.add(now, EntryUnmuted, fmt.Sprintf("%s ended while still %s: notified", describe(*inc.Muted), inc.Status), "", 0, 0)
	tx.notice(Notice{Kind: notify.KindProblem, Step: "unmuted", Incident: inc.clone(), Time: now,
		Downtime: d, Children: m.childrenLocked(inc.Check)})
}

// reminderLocked hands on reminder k of n for inc at now.
func (m *Manager) reminderLocked(tx *txn, inc *Incident, now time.Time, k, n int) {
	muted := m.followUpLocked(inc, now)
	d := Downtime(*inc, now)
	text := fmt.Sprintf("reminder %d of %d: %s for %s", k, n, inc.Status, FormatDuration(d))
	if muted != nil {
		text += "; muted: " + describe(*muted)
	}
	e := tx.add(now, EntryReminder, text, "", 0, 0)
	inc.RemindersSent = k
	tx.notice(Notice{Kind: notify.KindReminder, Step: fmt.Sprintf("remind-%d", k), Incident: inc.clone(), Time: e.Time,
		Downtime: d, Reminder: k, Reminders: n, Last: k == n, Muted: muted, Children: m.childrenLocked(inc.Check)})
}

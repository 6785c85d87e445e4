package incident

import (
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
)

// flapStartLocked begins a flap period: one "flapping" notice, after which
// the check's notices are muted until flapStopLocked. A check already
// flapping is a redelivery.
func (m *Manager) flapStartLocked(c rule.Change) *txn {
	if _, ok := m.flaps[c.Check]; ok {
		return nil
	}
	taken := func(id string) bool {
		for _, f := range m.flaps {
			if f.ID == id {
				return true
			}
		}
		return false
	}
	f := Flap{ID: newID("flp-", c.Check, c.Time, taken), Check: c.Check, Since: c.Time}
	tx := m.newTxnLocked(c.Check)
	tx.flap, tx.flapID = &f, f.ID
	if open, ok := m.incidents[m.open[c.Check]]; ok {
		tx.edit(open)
	}
	tx.add(c.Time, EntryFlapping, "flapping: notifications paused until it is stable", "", 0, 0)
	about := Incident{Check: c.Check, Status: statusOf(c)}
	if tx.inc != nil {
		about = tx.inc.clone()
	}
	tx.notice(Notice{Kind: notify.KindFlapping, Step: "flap-start", Incident: about, Flap: &f, Time: c.Time,
		Muted: m.mutedLocked(c.Check, c.Time)})
	return tx
}

// flapStopLocked ends the check's flap period with one "stable" notice
// that says how the check is now: up, or failing since when. An open
// incident told of by that notice counts as notified.
func (m *Manager) flapStopLocked(c rule.Change) *txn {
	f, ok := m.flaps[c.Check]
	if !ok {
		return nil // not flapping: a redelivery
	}
	tx := m.newTxnLocked(c.Check)
	tx.unflap, tx.flapID = true, f.ID
	muted := m.mutedLocked(c.Check, c.Time)
	n := Notice{Kind: notify.KindStable, Step: "flap-stop", Incident: Incident{Check: c.Check, Status: statusOf(c)},
		Flap: &f, Time: c.Time, Muted: muted}
	text := "stable again: " + statusOf(c).String()
	if open, ok := m.incidents[m.open[c.Check]]; ok {
		inc := tx.edit(open)
		n.Downtime = Downtime(*inc, c.Time)
		text = "stable again: " + inc.Status.String() + " since " + inc.Since.Format("2006-01-02 15:04:05 MST")
		if muted == nil {
			inc.Notified = true
		} else if !inc.Notified {
			inc.Muted = muted
		}
	}
	tx.add(c.Time, EntryStable, text, "", 0, 0)
	if tx.inc != nil {
		n.Incident = tx.inc.clone()
	}
	tx.notice(n)
	return tx
}

// statusOf returns the hard status a flap change reports, up if none.
func statusOf(c rule.Change) probe.Status {
	if c.To == probe.StatusUnknown {
		return probe.StatusUp
	}
	return c.To
}

package incident

import (
	"context"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// txn collects what one event changes for one check: the incident's new
// version, the new audit entries, the notices and the flap record. Nothing
// is visible until commitLocked has stored it all.
type txn struct {
	check   string
	inc     *Incident // the incident's new version, a copy; nil if untouched
	flapID  string    // the flap the entries belong to when inc is nil
	entries []Entry   // entries to append to the audit log
	notices []Notice
	flap    *Flap // a flap period to store as running
	unflap  bool  // the check's flap period ended
	stamp   time.Time
}

func (m *Manager) newTxnLocked(check string) *txn {
	return &txn{check: check, stamp: m.stamps[check]}
}

// edit makes the txn change a copy of inc.
func (tx *txn) edit(inc *Incident) *Incident {
	c := inc.clone()
	tx.inc = &c
	return tx.inc
}

// add records an entry at t, or just after the check's previous entry:
// the audit log drops a second event of one check at the same instant
// with the same status, so entries of a check get distinct times.
func (tx *txn) add(t time.Time, kind, text, by string, from, to probe.Status) Entry {
	if !t.After(tx.stamp) {
		t = tx.stamp.Add(time.Nanosecond)
	}
	tx.stamp = t
	e := Entry{Time: t, Kind: kind, Text: text, By: by, From: from, To: to}
	tx.entries = append(tx.entries, e)
	if tx.inc != nil {
		tx.inc.Timeline = append(tx.inc.Timeline, e)
	}
	return e
}

// notice adds n, filling in its summary.
func (tx *txn) notice(n Notice) {
	n.Summary = summary(n)
	tx.notices = append(tx.notices, n)
}

// commitLocked appends the entries to the audit log, hands the notices to
// the sink, stores the flap record and the incident, and only then makes
// the change visible. Each step is idempotent, so a failed commit can be
// retried whole.
func (m *Manager) commitLocked(ctx context.Context, tx *txn) error {
	id := tx.flapID
	if tx.inc != nil {
		id = tx.inc.ID
	}
	for _, e := range tx.entries {
		if err := m.opts.Store.Append(ctx, tx.check, id, e); err != nil {
			return fmt.Errorf("recording %s of %s: %w", e.Kind, id, err)
		}
	}
	if len(tx.notices) > 0 {
		if err := m.opts.Sink(ctx, tx.notices); err != nil {
			return fmt.Errorf("handing on notices of %s: %w", id, err)
		}
	}
	if err := m.storeFlap(ctx, tx); err != nil {
		return err
	}
	if tx.inc != nil {
		if err := m.opts.Store.Put(ctx, *tx.inc); err != nil {
			return fmt.Errorf("storing incident %s: %w", id, err)
		}
		m.rememberLocked(*tx.inc)
	}
	m.stamps[tx.check] = tx.stamp
	switch {
	case tx.flap != nil:
		m.flaps[tx.check] = *tx.flap
	case tx.unflap:
		delete(m.flaps, tx.check)
	}
	return nil
}

func (m *Manager) storeFlap(ctx context.Context, tx *txn) error {
	var err error
	switch {
	case tx.flap != nil:
		err = m.opts.Store.PutFlap(ctx, *tx.flap)
	case tx.unflap:
		err = m.opts.Store.DeleteFlap(ctx, tx.check)
	}
	if err != nil {
		return fmt.Errorf("storing flapping of %s: %w", tx.check, err)
	}
	return nil
}

package incident

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits on what people write.
const (
	maxBy   = 200
	maxText = 10_000
)

// Ack acknowledges the open incident id for by: reminders stop, and an
// "ack" notice tells the others. comment may be empty. It returns the
// incident as it is now, or an error wrapping ErrNotFound, ErrConflict
// (resolved or already acknowledged) or ErrInvalid.
func (m *Manager) Ack(ctx context.Context, id, by, comment string) (Incident, error) {
	return m.act(ctx, id, by, comment, false, func(tx *txn, inc *Incident, now time.Time) error {
		if !inc.Open() {
			return fmt.Errorf("incident %s was resolved at %s: %w", id, stamp(inc.Resolved), ErrConflict)
		}
		if !inc.Acknowledged.IsZero() {
			return fmt.Errorf("incident %s was already acknowledged by %s at %s: %w", id, inc.AckedBy, stamp(inc.Acknowledged), ErrConflict)
		}
		e := tx.add(now, EntryAck, comment, by, 0, 0)
		inc.Acknowledged, inc.AckedBy = e.Time, by
		tx.notice(Notice{Kind: notify.KindAck, Step: "ack", Incident: inc.clone(), Time: e.Time,
			Downtime: Downtime(*inc, e.Time), By: by, Comment: comment, Muted: m.followUpLocked(inc, e.Time)})
		return nil
	})
}

// Resolve resolves the open incident id by hand, for by: a later recovery
// of the check then does nothing, and a later failure opens a new
// incident. A recovery notice names who resolved it. Errors as for Ack.
func (m *Manager) Resolve(ctx context.Context, id, by, comment string) (Incident, error) {
	return m.act(ctx, id, by, comment, false, func(tx *txn, inc *Incident, now time.Time) error {
		if !inc.Open() {
			return fmt.Errorf("incident %s was already resolved at %s: %w", id, stamp(inc.Resolved), ErrConflict)
		}
		d := Downtime(*inc, now)
		e := tx.add(now, EntryResolved, withComment("resolved by hand after "+FormatDuration(d), comment), by, 0, 0)
		inc.Resolved, inc.ResolvedBy = e.Time, by
		tx.notice(Notice{Kind: notify.KindRecovery, Step: "resolve", Incident: inc.clone(), Time: e.Time,
			Downtime: Downtime(*inc, e.Time), By: by, Comment: comment, Muted: m.followUpLocked(inc, e.Time)})
		return nil
	})
}

// AddNote adds a note by by to incident id, open or resolved. Notes land in
// the timeline and the audit log; nobody is notified. An empty text is an
// error wrapping ErrInvalid.
func (m *Manager) AddNote(ctx context.Context, id, by, text string) (Incident, error) {
	return m.act(ctx, id, by, text, true, func(tx *txn, inc *Incident, now time.Time) error {
		tx.add(now, EntryNote, text, by, 0, 0)
		return nil
	})
}

// act runs a person's action on incident id as one committed txn.
func (m *Manager) act(ctx context.Context, id, by, text string, needText bool,
	do func(tx *txn, inc *Incident, now time.Time) error) (Incident, error) {
	if err := checkInput(by, text, needText); err != nil {
		return Incident{}, fmt.Errorf("incident %s: %w", id, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, err := m.findLocked(ctx, id)
	if err != nil {
		return Incident{}, err
	}
	tx := m.newTxnLocked(cur.Check)
	inc := tx.edit(&cur)
	if err := do(tx, inc, m.now()); err != nil {
		return Incident{}, err
	}
	if err := m.commitLocked(ctx, tx); err != nil {
		return Incident{}, err
	}
	return inc.clone(), nil
}

// findLocked returns incident id from memory or, for an old one, the store.
func (m *Manager) findLocked(ctx context.Context, id string) (Incident, error) {
	if inc, ok := m.incidents[id]; ok {
		return inc.clone(), nil
	}
	inc, ok, err := m.opts.Store.Get(ctx, id)
	if err != nil {
		return Incident{}, fmt.Errorf("reading incident %s: %w", id, err)
	}
	if !ok {
		return Incident{}, fmt.Errorf("incident %q: %w", id, ErrNotFound)
	}
	return inc, nil
}

func checkInput(by, text string, needText bool) error {
	switch {
	case strings.TrimSpace(by) == "":
		return fmt.Errorf("who acts must be named: %w", ErrInvalid)
	case len(by) > maxBy:
		return fmt.Errorf("name of who acts is over %d bytes: %w", maxBy, ErrInvalid)
	case needText && strings.TrimSpace(text) == "":
		return fmt.Errorf("note is empty: %w", ErrInvalid)
	case len(text) > maxText:
		return fmt.Errorf("text is over %d bytes: %w", maxText, ErrInvalid)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

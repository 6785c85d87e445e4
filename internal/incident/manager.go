package incident

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

// Sink receives the Manager's notices (muted ones included) before the
// state that produced them is stored: if it fails, nothing is stored and
// the call that produced them fails, so a retry or redelivery produces
// them again, with the same Keys. It is the outbox's write, which
// deduplicates by Key. It is called with the Manager's lock held and must
// not call back into the Manager.
type Sink func(ctx context.Context, notices []Notice) error

// Policy is what a check's alerting policy says to the Manager.
type Policy struct {
	// Reminders is when reminders are due while an incident is open and
	// not acknowledged, each measured from the opening (cumulative, not
	// from the reminder before): [10m, 30m, 1h] reminds 10 minutes, 30
	// minutes and 1 hour after the check failed, then never again. nil
	// means DefaultReminders; an empty, non-nil list means no reminders.
	Reminders []time.Duration
	// DownSeverity and DegradedSeverity are the incident's severity per
	// failing status; empty means critical for down, warning for degraded.
	DownSeverity, DegradedSeverity notify.Severity
}

// DefaultReminders returns the reminder schedule of a policy that sets
// none: 10 minutes, 30 minutes and 1 hour after the opening.
func DefaultReminders() []time.Duration {
	return []time.Duration{10 * time.Minute, 30 * time.Minute, time.Hour}
}

func (p Policy) reminders() []time.Duration {
	if p.Reminders == nil {
		return DefaultReminders()
	}
	return p.Reminders
}

func (p Policy) severity(st probe.Status) notify.Severity {
	if st == probe.StatusDegraded {
		return cmp.Or(p.DegradedSeverity, notify.SeverityWarning)
	}
	return cmp.Or(p.DownSeverity, notify.SeverityCritical)
}

// Options configure New. Store and Sink are required.
type Options struct {
	Store Store
	Sink  Sink
	// Now is the clock; default time.Now. Times are stored in UTC.
	Now func() time.Time
	// Policy returns the policy of a check; nil means the defaults.
	Policy func(check string) Policy
	// Muter says whether notices of a check are muted now; nil mutes
	// nothing. Labels returns a check's labels for it.
	Muter  mute.Muter
	Labels func(check string) map[string]string
	// Children returns the checks unreachable because check is down, for
	// its problem notices to list (mute.Dependencies.Children). For the
	// list to be right, the Dependencies must know check is hard down
	// before its change reaches Observe.
	Children func(check string) []string
	// Keep is how long resolved incidents stay in memory for List;
	// default 7 days. Older ones are still found by Get.
	Keep time.Duration
}

// Manager turns changes of check state into incidents and notices. Its
// methods are safe for concurrent use; they run one at a time.
type Manager struct {
	opts Options

	mu        sync.Mutex           // protects the fields below
	incidents map[string]*Incident // open ones and those resolved within Keep
	open      map[string]string    // check → id of its open incident
	latest    map[string]string    // check → id of its newest incident
	flaps     map[string]Flap      // check → its running flap period
	stamps    map[string]time.Time // check → time of its newest audit entry
	// rechecked is when Tick last asked whether the mute of an incident
	// whose opening notice was muted has ended (by incident id).
	rechecked map[string]time.Time
}

// New returns a Manager continuing from what opts.Store holds: open
// incidents keep their reminder schedule and flapping checks stay flapping.
func New(ctx context.Context, opts Options) (*Manager, error) {
	if opts.Store == nil || opts.Sink == nil {
		return nil, errors.New("incident manager needs a store and a sink")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Policy == nil {
		opts.Policy = func(string) Policy { return Policy{} }
	}
	opts.Keep = cmp.Or(opts.Keep, 7*24*time.Hour)
	snap, err := opts.Store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading incidents: %w", err)
	}
	m := &Manager{opts: opts, incidents: map[string]*Incident{}, open: map[string]string{},
		latest: map[string]string{}, flaps: map[string]Flap{}, stamps: map[string]time.Time{},
		rechecked: map[string]time.Time{}}
	cutoff := m.now().Add(-opts.Keep)
	for _, inc := range snap.Incidents {
		if inc.Open() || inc.Resolved.After(cutoff) {
			m.rememberLocked(inc)
		}
	}
	for _, f := range snap.Flaps {
		m.flaps[f.Check] = f
	}
	return m, nil
}

func (m *Manager) now() time.Time { return m.opts.Now().UTC() }

// rememberLocked keeps inc in memory as the newest version of itself.
func (m *Manager) rememberLocked(inc Incident) {
	p := &inc
	m.incidents[inc.ID] = p
	if inc.Open() {
		m.open[inc.Check] = inc.ID
	} else if m.open[inc.Check] == inc.ID {
		delete(m.open, inc.Check)
	}
	if l, ok := m.incidents[m.latest[inc.Check]]; !ok || l.ID <= inc.ID {
		m.latest[inc.Check] = inc.ID
	}
	if n := len(inc.Timeline); n > 0 && inc.Timeline[n-1].Time.After(m.stamps[inc.Check]) {
		m.stamps[inc.Check] = inc.Timeline[n-1].Time
	}
}

// Get returns the incident with the id, or an error wrapping ErrNotFound.
func (m *Manager) Get(ctx context.Context, id string) (Incident, error) {
	m.mu.Lock()
	inc, ok := m.incidents[id]
	var out Incident
	if ok {
		out = inc.clone()
	}
	m.mu.Unlock()
	if ok {
		return out, nil
	}
	out, ok, err := m.opts.Store.Get(ctx, id)
	if err != nil {
		return Incident{}, fmt.Errorf("reading incident %s: %w", id, err)
	}
	if !ok {
		return Incident{}, fmt.Errorf("incident %q: %w", id, ErrNotFound)
	}
	return out, nil
}

// List returns the incidents f selects among the open ones and those
// resolved within Keep, newest first.
func (m *Manager) List(f Filter) []Incident {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Incident
	for _, inc := range m.incidents {
		if (f.Open && !inc.Open()) || (f.Check != "" && inc.Check != f.Check) {
			continue
		}
		out = append(out, inc.clone())
	}
	slices.SortFunc(out, func(a, b Incident) int { return cmp.Compare(b.ID, a.ID) })
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	return out[:min(len(out), limit)]
}

// pruneLocked forgets incidents resolved before Keep.
func (m *Manager) pruneLocked(now time.Time) {
	cutoff := now.Add(-m.opts.Keep)
	for id, inc := range m.incidents {
		if !inc.Open() && inc.Resolved.Before(cutoff) {
			delete(m.incidents, id)
			if m.latest[inc.Check] == id {
				delete(m.latest, inc.Check)
			}
		}
	}
}

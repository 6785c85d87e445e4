package mute

import (
	"cmp"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Maintenance mutes the checks its windows match while a window is
// active. The windows are replaced as a whole on reload. It is safe for
// concurrent use.
type Maintenance struct {
	mu      sync.RWMutex // protects the field below
	windows []Window     // validated
}

// NewMaintenance returns a Maintenance over ws; see Set.
func NewMaintenance(ws []Window) (*Maintenance, error) {
	m := &Maintenance{}
	return m, m.Set(ws)
}

// Set replaces the windows. Each is validated (a copy; ws is not
// changed). The valid ones are kept even when others are not, and the
// problems are returned, each prefixed with "maintenance[id]"; config
// validates windows at load, so this only happens to windows made in
// code.
func (m *Maintenance) Set(ws []Window) error {
	kept := make([]Window, 0, len(ws))
	var errs []error
	for i, w := range ws {
		if err := w.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("maintenance[%s]: %w", cmp.Or(w.ID, fmt.Sprint(i)), err))
			continue
		}
		kept = append(kept, w)
	}
	m.mu.Lock()
	m.windows = kept
	m.mu.Unlock()
	return errors.Join(errs...)
}

// Windows returns the windows in force (validated copies).
func (m *Maintenance) Windows() []Window {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return append([]Window(nil), m.windows...)
}

// Muted reports whether a window that matches t's check is active at
// t.Time. When several are, the one that ends last is the reason. Detail
// is the window's name, or its id.
func (m *Maintenance) Muted(t Target) (Reason, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var r Reason
	found := false
	for _, w := range m.windows {
		if !w.Match.Matches(t.Check, t.Labels) {
			continue
		}
		if _, end, ok := w.ActiveAt(t.Time); ok && (!found || end.After(r.Until)) {
			r, found = Reason{Kind: KindMaintenance, ID: w.ID, Until: end, Detail: cmp.Or(w.Name, w.ID)}, true
		}
	}
	return r, found
}

// Occurrence is one occurrence of a maintenance window.
type Occurrence struct {
	ID, Name   string
	Start, End time.Time
}

// Next returns the first occurrence, among the windows that match t's
// check, that starts after t.Time: the status page's "next maintenance".
// ok is false when there is none.
func (m *Maintenance) Next(t Target) (Occurrence, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var o Occurrence
	found := false
	for _, w := range m.windows {
		if !w.Match.Matches(t.Check, t.Labels) {
			continue
		}
		if start, end, ok := w.Next(t.Time); ok && (!found || start.Before(o.Start)) {
			o, found = Occurrence{ID: w.ID, Name: cmp.Or(w.Name, w.ID), Start: start, End: end}, true
		}
	}
	return o, found
}

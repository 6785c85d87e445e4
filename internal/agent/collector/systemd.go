package collector

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// Unit is one systemd unit as systemd lists it.
type Unit struct {
	Name   string `json:"unit"`   // e.g. nginx.service
	Load   string `json:"load"`   // loaded, not-found, masked, ...
	Active string `json:"active"` // active, inactive, failed, activating, ...
	Sub    string `json:"sub"`    // running, exited, dead, ...
}

// UnitSource lists systemd's units. types (service, timer, ...) is a
// hint a source may use to list less; the caller filters anyway.
type UnitSource interface {
	Units(ctx context.Context, types []string) ([]Unit, error)
}

// Defaults of Systemd.
const (
	defaultSystemdBooted = "/run/systemd/system"
	defaultSystemdEvery  = 15 * time.Second
	// maxSystemdUnits bounds the series one host can make.
	maxSystemdUnits = 1000
)

// DefaultUnitTypes are the unit types Systemd reports unless told
// otherwise: what runs (services), what is scheduled (timers) and what
// is mounted. Devices, slices, scopes and targets would add hundreds of
// series that say little.
func DefaultUnitTypes() []string { return []string{"service", "timer", "mount"} }

// Systemd reports systemd units: SystemdUnitState{unit, state} = 1 for
// each unit's active state. It reports the units of the chosen types
// that are loaded, and any unit that failed; at most 1000.
//
// Asking systemd costs a process (systemctl), so the list is refreshed
// at most every Every, and Collect in between emits the last one. The
// zero value is ready to use; set the fields before the first Collect.
type Systemd struct {
	Source UnitSource    // default Systemctl{}
	Booted string        // exists when systemd runs; default /run/systemd/system
	Types  []string      // unit types reported; default DefaultUnitTypes()
	Every  time.Duration // how often to ask systemd; default 15 s

	now func() time.Time // default time.Now

	mu      sync.Mutex // protects the fields below
	units   []Unit
	fetched time.Time
	labels  [2]Label
}

// NewSystemd returns the systemd collector with its defaults. p is not
// used: the unit states come from systemd, not from a file tree.
func NewSystemd(_ Paths) Collector { return &Systemd{} }

// Collect emits the state of every reported unit. It returns
// ErrNotSupported when systemd does not run here (Booted is missing)
// or systemctl is not installed.
func (c *Systemd) Collect(ctx context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	if age := now.Sub(c.fetched); c.fetched.IsZero() || age < 0 || age >= cmp.Or(c.Every, defaultSystemdEvery) {
		// A failure also waits for Every: systemctl is not run every
		// second while systemd is unwell.
		c.fetched, c.units = now, nil
		if err := c.fetchLocked(ctx); err != nil {
			return err
		}
	}
	for _, u := range c.units {
		c.labels = [2]Label{{"unit", u.Name}, {"state", u.Active}}
		emit(Sample{SystemdUnitState, c.labels[:], 1})
	}
	return nil
}

func (c *Systemd) fetchLocked(ctx context.Context) error {
	booted := cmp.Or(c.Booted, defaultSystemdBooted)
	if _, err := os.Stat(booted); err != nil {
		return fmt.Errorf("%w: systemd is not running: %w", ErrNotSupported, err)
	}
	types := c.Types
	if types == nil {
		types = DefaultUnitTypes()
	}
	var src UnitSource = Systemctl{}
	if c.Source != nil {
		src = c.Source
	}
	units, err := src.Units(ctx, types)
	if err != nil {
		return fmt.Errorf("listing systemd units: %w", err)
	}
	c.units = filterUnits(units, types)
	return nil
}

// filterUnits keeps, in place and ordered by name, the units of the
// given types that are loaded or failed, at most maxSystemdUnits.
func filterUnits(units []Unit, types []string) []Unit {
	units = slices.DeleteFunc(units, func(u Unit) bool {
		dot := strings.LastIndexByte(u.Name, '.')
		if dot < 0 || !slices.Contains(types, u.Name[dot+1:]) {
			return true
		}
		return u.Load != "loaded" && u.Active != "failed"
	})
	slices.SortFunc(units, func(a, b Unit) int { return strings.Compare(a.Name, b.Name) })
	units = slices.CompactFunc(units, func(a, b Unit) bool { return a.Name == b.Name })
	return units[:min(len(units), maxSystemdUnits)]
}

package mute

import (
	"maps"
	"slices"
	"sync"

	"github.com/picket-monitor/picket/internal/probe"
)

// Dependencies mutes a check while any of its ancestors (its depends_on,
// their depends_on, and so on) is hard down: the check is unreachable,
// and its own failure is a consequence, not news. Only a hard down parent
// mutes: a degraded one still answers, so what is behind it can be
// reached and its failures are its own; soft failures and unknown
// statuses do not mute either. It is safe for concurrent use.
type Dependencies struct {
	mu       sync.RWMutex // protects the fields below
	parents  map[string][]string
	children map[string][]string
	hard     map[string]probe.Status
}

// NewDependencies returns Dependencies over the graph dependsOn (check id
// to the ids it depends on), which config has checked for unknown ids
// and cycles. Every check's hard status starts unknown.
func NewDependencies(dependsOn map[string][]string) *Dependencies {
	d := &Dependencies{hard: make(map[string]probe.Status)}
	d.SetGraph(dependsOn)
	return d
}

// SetGraph replaces the graph on reload, keeping the hard statuses known.
func (d *Dependencies) SetGraph(dependsOn map[string][]string) {
	parents := make(map[string][]string, len(dependsOn))
	children := make(map[string][]string)
	for _, c := range slices.Sorted(maps.Keys(dependsOn)) {
		parents[c] = slices.Clone(dependsOn[c])
		for _, p := range dependsOn[c] {
			children[p] = append(children[p], c)
		}
	}
	d.mu.Lock()
	d.parents, d.children = parents, children
	d.mu.Unlock()
}

// SetHard records the hard status of check, as the state machine decides
// it.
func (d *Dependencies) SetHard(check string, s probe.Status) {
	d.mu.Lock()
	d.hard[check] = s
	d.mu.Unlock()
}

// Forget drops what is known of a check removed from config.
func (d *Dependencies) Forget(check string) {
	d.mu.Lock()
	delete(d.hard, check)
	d.mu.Unlock()
}

// Muted reports whether an ancestor of t's check is hard down. The reason
// names the nearest one: fewest depends_on steps away, then first in
// depends_on order. Until is zero, since nobody knows when it will be
// back. The check's own status does not matter, and t.Time is not used:
// the statuses are the current ones.
func (d *Dependencies) Muted(t Target) (Reason, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p, ok := d.downAncestorLocked(t.Check)
	if !ok {
		return Reason{}, false
	}
	return Reason{Kind: KindUnreachable, ID: p, Detail: p + " is down"}, true
}

// downAncestorLocked finds the nearest hard down ancestor of check,
// breadth first.
func (d *Dependencies) downAncestorLocked(check string) (string, bool) {
	seen := map[string]bool{check: true}
	level := []string{check}
	for len(level) > 0 {
		var next []string
		for _, c := range level {
			for _, p := range d.parents[c] {
				if d.hard[p] == probe.StatusDown {
					return p, true
				}
				if !seen[p] {
					seen[p] = true
					next = append(next, p)
				}
			}
		}
		level = next
	}
	return "", false
}

// Children returns, sorted, the checks that are currently unreachable
// because of parent, for parent's notification to list: descendants of a
// hard down parent whose own hard status is down or degraded, and whose
// nearest down ancestor is parent or, through a chain of nearest down
// ancestors, leads to it (with router → switch → web all down, web is
// listed for router too). It is empty while parent is not hard down.
func (d *Dependencies) Children(parent string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.hard[parent] != probe.StatusDown {
		return nil
	}
	var out []string
	seen := map[string]bool{parent: true}
	queue := slices.Clone(d.children[parent])
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		queue = append(queue, d.children[c]...)
		if s := d.hard[c]; (s == probe.StatusDown || s == probe.StatusDegraded) && d.causedByLocked(c, parent) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// causedByLocked reports whether following nearest down ancestors from
// check reaches parent.
func (d *Dependencies) causedByLocked(check, parent string) bool {
	seen := map[string]bool{check: true}
	for c := check; ; {
		p, ok := d.downAncestorLocked(c)
		if !ok || seen[p] {
			return false
		}
		if p == parent {
			return true
		}
		seen[p] = true
		c = p
	}
}

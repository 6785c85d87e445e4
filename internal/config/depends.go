package config

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// edge is one depends_on entry that names another check.
type edge struct {
	to    int        // index of the check depended on
	node  *yaml.Node // the entry
	field string     // "checks[a].depends_on[0]"
}

// relations validates what checks say about each other: ids are unique,
// and depends_on names other, existing checks without a cycle.
func (d *decoder) relations(checks []Check, srcs []source) {
	ids := make([]string, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
	}
	index := d.uniqueIDs(ids, srcs)
	edges := make([][]edge, len(checks))
	for i := range checks {
		edges[i] = d.dependsOn(checks[i], srcs[i], index)
	}
	d.cycles(checks, edges)
}

// dependsOn validates one check's depends_on and returns its edges.
func (d *decoder) dependsOn(c Check, src source, index map[string]int) []edge {
	_, list := lookup(src.node, "depends_on")
	list = resolve(list)
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) != len(c.DependsOn) {
		return nil // not a list: reported when decoded
	}
	var out []edge
	for j, dep := range c.DependsOn {
		at, field := list.Content[j], src.path+".depends_on["+strconv.Itoa(j)+"]"
		to, known := index[dep]
		switch {
		case d.reported(field):
		case dep == "":
			d.add(at, field, "empty check id")
		case dep == c.ID:
			d.add(at, field, "check %q depends on itself", dep)
		case slices.Index(c.DependsOn, dep) < j:
			d.add(at, field, "%q is listed twice", dep)
		case !known:
			d.add(at, field, "unknown check %q", dep)
		default:
			out = append(out, edge{to: to, node: at, field: field})
		}
	}
	return out
}

// cycles reports every cycle a depth-first search meets, as the path of
// ids around it, starting at the check that comes first in the file.
func (d *decoder) cycles(checks []Check, edges [][]edge) {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(checks))
	var path []edge // the edges walked to reach the current check
	var visit func(i int)
	visit = func(i int) {
		state[i] = onPath
		for _, e := range edges[i] {
			switch state[e.to] {
			case unseen:
				path = append(path, e)
				visit(e.to)
				path = path[:len(path)-1]
			case onPath:
				d.reportCycle(checks, cycleFrom(path, e))
			}
		}
		state[i] = done
	}
	for i := range checks {
		if state[i] == unseen {
			visit(i)
		}
	}
}

// cycleFrom returns the edges of the cycle closed by back, which points at
// a check on the path, rotated to start at the lowest check index.
func cycleFrom(path []edge, back edge) []edge {
	start := len(path)
	for start > 0 && path[start-1].to != back.to {
		start--
	}
	cycle := append(slices.Clone(path[start:]), back)
	// cycle[k] leads to cycle[k].to; the check it leaves is the one before.
	lowest := 0
	for k := range cycle {
		if cycle[k].to < cycle[lowest].to {
			lowest = k
		}
	}
	first := (lowest + 1) % len(cycle)
	return slices.Concat(cycle[first:], cycle[:first])
}

// reportCycle reports a cycle at its first edge, which leaves the check
// that comes first in the file.
func (d *decoder) reportCycle(checks []Check, cycle []edge) {
	ids := []string{checks[cycle[len(cycle)-1].to].ID}
	for _, e := range cycle {
		ids = append(ids, checks[e.to].ID)
	}
	d.add(cycle[0].node, cycle[0].field, "depends_on cycle: %s", strings.Join(ids, " -> "))
}

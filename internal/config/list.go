package config

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// validID is the shape of every id in the file: of a check, a channel, a
// policy and a maintenance window. Ids appear in NATS subjects, keys and
// URLs, so they are kept plain.
var validID = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`)

// source is where one decoded item of a list section came from.
type source struct {
	node *yaml.Node // the item's mapping
	path string     // "checks[id]", or "checks[index]" without a valid id
}

// items returns the mappings of list section n (nil: absent), reporting
// a section that is not a list and items that are not mappings. one and
// many name an item in messages: "check", "checks".
func (d *decoder) items(n *yaml.Node, section, one, many string) []source {
	if isNull(n) {
		return nil
	}
	if resolve(n).Kind != yaml.SequenceNode {
		d.add(n, section, "want a list of %s, got %s", many, describe(n))
		return nil
	}
	var out []source
	for i, item := range resolve(n).Content {
		m := resolve(item)
		if m.Kind != yaml.MappingNode {
			d.add(item, section+"["+strconv.Itoa(i)+"]", "want a mapping (one %s), got %s", one, describe(item))
			continue
		}
		out = append(out, source{node: m, path: itemPath(section, m, i)})
	}
	return out
}

// itemPath names an item in problems by its id when it has a valid one,
// by its position otherwise.
func itemPath(section string, n *yaml.Node, i int) string {
	if _, v := lookup(n, "id"); v != nil && resolve(v).Kind == yaml.ScalarNode && validID.MatchString(resolve(v).Value) {
		return section + "[" + resolve(v).Value + "]"
	}
	return section + "[" + strconv.Itoa(i) + "]"
}

// checkID reports an id that is present but not valid. A missing id is
// left to the caller, which reports it with the item's other required
// fields.
func (d *decoder) checkID(src source, id string) {
	if _, v := lookup(src.node, "id"); !isNull(v) && resolve(v).Kind == yaml.ScalarNode && !validID.MatchString(id) {
		d.add(v, src.path+".id", "invalid id %q: want 1 to 64 letters, digits, '_' or '-', starting with a letter or digit", id)
	}
}

// requireKeys reports each of keys that src does not set.
func (d *decoder) requireKeys(src source, keys ...string) {
	for _, key := range keys {
		if _, v := lookup(src.node, key); isNull(v) {
			d.add(src.node, src.path, "missing required field %q", key)
		}
	}
}

// uniqueIDs maps each valid id to the first item that has it, reporting
// later items with the same id.
func (d *decoder) uniqueIDs(ids []string, srcs []source) map[string]int {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		if !validID.MatchString(id) {
			continue
		}
		first, dup := index[id]
		if !dup {
			index[id] = i
			continue
		}
		_, at := lookup(srcs[first].node, "id")
		d.add(valueAt(srcs[i].node, "id"), srcs[i].path+".id", "duplicate id %q (first defined at line %d)", id, at.Line)
	}
	return index
}

// refs validates a list of ids that refer to items of another section:
// field is the list's path ("checks[web].notify"), list its node, what
// names the items ("channel"), known the valid ids. It reports empty,
// repeated and unknown ids, each at its entry.
func (d *decoder) refs(list *yaml.Node, field, what string, ids []string, known map[string]int) {
	list = resolve(list)
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) != len(ids) {
		return // not a list: reported when decoded
	}
	for j, id := range ids {
		at, f := list.Content[j], field+"["+strconv.Itoa(j)+"]"
		switch {
		case d.reported(f):
		case id == "":
			d.add(at, f, "empty %s id", what)
		case slices.Index(ids, id) < j:
			d.add(at, f, "%q is listed twice", id)
		default:
			d.ref(at, f, what, id, known)
		}
	}
}

// ref reports id when it is not one of known.
func (d *decoder) ref(at *yaml.Node, field, what, id string, known map[string]int) {
	if _, ok := known[id]; !ok {
		d.add(at, field, "unknown %s %q (%s)", what, id, knownIDs(known))
	}
}

// maxKnown bounds how many ids a message lists: a file may hold thousands
// of checks.
const maxKnown = 10

// knownIDs lists the ids of index for a message, sorted, the first
// maxKnown of them.
func knownIDs(index map[string]int) string {
	if len(index) == 0 {
		return "none are defined"
	}
	ids := make([]string, 0, len(index))
	for id := range index {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) > maxKnown {
		return "known: " + strings.Join(ids[:maxKnown], ", ") + " and " + strconv.Itoa(len(ids)-maxKnown) + " more"
	}
	return "known: " + strings.Join(ids, ", ")
}

// decodeItems decodes each item of a list section with one, in order,
// and reports ids that repeat.
func decodeItems[T any](d *decoder, srcs []source, one func(source) T, id func(T) string) []T {
	var items []T // nil for an empty section
	ids := make([]string, len(srcs))
	for i, src := range srcs {
		items = append(items, one(src))
		ids[i] = id(items[i])
	}
	d.uniqueIDs(ids, srcs)
	return items
}

// byID returns the first of items whose id is id.
func byID[T any](items []T, id string, idOf func(*T) string) (*T, bool) {
	for i := range items {
		if idOf(&items[i]) == id {
			return &items[i], true
		}
	}
	return nil, false
}

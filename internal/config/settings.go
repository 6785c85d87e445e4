package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/picket-monitor/picket/internal/probe"
	"gopkg.in/yaml.v3"
)

// prober builds the check's prober. A *probe.FieldError is placed at the
// field it names inside the check, any other error at the target. A field
// that already has a problem from decoding is not reported twice.
func (d *decoder) prober(src checkSrc, s probe.Settings, target string) probe.Prober {
	p, err := s.Prober(target)
	if err == nil && p == nil {
		err = errors.New("probe type built no prober")
	}
	for _, e := range leaves(err) {
		var fe *probe.FieldError
		if !errors.As(e, &fe) {
			d.add(valueAt(src.node, "target"), src.path+".target", "%s", e.Error())
			continue
		}
		at, field := fieldNode(src, fe.Field)
		if !d.reported(field) {
			d.add(at, field, "%s", fe.Err.Error())
		}
	}
	if err != nil {
		return nil
	}
	return p
}

// leaves splits an error made by errors.Join into its parts.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, leaves(e)...)
	}
	return out
}

// fieldNode finds the node of a settings field path like "expect.status"
// or "expect.json.0" inside the check, the key of a mapping entry or the
// item of a list, and returns it with the path written the way problems
// write it ("expect.json[0]"). Where the path leaves the tree, it stops at
// the deepest node found, the check itself at worst.
func fieldNode(src checkSrc, field string) (*yaml.Node, string) {
	at, cur, path := src.node, src.node, src.path
	segs := strings.FieldsFunc(field, func(r rune) bool { return r == '.' || r == '[' || r == ']' })
	for i, seg := range segs {
		cur = resolve(cur)
		k, v := lookup(cur, seg)
		idx, err := strconv.Atoi(seg)
		switch {
		case cur.Kind == yaml.MappingNode && k != nil:
			at, cur, path = k, v, join(path, seg)
		case cur.Kind == yaml.SequenceNode && err == nil && idx >= 0 && idx < len(cur.Content):
			at, cur, path = cur.Content[idx], cur.Content[idx], path+"["+seg+"]"
		default:
			return at, join(path, strings.Join(segs[i:], "."))
		}
	}
	return at, path
}

// reported reports whether a problem was already found at field, inside
// it, or at a field it is inside of (short of the check as a whole).
func (d *decoder) reported(field string) bool {
	check, _, _ := strings.Cut(field, "].")
	for _, p := range d.probs {
		if len(p.Field) <= len(check)+1 {
			continue
		}
		if p.Field == field || within(p.Field, field) || within(field, p.Field) {
			return true
		}
	}
	return false
}

// within reports whether field path a lies inside path b.
func within(a, b string) bool {
	return strings.HasPrefix(a, b) && len(a) > len(b) && (a[len(b)] == '.' || a[len(b)] == '[')
}

package config

import (
	"errors"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/probe"
)

// prober builds the check's prober. A *fielderr.Error is placed at the
// field it names inside the check, any other error at the target.
func (d *decoder) prober(src source, s probe.Settings, target string) probe.Prober {
	p, err := s.Prober(target)
	if err == nil && p == nil {
		err = errors.New("probe type built no prober")
	}
	d.fieldProblems(src, err, "target")
	if err != nil {
		return nil
	}
	return p
}

// fieldProblems reports each part of err (one error, or several joined)
// inside item src. A part that names a field, a *fielderr.Error, is
// placed at that field; any other part at the key
// fallback, or at the item itself when fallback is "". A field that
// already has a problem from decoding is not reported twice.
func (d *decoder) fieldProblems(src source, err error, fallback string) {
	for _, e := range fielderr.Leaves(err) {
		name, inner, ok := fieldOf(e)
		if !ok {
			at, field := src.node, src.path
			if fallback != "" {
				at, field = valueAt(src.node, fallback), join(src.path, fallback)
			}
			d.add(at, field, "%s", e.Error())
			continue
		}
		at, field := fieldNode(src, name)
		if !d.reported(field) {
			d.add(at, field, "%s", inner.Error())
		}
	}
}

// fieldOf returns the field and the problem of an error that names one.
func fieldOf(err error) (field string, inner error, ok bool) {
	fe, ok := errors.AsType[*fielderr.Error](err)
	if !ok {
		return "", nil, false
	}
	if fe.Err == nil {
		return fe.Field, errors.New("invalid value"), true
	}
	return fe.Field, fe.Err, true
}

// fieldNode finds the node of a settings field path like "expect.status"
// or "expect.json.0" inside the check, the key of a mapping entry or the
// item of a list, and returns it with the path written the way problems
// write it ("expect.json[0]"). Where the path leaves the tree, it stops at
// the deepest node found, the check itself at worst.
func fieldNode(src source, field string) (*yaml.Node, string) {
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

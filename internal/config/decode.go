package config

import (
	"encoding"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder decodes a yaml.Node tree into Go values strictly, collecting a
// Problem for everything wrong instead of stopping at the first.
type decoder struct {
	file  string
	dir   string     // relative *_file paths are resolved against it
	root  *yaml.Node // the document's mapping, once it is known to be one
	probs Problems
}

// add records a problem at node n (nil for no position).
func (d *decoder) add(n *yaml.Node, field, format string, args ...any) {
	p := Problem{File: d.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.probs = append(d.probs, p)
}

var linePrefix = regexp.MustCompile(`^line (\d+): `)

// addErr records an error returned by a type's own UnmarshalYAML. The
// "line N: " prefix that yaml.v3 style errors carry moves into the position.
func (d *decoder) addErr(n *yaml.Node, field string, err error) {
	msgs := []string{err.Error()}
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) {
		msgs = te.Errors
	}
	for _, msg := range msgs {
		p := Problem{File: d.file, Line: n.Line, Column: n.Column, Field: field, Msg: msg}
		if m := linePrefix.FindStringSubmatch(msg); m != nil {
			if line, _ := strconv.Atoi(m[1]); line != n.Line {
				p.Line, p.Column = line, 0
			}
			p.Msg = msg[len(m[0]):]
		}
		d.probs = append(d.probs, p)
	}
}

// value decodes n into v. A null leaves v as it was, so values set before
// decoding are defaults.
func (d *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	n = resolve(n)
	if d.custom(n, v, path) {
		return
	}
	switch {
	case v.Type() == reflect.TypeFor[time.Duration]():
		d.duration(n, v, path)
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	case v.Kind() == reflect.Struct:
		d.fields(n, path, lastSegment(path), false, v)
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Array:
		d.list(n, v, path)
	case v.Kind() == reflect.Map:
		d.dict(n, v, path)
	case v.Kind() == reflect.Interface && v.NumMethod() == 0:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.addErr(n, path, err)
		}
	default:
		d.scalar(n, v, path)
	}
}

// custom lets a type that implements yaml.Unmarshaler or
// encoding.TextUnmarshaler decode itself, and reports whether it did.
func (d *decoder) custom(n *yaml.Node, v reflect.Value, path string) bool {
	if !v.CanAddr() {
		return false
	}
	switch u := v.Addr().Interface().(type) {
	case yaml.Unmarshaler:
		if err := u.UnmarshalYAML(n); err != nil {
			d.addErr(n, path, err)
		}
		return true
	case encoding.TextUnmarshaler:
		if n.Kind != yaml.ScalarNode {
			d.add(n, path, "want a string, got %s", describe(n))
		} else if err := u.UnmarshalText([]byte(n.Value)); err != nil {
			d.addErr(n, path, err)
		}
		return true
	}
	return false
}

// duration decodes a Go duration string. A bare integer is refused: yaml.v3
// would read it as nanoseconds, which nobody means.
func (d *decoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.add(n, path, "want a duration like 30s, got %s", describe(n))
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.add(n, path, "invalid duration %q (want a Go duration like 30s)", n.Value)
		return
	}
	v.SetInt(int64(dur))
}

// scalar decodes strings, booleans and numbers. A string field takes any
// scalar as written; the others want the matching YAML tag.
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	want, tags := wantOf(v.Kind())
	if want == "" {
		d.add(n, path, "field of unsupported Go type %s", v.Type())
		return
	}
	if n.Kind != yaml.ScalarNode || (tags != nil && !slices.Contains(tags, n.ShortTag())) {
		d.add(n, path, "want %s, got %s", want, describe(n))
		return
	}
	if v.Kind() == reflect.String {
		v.SetString(n.Value)
		return
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		d.add(n, path, "%s is out of range", n.Value)
	}
}

// wantOf describes what a scalar of kind k is written as, and the YAML tags
// it accepts (nil: any scalar). want is empty for kinds config cannot hold.
func wantOf(k reflect.Kind) (want string, tags []string) {
	switch k {
	case reflect.String:
		return "a string", nil
	case reflect.Bool:
		return "true or false", []string{"!!bool"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer", []string{"!!int"}
	case reflect.Float32, reflect.Float64:
		return "a number", []string{"!!int", "!!float"}
	}
	return "", nil
}

func (d *decoder) list(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.add(n, path, "want a list, got %s", describe(n))
		return
	}
	if v.Kind() == reflect.Array {
		if len(n.Content) != v.Len() {
			d.add(n, path, "want a list of %d items, got %d", v.Len(), len(n.Content))
			return
		}
	} else {
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
	}
	for i, item := range n.Content {
		d.value(item, v.Index(i), path+"["+strconv.Itoa(i)+"]")
	}
}

func (d *decoder) dict(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.add(n, path, "want a mapping, got %s", describe(n))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	for _, p := range d.entries(n, path) {
		k := reflect.New(v.Type().Key()).Elem()
		d.value(p.key, k, path)
		e := reflect.New(v.Type().Elem()).Elem()
		d.value(p.val, e, join(path, p.key.Value))
		v.SetMapIndex(k, e)
	}
}

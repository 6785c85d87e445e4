package config

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// entries returns the pairs of mapping n (see pairs), reporting duplicate
// keys, keys that are not scalars and merge keys that merge no mapping.
func (d *decoder) entries(n *yaml.Node, path string) []pair {
	first := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case isMerge(k):
			d.checkMerge(v, path)
		case resolve(k).Kind != yaml.ScalarNode:
			d.add(k, path, "want a plain key, got %s", describe(k))
		case first[resolve(k).Value] != nil:
			name := resolve(k).Value
			d.add(k, join(path, name), "duplicate key %q (first at line %d)", name, first[name].Line)
		default:
			first[resolve(k).Value] = k
		}
	}
	return pairs(n)
}

func (d *decoder) checkMerge(v *yaml.Node, path string) {
	r := resolve(v)
	ok := r.Kind == yaml.MappingNode
	if r.Kind == yaml.SequenceNode {
		ok = !slices.ContainsFunc(r.Content, func(m *yaml.Node) bool { return resolve(m).Kind != yaml.MappingNode })
	}
	if !ok {
		d.add(v, path, "merge key << wants a mapping or a list of mappings, got %s", describe(v))
	}
}

// fields decodes mapping n into the fields of the target structs, found by
// their yaml tags; when two targets have a field of the same name the
// first takes it. A key no target has is a problem naming what (the kind
// of mapping, e.g. "check") and the valid keys, unless lenient.
func (d *decoder) fields(n *yaml.Node, path, what string, lenient bool, targets ...reflect.Value) {
	d.fieldsExcept(n, path, what, lenient, nil, targets...)
}

// fieldsExcept is fields with some fields of the targets left out: each
// key of elsewhere is refused with its value saying where it belongs.
func (d *decoder) fieldsExcept(n *yaml.Node, path, what string, lenient bool, elsewhere map[string]string, targets ...reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.add(n, path, "want a mapping, got %s", describe(n))
		return
	}
	byName := make(map[string]reflect.Value)
	for _, t := range targets {
		for _, f := range structFields(t.Type()) {
			if _, taken := byName[f.name]; !taken && elsewhere[f.name] == "" {
				byName[f.name] = t.FieldByIndex(f.index)
			}
		}
	}
	for _, p := range d.entries(n, path) {
		name := p.key.Value
		if fv, ok := byName[name]; ok {
			d.value(p.val, fv, join(path, name))
		} else if where := elsewhere[name]; where != "" {
			d.add(p.key, join(path, name), "%q does not belong in %s: %s", name, what, where)
		} else if !lenient {
			d.add(p.key, join(path, name), "unknown field %q in %s; valid: %s", name, what, validNames(byName))
		}
	}
}

func validNames(byName map[string]reflect.Value) string {
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// field is a struct field as YAML sees it.
type field struct {
	name  string
	index []int
}

// structFields lists the YAML fields of struct type t the way yaml.v3 names
// them: the tag's name, or the lower-cased Go name; "-" and unexported
// fields are skipped and ",inline" structs are flattened.
func structFields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if slices.Contains(strings.Split(opts, ","), "inline") && sf.Type.Kind() == reflect.Struct {
			for _, f := range structFields(sf.Type) {
				out = append(out, field{f.name, append([]int{i}, f.index...)})
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		out = append(out, field{name, []int{i}})
	}
	return out
}

// join appends a key to a field path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// lastSegment names the mapping at path for messages: "expect" for
// "checks[web].expect", "json" for "checks[web].expect.json[0]".
func lastSegment(path string) string {
	seg := path[strings.LastIndex(path, ".")+1:]
	if i := strings.Index(seg, "["); i > 0 {
		seg = seg[:i]
	}
	return seg
}

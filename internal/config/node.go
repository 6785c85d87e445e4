package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the size of the document once aliases are expanded, so
// that a few nested aliases ("billion laughs") cannot make loading explode.
const maxNodes = 1 << 20

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// readDocument parses data as exactly one YAML document and returns its
// root content, or nil for an empty document.
func (d *decoder) readDocument(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := d.decodeYAML(dec, &doc); err != nil {
		return nil
	}
	var next yaml.Node
	if err := d.decodeYAML(dec, &next); err == nil {
		d.add(&next, "", "a second YAML document starts here; the config file holds one document")
	}
	if len(doc.Content) == 0 || !d.expandable(doc.Content[0]) {
		return nil
	}
	return doc.Content[0]
}

// decodeYAML reads the next document, reporting syntax errors. It returns
// io.EOF at the end of the input and errInvalid for a reported error.
func (d *decoder) decodeYAML(dec *yaml.Decoder, n *yaml.Node) (err error) {
	// The parser is not ours; a panic on hostile input becomes a problem
	// instead of taking down a server that is reloading its config.
	defer func() {
		if v := recover(); v != nil {
			d.probs = append(d.probs, Problem{File: d.file, Msg: fmt.Sprintf("invalid YAML: parser failed: %v", v)})
			err = errInvalid
		}
	}()
	err = dec.Decode(n)
	if err == nil || err == io.EOF {
		return err
	}
	p := Problem{File: d.file, Msg: "invalid YAML: " + err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = "invalid YAML: " + m[2]
	}
	d.probs = append(d.probs, p)
	return errInvalid
}

var errInvalid = errors.New("invalid document")

// expandable reports whether the tree under n is finite and small enough
// to walk with its aliases expanded, reporting why not.
func (d *decoder) expandable(n *yaml.Node) bool {
	sizes := make(map[*yaml.Node]int)
	size, bad := expandedSize(n, sizes)
	switch {
	case bad != nil:
		d.add(bad, "", "alias *%s refers to a node that contains it", bad.Value)
		return false
	case size > maxNodes:
		d.add(n, "", "aliases expand the document to more than %d nodes", maxNodes)
		return false
	}
	return true
}

// expandedSize counts the nodes under n with aliases expanded, saturating
// past maxNodes. sizes memoises finished nodes and marks (with -1) those
// being counted, so that a self-containing alias is found, not followed.
func expandedSize(n *yaml.Node, sizes map[*yaml.Node]int) (int, *yaml.Node) {
	if s, ok := sizes[n]; ok {
		if s < 0 {
			return 0, n
		}
		return s, nil
	}
	sizes[n] = -1
	size := 1
	children := n.Content
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		children = []*yaml.Node{n.Alias}
	}
	for _, c := range children {
		s, bad := expandedSize(c, sizes)
		if bad != nil {
			if bad.Kind != yaml.AliasNode {
				bad = n
			}
			return 0, bad
		}
		size = min(size+s, maxNodes+1)
	}
	sizes[n] = size
	return size, nil
}

// resolve follows aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// pair is one key and its value in a mapping.
type pair struct{ key, val *yaml.Node }

// pairs returns the entries of mapping n with merge keys ("<<: *base")
// applied: explicit keys win over merged ones, and earlier merged mappings
// over later ones. It reports nothing; see entries.
func pairs(n *yaml.Node) []pair {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		switch {
		case isMerge(k):
			merged = append(merged, mergeSources(v)...)
		case k.Kind == yaml.ScalarNode:
			out = append(out, pair{k, v})
		}
	}
	seen := make(map[string]bool, len(out))
	for _, p := range out {
		seen[p.key.Value] = true
	}
	for _, p := range merged {
		if !seen[p.key.Value] {
			seen[p.key.Value] = true
			out = append(out, p)
		}
	}
	return out
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

// mergeSources returns the pairs a merge key brings in: from one mapping,
// or from a list of mappings.
func mergeSources(v *yaml.Node) []pair {
	v = resolve(v)
	if v.Kind != yaml.SequenceNode {
		return pairs(v)
	}
	var out []pair
	for _, m := range v.Content {
		out = append(out, pairs(m)...)
	}
	return out
}

// lookup returns the key and value nodes of key in mapping n, or nils.
func lookup(n *yaml.Node, key string) (k, v *yaml.Node) {
	for _, p := range pairs(n) {
		if p.key.Value == key {
			return p.key, p.val
		}
	}
	return nil, nil
}

// describe names what a node holds for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	v := n.Value
	if r := []rune(v); len(r) > 40 {
		v = string(r[:37]) + "..."
	}
	switch tag := n.ShortTag(); {
	case v == "" && tag != "!!str":
		return tag
	case tag != "!!str":
		return tag + " " + v
	}
	return "!!str " + strconv.Quote(v)
}

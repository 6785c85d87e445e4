package config

import (
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/probe"
)

// CheckFromArgs builds one check from `picket check TYPE TARGET [flags]`.
// Every setting of the probe type is a flag named by its YAML path with
// dashes for dots and underscores (expect.status is --expect-status), so
// the command needs no code per probe type. A value is read as YAML, so
// lists and maps may be written in flow style; a list setting may also be
// repeated, and a map setting takes key=value. --timeout (default 10s)
// and --latency-over are common to all types. With --help it prints the
// flags of TYPE to help and returns a nil check.
func CheckFromArgs(args []string, help io.Writer) (*Check, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return nil, fmt.Errorf("want a probe type first, one of %s", strings.Join(probe.Names(), ", "))
	}
	typ, ok := probe.Lookup(args[0])
	if !ok {
		return nil, fmt.Errorf("unknown probe type %q (known: %s)", args[0], strings.Join(probe.Names(), ", "))
	}
	leaves := settingLeaves(reflect.TypeOf(typ.New()))
	if wantsHelp(args[1:]) {
		printFlags(help, typ, leaves)
		return nil, nil
	}
	if len(args) < 2 || strings.HasPrefix(args[1], "-") {
		return nil, fmt.Errorf("want a target after %q", typ.Name)
	}
	check := &yaml.Node{Kind: yaml.MappingNode}
	setPath(check, []string{"id"}, scalar("cli"))
	setPath(check, []string{"type"}, scalar(typ.Name))
	setPath(check, []string{"target"}, scalar(args[1]))
	setPath(check, []string{"interval"}, scalar("24h"))
	setPath(check, []string{"timeout"}, scalar("10s"))
	if err := applyFlags(check, args[2:], leaves); err != nil {
		return nil, err
	}
	return parseCLICheck(check)
}

func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

// leaf is one settable path of a settings struct.
type leaf struct {
	path []string
	kind reflect.Kind // Slice and Map collect several flag values
	typ  reflect.Type
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// settingLeaves lists the flag names of a settings type, common ones
// included, keyed by flag name.
func settingLeaves(t reflect.Type) map[string]leaf {
	out := map[string]leaf{
		"timeout":      {path: []string{"timeout"}, typ: reflect.TypeOf("")},
		"latency-over": {path: []string{"degraded_when", "latency_over"}, typ: reflect.TypeOf("")},
	}
	walkLeaves(t, nil, out)
	return out
}

func walkLeaves(t reflect.Type, prefix []string, out map[string]leaf) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		path := append(append([]string(nil), prefix...), name)
		ft := f.Type
		if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(unmarshalerType) {
			walkLeaves(ft, path, out)
			continue
		}
		out[flagName(path)] = leaf{path: path, kind: ft.Kind(), typ: ft}
	}
}

func flagName(path []string) string {
	return strings.ReplaceAll(strings.Join(path, "-"), "_", "-")
}

func printFlags(w io.Writer, typ probe.Type, leaves map[string]leaf) {
	fmt.Fprintf(w, "picket check %s TARGET [flags]: %s\n\nflags (see docs/probes.md):\n", typ.Name, typ.Summary)
	names := make([]string, 0, len(leaves))
	for n := range leaves {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  --%-28s %s: %s\n", n, strings.Join(leaves[n].path, "."), leaves[n].typ)
	}
}

// applyFlags sets each --flag value on the check's YAML.
func applyFlags(check *yaml.Node, args []string, leaves map[string]leaf) error {
	for i := 0; i < len(args); i++ {
		name, val, hasVal := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") {
			return fmt.Errorf("unexpected argument %q (settings are --name value)", args[i])
		}
		lf, ok := leaves[name]
		if !ok {
			return fmt.Errorf("unknown flag --%s (see --help)", name)
		}
		if !hasVal {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "--") {
				i++
				val = args[i]
			} else if lf.kind == reflect.Bool {
				val = "true"
			} else {
				return fmt.Errorf("flag --%s needs a value", name)
			}
		}
		if err := setFlag(check, lf, val); err != nil {
			return fmt.Errorf("flag --%s: %w", name, err)
		}
	}
	return nil
}

func setFlag(check *yaml.Node, lf leaf, val string) error {
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(val), &v); err != nil || len(v.Content) == 0 {
		v = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{scalar(val)}}
	}
	value := v.Content[0]
	switch {
	case lf.kind == reflect.Map && value.Kind == yaml.ScalarNode:
		k, x, ok := strings.Cut(val, "=")
		if !ok {
			return fmt.Errorf("want key=value, got %q", val)
		}
		m := getOrMake(check, lf.path, yaml.MappingNode)
		setPath(m, []string{k}, scalar(x))
	case lf.kind == reflect.Slice:
		seq := getOrMake(check, lf.path, yaml.SequenceNode)
		if value.Kind == yaml.SequenceNode {
			seq.Content = append(seq.Content, value.Content...)
		} else {
			seq.Content = append(seq.Content, value)
		}
	default:
		setPath(check, lf.path, value)
	}
	return nil
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

// setPath sets the value at path in a mapping, creating mappings on the way.
func setPath(m *yaml.Node, path []string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == path[0] {
			if len(path) == 1 {
				m.Content[i+1] = v
			} else {
				setPath(m.Content[i+1], path[1:], v)
			}
			return
		}
	}
	if len(path) == 1 {
		m.Content = append(m.Content, scalar(path[0]), v)
		return
	}
	child := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, scalar(path[0]), child)
	setPath(child, path[1:], v)
}

// getOrMake returns the node at path, making it of kind when missing.
func getOrMake(m *yaml.Node, path []string, kind yaml.Kind) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == path[0] {
			if len(path) == 1 {
				return m.Content[i+1]
			}
			return getOrMake(m.Content[i+1], path[1:], kind)
		}
	}
	n := &yaml.Node{Kind: kind}
	setPath(m, path, n)
	return n
}

var checkPrefix = regexp.MustCompile(`^checks\[[^\]]*\]\.?`)

// parseCLICheck validates the built check as a config would be, and
// speaks of flags rather than file positions in its errors.
func parseCLICheck(check *yaml.Node) (*Check, error) {
	doc := &yaml.Node{Kind: yaml.MappingNode}
	setPath(doc, []string{"checks"}, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{check}})
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding settings: %w", err)
	}
	cfg, err := Parse("picket check", data)
	if err == nil {
		return &cfg.Checks[0], nil
	}
	probs, ok := err.(Problems)
	if !ok {
		return nil, err
	}
	var msgs []string
	for _, p := range probs {
		field := checkPrefix.ReplaceAllString(p.Field, "")
		if field == "" || field == "target" {
			msgs = append(msgs, p.Msg)
			continue
		}
		msgs = append(msgs, "--"+strings.ReplaceAll(strings.ReplaceAll(field, ".", "-"), "_", "-")+": "+p.Msg)
	}
	return nil, fmt.Errorf("%s", strings.Join(msgs, "\n"))
}

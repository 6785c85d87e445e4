package agent

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// positions says where each field of a config file is, so that problems
// found after decoding still point at a line.
type positions struct {
	lines map[string]int     // field path -> line of its key
	keys  map[int][]string   // line -> field paths whose key is on it
	vals  map[int]*yaml.Node // line -> the first scalar value on it
	paths map[*yaml.Node]string
}

// positionsOf walks a parsed document without expanding aliases.
func positionsOf(root *yaml.Node) *positions {
	p := &positions{lines: map[string]int{}, keys: map[int][]string{},
		vals: map[int]*yaml.Node{}, paths: map[*yaml.Node]string{}}
	p.walk(root, "")
	return p
}

func (p *positions) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			p.walk(c, path)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kp := joinPath(path, k.Value)
			p.lines[kp] = k.Line
			p.keys[k.Line] = append(p.keys[k.Line], kp)
			p.walk(v, kp)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			ip := fmt.Sprintf("%s[%d]", path, i)
			p.lines[ip] = c.Line
			p.walk(c, ip)
		}
	case yaml.ScalarNode:
		if _, ok := p.vals[n.Line]; !ok {
			p.vals[n.Line] = n
			p.paths[n] = path
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// line returns the line of the field at path, or of its closest parent
// that is in the file; 0 when none is.
func (p *positions) line(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// problems gathers what is wrong with a config file.
type problems struct {
	file string
	pos  *positions
	list []problem
}

type problem struct {
	line int
	msg  string
}

// add records a problem with the field at path ("" for the whole file).
func (ps *problems) add(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	ps.list = append(ps.list, problem{line: ps.pos.line(path), msg: msg})
}

// err returns the problems, ordered by line, as one error, or nil.
func (ps *problems) err() error {
	slices.SortStableFunc(ps.list, func(a, b problem) int { return cmp.Compare(a.line, b.line) })
	errs := make([]error, len(ps.list))
	for i, p := range ps.list {
		errs[i] = errors.New(at(ps.file, p.line) + p.msg)
	}
	return errors.Join(errs...)
}

func at(file string, line int) string {
	if line > 0 {
		return file + ":" + strconv.Itoa(line) + ": "
	}
	return file + ": "
}

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	notDuration  = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into time.Duration$")
)

// problemOf turns an error of the YAML decoder into problems that name
// the file, the line and, where it can be found, the field.
func problemOf(file string, pos *positions, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	ps := &problems{file: file, pos: &positions{}}
	for _, m := range msgs {
		ps.list = append(ps.list, yamlProblem(pos, m))
	}
	return ps.err()
}

func yamlProblem(pos *positions, msg string) problem {
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return problem{msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	msg = m[2]
	if f := unknownField.FindStringSubmatch(msg); f != nil {
		return problem{line: line, msg: pos.keyAt(line, f[1]) + ": unknown field"}
	}
	if d := notDuration.FindStringSubmatch(msg); d != nil {
		msg = fmt.Sprintf("%q is not a duration (a number with a unit: 500ms, 5s, 1m)", d[1])
	}
	if path := pos.valueAt(line); path != "" {
		msg = path + ": " + msg
	}
	return problem{line: line, msg: msg}
}

// keyAt returns the path of the key name on line, or name.
func (p *positions) keyAt(line int, name string) string {
	if p == nil {
		return name
	}
	for _, kp := range p.keys[line] {
		if kp == name || strings.HasSuffix(kp, "."+name) {
			return kp
		}
	}
	return name
}

// valueAt returns the path of the first scalar value on line, or "".
func (p *positions) valueAt(line int) string {
	if p == nil {
		return ""
	}
	return p.paths[p.vals[line]]
}

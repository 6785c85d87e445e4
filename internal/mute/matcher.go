package mute

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Matcher operators.
const (
	OpEqual     = "="
	OpNotEqual  = "!="
	OpRegexp    = "=~"
	OpNotRegexp = "!~"
)

// CheckMatcher is the Matcher name that stands for the check id; every
// other name is a label. "check" is a label name Picket reserves, so the
// two cannot clash.
const CheckMatcher = "check"

// Matcher selects targets by their check id or one label, the way
// Alertmanager's matchers select alerts: a label a check does not have
// reads as the empty string (so team!="payments" matches a check without
// a team), and a regular expression must match the whole value. Make one
// with ParseMatcher or NewMatcher. In JSON it is its String form.
type Matcher struct {
	Name  string
	Op    string // OpEqual, OpNotEqual, OpRegexp or OpNotRegexp
	Value string

	re *regexp.Regexp // anchored; for the regexp operators
}

var matcherName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// NewMatcher checks the name and operator and compiles a regular
// expression.
func NewMatcher(name, op, value string) (Matcher, error) {
	m := Matcher{Name: name, Op: op, Value: value}
	if !matcherName.MatchString(name) {
		return Matcher{}, fmt.Errorf("invalid matcher name %q: want check or a label name (letters, digits and '_')", name)
	}
	switch op {
	case OpEqual, OpNotEqual:
	case OpRegexp, OpNotRegexp:
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return Matcher{}, fmt.Errorf("matcher %s%s: invalid regular expression %q: %w", name, op, value, err)
		}
		m.re = re
	default:
		return Matcher{}, fmt.Errorf("invalid matcher operator %q (want =, !=, =~ or !~)", op)
	}
	return m, nil
}

// ParseMatcher reads a matcher written as name, operator and value:
// `check=web`, `team=~"pay.*"`, `env != staging`. Spaces around the
// operator are ignored; a value may be double-quoted (Go string syntax),
// which it must be to keep leading or trailing spaces.
func ParseMatcher(s string) (Matcher, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, "=!")
	if i < 0 {
		return Matcher{}, fmt.Errorf("matcher %q: want name, operator (=, !=, =~, !~) and value, like check=web", s)
	}
	name, rest := strings.TrimSpace(s[:i]), s[i:]
	var op string
	for _, o := range []string{OpRegexp, OpNotRegexp, OpNotEqual, OpEqual} {
		if strings.HasPrefix(rest, o) {
			op = o
			break
		}
	}
	if op == "" {
		return Matcher{}, fmt.Errorf("matcher %q: invalid operator (want =, !=, =~ or !~)", s)
	}
	value := strings.TrimSpace(rest[len(op):])
	if strings.HasPrefix(value, `"`) {
		uq, err := strconv.Unquote(value)
		if err != nil {
			return Matcher{}, fmt.Errorf("matcher %q: invalid quoted value %s", s, value)
		}
		value = uq
	}
	return NewMatcher(name, op, value)
}

// String writes the matcher so that ParseMatcher reads it back.
func (m Matcher) String() string {
	v := m.Value
	if v == "" || strings.TrimSpace(v) != v || strings.HasPrefix(v, `"`) {
		v = strconv.Quote(v)
	}
	return m.Name + m.Op + v
}

// Equal reports whether m and o say the same (go-cmp uses it).
func (m Matcher) Equal(o Matcher) bool {
	return m.Name == o.Name && m.Op == o.Op && m.Value == o.Value
}

// MarshalText writes the String form.
func (m Matcher) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads the String form with ParseMatcher.
func (m *Matcher) UnmarshalText(b []byte) error {
	pm, err := ParseMatcher(string(b))
	if err != nil {
		return err
	}
	*m = pm
	return nil
}

// Matches reports whether the matcher selects t. A regexp matcher not made
// by NewMatcher or ParseMatcher (so not compiled) matches nothing.
func (m Matcher) Matches(t Target) bool {
	v := t.Labels[m.Name]
	if m.Name == CheckMatcher {
		v = t.Check
	}
	switch m.Op {
	case OpEqual:
		return v == m.Value
	case OpNotEqual:
		return v != m.Value
	case OpRegexp:
		return m.re != nil && m.re.MatchString(v)
	case OpNotRegexp:
		return m.re != nil && !m.re.MatchString(v)
	}
	return false
}

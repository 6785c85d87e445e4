package probe

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Lo, Hi int }

// StatusRanges is a set of HTTP status codes. In YAML it is one item or a
// list of items, each a code (200), an inclusive range ("200-299") or a class
// ("2xx"): `status: 200`, `status: [200, 204]`, `status: ["2xx", 304]`.
type StatusRanges []StatusRange

// Contains reports whether code is in the set.
func (s StatusRanges) Contains(code int) bool {
	for _, r := range s {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

// String lists the set the way it is written in YAML, e.g. "200-299, 304".
func (s StatusRanges) String() string {
	parts := make([]string, len(s))
	for i, r := range s {
		if r.Lo == r.Hi {
			parts[i] = strconv.Itoa(r.Lo)
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r.Lo, r.Hi)
		}
	}
	return strings.Join(parts, ", ")
}

// UnmarshalYAML reads one item or a list of items.
func (s *StatusRanges) UnmarshalYAML(n *yaml.Node) error {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := make(StatusRanges, 0, len(items))
	for _, item := range items {
		if item.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: want a status code, range or class, e.g. 200, \"200-299\" or \"2xx\"", item.Line)
		}
		r, err := ParseStatusRange(item.Value)
		if err != nil {
			return fmt.Errorf("line %d: %w", item.Line, err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return fmt.Errorf("line %d: empty status list", n.Line)
	}
	*s = out
	return nil
}

// ParseStatusRange parses "200", "200-299" or "2xx". Codes must lie in
// 100-599 and a range must not run backwards.
func ParseStatusRange(v string) (StatusRange, error) {
	v = strings.TrimSpace(v)
	var r StatusRange
	var err error
	switch lo, hi, isRange := strings.Cut(v, "-"); {
	case isRange:
		r.Lo, err = parseStatusCode(lo)
		if err == nil {
			r.Hi, err = parseStatusCode(hi)
		}
	case len(v) == 3 && strings.EqualFold(v[1:], "xx"):
		r.Lo, err = parseStatusCode(v[:1] + "00")
		r.Hi = r.Lo + 99
	default:
		r.Lo, err = parseStatusCode(v)
		r.Hi = r.Lo
	}
	if err != nil {
		return StatusRange{}, fmt.Errorf("status %q: %w", v, err)
	}
	if r.Lo > r.Hi {
		return StatusRange{}, fmt.Errorf("status range %q runs backwards", v)
	}
	return r, nil
}

func parseStatusCode(v string) (int, error) {
	code, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || code < 100 || code > 599 {
		return 0, fmt.Errorf("want a code in 100-599, a range like 200-299 or a class like 2xx")
	}
	return code, nil
}

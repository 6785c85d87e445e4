package store

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/prometheus/model/labels"
)

// MetricName is the label that holds a series' metric name.
const MetricName = "__name__"

// Label is one name/value pair of a series.
type Label struct{ Name, Value string }

// Labels identifies a series. Keep it sorted by name: Append accepts unsorted
// labels but has to sort a copy, which costs time on the hot path.
type Labels []Label

// FromMap returns the labels of m sorted by name.
func FromMap(m map[string]string) Labels {
	ls := make(Labels, 0, len(m))
	for n, v := range m {
		ls = append(ls, Label{Name: n, Value: v})
	}
	slices.SortFunc(ls, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return ls
}

// Map returns the labels as a map.
func (ls Labels) Map() map[string]string {
	m := make(map[string]string, len(ls))
	for _, l := range ls {
		m[l.Name] = l.Value
	}
	return m
}

// Get returns the value of the label name, or "" when it is absent.
func (ls Labels) Get(name string) string {
	for _, l := range ls {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}

// String formats the labels the way PromQL writes a series:
// name{a="1", b="2"}, or {a="1"} when there is no metric name.
func (ls Labels) String() string {
	var b strings.Builder
	b.WriteString(ls.Get(MetricName))
	b.WriteByte('{')
	first := true
	for _, l := range ls {
		if l.Name == MetricName {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(l.Name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(l.Value))
	}
	b.WriteByte('}')
	return b.String()
}

// hash returns a process-local hash of ls; it only keys the series cache.
func (ls Labels) hash(seed maphash.Seed) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, l := range ls {
		h.WriteString(l.Name)
		h.WriteByte(0xff)
		h.WriteString(l.Value)
		h.WriteByte(0xff)
	}
	return h.Sum64()
}

// normalized returns ls sorted by name and without empty values (which
// Prometheus treats as absent), and whether that differs from ls.
func (ls Labels) normalized() (Labels, bool) {
	sorted := slices.IsSortedFunc(ls, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	hasEmpty := slices.ContainsFunc(ls, func(l Label) bool { return l.Value == "" })
	if sorted && !hasEmpty {
		return ls, false
	}
	out := make(Labels, 0, len(ls))
	for _, l := range ls {
		if l.Value != "" {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return out, true
}

// validate checks normalized labels: a metric name, names in Prometheus's
// classic character set (so every PromQL query can name them without
// quoting), values in UTF-8 and no name twice.
func (ls Labels) validate() error {
	name := ls.Get(MetricName)
	if name == "" {
		return errors.New("missing metric name (label __name__)")
	}
	if !validMetricName(name) {
		return fmt.Errorf("invalid metric name %q", name)
	}
	for i, l := range ls {
		if !validLabelName(l.Name) {
			return fmt.Errorf("invalid label name %q", l.Name)
		}
		if !utf8.ValidString(l.Value) {
			return fmt.Errorf("label %q: value is not valid UTF-8", l.Name)
		}
		if i > 0 && ls[i-1].Name == l.Name {
			return fmt.Errorf("label %q appears twice", l.Name)
		}
	}
	return nil
}

// validMetricName reports whether s matches [a-zA-Z_:][a-zA-Z0-9_:]*.
func validMetricName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c == '_' || c == ':' || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return s != ""
}

// validLabelName reports whether s matches [a-zA-Z_][a-zA-Z0-9_]*.
func validLabelName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || c == '_' || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return s != ""
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// toProm converts normalized labels to Prometheus labels.
func (ls Labels) toProm(b *labels.ScratchBuilder) labels.Labels {
	b.Reset()
	for _, l := range ls {
		b.Add(l.Name, l.Value)
	}
	return b.Labels()
}

// fromProm converts Prometheus labels to Picket labels.
func fromProm(pl labels.Labels) Labels {
	ls := make(Labels, 0, pl.Len())
	pl.Range(func(l labels.Label) {
		ls = append(ls, Label{Name: l.Name, Value: l.Value})
	})
	return ls
}

package probe

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// JSONCondition is one test on a field of a JSON body. Path is dotted, with
// numeric segments indexing arrays: "data.items.0.name". Every set test must
// hold; a condition with only a path checks that the field exists.
type JSONCondition struct {
	Path    string    `yaml:"path"`
	Exists  *bool     `yaml:"exists"`  // false: the field must be absent
	Equals  JSONValue `yaml:"equals"`  // a string, number or bool, compared by type and value
	Type    string    `yaml:"type"`    // string, number, bool, null, object or array
	Gt      *float64  `yaml:"gt"`      // the field is a number greater than this
	Ge      *float64  `yaml:"ge"`      // ... at least this
	Lt      *float64  `yaml:"lt"`      // ... less than this
	Le      *float64  `yaml:"le"`      // ... at most this
	Matches string    `yaml:"matches"` // regexp on a string, or on the JSON text of another value
}

// JSONValue is a YAML scalar to compare with a JSON value. YAML null cannot
// be told apart from "not set"; test for null with `type: null`.
type JSONValue struct {
	v   any
	set bool
}

// UnmarshalYAML accepts a string, number or bool.
func (j *JSONValue) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: equals takes a string, number or bool", n.Line)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	switch x := v.(type) {
	case int:
		v = json.Number(strconv.Itoa(x))
	case uint64:
		v = json.Number(strconv.FormatUint(x, 10))
	case float64:
		v = json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	}
	*j = JSONValue{v: v, set: true}
	return nil
}

var jsonTypes = []string{"string", "number", "bool", "null", "object", "array"}

// jsonCheck is a compiled JSONCondition.
type jsonCheck struct {
	path    string
	keys    []string
	exists  bool
	equals  JSONValue
	typ     string
	lo, hi  float64 // bounds; -Inf and +Inf when unset
	loOpen  bool    // lo itself fails (gt)
	hiOpen  bool    // hi itself fails (lt)
	bounded bool
	re      *regexp.Regexp
}

func (c JSONCondition) compile(field string) (jsonCheck, error) {
	k := jsonCheck{path: c.Path, keys: strings.Split(c.Path, "."), exists: c.Exists == nil || *c.Exists,
		equals: c.Equals, typ: c.Type, lo: math.Inf(-1), hi: math.Inf(1)}
	if c.Path == "" {
		return k, fielderr.Errorf(field+".path", "is required")
	}
	for _, key := range k.keys {
		if key == "" {
			return k, fielderr.Errorf(field+".path", "%q: want dotted keys like data.items.0.name", c.Path)
		}
	}
	if c.Type != "" && !slices.Contains(jsonTypes, c.Type) {
		return k, fielderr.Errorf(field+".type", "%q: want one of %s", c.Type, strings.Join(jsonTypes, ", "))
	}
	k.bounded = c.Gt != nil || c.Ge != nil || c.Lt != nil || c.Le != nil
	if !k.exists && (k.bounded || c.Equals.set || c.Type != "" || c.Matches != "") {
		return k, fielderr.Errorf(field+".exists", "false cannot be combined with other tests")
	}
	setBound(&k.lo, &k.loOpen, c.Ge, c.Gt, math.Max)
	setBound(&k.hi, &k.hiOpen, c.Le, c.Lt, math.Min)
	if k.lo > k.hi || (k.lo == k.hi && (k.loOpen || k.hiOpen)) {
		return k, fielderr.Errorf(field, "no number passes both the lower and upper bound")
	}
	if c.Matches != "" {
		re, err := regexp.Compile(c.Matches)
		if err != nil {
			return k, &fielderr.Error{Field: field + ".matches", Err: err}
		}
		k.re = re
	}
	return k, nil
}

// setBound applies an inclusive and an exclusive bound, keeping the
// tighter one (pick is math.Max for lower bounds, math.Min for upper).
func setBound(b *float64, open *bool, incl, excl *float64, pick func(a, b float64) float64) {
	if incl != nil {
		*b = *incl
	}
	if excl != nil && (incl == nil || pick(*excl, *incl) == *excl) {
		*b, *open = *excl, true
	}
}

func (k jsonCheck) check(doc any) error {
	v, found := lookupJSON(doc, k.keys)
	switch {
	case !k.exists && found:
		return fmt.Errorf("json %s: present, want it absent", k.path)
	case !k.exists:
		return nil
	case !found:
		return fmt.Errorf("json %s: not found", k.path)
	case k.typ != "" && jsonType(v) != k.typ:
		return fmt.Errorf("json %s: is %s, want %s", k.path, jsonType(v), k.typ)
	case k.equals.set && !jsonEqual(v, k.equals.v):
		return fmt.Errorf("json %s: got %s, want %s", k.path, jsonText(v), jsonText(k.equals.v))
	case k.re != nil && !k.re.MatchString(jsonString(v)):
		return fmt.Errorf("json %s: %s does not match %q", k.path, jsonText(v), k.re)
	case k.bounded:
		return k.checkBounds(v)
	}
	return nil
}

func (k jsonCheck) checkBounds(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return fmt.Errorf("json %s: is %s, want a number", k.path, jsonType(v))
	}
	f, err := n.Float64()
	if err != nil {
		return fmt.Errorf("json %s: %w", k.path, err)
	}
	tooLow := f < k.lo || (k.loOpen && f == k.lo)
	tooHigh := f > k.hi || (k.hiOpen && f == k.hi)
	if tooLow || tooHigh {
		return fmt.Errorf("json %s: %s is out of range %s", k.path, n, k.rangeText())
	}
	return nil
}

// rangeText writes the bounds as in "> 3 and <= 10".
func (k jsonCheck) rangeText() string {
	bound := func(op string, open bool, v float64) string {
		if !open {
			op += "="
		}
		return op + " " + strconv.FormatFloat(v, 'g', -1, 64)
	}
	var parts []string
	if !math.IsInf(k.lo, -1) {
		parts = append(parts, bound(">", k.loOpen, k.lo))
	}
	if !math.IsInf(k.hi, 1) {
		parts = append(parts, bound("<", k.hiOpen, k.hi))
	}
	return strings.Join(parts, " and ")
}

// lookupJSON follows keys through objects and, for numeric keys, arrays.
func lookupJSON(v any, keys []string) (any, bool) {
	for _, key := range keys {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[key]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// jsonEqual compares a decoded JSON value with a YAML scalar: same type and
// same value, numbers compared by value (1 equals 1.0).
func jsonEqual(got, want any) bool {
	gn, ok1 := got.(json.Number)
	wn, ok2 := want.(json.Number)
	if ok1 && ok2 {
		if gn == wn {
			return true
		}
		gf, err1 := gn.Float64()
		wf, err2 := wn.Float64()
		return err1 == nil && err2 == nil && gf == wf
	}
	return got == want
}

// jsonString is a string's own text, or another value's JSON text.
func jsonString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonText is v as JSON, cut to 100 bytes for a reason line.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 100 {
		return string(b[:100]) + "…"
	}
	return string(b)
}

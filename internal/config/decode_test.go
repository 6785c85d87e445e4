package config

import (
	"errors"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// The types below exercise the strict decoder on the shapes probe
// settings can take, independent of the registered probes.

type sample struct {
	Name     string            `yaml:"name"`
	Every    time.Duration     `yaml:"every"`
	Wait     *time.Duration    `yaml:"wait"`
	On       bool              `yaml:"on"`
	Count    uint8             `yaml:"count"`
	Ratio    float64           `yaml:"ratio"`
	Steps    []step            `yaml:"steps"`
	ByName   map[string]step   `yaml:"by_name"`
	Pair     [2]int            `yaml:"pair"`
	Tags     map[string]string `yaml:"tags"`
	Odd      odd               `yaml:"odd"`
	IP       net.IP            `yaml:"ip"`
	Extra    any               `yaml:"extra"`
	Untagged string
	Base     `yaml:",inline"`
	hidden   string
	Skipped  string `yaml:"-"`
}

type step struct {
	Path    string        `yaml:"path"`
	Timeout time.Duration `yaml:"timeout"`
}

type Base struct {
	Region string `yaml:"region"`
}

// odd decodes itself: a scalar "a/b" into two parts.
type odd struct{ A, B string }

func (o *odd) UnmarshalYAML(n *yaml.Node) error {
	a, b, ok := strings.Cut(n.Value, "/")
	if n.Kind != yaml.ScalarNode || !ok {
		return errors.New("line 99: want a/b")
	}
	*o = odd{a, b}
	return nil
}

func decodeSample(t *testing.T, src string) (sample, []string) {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatalf("bad test YAML: %v", err)
	}
	d := &decoder{file: "f.yaml"}
	s := sample{Name: "default"}
	d.value(root.Content[0], reflect.ValueOf(&s).Elem(), "s")
	var probs []string
	for _, p := range d.probs.sorted() {
		probs = append(probs, p.String())
	}
	return s, probs
}

func TestDecodeValues(t *testing.T) {
	wait := 2 * time.Second
	src := `
every: 1m30s
wait: 2s
on: true
count: 255
ratio: 3
steps: [{path: /a, timeout: 1s}, {path: /b}]
by_name: {x: {path: /x}}
pair: [1, 2]
tags: {a: 1, b: yes}
odd: left/right
ip: 127.0.0.1
extra: {k: [1, two]}
untagged: u
region: eu
`
	want := sample{
		Name: "default", Every: 90 * time.Second, Wait: &wait, On: true, Count: 255, Ratio: 3,
		Steps:    []step{{"/a", time.Second}, {"/b", 0}},
		ByName:   map[string]step{"x": {Path: "/x"}},
		Pair:     [2]int{1, 2},
		Tags:     map[string]string{"a": "1", "b": "yes"},
		Odd:      odd{"left", "right"},
		IP:       net.ParseIP("127.0.0.1"),
		Extra:    map[string]any{"k": []any{1, "two"}},
		Untagged: "u",
		Base:     Base{Region: "eu"},
	}
	got, probs := decodeSample(t, src)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(probs, "\n"))
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sample{})); diff != "" {
		t.Errorf("decoded mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown field lists valid ones", "nmae: x", []string{
			`f.yaml:1:1: s.nmae: unknown field "nmae" in s; valid: by_name, count, every, extra, ip, name, odd, on, pair, ratio, region, steps, tags, untagged, wait`,
		}},
		{"skipped and unexported fields are unknown", "skipped: x\nhidden: y", []string{
			`f.yaml:1:1: s.skipped: unknown field "skipped" in s; valid: by_name, count, every, extra, ip, name, odd, on, pair, ratio, region, steps, tags, untagged, wait`,
			`f.yaml:2:1: s.hidden: unknown field "hidden" in s; valid: by_name, count, every, extra, ip, name, odd, on, pair, ratio, region, steps, tags, untagged, wait`,
		}},
		{"unknown field in a list of structs", "steps: [{path: /a, tmeout: 1s}]", []string{
			`f.yaml:1:20: s.steps[0].tmeout: unknown field "tmeout" in steps; valid: path, timeout`,
		}},
		{"unknown field in a map of structs", "by_name:\n  x: {pth: /x}", []string{
			`f.yaml:2:7: s.by_name.x.pth: unknown field "pth" in x; valid: path, timeout`,
		}},
		{"int duration in a nested struct", "steps: [{timeout: 5}]", []string{
			`f.yaml:1:19: s.steps[0].timeout: want a duration like 30s, got !!int 5`,
		}},
		{"int duration behind a pointer", "wait: 5", []string{
			`f.yaml:1:7: s.wait: want a duration like 30s, got !!int 5`,
		}},
		{"legacy bool", "on: yes", []string{`f.yaml:1:5: s.on: want true or false, got !!str "yes"`}},
		{"overflow", "count: 256", []string{`f.yaml:1:8: s.count: 256 is out of range`}},
		{"negative unsigned", "count: -1", []string{`f.yaml:1:8: s.count: -1 is out of range`}},
		{"number", "ratio: x", []string{`f.yaml:1:8: s.ratio: want a number, got !!str "x"`}},
		{"array length", "pair: [1]", []string{`f.yaml:1:7: s.pair: want a list of 2 items, got 1`}},
		{"string wants a scalar", "name: [a]", []string{`f.yaml:1:7: s.name: want a string, got a list`}},
		{"own unmarshaler, line moved", "odd: nope", []string{`f.yaml:99: s.odd: want a/b`}},
		{"text unmarshaler", "ip: 300.1.1.1", []string{`f.yaml:1:5: s.ip: invalid IP address: 300.1.1.1`}},
		{"duplicate key in a map", "tags: {a: 1, a: 2}", []string{`f.yaml:1:14: s.tags.a: duplicate key "a" (first at line 1)`}},
		{"non-scalar key", "? [a]\n: 1", []string{`f.yaml:1:3: s: want a plain key, got a list`}},
		{"not a mapping", "[1]", []string{`f.yaml:1:1: s: want a mapping, got a list`}},
		{"long value is cut", "count: " + strings.Repeat("x", 50), []string{
			`f.yaml:1:8: s.count: want an integer, got !!str "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := decodeSample(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeNullKeepsDefault(t *testing.T) {
	got, probs := decodeSample(t, "name: ~\nwait:\nsteps:")
	if len(probs) > 0 || got.Name != "default" || got.Wait != nil || got.Steps != nil {
		t.Errorf("got %+v, problems %v; want the defaults kept", got, probs)
	}
}

func TestMergeKeys(t *testing.T) {
	src := `
base: &base {name: from-base, every: 1s, region: eu}
other: &other {name: from-other, count: 7}
s:
  <<: [*base, *other]
  name: own
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	_, s := lookup(root.Content[0], "s")
	d := &decoder{file: "f.yaml"}
	var got sample
	d.value(s, reflect.ValueOf(&got).Elem(), "s")
	want := sample{Name: "own", Every: time.Second, Count: 7, Base: Base{Region: "eu"}}
	if len(d.probs) > 0 {
		t.Fatalf("problems: %v", d.probs)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sample{})); diff != "" {
		t.Errorf("merged mismatch (-want +got):\n%s", diff)
	}
}

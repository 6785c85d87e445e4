package mute

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseMatcher(t *testing.T) {
	tests := []struct {
		in       string
		name, op string
		value    string
		str      string // String(); "" means in
		err      string
	}{
		{in: "check=web", name: "check", op: "=", value: "web"},
		{in: "team=~pay.*", name: "team", op: "=~", value: "pay.*"},
		{in: "env!=staging", name: "env", op: "!=", value: "staging"},
		{in: "env!~stag.*|dev", name: "env", op: "!~", value: "stag.*|dev"},
		{in: "  team =~ \"pay.*\" ", name: "team", op: "=~", value: "pay.*", str: "team=~pay.*"},
		{in: `note=" padded "`, name: "note", op: "=", value: " padded "},
		{in: `team=""`, name: "team", op: "=", value: ""},
		{in: "team=", name: "team", op: "=", value: "", str: `team=""`},
		{in: "a==b", name: "a", op: "=", value: "=b"},
		{in: "web", err: `matcher "web": want name, operator (=, !=, =~, !~) and value, like check=web`},
		{in: "=web", err: `invalid matcher name ""`},
		{in: "1team=x", err: `invalid matcher name "1team"`},
		{in: "team!x", err: `matcher "team!x": invalid operator`},
		{in: "team=~(", err: "matcher team=~: invalid regular expression \"(\""},
		{in: `team="unterminated`, err: `invalid quoted value "unterminated`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMatcher(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseMatcher(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMatcher(%q): %v", tt.in, err)
			}
			if m.Name != tt.name || m.Op != tt.op || m.Value != tt.value {
				t.Errorf("ParseMatcher(%q) = %q %q %q; want %q %q %q", tt.in, m.Name, m.Op, m.Value, tt.name, tt.op, tt.value)
			}
			want := tt.str
			if want == "" {
				want = tt.in
			}
			if m.String() != want {
				t.Errorf("String() = %q, want %q", m.String(), want)
			}
			back, err := ParseMatcher(m.String())
			if err != nil || back.String() != m.String() {
				t.Errorf("ParseMatcher(String()) = %v, %v; want it back", back, err)
			}
		})
	}
}

func TestMatcherMatches(t *testing.T) {
	target := Target{Check: "billing-api", Labels: map[string]string{"team": "payments", "env": "prod"}}
	tests := []struct {
		matcher string
		want    bool
	}{
		{"check=billing-api", true},
		{"check=billing", false},
		{"check=~billing-.*", true},
		{"check=~billing", false}, // anchored: the whole id must match
		{"check!~web.*", true},
		{"team=payments", true},
		{"team=~pay", false}, // anchored
		{"team=~pay.*", true},
		{"team=~pay|ops", false},
		{"team=~payments|ops", true},
		{"team!=payments", false},
		{"role!=db", true}, // a missing label is ""
		{"role=", true},
		{`role=""`, true},
		{"role=~.*", true},
		{"role=~.+", false},
		{"env!~prod|staging", false},
		{"name=billing-api", false}, // only "check" means the id
	}
	for _, tt := range tests {
		t.Run(tt.matcher, func(t *testing.T) {
			m, err := ParseMatcher(tt.matcher)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Matches(target); got != tt.want {
				t.Errorf("%s matches %+v = %v, want %v", tt.matcher, target, got, tt.want)
			}
		})
	}
}

func TestMatcherUncompiled(t *testing.T) {
	m := Matcher{Name: "team", Op: OpRegexp, Value: ".*"}
	if m.Matches(Target{Check: "web"}) {
		t.Error("an uncompiled regexp matcher matched")
	}
}

func TestMatcherJSON(t *testing.T) {
	var got struct{ Matchers []Matcher }
	if err := json.Unmarshal([]byte(`{"matchers": ["check=web", "team=~\"pay.*\""]}`), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Matchers) != 2 || !got.Matchers[1].Matches(Target{Check: "web", Labels: map[string]string{"team": "payments"}}) {
		t.Fatalf("decoded %+v", got.Matchers)
	}
	out, err := json.Marshal(got.Matchers)
	if err != nil {
		t.Fatal(err)
	}
	if want := `["check=web","team=~pay.*"]`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
	err = json.Unmarshal([]byte(`["check"]`), &got.Matchers)
	if err == nil {
		t.Error("decoding a matcher without an operator succeeded")
	}
}

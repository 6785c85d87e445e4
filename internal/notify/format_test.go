package notify

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClip(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exact", 5, "exact"},
		{"too long", 5, "too …"},
		{"ééééé", 3, "éé…"},
		{"x", 0, ""},
	}
	for _, tt := range tests {
		if got := Clip(tt.s, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestIsWebLink(t *testing.T) {
	for u, want := range map[string]bool{
		"https://picket.example/i/1": true, "http://127.0.0.1:8080/": true,
		"": false, "/incidents/1": false, "javascript:alert(1)": false, "https://": false, "ftp://x/y": false,
	} {
		if got := IsWebLink(u); got != want {
			t.Errorf("IsWebLink(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestListChecks(t *testing.T) {
	checks := []Check{
		{ID: "api", Name: "Billing API", Status: "down", Reason: "connection refused"},
		{ID: "edge", Status: "degraded"},
		{ID: "db", Name: "DB", Status: "up"},
	}
	line := func(c Check) string { return c.Label() + ": " + c.State() }
	more := func(n int) string { return "and " + strconv.Itoa(n) + " more" }
	tests := []struct {
		max  int
		want []string
	}{
		{3, []string{"Billing API: down — connection refused", "edge: degraded", "DB: up"}},
		{1, []string{"Billing API: down — connection refused", "and 2 more"}},
		{0, []string{"and 3 more"}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, ListChecks(checks, tt.max, line, more)); d != "" {
			t.Errorf("ListChecks(max %d) (-want +got):\n%s", tt.max, d)
		}
	}
	if got := ListChecks(nil, 10, line, more); len(got) != 0 {
		t.Errorf("ListChecks(nil) = %q", got)
	}
}

func TestToneOf(t *testing.T) {
	tests := []struct {
		status string
		sev    Severity
		want   Tone
	}{
		{"down", SeverityInfo, ToneBad},
		{"degraded", SeverityCritical, ToneWarning},
		{"up", SeverityCritical, ToneGood},
		{"", SeverityCritical, ToneBad},
		{"", SeverityWarning, ToneWarning},
		{"", SeverityInfo, ToneNeutral},
		{"unknown", "", ToneNeutral},
	}
	for _, tt := range tests {
		if got := ToneOf(Message{Status: tt.status, Severity: tt.sev}); got != tt.want {
			t.Errorf("ToneOf(%q, %q) = %d, want %d", tt.status, tt.sev, got, tt.want)
		}
	}
}

func TestKinds(t *testing.T) {
	want := map[Kind]Phase{
		KindProblem: PhaseOpen, KindReminder: PhaseOpen, KindFlapping: PhaseOpen, KindTest: PhaseOpen,
		KindAck: PhaseAck, KindRecovery: PhaseClose, KindStable: PhaseClose,
	}
	for k, p := range want {
		if !k.Valid() || k.Phase() != p {
			t.Errorf("%s: valid %v, phase %d; want true, %d", k, k.Valid(), k.Phase(), p)
		}
	}
	if k := Kind("resolved"); k.Valid() || k.Phase() != PhaseNone {
		t.Errorf("an unknown kind is valid or has a phase")
	}
}

func TestIncidentKey(t *testing.T) {
	long := strings.Repeat("k", 300)
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"group key", Message{GroupKey: "inc-42", ID: "inc-42/0"}, "inc-42"},
		{"id without group key", Message{ID: "x/1"}, "x/1"},
		{"at the limit", Message{GroupKey: long[:255]}, long[:255]},
	}
	for _, tt := range tests {
		if got := IncidentKey(tt.m, 255); got != tt.want {
			t.Errorf("%s: IncidentKey = %q, want %q", tt.name, got, tt.want)
		}
	}
	h := IncidentKey(Message{GroupKey: long}, 255)
	if len(h) > 255 || !strings.HasPrefix(h, "picket-") || h != IncidentKey(Message{GroupKey: long}, 255) ||
		h == IncidentKey(Message{GroupKey: long + "x"}, 255) {
		t.Errorf("IncidentKey of a long key = %q, want a stable hash within the limit", h)
	}
}

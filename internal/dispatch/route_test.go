package dispatch

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/mute"
)

// testRoutes are the routes of the routing tests, in order.
var testRoutes = []Route{
	{Match: Match{Checks: []string{"billing-api"}}, Channels: []string{"pd"}, Policy: "billing", Continue: true},
	{Match: Match{Labels: map[string]string{"team": "payments", "env": "prod"}}, Channels: []string{"ops-telegram", "pd"}, Policy: "payments-prod"},
	{Match: Match{Labels: map[string]string{"team": "payments"}}, Channels: []string{"payments-slack"}, Policy: "payments"},
	{Match: Match{Checks: []string{"search", "status-page"}, Labels: map[string]string{"team": "web"}}, Channels: []string{"web-slack"}},
}

func TestRouter(t *testing.T) {
	def := &Route{Channels: []string{"hook"}, Policy: "default"}
	tests := []struct {
		name     string
		def      *Route
		check    string
		channels []string
		policy   string
	}{
		{"continue, then first label match wins", def, "billing-api", []string{"pd", "ops-telegram"}, "billing"},
		{"all labels must match", def, "ledger", []string{"ops-telegram", "pd"}, "payments-prod"},
		{"a missing label does not match", def, "payouts", []string{"payments-slack"}, "payments"},
		{"checks any of, and labels", def, "search", []string{"web-slack"}, ""},
		{"check-level notify overrides routes", def, "status-page", []string{"hook"}, ""},
		{"default route catches the rest", def, "edge-router", []string{"hook"}, "default"},
		{"no route and no default", nil, "edge-router", nil, ""},
		{"unknown check", def, "nope", []string{"hook"}, "default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewRouter(testRoutes, tc.def)
			info := testChecks[tc.check]
			if diff := cmp.Diff(tc.channels, r.Channels(tc.check, info.Labels, info.Notify)); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
			if got := r.Policy(tc.check, info.Labels); got != tc.policy {
				t.Errorf("policy %q, want %q", got, tc.policy)
			}
		})
	}
}

func TestRoutesOfDispatcher(t *testing.T) {
	cfg := Config{Routes: testRoutes, DefaultRoute: &Route{Channels: []string{"hook"}}}
	d := newDispatcher(t, cfg, testDeps(&fakeSender{}, nil))
	var got []string
	for _, r := range d.Routes("billing-api") {
		got = append(got, r.Policy)
	}
	if diff := cmp.Diff([]string{"billing", "payments-prod"}, got); diff != "" {
		t.Errorf("policies of the routes (-want +got):\n%s", diff)
	}
	if got := d.Policy("ledger"); got != "payments-prod" {
		t.Errorf("Policy(ledger) = %q, want payments-prod", got)
	}
}

// TestDispatchOutcomes checks what Dispatch sends and returns when a notice
// is muted, has no route, or cannot be queued.
func TestDispatchOutcomes(t *testing.T) {
	muted := problem("ledger", t0)
	muted.Muted = &mute.Reason{Kind: mute.KindSilence, ID: "s1"}
	tests := []struct {
		name    string
		def     *Route
		fail    error
		n       incident.Notice
		want    []string
		wantErr error
	}{
		{"routed to two channels", nil, nil, problem("ledger", t0),
			[]string{"ops-telegram: DOWN: Ledger — connection refused", "pd: DOWN: Ledger — connection refused"}, nil},
		{"muted: nothing sent", nil, nil, muted, nil, nil},
		{"no route", nil, nil, problem("edge-router", t0), nil, ErrNoRoute},
		{"default route", &Route{Channels: []string{"hook"}}, nil, problem("edge-router", t0),
			[]string{"hook: DOWN: Edge Router — connection refused"}, nil},
		{"outbox fails", nil, errOutbox, problem("ledger", t0), nil, ErrSend},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &fakeSender{fail: tc.fail}
			d := newDispatcher(t, Config{Routes: testRoutes, DefaultRoute: tc.def}, testDeps(s, nil))
			err := d.Dispatch(context.Background(), tc.n)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("Dispatch: %v, want %v", err, tc.wantErr)
			}
			if tc.fail != nil && !errors.Is(err, tc.fail) {
				t.Errorf("Dispatch: %v, want it to wrap %v", err, tc.fail)
			}
			if diff := cmp.Diff(tc.want, titles(s.take())); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
		})
	}
}

package dispatch

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/fielderr"
)

func TestValidate(t *testing.T) {
	known := func(ids ...string) func(string) bool {
		return func(id string) bool { return slices.Contains(ids, id) }
	}
	channels := known("hook", "pd", "ops-telegram")
	tests := []struct {
		name string
		cfg  Config
		want []string // the fields named, in order
	}{
		{"default config", DefaultConfig(), nil},
		{"good", Config{URL: "https://picket.example.com/", GroupWindow: time.Minute, GroupBy: []string{"team"},
			Routes:       []Route{{Match: Match{Checks: []string{"billing-api"}}, Channels: []string{"pd"}}},
			DefaultRoute: &Route{Channels: []string{"hook"}}}, nil},
		{"unknown channel", Config{Routes: []Route{
			{Channels: []string{"hook"}}, {Channels: []string{"pd", "nope", "pd"}}}},
			[]string{"routes[1].channels[1]", "routes[1].channels[2]"}},
		{"route without channels", Config{Routes: []Route{{Match: Match{Checks: []string{""}}}}},
			[]string{"routes[0].channels", "routes[0].match.checks[0]"}},
		{"unknown check", Config{Routes: []Route{{Match: Match{Checks: []string{"ghost"}}, Channels: []string{"pd"}}}},
			[]string{"routes[0].match.checks[0]"}},
		{"empty label name", Config{Routes: []Route{{Match: Match{Labels: map[string]string{" ": "x"}}, Channels: []string{"pd"}}}},
			[]string{"routes[0].match.labels"}},
		{"default route", Config{DefaultRoute: &Route{Match: Match{Checks: []string{"billing-api"}}, Channels: []string{"x"}}},
			[]string{"default_route.match", "default_route.channels[0]"}},
		{"url", Config{URL: "picket.example.com"}, []string{"url"}},
		{"window", Config{GroupWindow: -time.Second}, []string{"group_window"}},
		{"window too long", Config{GroupWindow: time.Hour}, []string{"group_window"}},
		{"group_by", Config{GroupBy: []string{"team", "", "team"}}, []string{"group_by[1]", "group_by[2]"}},
		{"templates", Config{Templates: Templates{Title: "{{", HTML: "{{.X}}"}}, []string{"templates.title", "templates.html"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate(channels, known("billing-api"))
			if diff := cmp.Diff(tc.want, fielderr.Fields(err)); diff != "" {
				t.Errorf("fields named (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// TestUpdate checks that a reload takes a valid configuration and keeps
// the old one when the new one is invalid.
func TestUpdate(t *testing.T) {
	s := &fakeSender{}
	deps := testDeps(s, nil)
	deps.Channel = func(id string) bool { return id == "hook" || id == "pd" }
	d := newDispatcher(t, catchAll(), deps)
	bad := catchAll()
	bad.DefaultRoute = &Route{Channels: []string{"gone"}}
	if err := d.Update(bad); err == nil {
		t.Fatal("Update with an unknown channel: no error")
	}
	good := catchAll()
	good.DefaultRoute = &Route{Channels: []string{"pd"}}
	for _, cfg := range []Config{bad, good} {
		_ = d.Update(cfg)
		if err := d.Dispatch(t.Context(), problem("search", t0)); err != nil {
			t.Fatalf("Dispatch: %v", err)
		}
	}
	want := []string{"hook: DOWN: Search — connection refused", "pd: DOWN: Search — connection refused"}
	if diff := cmp.Diff(want, titles(s.take())); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
	if _, err := New(catchAll(), Deps{}); err == nil {
		t.Error("New without a Sender: no error")
	}
}

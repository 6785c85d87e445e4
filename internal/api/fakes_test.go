package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/rule"
)

// waitFor bounds every wait in these tests.
const waitFor = 20 * time.Second

// now is the API's clock in these tests.
var now = time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)

// catalog is a fixed list of checks, in no particular order.
type catalog []api.Check

func (c catalog) Checks() []api.Check { return c }

func (c catalog) Check(id string) (api.Check, bool) {
	for _, x := range c {
		if x.ID == id {
			return x, true
		}
	}
	return api.Check{}, false
}

// states is a fixed map of states whose subscribers the test feeds.
type states struct {
	m map[string]bus.State

	mu   sync.Mutex // protects the fields below
	subs []chan rule.Update
	gone chan struct{} // closed when a subscription's context ends
}

func newStates(m map[string]bus.State) *states {
	return &states{m: m, gone: make(chan struct{}, 16)}
}

func (s *states) State(check string) (bus.State, bool) {
	st, ok := s.m[check]
	return st, ok
}

// Subscribe behaves as rule.Tracker's: the channel closes when ctx ends.
func (s *states) Subscribe(ctx context.Context) <-chan rule.Update {
	ch := make(chan rule.Update, 16)
	s.mu.Lock()
	s.subs = append(s.subs, ch)
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		for i, c := range s.subs {
			if c == ch {
				s.subs = append(s.subs[:i], s.subs[i+1:]...)
			}
		}
		close(ch)
		s.mu.Unlock()
		s.gone <- struct{}{}
	}()
	return ch
}

// publish sends u to every subscriber.
func (s *states) publish(u rule.Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		ch <- u
	}
}

// history returns fixed results and events and records what it was asked.
type history struct {
	results []bus.Result
	events  []bus.Event
	err     error

	mu     sync.Mutex // protects the fields below
	asked  rangeArgs
	filter bus.EventFilter
}

// rangeArgs are the arguments of one Results call.
type rangeArgs struct {
	Check    string
	From, To time.Time
	Limit    int
}

func (h *history) Results(_ context.Context, check string, from, to time.Time, limit int) ([]bus.Result, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked = rangeArgs{check, from, to, limit}
	return h.results, h.err
}

func (h *history) Events(_ context.Context, f bus.EventFilter) ([]bus.Event, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.filter = f
	return h.events, h.err
}

var errHistory = errors.New("nats: no responders available for request")

// hostCommands answers every command with until or table, or fails with
// err, and records what it was asked.
type hostCommands struct {
	until time.Time
	table host.ProcessTable
	err   error

	mu    sync.Mutex // protects the fields below
	asked []hostCommand
}

// hostCommand is one call of hostCommands: For is live mode's duration,
// Bounded whether the context had a deadline.
type hostCommand struct {
	Cmd, Host string
	For       time.Duration
	Bounded   bool
}

func (f *hostCommands) record(ctx context.Context, c hostCommand) {
	_, c.Bounded = ctx.Deadline()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, c)
}

func (f *hostCommands) Live(ctx context.Context, id string, d time.Duration) (time.Time, error) {
	f.record(ctx, hostCommand{Cmd: "live", Host: id, For: d})
	return f.until, f.err
}

func (f *hostCommands) Processes(ctx context.Context, id string) (host.ProcessTable, error) {
	f.record(ctx, hostCommand{Cmd: "processes", Host: id})
	return f.table, f.err
}

// calls returns the commands asked so far.
func (f *hostCommands) calls() []hostCommand {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

// get serves one GET request in process and returns the status, the
// content type and the body decoded as JSON.
func get(t *testing.T, h http.Handler, target string) (int, string, any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: body is not JSON: %v\n%s", target, err, body)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), v
}

// decode parses a JSON literal of a test's expectations.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test: %v\n%s", err, s)
	}
	return v
}

// expectJSON checks that GET target answers code with exactly the JSON want.
func expectJSON(t *testing.T, h http.Handler, target string, code int, want string) {
	t.Helper()
	gotCode, ctype, got := get(t, h, target)
	if gotCode != code || ctype != "application/json" {
		t.Errorf("GET %s: %d %s, want %d application/json", target, gotCode, ctype, code)
	}
	if diff := cmp.Diff(decode(t, want), got); diff != "" {
		t.Errorf("GET %s (-want +got):\n%s", target, diff)
	}
}

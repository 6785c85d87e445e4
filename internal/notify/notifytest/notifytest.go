// Package notifytest has what channel tests share: sample messages and a
// local HTTP server that records requests and answers as told.
package notifytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
)

// Problem returns a typical "check went down" message.
func Problem() notify.Message {
	return notify.Message{
		ID: "inc-42/0", GroupKey: "inc-42", Kind: notify.KindProblem, Severity: notify.SeverityCritical,
		Status: "down", Title: "DOWN: Billing API — connection refused",
		Text: "Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42",
		HTML: "<p>Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.</p>" +
			`<p><a href="https://picket.example/incidents/inc-42">inc-42</a></p>`,
		URL:    "https://picket.example/incidents/inc-42",
		Time:   time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC),
		Checks: []notify.Check{{ID: "billing-api", Name: "Billing API", Target: "https://billing.example/health", Status: "down", Reason: "connection refused"}},
		Labels: map[string]string{"team": "payments"},
	}
}

// Recovery returns the message that resolves Problem's incident.
func Recovery() notify.Message {
	m := Problem()
	m.ID, m.Kind, m.Severity, m.Status = "inc-42/resolved", notify.KindRecovery, notify.SeverityInfo, "up"
	m.Title = "UP: Billing API — back after 12m"
	m.Text = "Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42"
	m.Checks[0].Status, m.Checks[0].Reason = "up", "HTTP 200"
	return m
}

// Request is one request a Server received.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// Server is a local HTTP server standing in for a service's API. It
// records every request and replies with Status and Body (200 and "{}"
// unless set), or with Reply when set.
type Server struct {
	*httptest.Server

	mu       sync.Mutex // protects the fields below
	requests []Request
	Status   int
	Body     string
	Reply    func(w http.ResponseWriter, r Request)
}

// NewServer starts a Server on loopback, closed when the test ends.
func NewServer(t *testing.T) *Server {
	t.Helper()
	s := &Server{Status: http.StatusOK, Body: "{}"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	status, reply, fn := s.Status, s.Body, s.Reply
	s.mu.Unlock()
	if fn != nil {
		fn(w, req)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

// Set changes the reply for the next requests.
func (s *Server) Set(status int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Status, s.Body = status, body
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

package notifytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Request is one request a Server received.
type Request struct {
	Method, Path, RawQuery string
	URI                    string // path and query as sent, undecoded
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
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, URI: r.RequestURI,
		Header: r.Header.Clone(), Body: body}
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

// Echo makes s answer every request with status and the text echo makes
// of it, as a service does that repeats in its errors what it was sent,
// secrets included.
func (s *Server) Echo(status int, echo func(r Request) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Reply = func(w http.ResponseWriter, r Request) {
		w.WriteHeader(status)
		io.WriteString(w, echo(r))
	}
}

package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
)

// hookMsg is the part of the webhook channel's default body the tests read.
type hookMsg struct {
	ID, Kind, Status, Title, Text string
	Checks                        []struct{ ID string }
}

// sinkMode is how the sink answers.
type sinkMode int

const (
	sinkOK        sinkMode = iota
	sinkFail               // 500 to everything
	sinkHangFirst          // never answer the first request; then as sinkOK
)

// sink is a webhook receiver on loopback. It counts a notification as
// delivered only when it answered 2xx; requests it failed or never
// answered are counted apart.
type sink struct {
	t    *testing.T
	URL  string
	mu   sync.Mutex // protects the fields below
	mode sinkMode
	ok   []hookMsg
	bad  int
	hung chan struct{} // closed when the first request is being held
	seen bool
}

func newSink(t *testing.T) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{t: t, URL: "http://" + ln.Addr().String() + "/hook", hung: make(chan struct{})}
	srv := &http.Server{Handler: s}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var m hookMsg
	_ = json.Unmarshal(body, &m)
	s.mu.Lock()
	mode, first := s.mode, !s.seen
	s.seen = true
	switch {
	case mode == sinkHangFirst && first:
		close(s.hung)
		s.mu.Unlock()
		<-r.Context().Done() // held until the sender goes away
		return
	case mode == sinkFail:
		s.bad++
		s.mu.Unlock()
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	}
	s.ok = append(s.ok, m)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *sink) setMode(m sinkMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// delivered returns the accepted notifications of the given kind ("" all).
func (s *sink) delivered(kind string) []hookMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hookMsg
	for _, m := range s.ok {
		if kind == "" || m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func (s *sink) failed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bad
}

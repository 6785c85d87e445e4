package notifytest

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/picket-monitor/picket/internal/notify"
)

// NoSecret fails the test when err's text holds one of secrets.
func NoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if err != nil && strings.Contains(err.Error(), s) {
			t.Errorf("error reveals %q: %v", s, err)
		}
	}
}

// Silent returns the URL of a local server that takes requests and never
// answers them, until the test ends.
func Silent(t *testing.T) string {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: lets the handlers return
	return srv.URL
}

// Refused returns a local URL where nothing listens.
func Refused(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// Reply is a case of a test of how a channel judges a reply: the server
// answers Status and Body, and the send must fail with an error holding
// Err and with Retry, or succeed when Err is "".
type Reply struct {
	Name   string
	Status int
	Body   string
	Err    string
	Retry  bool
}

// Case returns a Reply; a table of them reads as one line per case.
func Case(name string, status int, body, err string, retry bool) Reply {
	return Reply{Name: name, Status: status, Body: body, Err: err, Retry: retry}
}

// HTTPErrors returns a Reply for each status in bodies, in order of
// status, answered with its body: the send must fail with an error naming
// the status ("HTTP 404"), retryably for 429 and 5xx, as most services'
// errors are judged by their status alone.
func HTTPErrors(bodies map[int]string) []Reply {
	var out []Reply
	for _, status := range slices.Sorted(maps.Keys(bodies)) {
		out = append(out, Reply{Name: fmt.Sprintf("%d %s", status, http.StatusText(status)), Status: status,
			Body: bodies[status], Err: fmt.Sprintf("HTTP %d", status),
			Retry: status == http.StatusTooManyRequests || status >= 500})
	}
	return out
}

// CheckReplies runs each case as a subtest: send makes one attempt
// against a fresh Server answering as the case says. Every error is also
// checked for secrets.
func CheckReplies(t *testing.T, cases []Reply, send func(t *testing.T, srv *Server) (bool, error), secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			srv := NewServer(t)
			srv.Set(tc.Status, tc.Body)
			retry, err := send(t, srv)
			t.Logf("Notify = %v, %v", retry, err)
			NoSecret(t, err, secrets...)
			switch {
			case tc.Err == "" && (err != nil || retry):
				t.Fatalf("Notify = %v, %v; want success", retry, err)
			case tc.Err == "":
			case err == nil || !strings.Contains(err.Error(), tc.Err):
				t.Fatalf("Notify error = %v, want one containing %q", err, tc.Err)
			case retry != tc.Retry:
				t.Errorf("retry = %v, want %v", retry, tc.Retry)
			}
		})
	}
}

// CheckUnreachable checks that a send to a server that never answers and
// to one that refuses the connection fails, retryably and without
// secrets. send makes one attempt against the base URL it is given, with
// a short timeout.
func CheckUnreachable(t *testing.T, send func(t *testing.T, base string) (bool, error), secrets ...string) {
	t.Helper()
	for name, base := range map[string]string{"never answers": Silent(t), "connection refused": Refused(t)} {
		t.Run(name, func(t *testing.T) {
			retry, err := send(t, base)
			t.Logf("Notify = %v, %v", retry, err)
			if err == nil || !retry {
				t.Fatalf("Notify = %v, %v; want a retryable error", retry, err)
			}
			NoSecret(t, err, secrets...)
		})
	}
}

// Send is the usual send for CheckReplies and CheckUnreachable: n
// notifies Problem once.
func Send(n notify.Notifier) (bool, error) {
	return n.Notify(context.Background(), Problem())
}

// Deliver notifies m through n once and fails the test unless that
// succeeds.
func Deliver(t *testing.T, n notify.Notifier, m notify.Message) {
	t.Helper()
	if retry, err := n.Notify(context.Background(), m); err != nil || retry {
		t.Fatalf("Notify = %v, %v; want success", retry, err)
	}
}

// CheckRejected notifies Problem through n once: it must fail for good
// (no retry) with an error that holds want and none of secrets.
func CheckRejected(t *testing.T, n notify.Notifier, want string, secrets ...string) {
	t.Helper()
	retry, err := Send(n)
	t.Logf("Notify = %v, %v", retry, err)
	if err == nil || retry || !strings.Contains(err.Error(), want) {
		t.Fatalf("Notify = %v, %v; want a final error holding %q", retry, err, want)
	}
	NoSecret(t, err, secrets...)
}

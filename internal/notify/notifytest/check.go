package notifytest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/notify"
)

// Decode decodes doc into v strictly (unknown fields are errors), as
// config decodes a channel's settings, and fails the test on an error.
func Decode(t *testing.T, doc string, v any) {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %q: %v", doc, err)
	}
}

// JSONDiff compares two JSON documents by value and returns the
// differences (-want +got), "" when there are none.
func JSONDiff(t *testing.T, want string, got []byte) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	return cmp.Diff(w, g)
}

// Fields lists, sorted, the settings named by the *notify.FieldError
// leaves of err, a joined error; a leaf that is no FieldError is listed
// as "?" and its text. It is nil for a nil err.
func Fields(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *notify.FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Field)
		} else {
			out = append(out, "?"+e.Error())
		}
	}
	if err != nil {
		walk(err)
	}
	slices.Sort(out)
	return out
}

// Field is the setting named by the first *notify.FieldError in err: ""
// for a nil err, "?" and the text for an error without one.
func Field(err error) string {
	var fe *notify.FieldError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &fe):
		return fe.Field
	}
	return "?" + err.Error()
}

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

package notifytest

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Want is what a test expects of one request a channel made. Only the
// headers named in Header are checked ("" for one that must be absent),
// and the body only as JSON or Form says, when set.
type Want struct {
	Method, Path, RawQuery string
	Header                 map[string]string
	JSON                   any        // a JSON text, or a value that encodes to the body
	Form                   url.Values // the body as a form
}

// line is the part of a request Want compares with cmp.
type line struct {
	Method, Path, RawQuery string
	Header                 map[string]string
}

// Check fails the test unless s received, in order, exactly the requests
// wants describe.
func (s *Server) Check(t *testing.T, wants ...Want) {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) != len(wants) {
		t.Fatalf("got %d requests, want %d", len(reqs), len(wants))
	}
	for i, r := range reqs {
		r.check(t, wants[i])
	}
}

func (r Request) check(t *testing.T, want Want) {
	t.Helper()
	got := line{Method: r.Method, Path: r.Path, RawQuery: r.RawQuery}
	if want.Header != nil {
		got.Header = map[string]string{}
		for name := range want.Header {
			got.Header[name] = r.Header.Get(name)
		}
	}
	if d := cmp.Diff(line{want.Method, want.Path, want.RawQuery, want.Header}, got); d != "" {
		t.Errorf("request %s %s (-want +got):\n%s", r.Method, r.Path, d)
	}
	if want.JSON != nil {
		if d := JSONDiff(t, want.JSON, r.Body); d != "" {
			t.Errorf("body (-want +got):\n%s", d)
		}
	}
	if want.Form != nil {
		if d := cmp.Diff(want.Form, r.Form(t)); d != "" {
			t.Errorf("form (-want +got):\n%s", d)
		}
	}
}

// Form decodes r's body as a form, failing the test when it is not one.
func (r Request) Form(t *testing.T) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	return v
}

// JSONDiff compares a JSON body with want, a JSON text or a value that
// encodes to one, by value, and returns the differences (-want +got), ""
// when there are none.
func JSONDiff(t *testing.T, want any, got []byte) string {
	t.Helper()
	text, ok := want.(string)
	if !ok {
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatalf("encoding want: %v", err)
		}
		text = string(b)
	}
	var w, g any
	if err := json.Unmarshal([]byte(text), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, got)
	}
	return cmp.Diff(w, g)
}

package notify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// echo answers 400 with the request line and its Authorization header.
func echo(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "Cannot POST "+r.URL.RequestURI()+" as "+r.Header.Get("Authorization")+" via "+r.UserAgent())
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHTTPHiding(t *testing.T) {
	srv := echo(t)
	const token, hookKey = "tok-s3cr3t", "HoOkSeCrEt"
	hook := srv.URL + "/hooks/" + hookKey + "?sig=SiGnAtUrE-123"
	base := NewHTTP(time.Second, false)
	h := base.Hiding(hook).Hiding(token)
	_, retry, err := h.PostJSON(context.Background(), hook, http.Header{"Authorization": {"Bearer " + token}}, map[string]string{})
	if err == nil || retry {
		t.Fatalf("PostJSON = %v, %v; want a final error", retry, err)
	}
	for _, s := range []string{token, hookKey, "SiGnAtUrE-123"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds %q", err, s)
		}
	}
	if !strings.Contains(err.Error(), "HTTP 400: Cannot POST <secret> as Bearer <secret> via picket") {
		t.Errorf("error = %q", err)
	}
	// Hiding leaves the client it was called on as it was.
	_, _, err = base.PostJSON(context.Background(), hook, nil, map[string]string{})
	if err == nil || !strings.Contains(err.Error(), hookKey) {
		t.Errorf("base client scrubbed: %v", err)
	}
	if got := h.Scrub(io.ErrUnexpectedEOF); got != io.ErrUnexpectedEOF {
		t.Errorf("Scrub changed a clean error: %v", got)
	}
}

func TestHTTPUserAgent(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.UserAgent())
	}))
	t.Cleanup(srv.Close)
	h := NewHTTP(time.Second, false)
	for _, ua := range []string{"", "mine/1.0"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ua != "" {
			req.Header.Set("User-Agent", ua)
		}
		if _, _, err := h.Do(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff([]string{"picket", "mine/1.0"}, got); d != "" {
		t.Errorf("User-Agent (-want +got):\n%s", d)
	}
}

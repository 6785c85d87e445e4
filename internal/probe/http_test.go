package probe

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testMux answers the paths the http tests probe.
func testMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"UP","count":3,"data":{"items":[{"name":"x"}]},"error":null}`)
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		user, pass, _ := r.BasicAuth()
		fmt.Fprintf(w, "method=%s body=%s host=%s x=%s user=%s pass=%s authz=%s",
			r.Method, body, r.Host, r.Header.Get("X-Test"), user, pass, r.Header.Get("Authorization"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, strings.Repeat("a", maxHTTPBody), "TAIL")
	})
	return mux
}

func TestHTTPProbe(t *testing.T) {
	srv := httptest.NewServer(testMux())
	t.Cleanup(srv.Close)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		path     string // appended to the server URL
		target   string // instead of the server
		settings string
		status   Status
		reason   string
	}{
		{"up", "/ok", "", "", StatusUp, "HTTP 200"},
		{"refused", "", "http://" + refusedAddr(t) + "/", "", StatusDown, "connection refused"},
		{"timeout", "/hang", "", "", StatusDown, "timed out"},
		{"silent server", "", "http://" + silentAddr(t) + "/", "", StatusDown, "timed out"},
		{"wrong status", "/status/503", "", "", StatusDegraded, "HTTP 503, want 200-299"},
		{"status list", "/status/503", "", "expect: {status: [200, 503]}", StatusUp, "HTTP 503"},
		{"status class", "/status/404", "", `expect: {status: "4xx"}`, StatusUp, "HTTP 404"},
		{"body contains", "/ok", "", `expect: {body_contains: '"status":"UP"'}`, StatusUp, "HTTP 200"},
		{"body lacks", "/ok", "", `expect: {body_contains: DOWN}`, StatusDegraded, `body does not contain "DOWN"`},
		{"body not contains", "/ok", "", `expect: {body_not_contains: UP}`, StatusDegraded, `body contains "UP"`},
		{"body regex", "/ok", "", `expect: {body_regex: '"count":\d+'}`, StatusUp, "HTTP 200"},
		{"body regex fails", "/ok", "", `expect: {body_regex: '^DOWN'}`, StatusDegraded, "does not match"},
		{"body beyond limit", "/big", "", `expect: {body_contains: TAIL}`, StatusDegraded, "does not contain"},
		{"json ok", "/ok", "", `expect: {json: [{path: data.items.0.name, equals: x}, {path: count, gt: 2, le: 3}, {path: error, type: "null"}, {path: nope, exists: false}]}`, StatusUp, "HTTP 200"},
		{"json equals", "/ok", "", `expect: {json: [{path: status, equals: DOWN}]}`, StatusDegraded, `json status: got "UP", want "DOWN"`},
		{"json number type", "/ok", "", `expect: {json: [{path: count, equals: "3"}]}`, StatusDegraded, `got 3, want "3"`},
		{"json range", "/ok", "", `expect: {json: [{path: count, gt: 3}]}`, StatusDegraded, "3 is out of range > 3"},
		{"json missing", "/ok", "", `expect: {json: [{path: data.items.1.name}]}`, StatusDegraded, "json data.items.1.name: not found"},
		{"json not json", "/status/200", "", `expect: {json: [{path: a}]}`, StatusDegraded, "body is empty, want JSON"},
		{"json garbage", "/echo", "", `expect: {json: [{path: a}]}`, StatusDegraded, "body is not JSON"},
		{"redirect followed", "/moved", "", "", StatusUp, "HTTP 200"},
		{"redirect not followed", "/moved", "", "follow_redirects: false", StatusDegraded, "HTTP 301, want 200-299"},
		{"redirect loop", "/loop", "", "max_redirects: 3", StatusDegraded, "stopped after 3 redirects"},
		{"request shape", "/echo", "", `{method: post, body: hi, headers: {X-Test: "1", Host: vhost.test}, expect: {body_contains: "method=POST body=hi host=vhost.test x=1"}}`, StatusUp, "HTTP 200"},
		{"basic auth", "/echo", "", fmt.Sprintf(`{auth: {basic: {username: u, password_file: %s}}, expect: {body_contains: "user=u pass=s3cret"}}`, pwFile), StatusUp, "HTTP 200"},
		{"bearer auth", "/echo", "", `{auth: {bearer: {token: t0k}}, expect: {body_contains: "authz=Bearer t0k"}}`, StatusUp, "HTTP 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target := tt.target
			if target == "" {
				target = srv.URL + tt.path
			}
			res := runProbe(t, mustProber(t, "http", tt.settings, target))
			checkResult(t, res, tt.status, tt.reason)
		})
	}
}

func TestHTTPMetrics(t *testing.T) {
	srv := httptest.NewServer(testMux())
	t.Cleanup(srv.Close)
	res := runProbe(t, mustProber(t, "http", "", srv.URL+"/status/503"))
	if code, ok := metric(res, "http_status_code"); !ok || code != 503 {
		t.Errorf("http_status_code = %v, %v; want 503", code, ok)
	}
	if _, ok := metric(res, "tls_cert_days_left"); ok {
		t.Error("plain HTTP reported tls_cert_days_left")
	}
}

func TestHTTPCertificates(t *testing.T) {
	ca := newTestCA(t)
	day := 24 * time.Hour
	tests := []struct {
		name     string
		cert     tls.Certificate
		settings string
		status   Status
		reason   string
	}{
		{"trusted", ca.validFor(t, 90*day, "127.0.0.1"), "ca_file: " + ca.file, StatusUp, "HTTP 200"},
		{"too few days", ca.validFor(t, 5*day, "127.0.0.1"), "{min_cert_days: 7, ca_file: " + ca.file + "}", StatusDegraded, "certificate expires in 5.0 days, want at least 7"},
		{"untrusted", ca.validFor(t, 90*day, "127.0.0.1"), "", StatusDown, "certificate signed by unknown authority"},
		{"untrusted but skipped", ca.validFor(t, 90*day, "127.0.0.1"), "insecure_skip_verify: true", StatusUp, "HTTP 200"},
		{"expired", ca.issue(t, time.Now().Add(-10*day), time.Now().Add(-day), "127.0.0.1"), "ca_file: " + ca.file, StatusDown, "expired"},
		{"wrong host", ca.validFor(t, 90*day, "127.0.0.2", "other.example"), "ca_file: " + ca.file, StatusDown, "not 127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewUnstartedServer(testMux())
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{tt.cert}}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are the point
			srv.StartTLS()
			t.Cleanup(srv.Close)
			res := runProbe(t, mustProber(t, "http", tt.settings, srv.URL+"/ok"))
			checkResult(t, res, tt.status, tt.reason)
			if days, ok := metric(res, "tls_cert_days_left"); tt.status != StatusDown && (!ok || days <= 0) {
				t.Errorf("tls_cert_days_left = %v, %v; want a positive number", days, ok)
			}
		})
	}
}

func TestHTTPSettingsErrors(t *testing.T) {
	tests := []struct {
		name, settings, target, field string
	}{
		{"bad target", "", "ftp://example.org/", ""},
		{"no host", "", "http:///x", ""},
		{"bad method", "method: 'GE T'", "http://127.0.0.1/", "method"},
		{"bad header", "headers: {'a b': c}", "http://127.0.0.1/", "headers"},
		{"bad regex", "expect: {body_regex: '('}", "http://127.0.0.1/", "expect.body_regex"},
		{"bad json path", "expect: {json: [{path: a..b}]}", "http://127.0.0.1/", "expect.json.0.path"},
		{"bad json type", "expect: {json: [{path: a, type: date}]}", "http://127.0.0.1/", "expect.json.0.type"},
		{"bad json bounds", "expect: {json: [{path: a, gt: 5, lt: 5}]}", "http://127.0.0.1/", "expect.json.0"},
		{"absent and equal", "expect: {json: [{path: a, exists: false, equals: 1}]}", "http://127.0.0.1/", "expect.json.0.exists"},
		{"bad matches", "expect: {json: [{path: a, matches: '['}]}", "http://127.0.0.1/", "expect.json.0.matches"},
		{"contains both", "expect: {body_contains: x, body_not_contains: x}", "http://127.0.0.1/", "expect.body_not_contains"},
		{"negative redirects", "max_redirects: -1", "http://127.0.0.1/", "max_redirects"},
		{"two auths", "auth: {basic: {username: u, password: p}, bearer: {token: t}}", "http://127.0.0.1/", "auth"},
		{"password twice", "auth: {basic: {username: u, password: p, password_file: /x}}", "http://127.0.0.1/", "auth.basic.password"},
		{"missing file", "auth: {bearer: {token_file: /nonexistent/picket}}", "http://127.0.0.1/", "auth.bearer.token"},
		{"no username", "auth: {basic: {password: p}}", "http://127.0.0.1/", "auth.basic.username"},
		{"bad ca file", "ca_file: /nonexistent/picket.pem", "http://127.0.0.1/", "ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proberFor(t, "http", tt.settings, tt.target)
			checkSettingsError(t, err, tt.field)
		})
	}
}

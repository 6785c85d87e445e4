package promapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// base is 2025-03-01T12:00:00Z, the time of the first test sample.
var base = time.Unix(1740830400, 0).UTC()

// testSamples are up{job="api"} = 1 and up{job="db"} = 0 every 10s from
// base to base+60s, and temp{room="a<b"} = 21.5 at base+1.5s.
func testSamples() []store.Sample {
	var samples []store.Sample
	for sec := 0; sec <= 60; sec += 10 {
		ts := base.Add(time.Duration(sec) * time.Second)
		samples = append(samples,
			store.Sample{Labels: store.FromMap(map[string]string{"__name__": "up", "job": "api"}), T: ts, V: 1},
			store.Sample{Labels: store.FromMap(map[string]string{"__name__": "up", "job": "db"}), T: ts, V: 0})
	}
	return append(samples, store.Sample{
		Labels: store.FromMap(map[string]string{"__name__": "temp", "room": "a<b"}), T: base.Add(1500 * time.Millisecond), V: 21.5,
	})
}

// newServer serves a Handler over a real store holding testSamples at
// /prometheus. The Handler's clock says base+60s.
func newServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	s, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("opening store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Append(context.Background(), testSamples()); err != nil {
		t.Fatalf("appending: %v", err)
	}
	h := New(s, Options{Now: func() time.Time { return base.Add(time.Minute) }})
	srv := httptest.NewServer(http.StripPrefix("/prometheus", h))
	t.Cleanup(srv.Close)
	return srv, s
}

// fetch sends a request and returns the status code and body.
func fetch(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusMethodNotAllowed && ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	return resp.StatusCode, string(body)
}

func TestRawJSON(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		name, path string
		wantCode   int
		wantBody   string
	}{
		{"vector", `/api/v1/query?query=up&time=1740830460`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[1740830460,"1"]},{"metric":{"__name__":"up","job":"db"},"value":[1740830460,"0"]}]}}`},
		{"default time is now", `/api/v1/query?query=count(up)`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1740830460,"2"]}]}}`},
		{"milliseconds and html escaping", `/api/v1/query?query=temp&time=1740830401.5`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"temp","room":"a\u003cb"},"value":[1740830401.500,"21.5"]}]}}`},
		{"rfc3339 time", `/api/v1/query?query=temp[1s]&time=2025-03-01T12:00:02.001Z`, 200,
			`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"temp","room":"a\u003cb"},"values":[[1740830401.500,"21.5"]]}]}}`},
		{"nan and infinities", `/api/v1/query?query=` + url.QueryEscape(`up/0 or -up{job="api"}/0 * on() group_left vector(1)`) + `&time=1740830460`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1740830460,"+Inf"]},{"metric":{"job":"db"},"value":[1740830460,"NaN"]}]}}`},
		{"scalar", `/api/v1/query?query=1e-7&time=1700000000.123`, 200,
			`{"status":"success","data":{"resultType":"scalar","result":[1700000000.123,"0.0000001"]}}`},
		{"string", `/api/v1/query?query=%22hi%22&time=1700000000`, 200,
			`{"status":"success","data":{"resultType":"string","result":[1700000000,"hi"]}}`},
		{"empty vector", `/api/v1/query?query=nothing`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[]}}`},
		{"matrix", `/api/v1/query_range?query=sum(up)&start=1740830400&end=1740830460&step=30s`, 200,
			`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1740830400,"1"],[1740830430,"1"],[1740830460,"1"]]}]}}`},
		{"float step", `/api/v1/query_range?query=up{job="db"}&start=1740830400&end=1740830420&step=20.5`, 200,
			`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"db"},"values":[[1740830400,"0"]]}]}}`},
		{"limit", `/api/v1/query?query=up&limit=1`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[1740830460,"1"]}]},"warnings":["results truncated due to limit"]}`},
		{"info", `/api/v1/query?query=rate(up[1m])&time=1740830460`, 200,
			`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1740830460,"0"]},{"metric":{"job":"db"},"value":[1740830460,"0"]}]},"infos":["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"up\" (1:6)"]}`},
		{"series", `/api/v1/series?match[]=up&match[]=temp`, 200,
			`{"status":"success","data":[{"__name__":"temp","room":"a\u003cb"},{"__name__":"up","job":"api"},{"__name__":"up","job":"db"}]}`},
		{"series none", `/api/v1/series?match[]=nothing`, 200, `{"status":"success","data":[]}`},
		{"labels", `/api/v1/labels`, 200, `{"status":"success","data":["__name__","job","room"]}`},
		{"labels of up", `/api/v1/labels?match[]=up`, 200, `{"status":"success","data":["__name__","job"]}`},
		{"label values", `/api/v1/label/job/values`, 200, `{"status":"success","data":["api","db"]}`},
		{"label values limit", `/api/v1/label/__name__/values?limit=1`, 200, `{"status":"success","data":["temp"],"warnings":["results truncated due to limit"]}`},
		{"label values none", `/api/v1/label/nope/values`, 200, `{"status":"success","data":[]}`},
		{"metadata", `/api/v1/metadata`, 200, `{"status":"success","data":{}}`},
		{"buildinfo", `/api/v1/status/buildinfo`, 200,
			`{"status":"success","data":{"version":"` + store.PrometheusVersion + `","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":"` + runtime.Version() + `"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/prometheus"+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			code, body := fetch(t, req)
			if code != tt.wantCode || body != tt.wantBody {
				t.Errorf("GET %s\n got %d %s\nwant %d %s", tt.path, code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

func TestPostForm(t *testing.T) {
	srv, _ := newServer(t)
	form := url.Values{"query": {`up{job="db"}`}, "time": {"1740830460"}}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/prometheus/api/v1/query", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, body := fetch(t, req)
	want := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"db"},"value":[1740830460,"0"]}]}}`
	if code != 200 || body != want {
		t.Errorf("POST query\n got %d %s\nwant 200 %s", code, body, want)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv, _ := newServer(t)
	req, err := http.NewRequest(http.MethodDelete, srv.URL+"/prometheus/api/v1/query?query=up", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := fetch(t, req); code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE query: status %d, want 405", code)
	}
}

// newHandlerServer serves a Handler over q at the root.
func newHandlerServer(t *testing.T, q Querier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(q, Options{}))
	t.Cleanup(srv.Close)
	return srv
}

package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const (
	fakeIndex = `<!doctype html><div id="app"></div><script src="/app.js?v=1"></script>`
	fakeJS    = "console.log('picket')"
)

func fakeDist() fs.FS {
	return fstest.MapFS{
		"index.html":     {Data: []byte(fakeIndex)},
		"app.js":         {Data: []byte(fakeJS)},
		"app.css":        {Data: []byte("body{}")},
		"img/logo.svg":   {Data: []byte("<svg/>")},
		"img/sub/x.json": {Data: []byte("{}")},
	}
}

// reply is the part of a response the tests compare.
type reply struct {
	Code        int
	Body        string
	ContentType string
	Cache       string
}

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) (reply, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	got := reply{Code: res.StatusCode, Body: rec.Body.String(), ContentType: res.Header.Get("Content-Type"),
		Cache: res.Header.Get("Cache-Control")}
	return got, res.Header
}

func TestNewHandler(t *testing.T) {
	index := reply{Code: 200, Body: fakeIndex, ContentType: "text/html; charset=utf-8", Cache: "no-cache"}
	tests := []struct {
		name, method, target string
		want                 reply
	}{
		{name: "root is index.html", target: "/", want: index},
		{name: "index.html by name", target: "/index.html", want: index},
		{name: "client route", target: "/checks/web", want: index},
		{name: "client route with dots in the id", target: "/checks/db.example.com", want: index},
		{name: "client route with query", target: "/checks/web?range=6h", want: index},
		{name: "directory falls back to the app", target: "/img", want: index},
		{name: "dot segments are cleaned", target: "/img/../checks/../", want: index},
		{name: "versioned asset is immutable", target: "/app.js?v=abc123",
			want: reply{Code: 200, Body: fakeJS, ContentType: "text/javascript; charset=utf-8", Cache: "public, max-age=31536000, immutable"}},
		{name: "unversioned asset is revalidated", target: "/app.js",
			want: reply{Code: 200, Body: fakeJS, ContentType: "text/javascript; charset=utf-8", Cache: "no-cache"}},
		{name: "nested asset", target: "/img/sub/x.json",
			want: reply{Code: 200, Body: "{}", ContentType: "application/json", Cache: "no-cache"}},
		{name: "missing asset is 404", target: "/missing.js",
			want: reply{Code: 404, Body: "404 page not found\n", ContentType: "text/plain; charset=utf-8"}},
		{name: "missing nested asset is 404", target: "/img/nope.SVG",
			want: reply{Code: 404, Body: "404 page not found\n", ContentType: "text/plain; charset=utf-8"}},
		{name: "HEAD has headers and no body", method: http.MethodHead, target: "/checks/web",
			want: reply{Code: 200, ContentType: "text/html; charset=utf-8", Cache: "no-cache"}},
		{name: "POST is refused", method: http.MethodPost, target: "/",
			want: reply{Code: 405, Body: "method not allowed\n", ContentType: "text/plain; charset=utf-8"}},
	}
	h := NewHandler(fakeDist())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			got, hdr := get(t, h, method, tt.target, nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", method, tt.target, diff)
			}
			if got.Code == http.StatusOK && hdr.Get("ETag") == "" {
				t.Errorf("no ETag")
			}
		})
	}
}

func TestNewHandlerHeaders(t *testing.T) {
	h := NewHandler(fakeDist())
	_, hdr := get(t, h, http.MethodGet, "/", nil)
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("index.html Content-Security-Policy = %q, want default-src 'self'", csp)
	}
	if got := hdr.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	_, js := get(t, h, http.MethodGet, "/app.js", nil)
	if js.Get("ETag") == hdr.Get("ETag") {
		t.Errorf("index.html and app.js share ETag %s", js.Get("ETag"))
	}
}

func TestNewHandlerRevalidation(t *testing.T) {
	h := NewHandler(fakeDist())
	for _, target := range []string{"/", "/checks/web", "/app.js"} {
		t.Run(target, func(t *testing.T) {
			_, hdr := get(t, h, http.MethodGet, target, nil)
			got, _ := get(t, h, http.MethodGet, target, map[string]string{"If-None-Match": hdr.Get("ETag")})
			if got.Code != http.StatusNotModified || got.Body != "" {
				t.Errorf("with If-None-Match: code %d body %q, want 304 and no body", got.Code, got.Body)
			}
		})
	}
}

func TestNewHandlerNotBuilt(t *testing.T) {
	h := NewHandler(fstest.MapFS{"app.js": {Data: []byte(fakeJS)}})
	got, _ := get(t, h, http.MethodGet, "/checks/web", nil)
	if got.Code != http.StatusNotFound || !strings.Contains(got.Body, "npm run build") {
		t.Errorf("without index.html: code %d body %q, want 404 saying how to build", got.Code, got.Body)
	}
}

// TestHandler checks the embedded build when there is one: the page and the
// assets it links are all served.
func TestHandler(t *testing.T) {
	if _, err := fs.Stat(dist, "dist/index.html"); err != nil {
		t.Skip("web/dist has no index.html; run npm run build in web/")
	}
	h := Handler()
	page, _ := get(t, h, http.MethodGet, "/checks/some-check", nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body, `id="app"`) {
		t.Fatalf("GET /checks/some-check: code %d, want 200 with the app's root element", page.Code)
	}
	for _, asset := range []string{"app.js", "app.css"} {
		i := strings.Index(page.Body, "/"+asset+"?v=")
		if i < 0 {
			t.Errorf("index.html does not link /%s?v=<hash>", asset)
			continue
		}
		link := page.Body[i:]
		link = link[:strings.IndexByte(link, '"')]
		got, _ := get(t, h, http.MethodGet, link, nil)
		if got.Code != http.StatusOK || got.Cache != immutable || got.Body == "" {
			t.Errorf("GET %s: code %d cache %q, want 200 immutable with a body", link, got.Code, got.Cache)
		}
	}
}

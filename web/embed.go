// Package web serves Picket's browser UI: the front end built from web/src by
// esbuild into web/dist and embedded in the binary. Build it first with
// `npm ci && npm run build` in web/; the Go build fails while dist/ is missing.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// dist holds the built UI. go:embed works only on package variables; this one
// is never written.
//
//go:embed all:dist
var dist embed.FS

// Handler serves the embedded UI; see NewHandler.
func Handler() http.Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("web: embedded dist: " + err.Error()) // "dist" is a valid constant path: unreachable
	}
	return NewHandler(sub)
}

// NewHandler serves the UI from fsys, whose root holds index.html and the
// assets. A file that exists is served; any other path without an asset
// extension gets index.html, so client-side routes such as /checks/web load
// the app; an unknown asset is 404.
//
// index.html is sent with "no-cache", so a new build shows on the next load.
// Assets requested with a version query (index.html links /app.js?v=<hash>)
// may be cached for a year; without one they are revalidated too. Every
// response carries a content ETag.
func NewHandler(fsys fs.FS) http.Handler {
	return &handler{fsys: fsys}
}

type handler struct {
	fsys fs.FS
}

const (
	indexFile    = "index.html"
	noCache      = "no-cache"
	immutable    = "public, max-age=31536000, immutable"
	htmlPolicy   = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
	notBuiltText = "picket: the web UI is not built into this binary (run npm ci && npm run build in web/)"
)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = indexFile
	}
	b, err := h.read(name)
	switch {
	case err == nil:
	case isAsset(name):
		http.NotFound(w, r)
		return
	default:
		name = indexFile
		if b, err = h.read(name); err != nil {
			http.Error(w, notBuiltText, http.StatusNotFound)
			return
		}
	}
	h.serve(w, r, name, b)
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, name string, b []byte) {
	hdr := w.Header()
	sum := sha256.Sum256(b)
	hdr.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	hdr.Set("X-Content-Type-Options", "nosniff")
	switch {
	case name == indexFile:
		hdr.Set("Cache-Control", noCache)
		hdr.Set("Content-Security-Policy", htmlPolicy)
	case r.URL.Query().Get("v") != "":
		hdr.Set("Cache-Control", immutable)
	default:
		hdr.Set("Cache-Control", noCache)
	}
	// The zero modtime leaves Last-Modified out; the ETag does revalidation.
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// read returns a regular file's contents; directories and invalid names are
// fs.ErrNotExist.
func (h *handler) read(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, fs.ErrNotExist
	}
	f, err := h.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	return io.ReadAll(f)
}

// isAsset tells whether name is a file the UI loads itself, so that a missing
// one is a real 404 and not a page route. Check ids may contain dots
// (/checks/db.example.com), so only these extensions count.
func isAsset(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".mjs", ".css", ".map", ".json", ".txt", ".wasm",
		".png", ".svg", ".ico", ".jpg", ".webp", ".woff", ".woff2":
		return true
	}
	return false
}

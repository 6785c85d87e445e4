package probe

import (
	"net/http"
	"strings"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/secret"
)

// httpMethod checks that m is an HTTP token and returns it upper-cased.
func httpMethod(m string) (string, error) {
	m = strings.ToUpper(strings.TrimSpace(m))
	if m == "" || !isToken(m) {
		return "", fielderr.Errorf("method", "%q is not an HTTP method", m)
	}
	return m, nil
}

// httpHeaders checks header names and values and splits off "Host", which
// Go sends from Request.Host rather than from the header map.
func httpHeaders(in map[string]string) (http.Header, string, error) {
	h := make(http.Header, len(in)+1)
	var host string
	for name, v := range in {
		if !isToken(name) {
			return nil, "", fielderr.Errorf("headers", "%q is not a valid header name", name)
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, "", fielderr.Errorf("headers."+name, "value must not contain a line break")
		}
		if http.CanonicalHeaderKey(name) == "Host" {
			host = v
			continue
		}
		h.Set(name, v)
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", "picket")
	}
	return h, host, nil
}

// isToken reports whether s is a token as RFC 9110 defines it.
func isToken(s string) bool {
	for _, c := range s {
		if c > 0x7e || c <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c) {
			return false
		}
	}
	return s != ""
}

// apply resolves the credentials (reading *_file settings) and returns the
// function that adds them to a request.
func (a HTTPAuth) apply() (func(*http.Request), error) {
	basic := a.Basic.Username != "" || a.Basic.Password != "" || a.Basic.PasswordFile != ""
	bearer := a.Bearer.Token != "" || a.Bearer.TokenFile != ""
	switch {
	case basic && bearer:
		return nil, fielderr.Errorf("auth", "set basic or bearer, not both")
	case basic:
		pw, err := secret.Pick("password", a.Basic.Password, a.Basic.PasswordFile)
		if err != nil {
			return nil, &fielderr.Error{Field: "auth.basic.password", Err: err}
		}
		if a.Basic.Username == "" {
			return nil, fielderr.Errorf("auth.basic.username", "required with a password")
		}
		user := a.Basic.Username
		return func(r *http.Request) { r.SetBasicAuth(user, pw.Reveal()) }, nil
	case bearer:
		tok, err := secret.Pick("token", a.Bearer.Token, a.Bearer.TokenFile)
		if err != nil {
			return nil, &fielderr.Error{Field: "auth.bearer.token", Err: err}
		}
		if tok == "" {
			return nil, fielderr.Errorf("auth.bearer.token", "is empty")
		}
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok.Reveal()) }, nil
	default:
		return func(*http.Request) {}, nil
	}
}

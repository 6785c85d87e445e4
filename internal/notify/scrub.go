package notify

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/picket-monitor/picket/internal/secret"
)

// Shortest pieces of a secret URL that Scrub cuts out on their own. A
// whole path or query shorter than minWhole ("/", "/x") and a path segment
// or query value shorter than minPiece ("api", "1.0", "true") is not a
// credential, and cutting it out would garble every error.
const (
	minWhole = 4
	minPiece = 8
)

// mark stands in for a secret while the text is being scrubbed, so that a
// shorter secret is never matched inside secret.Redacted or across the
// place of a longer one.
const mark = "\x00"

// Scrub returns err with every secret in its text replaced by
// secret.Redacted, in case a server or a proxy quoted the request back.
// Besides each secret as given, it removes the secret's URL-encoded forms
// (query and path escaping, either case of hex) and, for a secret that is
// an absolute URL, the parts a server could echo on their own: the request
// URI, the path, the query, the password (or a user name without one),
// and path segments and query values long enough to be tokens. Empty
// secrets are ignored.
//
// An error without a secret is returned as it is (nil stays nil). Any
// other becomes a new error with the scrubbed text and no chain, since
// unwrapping it would bring the secret back.
func Scrub(err error, secrets ...string) error {
	return newScrubber(secrets).scrub(err)
}

// scrubber is the forms of some secrets, longest first, so that a secret
// is cut out whole before a shorter one inside it.
type scrubber []string

func newScrubber(secrets []string) scrubber {
	var out []string
	for _, s := range secrets {
		out = append(out, forms(s)...)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return slices.Compact(out)
}

func (sc scrubber) scrub(err error) error {
	if err == nil || len(sc) == 0 {
		return err
	}
	text := err.Error()
	for _, s := range sc {
		text = strings.ReplaceAll(text, s, mark)
	}
	if text == err.Error() {
		return err
	}
	return errors.New(strings.ReplaceAll(text, mark, secret.Redacted))
}

// forms lists s and, when it is an absolute URL, its parts, each with its
// encodings.
func forms(s string) []string {
	if s == "" || strings.Contains(s, mark) {
		return nil
	}
	out := encodings(s)
	for _, p := range urlParts(s) {
		out = append(out, encodings(p)...)
	}
	return out
}

// urlParts are the pieces of a secret URL that a server may quote alone.
func urlParts(s string) []string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	var out []string
	keep := func(min int, parts ...string) {
		for _, p := range parts {
			if len(p) >= min {
				out = append(out, p)
			}
		}
	}
	keep(minWhole, u.RequestURI(), u.EscapedPath(), u.Path, u.RawQuery)
	if pw, ok := u.User.Password(); ok {
		keep(1, pw)
	} else if u.User != nil {
		keep(minWhole, u.User.Username())
	}
	keep(minPiece, strings.Split(u.EscapedPath(), "/")...)
	keep(minPiece, strings.Split(u.Path, "/")...)
	for _, vs := range u.Query() {
		keep(minPiece, vs...)
	}
	return out
}

// encodings are s as it is, query-escaped and path-escaped, each escaped
// form also with lower-case hex digits.
func encodings(s string) []string {
	out := []string{s}
	for _, e := range []string{url.QueryEscape(s), url.PathEscape(s)} {
		if e != s {
			out = append(out, e, lowerHex(e))
		}
	}
	return out
}

// lowerHex writes the two hex digits after each '%' in lower case, as some
// servers do when they re-encode a URL.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

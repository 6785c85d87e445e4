package notify

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScrub(t *testing.T) {
	const (
		hook  = "https://hooks.example/services/T000/B000/HoOkSeCrEt?sig=SiGnAtUrE%2Fsecret&v=1"
		sig   = "SiGnAtUrE/secret" // the query value, decoded
		token = "tk+s3cr3t/part="
	)
	tests := []struct {
		name    string
		text    string
		secrets []string
		want    string
	}{
		{"plain", "bad token " + token, []string{token}, "bad token <secret>"},
		{"query-escaped", "token=tk%2Bs3cr3t%2Fpart%3D", []string{token}, "token=<secret>"},
		{"query-escaped, lower-case hex", "token=tk%2bs3cr3t%2fpart%3d", []string{token}, "token=<secret>"},
		{"path-escaped", "GET /a/tk+s3cr3t%2Fpart=", []string{token}, "GET /a/<secret>"},
		{"every occurrence", token + " and " + token, []string{token}, "<secret> and <secret>"},
		{"short secret", "pw ab!", []string{"ab"}, "pw <secret>!"},
		{"whole URL", "Cannot POST " + hook, []string{hook}, "Cannot POST <secret>"},
		{"request URI", "Cannot POST /services/T000/B000/HoOkSeCrEt?sig=SiGnAtUrE%2Fsecret&v=1", []string{hook}, "Cannot POST <secret>"},
		{"path", "no route /services/T000/B000/HoOkSeCrEt", []string{hook}, "no route <secret>"},
		{"path segment", "unknown hook HoOkSeCrEt", []string{hook}, "unknown hook <secret>"},
		{"query", "query sig=SiGnAtUrE%2Fsecret&v=1 rejected", []string{hook}, "query <secret> rejected"},
		{"query value, decoded", "signature " + sig + " expired", []string{hook}, "signature <secret> expired"},
		{"query value, encoded", "signature SiGnAtUrE%2Fsecret expired", []string{hook}, "signature <secret> expired"},
		{"short pieces stay", "HTTP 401: T000 v=1 hooks", []string{hook}, "HTTP 401: T000 v=1 hooks"},
		{"password in a URL", "login hunter22 refused", []string{"https://u:hunter22@h.example/x"}, "login <secret> refused"},
		{"user as the token", "token abcd1234 refused", []string{"https://abcd1234@h.example/"}, "token <secret> refused"},
		{"longest first", "key abc123456789", []string{"abc", "abc123456789"}, "key <secret>"},
		{"no match inside the mark", "secret abc", []string{"abc", "secret"}, "<secret> <secret>"},
		{"empty secrets ignored", "nothing here", []string{"", ""}, "nothing here"},
		{"several secrets", "a=one1 b=two2", []string{"one1", "two2"}, "a=<secret> b=<secret>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scrub(errors.New(tt.text), tt.secrets...)
			if d := cmp.Diff(tt.want, got.Error()); d != "" {
				t.Errorf("Scrub (-want +got):\n%s", d)
			}
		})
	}
}

func TestScrubKeepsCleanErrors(t *testing.T) {
	if Scrub(nil, "x") != nil {
		t.Error("Scrub(nil) is not nil")
	}
	clean := fmt.Errorf("reading: %w", fs.ErrNotExist)
	if got := Scrub(clean, "s3cr3t"); got != clean || !errors.Is(got, fs.ErrNotExist) {
		t.Errorf("Scrub changed an error without a secret: %v", got)
	}
	leaky := fmt.Errorf("token s3cr3t: %w", fs.ErrNotExist)
	if got := Scrub(leaky, "s3cr3t"); errors.Unwrap(got) != nil || strings.Contains(got.Error(), "s3cr3t") {
		t.Errorf("Scrub kept the chain of an error with a secret: %v", got)
	}
}

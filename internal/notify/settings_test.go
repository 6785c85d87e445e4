package notify

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/secret"
)

// fieldOf is the field of err's first *fielderr.Error, "" for nil.
func fieldOf(t *testing.T, err error) string {
	t.Helper()
	var fe *fielderr.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &fe):
		return fe.Field
	}
	t.Fatalf("not a fielderr.Error: %v", err)
	return ""
}

func TestPickSecret(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file      string
		value           secret.Secret
		required        bool
		want, field     string
		wantText, wrong string
	}{
		{"value", "", "v4lue", false, "v4lue", "", "", ""},
		{"file", file, "", false, "from-file", "", "", ""},
		{"neither", "", "", false, "", "", "", ""},
		{"neither, required", "", "", true, "", "token", "token: is required (or token_file)", ""},
		{"both", file, "v4lue", false, "", "token", "token: token and token_file are both set; use one", "v4lue"},
		{"missing file", filepath.Join(dir, "nope"), "", true, "", "token_file", "token_file: reading secret file", "token_file: token_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pick := PickSecret
			if tt.required {
				pick = RequireSecret
			}
			got, err := pick("token", tt.value, tt.file)
			if got.Reveal() != tt.want || fieldOf(t, err) != tt.field {
				t.Fatalf("= %q, %v; want %q and a problem with %q", got.Reveal(), err, tt.want, tt.field)
			}
			if err != nil && (!strings.HasPrefix(err.Error(), tt.wantText) || tt.wrong != "" && strings.Contains(err.Error(), tt.wrong)) {
				t.Errorf("error %q, want it to start %q", err, tt.wantText)
			}
		})
	}
}

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		raw, want, err string // err: a part of the error, "" when valid
	}{
		{"https://api.example", "https://api.example", ""},
		{"http://127.0.0.1:8080/gotify/", "http://127.0.0.1:8080/gotify", ""},
		{"https://api.example//", "https://api.example", ""},
		{"", "", "api_url: is required"},
		{"api.example", "", `want an http:// or https:// URL, got "api.example"`},
		{"ftp://api.example", "", "want an http:// or https:// URL"},
		{"https://", "", "want an http:// or https:// URL"},
		{"https://api.example/%zz", "", "does not parse"},
		{"https://u:hunter2@api.example", "", "must not hold credentials"},
		{"https://api.example/?token=x", "", "without query or fragment"},
		{"https://api.example/?", "", "without query or fragment"},
		{"https://api.example/#top", "", "without query or fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := CheckBaseURL("api_url", tt.raw)
			if tt.err == "" {
				if err != nil || got != tt.want {
					t.Fatalf("= %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if fieldOf(t, err) != "api_url" || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("= %q, %v; want an api_url error containing %q", got, err, tt.err)
			}
		})
	}
}

func TestCheckBaseURLHidesCredentials(t *testing.T) {
	for _, raw := range []string{"ftp://u:hunter2@api.example", "ftp://hunter2@api.example", "https://u:hunter2@api.example/?x", "https://u:hunter2@api example"} {
		_, err := CheckBaseURL("server", raw)
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("CheckBaseURL(%q) = %v", raw, err)
		}
	}
}

func TestCheckSecretURL(t *testing.T) {
	for raw, valid := range map[string]bool{
		"https://hooks.example/T0/s3cr3t":          true,
		"http://127.0.0.1:9/hook?sig=s3cr3t":       true,
		"hooks.example/T0/s3cr3t":                  false,
		"ftp://hooks.example/s3cr3t":               false,
		"https://hooks.example/s3cr3t%zz\n":        false,
		" https://hooks.example/s3cr3t":            false,
		"https://hooks.example/s3cr3t\n":           false,
		"https://hooks.example/s3cr3t?sig=a b":     false,
		"https://hooks.example/s3cr3t?sig=%zz&x=1": true, // a query is the receiver's business
	} {
		err := CheckSecretURL("webhook_url", secret.Secret(raw))
		if (err == nil) != valid || err != nil && (fieldOf(t, err) != "webhook_url" || strings.Contains(err.Error(), "s3cr3t")) {
			t.Errorf("CheckSecretURL(%q) = %v, want valid %v and no secret", raw, err, valid)
		}
	}
}

func TestCheckTimeout(t *testing.T) {
	got := []string{fieldOf(t, CheckTimeout(time.Second)), fieldOf(t, CheckTimeout(0)), fieldOf(t, CheckTimeout(-time.Second))}
	if d := cmp.Diff([]string{"", "timeout", "timeout"}, got); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

// Package secret holds credentials read from config so that they never
// reach a log line, an error message or an API reply by accident.
package secret

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Secret is a credential. Every way of printing or encoding it yields
// Redacted; only Reveal returns the value.
type Secret string

// Redacted is what a Secret prints as.
const Redacted = "<secret>"

// Reveal returns the credential itself, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// String returns Redacted, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON encodes the secret as Redacted.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText encodes the secret as Redacted.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalYAML encodes the secret as Redacted.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

var envRef = regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$`)

// UnmarshalYAML reads a literal value or a reference "${NAME}" to an
// environment variable, which must be set.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	var v string
	if err := n.Decode(&v); err != nil {
		return err
	}
	if m := envRef.FindStringSubmatch(v); m != nil {
		val, ok := os.LookupEnv(m[1])
		if !ok {
			return fmt.Errorf("environment variable %s is not set", m[1])
		}
		v = val
	}
	*s = Secret(v)
	return nil
}

// FromFile reads a secret from path, dropping one trailing newline. Errors
// name the file, never its content.
func FromFile(path string) (Secret, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading secret file: %w", err)
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	b = bytes.TrimSuffix(b, []byte("\r"))
	return Secret(b), nil
}

// Pick returns value, or the content of file when file is set. Setting both
// is an error. field names the setting in errors, e.g. "password".
func Pick(field string, value Secret, file string) (Secret, error) {
	switch {
	case value != "" && file != "":
		return "", fmt.Errorf("%s and %s_file are both set; use one", field, field)
	case file != "":
		s, err := FromFile(strings.TrimSpace(file))
		if err != nil {
			return "", fmt.Errorf("%s_file: %w", field, err)
		}
		return s, nil
	default:
		return value, nil
	}
}

// RedactURL returns s with the password of its user info replaced, when s
// is a URL that carries one ("https://user:xxxxx@host/"); any other string
// is returned as it is. Targets go through it before they are shown.
func RedactURL(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	return u.Redacted()
}

package email

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

// validSettings is a complete, valid config that each case below breaks
// in one place.
func validSettings() *Settings {
	s := NewSettings()
	s.Host, s.Username, s.Password = "smtp.example.com", "picket", testPassword
	s.From, s.To = "Picket <picket@example.com>", []string{"ops@example.net"}
	return s
}

func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, field string
		edit        func(*Settings)
	}{
		{"no host", "host", func(s *Settings) { s.Host = " " }},
		{"host is a URL", "host", func(s *Settings) { s.Host = "smtp://smtp.example.com" }},
		{"bad tls", "tls", func(s *Settings) { s.TLS = "ssl" }},
		{"bad port", "port", func(s *Settings) { s.Port = 70000 }},
		{"no from", "from", func(s *Settings) { s.From = "" }},
		{"bad from", "from", func(s *Settings) { s.From = "picket at example.com" }},
		{"no to", "to", func(s *Settings) { s.To = nil }},
		{"bad to", "to", func(s *Settings) { s.To = []string{"ops@example.net", "nobody"} }},
		{"bad auth", "auth", func(s *Settings) { s.Auth = "xoauth2" }},
		{"auth without username", "username", func(s *Settings) { s.Username, s.Password, s.Auth = "", "", "login" }},
		{"password without username", "username", func(s *Settings) { s.Username, s.Auth = "", "" }},
		{"username without password", "password", func(s *Settings) { s.Password = "" }},
		{"password and password_file", "password", func(s *Settings) { s.PasswordFile = notPEM }},
		{"missing password_file", "password_file", func(s *Settings) { s.Password, s.PasswordFile = "", filepath.Join(dir, "nope") }},
		{"none with a password to a remote host", "tls", func(s *Settings) { s.TLS = TLSNone }},
		{"missing ca_file", "ca_file", func(s *Settings) { s.CAFile = filepath.Join(dir, "nope.pem") }},
		{"ca_file without a certificate", "ca_file", func(s *Settings) { s.CAFile = notPEM }},
		{"negative timeout", "timeout", func(s *Settings) { s.Timeout = -1 }},
		{"two-line subject_prefix", "subject_prefix", func(s *Settings) { s.SubjectPrefix = "[Picket]\r\nBcc: x@example.org" }},
		{"bad helo", "helo", func(s *Settings) { s.HELO = "my host" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSettings()
			tt.edit(s)
			_, err := s.Notifier()
			if got := notifytest.Field(err); got != tt.field {
				t.Fatalf("err = %v, want a FieldError for %q", err, tt.field)
			}
			notifytest.NoSecret(t, err, testPassword)
		})
	}
}

func TestSettingsDefaults(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(testPassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc string
		want      config
	}{
		{"starttls", "host: smtp.example.com\nfrom: p@example.com\nto: [o@example.net]\n",
			config{addr: "smtp.example.com:587", mode: TLSStartTLS, subjectPrefix: "[Picket] ", timeout: notify.DefaultTimeout}},
		{"implicit tls", "host: smtp.example.com\ntls: tls\nfrom: p@example.com\nto: [o@example.net]\nusername: u\npassword_file: " + pwFile + "\n",
			config{addr: "smtp.example.com:465", mode: TLSImplicit, subjectPrefix: "[Picket] ", timeout: notify.DefaultTimeout,
				username: "u", password: testPassword, auth: "PLAIN"}},
		{"none, loopback, login", "host: localhost\ntls: none\nfrom: p@example.com\nto: [o@example.net]\nusername: u\npassword: x\nauth: login\n",
			config{addr: "localhost:25", mode: TLSNone, subjectPrefix: "[Picket] ", timeout: notify.DefaultTimeout,
				username: "u", password: "x", auth: "LOGIN-NOENC"}},
		{"explicit port, prefix, timeout", "host: 10.0.0.5\nport: 2525\nsubject_prefix: ''\ntimeout: 3s\nhelo: picket.example.com\nfrom: p@example.com\nto: [o@example.net]\n",
			config{addr: "10.0.0.5:2525", mode: TLSStartTLS, timeout: 3e9, helo: "picket.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSettings()
			notifytest.Decode(t, tt.doc, s)
			n, err := New(*s)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			got := *n.cfg
			got.host, got.port, got.tls, got.from, got.to = "", 0, nil, nil, nil
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(config{})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessageIDs(t *testing.T) {
	tests := []struct{ id, want string }{
		{"inc-42/0", "picket.inc-42/0@example.com"},
		{"a.b", "picket.a=2Eb@example.com"},
		{"a=2Eb", "picket.a=3D2Eb@example.com"},
		{"ü <x>", "picket.=C3=BC=20=3Cx=3E@example.com"},
	}
	for _, tt := range tests {
		if got := MessageID(tt.id, "example.com"); got != tt.want {
			t.Errorf("MessageID(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got, want := ThreadID("inc.42", "example.com"), "picket.incident.inc=2E42@example.com"; got != want {
		t.Errorf("ThreadID = %q, want %q", got, want)
	}
	for addr, want := range map[string]string{"p@example.com": "example.com", "p@bücher.example": "picket.invalid"} {
		if got := idDomain(addr); got != want {
			t.Errorf("idDomain(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestSettingsErrorsJoined(t *testing.T) {
	_, err := NewSettings().Notifier()
	if err == nil {
		t.Fatal("empty settings were accepted")
	}
	for _, field := range []string{"host: ", "from: "} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("err = %v, want it to name %q", err, field)
		}
	}
	var fe *notify.FieldError
	if !errors.As(err, &fe) || fe.Field != "host" {
		t.Errorf("first FieldError = %v, want host", fe)
	}
}

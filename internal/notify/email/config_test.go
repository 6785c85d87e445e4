package email

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/fielderr"
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
	notPEM := notifytest.File(t, "hello")
	missing := notifytest.Missing(t)
	notifytest.CheckEdits(t, validSettings, []notifytest.Edit[Settings]{
		notifytest.Setting("no host", func(s *Settings) { s.Host = " " }, "host"),
		notifytest.Setting("host is a URL", func(s *Settings) { s.Host = "smtp://smtp.example.com" }, "host"),
		notifytest.Setting("bad tls", func(s *Settings) { s.TLS = "ssl" }, "tls"),
		notifytest.Setting("bad port", func(s *Settings) { s.Port = 70000 }, "port"),
		notifytest.Setting("no from", func(s *Settings) { s.From = "" }, "from"),
		notifytest.Setting("bad from", func(s *Settings) { s.From = "picket at example.com" }, "from"),
		notifytest.Setting("no to", func(s *Settings) { s.To = nil }, "to"),
		notifytest.Setting("bad to", func(s *Settings) { s.To = []string{"ops@example.net", "nobody"} }, "to"),
		notifytest.Setting("bad auth", func(s *Settings) { s.Auth = "xoauth2" }, "auth"),
		notifytest.Setting("auth without username", func(s *Settings) { s.Username, s.Password, s.Auth = "", "", "login" }, "username"),
		notifytest.Setting("password without username", func(s *Settings) { s.Username, s.Auth = "", "" }, "username"),
		notifytest.Setting("username without password", func(s *Settings) { s.Password = "" }, "password"),
		notifytest.Setting("password and password_file", func(s *Settings) { s.PasswordFile = notPEM }, "password"),
		notifytest.Setting("missing password_file", func(s *Settings) { s.Password, s.PasswordFile = "", missing }, "password_file"),
		notifytest.Setting("none with a password to a remote host", func(s *Settings) { s.TLS = TLSNone }, "tls"),
		notifytest.Setting("missing ca_file", func(s *Settings) { s.CAFile = missing }, "ca_file"),
		notifytest.Setting("ca_file without a certificate", func(s *Settings) { s.CAFile = notPEM }, "ca_file"),
		notifytest.Setting("negative timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"),
		notifytest.Setting("two-line subject_prefix", func(s *Settings) { s.SubjectPrefix = "[Picket]\r\nBcc: x@example.org" }, "subject_prefix"),
		notifytest.Setting("bad helo", func(s *Settings) { s.HELO = "my host" }, "helo"),
	}, testPassword)
}

func TestSettingsDefaults(t *testing.T) {
	pwFile := notifytest.File(t, testPassword)
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
			n := notifytest.FromYAML(t, NewSettings, New, tt.doc)
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
	var fe *fielderr.Error
	if !errors.As(err, &fe) || fe.Field != "host" {
		t.Errorf("first field error = %v, want host", fe)
	}
}

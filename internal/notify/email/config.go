package email

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// The ports used when Settings.Port is 0: submission with STARTTLS,
// submissions with implicit TLS (RFC 8314), and plain SMTP.
const (
	DefaultPort     = 587
	DefaultTLSPort  = 465
	DefaultNonePort = 25
)

// DefaultSubjectPrefix starts every subject unless the config says otherwise.
const DefaultSubjectPrefix = "[Picket] "

// The values of Settings.TLS.
const (
	TLSStartTLS      = "starttls"               // STARTTLS, required: refuse to send without it
	TLSOpportunistic = "starttls_opportunistic" // STARTTLS when offered, else plain text
	TLSImplicit      = "tls"                    // TLS from the first byte (SMTPS)
	TLSNone          = "none"                   // plain text; no credentials unless the host is loopback
)

var authTypes = map[string]gomail.SMTPAuthType{
	"plain": gomail.SMTPAuthPlain, "login": gomail.SMTPAuthLogin, "cram-md5": gomail.SMTPAuthCramMD5,
}

// Settings are the fields of an email channel.
type Settings struct {
	Host string `yaml:"host"`
	// Port is the server's port; 0 means DefaultPort, DefaultTLSPort for
	// tls: tls, DefaultNonePort for tls: none.
	Port int `yaml:"port"`
	// TLS is one of starttls (default), starttls_opportunistic, tls, none.
	TLS                string `yaml:"tls"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
	// CAFile is a PEM bundle trusted besides the system's roots, for
	// relays with a private certificate authority.
	CAFile       string        `yaml:"ca_file"`
	Username     string        `yaml:"username"`
	Password     secret.Secret `yaml:"password"`
	PasswordFile string        `yaml:"password_file"`
	// Auth is plain, login or cram-md5; empty means plain when Username is set.
	Auth          string        `yaml:"auth"`
	From          string        `yaml:"from"`
	To            []string      `yaml:"to"`
	SubjectPrefix string        `yaml:"subject_prefix"`
	Timeout       time.Duration `yaml:"timeout"`
	// HELO is the name the client greets with; empty means os.Hostname.
	HELO string `yaml:"helo"`
}

// NewSettings returns settings with their defaults: STARTTLS required,
// DefaultSubjectPrefix, notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{TLS: TLSStartTLS, SubjectPrefix: DefaultSubjectPrefix, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// config is Settings checked and resolved.
type config struct {
	host, addr    string
	port          int
	mode          string
	tls           *tls.Config
	username      string
	password      secret.Secret
	auth          gomail.SMTPAuthType
	from          *mail.Address
	to            []*mail.Address
	subjectPrefix string
	timeout       time.Duration
	helo          string
}

// check validates s and returns the resolved config. A problem is a
// *fielderr.Error; several are joined with errors.Join.
func (s Settings) check() (*config, error) {
	c := &config{host: strings.TrimSpace(s.Host), mode: s.TLS, username: s.Username,
		subjectPrefix: s.SubjectPrefix, timeout: s.Timeout, helo: s.HELO}
	var errs []error
	for _, step := range []func(Settings, *config) error{checkServer, checkTLS, checkAuth, checkAddresses, checkRest} {
		errs = append(errs, step(s, c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

func checkServer(s Settings, c *config) error {
	if c.host == "" {
		return fielderr.Errorf("host", "is required")
	}
	if strings.ContainsAny(c.host, " /:@") && net.ParseIP(c.host) == nil {
		return fielderr.Errorf("host", "%q is not a host name or address", c.host)
	}
	switch c.mode {
	case "":
		c.mode = TLSStartTLS
	case TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return fielderr.Errorf("tls", "%q is not one of starttls, starttls_opportunistic, tls, none", c.mode)
	}
	c.port = s.Port
	if c.port == 0 {
		c.port = DefaultPort
		switch c.mode {
		case TLSImplicit:
			c.port = DefaultTLSPort
		case TLSNone:
			c.port = DefaultNonePort
		}
	}
	if c.port < 1 || c.port > 65535 {
		return fielderr.Errorf("port", "%d is not a TCP port", c.port)
	}
	c.addr = net.JoinHostPort(c.host, fmt.Sprint(c.port))
	return nil
}

func checkTLS(s Settings, c *config) error {
	c.tls = &tls.Config{ServerName: c.host, MinVersion: tls.VersionTLS12, InsecureSkipVerify: s.InsecureSkipVerify}
	if s.CAFile == "" {
		return nil
	}
	pem, err := os.ReadFile(strings.TrimSpace(s.CAFile))
	if err != nil {
		return &fielderr.Error{Field: "ca_file", Err: err}
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return fielderr.Errorf("ca_file", "no PEM certificate in %s", s.CAFile)
	}
	c.tls.RootCAs = pool
	return nil
}

func checkAuth(s Settings, c *config) error {
	pw, err := notify.PickSecret("password", s.Password, s.PasswordFile)
	if err != nil {
		return err
	}
	c.password = pw
	switch {
	case c.username == "" && (pw != "" || s.Auth != ""):
		return fielderr.Errorf("username", "is required with password or auth")
	case c.username == "":
		return nil
	case pw == "":
		return fielderr.Errorf("password", "password or password_file is required with username")
	case c.mode == TLSNone && !isLoopback(c.host):
		return fielderr.Errorf("tls", "none would send the password in clear text to %s; use starttls or tls", c.host)
	}
	return checkMechanism(s, c)
}

// checkMechanism picks the SASL mechanism: plain unless auth says otherwise.
func checkMechanism(s Settings, c *config) error {
	auth := strings.ToLower(s.Auth)
	if auth == "" {
		auth = "plain"
	}
	var ok bool
	if c.auth, ok = authTypes[auth]; !ok {
		return fielderr.Errorf("auth", "%q is not one of plain, login, cram-md5", s.Auth)
	}
	if c.mode == TLSNone {
		// The host is loopback (checked above), so the password stays on
		// this machine; the library's own guard knows only three names.
		switch c.auth {
		case gomail.SMTPAuthPlain:
			c.auth = gomail.SMTPAuthPlainNoEnc
		case gomail.SMTPAuthLogin:
			c.auth = gomail.SMTPAuthLoginNoEnc
		}
	}
	return nil
}

func checkAddresses(s Settings, c *config) error {
	if strings.TrimSpace(s.From) == "" {
		return fielderr.Errorf("from", "is required")
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fielderr.Errorf("from", "%q is not an RFC 5322 address: %w", s.From, err)
	}
	c.from = from
	if len(s.To) == 0 {
		return fielderr.Errorf("to", "at least one recipient is required")
	}
	for i, to := range s.To {
		a, err := mail.ParseAddress(to)
		if err != nil {
			return fielderr.Errorf("to", "recipient %d, %q, is not an RFC 5322 address: %w", i+1, to, err)
		}
		c.to = append(c.to, a)
	}
	return nil
}

func checkRest(s Settings, c *config) error {
	if strings.ContainsAny(c.subjectPrefix, "\r\n") {
		return fielderr.Errorf("subject_prefix", "must be one line")
	}
	if err := notify.CheckTimeout(c.timeout); err != nil {
		return err
	}
	if c.helo != "" && strings.ContainsAny(c.helo, " \t\r\n<>@") {
		return fielderr.Errorf("helo", "%q is not a host name", c.helo)
	}
	return nil
}

// isLoopback reports whether host names this machine without a DNS lookup.
func isLoopback(host string) bool {
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return strings.EqualFold(host, "localhost")
}

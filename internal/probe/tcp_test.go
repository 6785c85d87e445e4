package probe

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// lineServer answers each connection with greeting, then with "echo: "
// and each line it reads; it closes a connection after quit.
func lineServer(t *testing.T, greeting string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveLines(c, greeting)
		}
	}()
	return ln.Addr().String()
}

func serveLines(c net.Conn, greeting string) {
	defer c.Close()
	// Outlive the probe's deadline, so a probe waiting for text times out
	// before the server gives up.
	_ = c.SetDeadline(time.Now().Add(3 * testTimeout))
	_, _ = c.Write([]byte(greeting))
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		if sc.Text() == "quit" {
			return
		}
		_, _ = c.Write([]byte("echo: " + sc.Text() + "\n"))
	}
}

func TestTCPProbe(t *testing.T) {
	smtp := lineServer(t, "220 mail.test ESMTP\r\n")
	silent := silentAddr(t)
	ca := newTestCA(t)
	day := 24 * time.Hour
	tlsOK := tlsAddr(t, ca.validFor(t, 30*day, "127.0.0.1"), "* OK IMAP ready\r\n")
	tlsExpired := tlsAddr(t, ca.issue(t, time.Now().Add(-3*day), time.Now().Add(-day), "127.0.0.1"), "")
	tests := []struct {
		name, target, settings string
		status                 Status
		reason                 string
	}{
		{"connect", smtp, "", StatusUp, "connected"},
		{"refused", refusedAddr(t), "", StatusDown, "connection refused"},
		{"silent but connect only", silent, "", StatusUp, "connected"},
		{"greeting", smtp, "expect: '220 '", StatusUp, `got "220 "`},
		{"wrong greeting", smtp, "expect: '+OK'", StatusDegraded, `no "+OK" in 21 bytes before the deadline`},
		{"no answer", silent, "expect: '220 '", StatusDegraded, `no "220 " in 0 bytes before the deadline`},
		{"send and expect", smtp, "{send: \"ping\\nquit\\n\", expect: 'echo: ping'}", StatusUp, "connected"},
		{"send, wrong answer", smtp, "{send: \"pong\\nquit\\n\", expect: 'echo: ping'}", StatusDegraded, "without"},
		{"tls", tlsOK, "{tls: true, ca_file: " + ca.file + ", expect: '* OK'}", StatusUp, "connected"},
		{"tls untrusted", tlsOK, "tls: true", StatusDown, "unknown authority"},
		{"tls skip verify", tlsOK, "{tls: true, insecure_skip_verify: true}", StatusUp, "connected"},
		{"tls wrong name", tlsOK, "{tls: true, ca_file: " + ca.file + ", server_name: other.test}", StatusDown, "wanted to match other.test"},
		{"tls expired", tlsExpired, "{tls: true, ca_file: " + ca.file + "}", StatusDown, "expired"},
		{"tls against plain", smtp, "{tls: true, ca_file: " + ca.file + "}", StatusDown, "tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runProbe(t, mustProber(t, "tcp", tt.settings, tt.target))
			checkResult(t, res, tt.status, tt.reason)
			_, hasDays := metric(res, "tls_cert_days_left")
			if wantDays := strings.Contains(tt.settings, "tls") && tt.status != StatusDown; hasDays != wantDays {
				t.Errorf("tls_cert_days_left reported: %v, want %v", hasDays, wantDays)
			}
		})
	}
}

func TestTCPSettingsErrors(t *testing.T) {
	tests := []struct{ name, settings, target, field string }{
		{"no port", "", "127.0.0.1", ""},
		{"port zero", "", "127.0.0.1:0", ""},
		{"port name", "", "127.0.0.1:smtp", ""},
		{"server name without tls", "server_name: x", "127.0.0.1:25", "server_name"},
		{"skip verify without tls", "insecure_skip_verify: true", "127.0.0.1:25", "insecure_skip_verify"},
		{"missing ca", "{tls: true, ca_file: /nonexistent/ca.pem}", "127.0.0.1:25", "ca_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proberFor(t, "tcp", tt.settings, tt.target)
			checkSettingsError(t, err, tt.field)
		})
	}
}

func TestReadUntilLimit(t *testing.T) {
	r := strings.NewReader(strings.Repeat("x", 2*maxTCPRead) + "needle")
	err := readUntil(r, []byte("needle"))
	if err == nil || !strings.Contains(err.Error(), "in the first") {
		t.Errorf("readUntil past the limit = %v, want a limit error", err)
	}
}

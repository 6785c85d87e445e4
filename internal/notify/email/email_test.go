package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	testFrom = "picket@example.com"
	testTo1  = "ops@example.net"
	testTo2  = "oncall@example.org"
)

// settingsFor returns settings that deliver to srv over STARTTLS with the
// test account, trusting certs.
func settingsFor(srv *smtpServer, certs testCerts) *Settings {
	s := NewSettings()
	s.Host, s.Port, s.CAFile = "127.0.0.1", srv.Port, certs.Cert
	s.Username, s.Password = testUser, testPassword
	s.From, s.To = "Picket <"+testFrom+">", []string{testTo1, "On call <" + testTo2 + ">"}
	return s
}

func newNotifier(t *testing.T, s *Settings) *Notifier {
	t.Helper()
	return notifytest.Build(t, New, s)
}

func TestDelivery(t *testing.T) {
	certs := newTestCerts(t)
	servers := map[string]*smtpServer{
		"starttls": startSMTP(t, "starttls", certs),
		"tls":      startSMTP(t, "tls", certs),
		"plain":    startSMTP(t, "plain", certs),
	}
	tests := []struct {
		name, server string
		edit         func(*Settings)
		tls          bool
		user         string
	}{
		{"starttls with auth plain", "starttls", func(s *Settings) {}, true, testUser},
		{"starttls with auth login", "starttls", func(s *Settings) { s.Auth = "login" }, true, testUser},
		{"starttls with auth cram-md5", "starttls", func(s *Settings) { s.Auth = "cram-md5" }, true, testUser},
		{"starttls, insecure_skip_verify", "starttls", func(s *Settings) { s.CAFile, s.InsecureSkipVerify = "", true }, true, testUser},
		{"implicit tls", "tls", func(s *Settings) { s.TLS = TLSImplicit }, true, testUser},
		{"opportunistic without STARTTLS, no auth", "plain", func(s *Settings) {
			s.TLS, s.Username, s.Password = TLSOpportunistic, "", ""
		}, false, ""},
		{"none on loopback with auth", "plain", func(s *Settings) { s.TLS = TLSNone }, false, testUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := servers[tt.server]
			s := settingsFor(srv, certs)
			tt.edit(s)
			before := len(srv.messages(t))
			retry, err := newNotifier(t, s).Notify(context.Background(), notifytest.Problem())
			if err != nil {
				t.Fatalf("Notify: retry %v, %v", retry, err)
			}
			got := srv.messages(t)[before:]
			want := []received{{MailFrom: testFrom, RcptTos: []string{testTo1, testTo2}, TLS: tt.tls, AuthUser: tt.user}}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(received{}, "Raw")); diff != "" {
				t.Errorf("received (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessage(t *testing.T) {
	certs := newTestCerts(t)
	srv := startSMTP(t, "starttls", certs)
	n := newNotifier(t, settingsFor(srv, certs))
	textOnly := notifytest.Problem()
	textOnly.ID, textOnly.HTML = "inc-42/1 reminder", ""
	textOnly.Kind, textOnly.Text = notify.KindReminder, "Still down: <b> & \"quotes\"\nhttps://picket.example/incidents/inc-42"
	problem := parsedMail{
		Subject: "[Picket] DOWN: Billing API — connection refused", From: testFrom, To: testTo1 + ", " + testTo2,
		MessageID: "<picket.inc-42/0@example.com>", References: "<picket.incident.inc-42@example.com>",
		InReplyTo: "<picket.incident.inc-42@example.com>", Incident: "inc-42", Kind: "problem", Severity: "critical",
		Importance: "high", AutoSubmitted: "auto-generated", Date: notifytest.Problem().Time,
		ContentType: "multipart/alternative", Text: notifytest.Problem().Text, HTML: notifytest.Problem().HTML,
	}
	recovery := problem
	recovery.Subject, recovery.MessageID = "[Picket] UP: Billing API — back after 12m", "<picket.inc-42/resolved@example.com>"
	recovery.Kind, recovery.Severity, recovery.Importance = "recovery", "info", ""
	recovery.Text = notifytest.Recovery().Text
	reminder := problem
	reminder.MessageID, reminder.Kind, reminder.Text = "<picket.inc-42/1=20reminder@example.com>", "reminder", textOnly.Text
	reminder.HTML = "<p>Still down: &lt;b&gt; &amp; &#34;quotes&#34;<br>\n" +
		`<a href="https://picket.example/incidents/inc-42">https://picket.example/incidents/inc-42</a></p>`
	tests := []struct {
		name string
		m    notify.Message
		want parsedMail
	}{
		{"problem", notifytest.Problem(), problem},
		{"recovery", notifytest.Recovery(), recovery},
		{"text only, reminder", textOnly, reminder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.messages(t))
			if retry, err := n.Notify(context.Background(), tt.m); err != nil {
				t.Fatalf("Notify: retry %v, %v", retry, err)
			}
			got := srv.messages(t)[before:]
			if len(got) != 1 {
				t.Fatalf("received %d messages, want 1", len(got))
			}
			if diff := cmp.Diff(tt.want, parseMail(t, got[0].Raw)); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFailures(t *testing.T) {
	certs := newTestCerts(t)
	starttls, plain, implicit := startSMTP(t, "starttls", certs), startSMTP(t, "plain", certs), startSMTP(t, "tls", certs)
	const wrongPassword = "Wr0ng-h0rse-battery"
	tests := []struct {
		name    string
		srv     *smtpServer
		edit    func(*Settings)
		retry   bool
		wantErr string
	}{
		{"wrong password", starttls, func(s *Settings) { s.Password = wrongPassword }, false, "535"},
		{"STARTTLS required, server has none", plain, func(s *Settings) {}, false, "STARTTLS"},
		{"recipient rejected 550", starttls, func(s *Settings) { s.To = []string{testTo1, "reject-550@example.net"} }, false, "550"},
		{"recipient deferred 451", starttls, func(s *Settings) { s.To = []string{"reject-451@example.net"} }, true, "451"},
		{"mailbox full 452", starttls, func(s *Settings) { s.To = []string{"reject-452@example.net"} }, true, "452"},
		{"untrusted certificate", starttls, func(s *Settings) { s.CAFile = "" }, false, "certificate"},
		{"implicit tls against a plain server", plain, func(s *Settings) { s.TLS = TLSImplicit }, false, "TLS"},
		{"starttls against an implicit tls port", implicit, func(s *Settings) { s.Timeout = 500 * time.Millisecond }, true, "timed out"},
		{"server down", &smtpServer{Port: closedPort(t)}, func(s *Settings) {}, true, "connection refused"},
		{"server never answers", &smtpServer{Port: rawServer(t, "")}, func(s *Settings) { s.Timeout = 200 * time.Millisecond }, true, "timed out"},
		{"server busy 421", &smtpServer{Port: rawServer(t, "421 4.3.2 too busy, try later\r\n")}, func(s *Settings) {}, true, "421"},
		{"server refuses 554", &smtpServer{Port: rawServer(t, "554 5.7.1 no service for you\r\n")}, func(s *Settings) {}, false, "554"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := settingsFor(tt.srv, certs)
			tt.edit(s)
			before := 0
			if tt.srv.dir != "" {
				before = len(tt.srv.messages(t))
			}
			retry, err := newNotifier(t, s).Notify(context.Background(), notifytest.Problem())
			if err == nil {
				t.Fatal("Notify succeeded, want an error")
			}
			t.Logf("retry %v, error: %v", retry, err)
			if retry != tt.retry || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Notify = %v, %q; want retry %v and an error containing %q", retry, err, tt.retry, tt.wantErr)
			}
			for _, pw := range []string{testPassword, wrongPassword} {
				if strings.Contains(err.Error(), pw) {
					t.Errorf("the error reveals a password: %v", err)
				}
			}
			if tt.srv.dir != "" && len(tt.srv.messages(t)) != before {
				t.Error("the server accepted a message")
			}
		})
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// rawServer accepts connections, writes greeting to each (nothing when
// it is empty) and says no more.
func rawServer(t *testing.T, greeting string) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex // protects conns
		conns []net.Conn
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte(greeting))
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

func TestNotifyCancelled(t *testing.T) {
	s := settingsFor(&smtpServer{Port: rawServer(t, "")}, testCerts{})
	s.CAFile = ""
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	retry, err := newNotifier(t, s).Notify(ctx, notifytest.Problem())
	if err == nil || !retry || !errors.Is(err, context.Canceled) {
		t.Errorf("Notify = %v, %v; want retry and context.Canceled", retry, err)
	}
}

func TestRedact(t *testing.T) {
	n := newNotifier(t, validSettings())
	err := n.redact(fmt.Errorf("server said: bad password %q", testPassword))
	if strings.Contains(err.Error(), testPassword) || !strings.Contains(err.Error(), "<secret>") {
		t.Errorf("redact = %v", err)
	}
}

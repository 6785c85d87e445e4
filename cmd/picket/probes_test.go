//go:build !agentonly

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestCheckTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return // the listener was closed
			}
			c.SetDeadline(time.Now().Add(10 * time.Second))
			c.Write([]byte("+OK ready\r\n"))
			c.Close()
		}
	}()
	tests := []struct {
		name string
		args []string
		want outcome
	}{
		{"up", []string{"check", "tcp", l.Addr().String(), "--expect", "+OK"}, outcome{code: exitUp, stdout: []string{"tcp up"}}},
		{"wrong greeting", []string{"check", "tcp", l.Addr().String(), "--expect", "SSH-2.0"},
			outcome{code: exitDegraded, stdout: []string{"tcp degraded"}}},
		{"refused", []string{"check", "tcp", refusedAddr(t)}, outcome{code: exitDown, stdout: []string{"tcp down"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.args, tt.want) })
	}
}

// startDNS serves A 192.0.2.1 for every name ending in .test. on a
// loopback UDP port and returns its address.
func startDNS(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
			m := new(dns.Msg)
			m.SetReply(q)
			if name := q.Question[0].Name; dns.IsSubDomain("test.", name) {
				m.Answer = append(m.Answer, &dns.A{A: net.IPv4(192, 0, 2, 1),
					Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}})
			} else {
				m.Rcode = dns.RcodeNameError
			}
			w.WriteMsg(m)
		})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the DNS server did not start")
	}
	return pc.LocalAddr().String()
}

func TestCheckDNS(t *testing.T) {
	server := startDNS(t)
	tests := []struct {
		name string
		args []string
		want outcome
	}{
		{"up", []string{"check", "dns", "www.example.test", "--server", server, "--expect-answers", "192.0.2.1"},
			outcome{code: exitUp, stdout: []string{"dns up"}}},
		{"wrong answer", []string{"check", "dns", "www.example.test", "--server", server, "--expect-answers", "[192.0.2.1, 192.0.2.2]"},
			outcome{code: exitDegraded, stdout: []string{"dns degraded"}}},
		{"nxdomain", []string{"check", "dns", "www.example.org", "--server", server},
			outcome{code: exitDegraded, stdout: []string{"NXDOMAIN"}}},
		{"bad record", []string{"check", "dns", "www.example.test", "--server", server, "--record", "AXFR"},
			outcome{code: exitUsage, stderr: []string{"--record"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.args, tt.want) })
	}
}

func TestNotifyTest(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, string(body))
		if strings.Contains(r.URL.Path, "broken") {
			http.Error(w, "nope", http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "picket.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`
channels:
  - {id: hook, type: webhook, url: "%s/hook"}
  - {id: broken, type: webhook, url: "%s/broken"}
`, srv.URL, srv.URL)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"notify", "test", "hook", "--config", cfg}, 0, "hook (webhook): sent"},
		{[]string{"notify", "test", "broken", "--config", cfg}, 1, "rejected, would not be retried: calling the webhook: HTTP 400"},
		{[]string{"notify", "test", "nope", "--config", cfg}, 3, `no channel "nope"`},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(out.String()+errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, %q %q; want %d with %q", tt.args, code, out.String(), errOut.String(), tt.code, tt.want)
		}
	}
	if len(got) != 2 || !strings.Contains(got[0], `"kind":"test"`) {
		t.Errorf("the receiver got %q", got)
	}
}

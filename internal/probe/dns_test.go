package probe

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// testZone is what the in-process DNS server knows.
const testZone = `
www.test. 60 IN A 192.0.2.1
www.test. 60 IN A 192.0.2.2
www.test. 60 IN AAAA 2001:db8::1
alias.test. 60 IN CNAME www.test.
test. 60 IN MX 10 mail.test.
test. 60 IN NS ns1.test.
test. 60 IN SOA ns1.test. admin.test. 2024010101 3600 600 86400 60
test. 60 IN TXT "v=spf1 " "-all"
test. 60 IN CAA 0 issue "letsencrypt.org"
_sip._tcp.test. 60 IN SRV 10 5 5060 sip.test.
1.2.0.192.in-addr.arpa. 60 IN PTR www.test.
empty.test. 60 IN TXT "no address here"
big.test. 60 IN A 192.0.2.9
`

// zoneHandler answers from testZone: NXDOMAIN for unknown names, SERVFAIL
// for servfail.test., and a truncated UDP reply for big.test.
type zoneHandler map[string][]dns.RR

func newZoneHandler(t *testing.T) zoneHandler {
	t.Helper()
	z := zoneHandler{}
	for _, line := range strings.Split(strings.TrimSpace(testZone), "\n") {
		rr, err := dns.NewRR(line)
		if err != nil {
			t.Fatalf("zone line %q: %v", line, err)
		}
		z[rr.Header().Name] = append(z[rr.Header().Name], rr)
	}
	return z
}

func (z zoneHandler) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	q := req.Question[0]
	switch {
	case q.Name == "servfail.test.":
		m.Rcode = dns.RcodeServerFailure
	case q.Name == "big.test." && w.RemoteAddr().Network() == "udp":
		m.Truncated = true
	case z[q.Name] == nil:
		m.Rcode = dns.RcodeNameError
	default:
		m.Answer = z.answer(q.Name, q.Qtype)
	}
	_ = w.WriteMsg(m)
}

// answer follows one CNAME, as a resolver would.
func (z zoneHandler) answer(name string, qtype uint16) []dns.RR {
	var out []dns.RR
	for _, rr := range z[name] {
		switch rr.Header().Rrtype {
		case qtype:
			out = append(out, rr)
		case dns.TypeCNAME:
			out = append(append(out, rr), z.answer(rr.(*dns.CNAME).Target, qtype)...)
		}
	}
	return out
}

// dnsServer serves the zone on one loopback port over UDP and TCP.
func startDNS(t *testing.T) string {
	t.Helper()
	h := newZoneHandler(t)
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		pc.Close()
		t.Skipf("TCP port of the UDP DNS server is taken: %v", err)
	}
	for _, srv := range []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go func() { _ = srv.ActivateAndServe() }()
		<-started
		t.Cleanup(func() { _ = srv.Shutdown() })
	}
	return pc.LocalAddr().String()
}

// silentDNS is a UDP port that takes queries and never answers.
func silentDNS(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr().String()
}

func TestDNSProbe(t *testing.T) {
	server := startDNS(t)
	on := func(more string) string { return "{server: '" + server + "'" + more + "}" }
	tests := []struct {
		name, target, settings string
		status                 Status
		reason                 string
	}{
		{"a", "www.test", on(""), StatusUp, "NOERROR, 2 A records"},
		{"a over tcp", "www.test", on(", protocol: tcp"), StatusUp, "NOERROR, 2 A records"},
		{"a exact", "www.test", on(", expect: {answers: [192.0.2.2, 192.0.2.1]}"), StatusUp, "2 A records"},
		{"a wrong set", "www.test", on(", expect: {answers: [192.0.2.1]}"), StatusDegraded, `A answers ["192.0.2.1", "192.0.2.2"], want ["192.0.2.1"]`},
		{"a contains", "www.test", on(", expect: {contains: [192.0.2.2]}"), StatusUp, "2 A records"},
		{"a missing", "www.test", on(", expect: {contains: [192.0.2.3]}"), StatusDegraded, `A answer "192.0.2.3" missing`},
		{"aaaa", "www.test", on(", record: AAAA, expect: {answers: ['2001:DB8:0::1']}"), StatusUp, "1 AAAA record"},
		{"cname chain", "alias.test", on(", expect: {answers: [192.0.2.1, 192.0.2.2]}"), StatusUp, "2 A records"},
		{"cname", "alias.test", on(", record: cname, expect: {answers: [WWW.test]}"), StatusUp, "1 CNAME record"},
		{"mx", "test", on(", record: MX, expect: {answers: ['10 mail.test.']}"), StatusUp, "1 MX"},
		{"ns", "test", on(", record: NS, expect: {contains: [ns1.test]}"), StatusUp, "1 NS"},
		{"soa", "test", on(", record: SOA, expect: {answers: ['ns1.test. admin.test. 2024010101 3600 600 86400 60']}"), StatusUp, "1 SOA"},
		{"txt", "test", on(", record: TXT, expect: {answers: ['v=spf1 -all']}"), StatusUp, "1 TXT"},
		{"caa", "test", on(", record: CAA, expect: {answers: ['0 issue \"letsencrypt.org\"']}"), StatusUp, "1 CAA"},
		{"srv", "_sip._tcp.test", on(", record: SRV, expect: {answers: ['10 5 5060 sip.test']}"), StatusUp, "1 SRV"},
		{"ptr from ip", "192.0.2.1", on(", record: PTR, expect: {answers: [www.test]}"), StatusUp, "1 PTR"},
		{"nxdomain", "nope.test", on(""), StatusDegraded, "rcode NXDOMAIN, want NOERROR"},
		{"nxdomain expected", "nope.test", on(", expect: {rcode: nxdomain}"), StatusUp, "NXDOMAIN, 0 A records"},
		{"servfail", "servfail.test", on(""), StatusDegraded, "rcode SERVFAIL, want NOERROR"},
		{"no data", "empty.test", on(""), StatusDegraded, "no A record for empty.test."},
		{"truncated falls back to tcp", "big.test", on(""), StatusUp, "1 A record"},
		{"no answer", "www.test", "server: " + silentDNS(t), StatusDown, "no reply from"},
		{"tcp refused", "www.test", "{protocol: tcp, server: '" + refusedAddr(t) + "'}", StatusDown, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := runProbe(t, mustProber(t, "dns", tt.settings, tt.target))
			checkResult(t, res, tt.status, tt.reason)
		})
	}
}

func TestDNSServerDefault(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(conf, []byte("search test\nnameserver 127.0.0.53\nnameserver 127.0.0.54\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ server, path, want, field string }{
		{"", conf, "127.0.0.53:53", ""},
		{"", filepath.Join(dir, "missing"), "", "server"},
		{"127.0.0.1", conf, "127.0.0.1:53", ""},
		{"127.0.0.1:5353", conf, "127.0.0.1:5353", ""},
		{"::1", conf, "[::1]:53", ""},
		{"[::1]:5353", conf, "[::1]:5353", ""},
		{"ns.test", conf, "ns.test:53", ""},
	}
	for _, tt := range tests {
		t.Run(tt.server+tt.path, func(t *testing.T) {
			got, err := dnsServer(tt.server, tt.path)
			if tt.field != "" {
				checkSettingsError(t, err, tt.field)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("dnsServer(%q) = %q, %v; want %q", tt.server, got, err, tt.want)
			}
		})
	}
}

func TestDNSSettingsErrors(t *testing.T) {
	tests := []struct{ name, settings, target, field string }{
		{"bad name", "server: 127.0.0.1", "bad..name", ""},
		{"bad record", "{server: 127.0.0.1, record: ANY}", "test", "record"},
		{"bad protocol", "{server: 127.0.0.1, protocol: quic}", "test", "protocol"},
		{"bad rcode", "{server: 127.0.0.1, expect: {rcode: NOPE}}", "test", "expect.rcode"},
		{"answers with nxdomain", "{server: 127.0.0.1, expect: {rcode: NXDOMAIN, answers: [192.0.2.1]}}", "test", "expect.rcode"},
		{"answers and contains", "{server: 127.0.0.1, expect: {answers: [192.0.2.1], contains: [192.0.2.1]}}", "test", "expect.contains"},
		{"bad address", "{server: 127.0.0.1, expect: {answers: [192.0.2.300]}}", "test", "expect.answers.0"},
		{"bad mx", "{server: 127.0.0.1, record: MX, expect: {contains: [mail.test]}}", "test", "expect.contains.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proberFor(t, "dns", tt.settings, tt.target)
			checkSettingsError(t, err, tt.field)
		})
	}
}

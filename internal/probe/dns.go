package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// DNSSettings are the settings of a dns check, whose target is the name to
// query (or, for PTR, also an IP address).
type DNSSettings struct {
	Record   string    `yaml:"record"`   // default A
	Server   string    `yaml:"server"`   // host[:port]; default: first nameserver in /etc/resolv.conf
	Protocol string    `yaml:"protocol"` // udp or tcp; default udp
	Expect   DNSExpect `yaml:"expect"`
}

// DNSExpect is what a right DNS answer looks like. Answers are written as
// in a zone file without name, TTL and class: "192.0.2.1", "10 mail.example.org",
// "0 issue \"letsencrypt.org\""; TXT answers are the joined text.
type DNSExpect struct {
	Rcode    string   `yaml:"rcode"`    // default NOERROR
	Answers  []string `yaml:"answers"`  // the exact set of answers, in any order
	Contains []string `yaml:"contains"` // answers that must be among those given
}

var dnsRecords = []string{"A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "SRV", "PTR", "CAA"}

const resolvConf = "/etc/resolv.conf"

func newDNSSettings() *DNSSettings {
	return &DNSSettings{Record: "A", Protocol: "udp", Expect: DNSExpect{Rcode: "NOERROR"}}
}

type dnsProber struct {
	name     string
	qtype    uint16
	server   string
	protocol string
	rcode    int
	answers  []string // sorted; nil when not checked
	contains []string
}

// Prober validates the settings for the queried name.
func (s *DNSSettings) Prober(target string) (Prober, error) {
	return s.prober(target, resolvConf)
}

func (s *DNSSettings) prober(target, resolvPath string) (Prober, error) {
	p := &dnsProber{protocol: s.Protocol}
	rec := strings.ToUpper(s.Record)
	if !slices.Contains(dnsRecords, rec) {
		return nil, fielderr.Errorf("record", "%q: want one of %s", s.Record, strings.Join(dnsRecords, ", "))
	}
	p.qtype = dns.StringToType[rec]
	name, err := queryName(target, p.qtype)
	if err != nil {
		return nil, err
	}
	p.name = name
	if p.protocol != "udp" && p.protocol != "tcp" {
		return nil, fielderr.Errorf("protocol", "%q: want udp or tcp", s.Protocol)
	}
	if p.server, err = dnsServer(s.Server, resolvPath); err != nil {
		return nil, err
	}
	if err := p.setExpect(s.Expect); err != nil {
		return nil, err
	}
	return p, nil
}

// queryName checks target and returns it fully qualified; a PTR query for
// an IP address asks for its in-addr.arpa or ip6.arpa name.
func queryName(target string, qtype uint16) (string, error) {
	if qtype == dns.TypePTR && net.ParseIP(target) != nil {
		return dns.ReverseAddr(target)
	}
	if _, ok := dns.IsDomainName(target); !ok || target == "" {
		return "", fmt.Errorf("target %q is not a domain name", target)
	}
	return dns.Fqdn(target), nil
}

// dnsServer returns server with a port, defaulting to the first nameserver
// in the resolv.conf at path.
func dnsServer(server, path string) (string, error) {
	if server == "" {
		cc, err := dns.ClientConfigFromFile(path)
		if err != nil || len(cc.Servers) == 0 {
			return "", fielderr.Errorf("server", "not set, and no nameserver found in %s", path)
		}
		return net.JoinHostPort(cc.Servers[0], cc.Port), nil
	}
	if _, err := splitTarget(server); err == nil {
		return server, nil
	}
	if strings.Contains(strings.Trim(server, "[]"), ":") && net.ParseIP(strings.Trim(server, "[]")) == nil {
		return "", fielderr.Errorf("server", "%q: want host or host:port", server)
	}
	return net.JoinHostPort(strings.Trim(server, "[]"), "53"), nil
}

func (p *dnsProber) setExpect(e DNSExpect) error {
	rc, ok := dns.StringToRcode[strings.ToUpper(e.Rcode)]
	if !ok {
		return fielderr.Errorf("expect.rcode", "%q is not a DNS rcode such as NOERROR or NXDOMAIN", e.Rcode)
	}
	p.rcode = rc
	switch {
	case len(e.Answers) > 0 && len(e.Contains) > 0:
		return fielderr.Errorf("expect.contains", "set answers or contains, not both")
	case rc != dns.RcodeSuccess && len(e.Answers)+len(e.Contains) > 0:
		return fielderr.Errorf("expect.rcode", "%s carries no answers to check", e.Rcode)
	}
	var err error
	if p.answers, err = canonicalAnswers("expect.answers", p.qtype, e.Answers); err != nil {
		return err
	}
	p.contains, err = canonicalAnswers("expect.contains", p.qtype, e.Contains)
	return err
}

// Probe sends the query and judges the reply.
func (p *dnsProber) Probe(ctx context.Context, rep *Report) error {
	m := new(dns.Msg)
	m.SetQuestion(p.name, p.qtype)
	m.SetEdns0(4096, false)
	resp, err := exchange(ctx, m, p.protocol, p.server)
	if err == nil && resp.Truncated && p.protocol == "udp" {
		resp, err = exchange(ctx, m, "tcp", p.server)
	}
	if err != nil {
		return netReason(err)
	}
	got := answerValues(resp, p.qtype)
	rep.Set("dns_answer_count", float64(len(got)))
	if err := p.judge(resp.Rcode, got); err != nil {
		return err
	}
	rep.Detail = fmt.Sprintf("%s, %d %s record", dns.RcodeToString[resp.Rcode], len(got), dns.TypeToString[p.qtype])
	if len(got) != 1 {
		rep.Detail += "s"
	}
	return nil
}

// judge compares the reply's rcode and answers with what is expected.
func (p *dnsProber) judge(rcode int, got []string) error {
	typ := dns.TypeToString[p.qtype]
	switch {
	case rcode != p.rcode:
		return Degradedf("rcode %s, want %s", dns.RcodeToString[rcode], dns.RcodeToString[p.rcode])
	case p.answers != nil && !slices.Equal(got, p.answers):
		return Degradedf("%s answers %s, want %s", typ, quoteList(got), quoteList(p.answers))
	case p.rcode == dns.RcodeSuccess && p.answers == nil && len(got) == 0:
		return Degradedf("no %s record for %s", typ, p.name)
	}
	for _, want := range p.contains {
		if !slices.Contains(got, want) {
			return Degradedf("%s answer %q missing, got %s", typ, want, quoteList(got))
		}
	}
	return nil
}

// exchange sends m over a fresh connection bound to ctx and waits for the
// reply with the same id.
func exchange(ctx context.Context, m *dns.Msg, protocol, server string) (*dns.Msg, error) {
	c := &dns.Client{Net: protocol}
	co, err := c.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer co.Close()
	release := bindConn(ctx, co.Conn)
	defer release()
	if err := co.WriteMsg(m); err != nil {
		return nil, fmt.Errorf("sending the query: %w", netReason(err))
	}
	// Over UDP a late reply to an earlier query may arrive first; skip a
	// few of those.
	for range 8 {
		r, err := co.ReadMsg()
		if err != nil {
			return nil, fmt.Errorf("no reply from %s: %w", server, netReason(err))
		}
		if r.Id == m.Id {
			return r, nil
		}
	}
	return nil, errors.New("no reply with the query's id")
}

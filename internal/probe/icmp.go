package probe

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
	probing "github.com/prometheus-community/pro-bing"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// ICMPSettings are the settings of an icmp check, whose target is a host
// name or an IP address. Loss is judged over all Count echo requests, so one
// lost reply is not an outage.
type ICMPSettings struct {
	Count        int           `yaml:"count"`         // echo requests per probe; default 3
	PingInterval time.Duration `yaml:"ping_interval"` // between requests; default 200ms
	ReplyTimeout time.Duration `yaml:"reply_timeout"` // wait after the last request; default 1s
	Size         int           `yaml:"size"`          // payload bytes; default 56
	LossDegraded float64       `yaml:"loss_degraded"` // loss ratio from which the result is degraded; default 0.5
	RTTDegraded  time.Duration `yaml:"rtt_degraded"`  // average round trip over which it is degraded; 0: off
	Privileged   string        `yaml:"privileged"`    // auto, true (raw socket) or false (datagram socket); default auto
}

func newICMPSettings() *ICMPSettings {
	return &ICMPSettings{
		Count:        3,
		PingInterval: 200 * time.Millisecond,
		ReplyTimeout: time.Second,
		Size:         56,
		LossDegraded: 0.5,
		Privileged:   "auto",
	}
}

type icmpProber struct {
	host       string
	privileged bool
	// denied says why this process may not ping; each run decides again
	// while it is set, so fixing the sysctl or capability needs no restart.
	denied error
	s      ICMPSettings
}

// Prober validates the settings for the host target and decides, from
// what this process may do, between a raw and a datagram ICMP socket. Not
// being allowed to ping is not a config error: the server starts and the
// check is down with the reason, which says how to allow it.
func (s *ICMPSettings) Prober(target string) (Prober, error) {
	if err := checkPingTarget(target); err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	priv, denied := pingPrivileged(s.Privileged, readPingEnv())
	return &icmpProber{host: target, privileged: priv, denied: denied, s: *s}, nil
}

func checkPingTarget(target string) error {
	if net.ParseIP(target) != nil {
		return nil
	}
	if _, ok := dns.IsDomainName(target); !ok || target == "" || strings.ContainsAny(target, ":/ ") {
		return fmt.Errorf("target %q: want a host name or an IP address", target)
	}
	return nil
}

func (s *ICMPSettings) validate() error {
	switch {
	case s.Count < 1 || s.Count > 1000:
		return fielderr.Errorf("count", "%d: want 1 to 1000", s.Count)
	case s.PingInterval < 10*time.Millisecond:
		return fielderr.Errorf("ping_interval", "%s: want at least 10ms", s.PingInterval)
	case s.ReplyTimeout <= 0:
		return fielderr.Errorf("reply_timeout", "must be positive")
	case s.Size < 24 || s.Size > 65000:
		return fielderr.Errorf("size", "%d: want 24 to 65000 bytes", s.Size)
	case s.LossDegraded < 0 || s.LossDegraded > 1:
		return fielderr.Errorf("loss_degraded", "%g: want a fraction from 0 to 1", s.LossDegraded)
	case s.RTTDegraded < 0:
		return fielderr.Errorf("rtt_degraded", "must not be negative")
	case s.Privileged != "auto" && s.Privileged != "true" && s.Privileged != "false" && s.Privileged != "":
		return fielderr.Errorf("privileged", "%q: want auto, true or false", s.Privileged)
	}
	return nil
}

// Probe sends Count echo requests and judges loss and round trip.
func (p *icmpProber) Probe(ctx context.Context, rep *Report) error {
	privileged := p.privileged
	if p.denied != nil {
		var err error
		if privileged, err = pingPrivileged(p.s.Privileged, readPingEnv()); err != nil {
			return err
		}
	}
	ip, err := resolveHost(ctx, p.host)
	if err != nil {
		return err
	}
	pinger := probing.New("")
	pinger.SetIPAddr(ip)
	pinger.SetPrivileged(privileged)
	pinger.SetLogger(probing.NoopLogger{})
	pinger.Count = p.s.Count
	pinger.Interval = p.s.PingInterval
	pinger.Size = p.s.Size
	pinger.Timeout = time.Duration(p.s.Count-1)*p.s.PingInterval + p.s.ReplyTimeout
	runErr := pinger.RunWithContext(ctx)
	st := pinger.Statistics()
	if st.PacketsSent == 0 {
		return fmt.Errorf("pinging %s: %w", ip, runErr)
	}
	rep.Set("icmp_loss_ratio", lossRatio(st.PacketsSent, st.PacketsRecv))
	if st.PacketsRecv > 0 {
		rep.Set("icmp_rtt_seconds", st.AvgRtt.Seconds())
	}
	if err := judgePing(st.PacketsSent, st.PacketsRecv, st.AvgRtt, p.s.LossDegraded, p.s.RTTDegraded); err != nil {
		return err
	}
	rep.Detail = fmt.Sprintf("%d of %d replies, average %s", st.PacketsRecv, st.PacketsSent, roundRTT(st.AvgRtt))
	return nil
}

// resolveHost returns the target's address, preferring IPv4.
func resolveHost(ctx context.Context, host string) (*net.IPAddr, error) {
	if ip := net.ParseIP(host); ip != nil {
		return &net.IPAddr{IP: ip}, nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	for _, a := range addrs {
		if a.IP.To4() != nil {
			return &a, nil
		}
	}
	return &addrs[0], nil
}

// judgePing decides the outcome from the counts: down only when every
// reply was lost, degraded when the loss ratio reaches lossDegraded (and is
// above zero) or the average round trip exceeds rttDegraded (0: off).
func judgePing(sent, recv int, avg time.Duration, lossDegraded float64, rttDegraded time.Duration) error {
	loss := lossRatio(sent, recv)
	switch {
	case recv == 0:
		return fmt.Errorf("no reply to %d echo requests", sent)
	case loss > 0 && loss >= lossDegraded:
		return Degradedf("lost %d of %d replies (%.0f%%)", sent-recv, sent, 100*loss)
	case rttDegraded > 0 && avg > rttDegraded:
		return Degradedf("average round trip %s, over %s", roundRTT(avg), rttDegraded)
	}
	return nil
}

func lossRatio(sent, recv int) float64 {
	if sent == 0 || recv >= sent {
		return 0
	}
	return float64(sent-recv) / float64(sent)
}

func roundRTT(d time.Duration) time.Duration {
	if d >= time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

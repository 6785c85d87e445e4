//go:build linux

package probe

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	probing "github.com/prometheus-community/pro-bing"
)

// pingNetns is a network namespace made for one test, joined to this host
// by a veth pair on a /30 of 198.18.0.0/15 (the range reserved for network
// tests). Only the namespace's address is ever pinged.
type pingNetns struct {
	name   string
	target string // the namespace's address
}

// newPingNetns creates the namespace or skips the test with the reason.
func newPingNetns(t *testing.T) *pingNetns {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs the ip command (iproute2)")
	}
	id := os.Getpid()%10000*10 + netnsSeq()
	n := &pingNetns{name: fmt.Sprintf("picket-probe-%d", id)}
	host, peer := fmt.Sprintf("pkp%dh", id), fmt.Sprintf("pkp%dn", id)
	sub := fmt.Sprintf("198.18.%d.%d", id/64%256, id%64*4)
	hostIP, nsIP := addrIn(sub, 1), addrIn(sub, 2)
	n.target = nsIP
	if err := run("ip", "netns", "add", n.name); err != nil {
		t.Skipf("cannot create a network namespace here: %v", err)
	}
	t.Cleanup(func() {
		_ = run("ip", "link", "del", host)
		_ = run("ip", "netns", "del", n.name)
	})
	steps := [][]string{
		{"ip", "link", "add", host, "type", "veth", "peer", "name", peer},
		{"ip", "link", "set", peer, "netns", n.name},
		{"ip", "addr", "add", hostIP + "/30", "dev", host},
		{"ip", "link", "set", host, "up"},
		{"ip", "netns", "exec", n.name, "ip", "addr", "add", nsIP + "/30", "dev", peer},
		{"ip", "netns", "exec", n.name, "ip", "link", "set", peer, "up"},
		{"ip", "netns", "exec", n.name, "ip", "link", "set", "lo", "up"},
	}
	for _, s := range steps {
		if err := run(s[0], s[1:]...); err != nil {
			t.Fatalf("setting up the namespace: %v", err)
		}
	}
	n.waitReady(t)
	return n
}

// waitReady pings the namespace until it answers: the kernel activates a
// new link's queue a moment after "ip link set up" and drops what is sent
// before. Echo replies are not rate-limited yet, so this costs no tokens.
func (n *pingNetns) waitReady(t *testing.T) {
	t.Helper()
	for range 25 {
		p := probing.New(n.target)
		p.SetPrivileged(true)
		p.SetLogger(probing.NoopLogger{})
		p.Count, p.Timeout = 1, 200*time.Millisecond
		if err := p.Run(); err == nil && p.Statistics().PacketsRecv == 1 {
			return
		}
	}
	t.Fatalf("namespace %s never answered a ping", n.name)
}

var netnsCounter = make(chan int, 1)

func init() { netnsCounter <- 0 }

// netnsSeq numbers the namespaces of this test process, 0-9.
func netnsSeq() int {
	n := <-netnsCounter
	netnsCounter <- n + 1
	return n % 10
}

// sysctl sets a sysctl inside the namespace.
func (n *pingNetns) sysctl(t *testing.T, kv string) {
	t.Helper()
	if err := run("ip", "netns", "exec", n.name, "sysctl", "-q", "-w", kv); err != nil {
		t.Fatalf("sysctl %s: %v", kv, err)
	}
}

func addrIn(sub string, host int) string {
	i := strings.LastIndex(sub, ".")
	var last int
	fmt.Sscan(sub[i+1:], &last)
	return fmt.Sprintf("%s.%d", sub[:i], last+host)
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func TestICMPNetns(t *testing.T) {
	tests := []struct {
		name     string
		sysctls  []string
		settings string
		status   Status
		reason   string
		loss     float64
	}{
		{"no loss", nil, "count: 3", StatusUp, "3 of 3 replies", 0},
		{"every reply lost", []string{"net.ipv4.icmp_echo_ignore_all=1"}, "count: 3", StatusDown, "no reply to 3 echo requests", 1},
		// Rate-limiting echo replies to one per 20s lets the kernel's
		// initial 60s of tokens through: 3 replies, then silence.
		{"one of four lost", echoRateLimit, "count: 4", StatusUp, "3 of 4 replies", 0.25},
		{"half lost", echoRateLimit, "count: 6", StatusDegraded, "lost 3 of 6 replies (50%)", 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ns := newPingNetns(t)
			for _, kv := range tt.sysctls {
				ns.sysctl(t, kv)
			}
			// Generous waits: on a busy machine a late send must not be
			// cut off and counted short.
			p := mustProber(t, "icmp", "{ping_interval: 50ms, reply_timeout: 1s, "+tt.settings+"}", ns.target)
			res := Run(context.Background(), p, Limits{Timeout: 10 * time.Second}, time.Now)
			checkResult(t, res, tt.status, tt.reason)
			if loss, ok := metric(res, "icmp_loss_ratio"); !ok || loss != tt.loss {
				t.Errorf("icmp_loss_ratio = %v, %v; want %v", loss, ok, tt.loss)
			}
		})
	}
}

// echoRateLimit makes the namespace rate-limit echo replies (type 0, bit 0
// of icmp_ratemask) to one per 20 s per destination.
var echoRateLimit = []string{"net.ipv4.icmp_ratemask=6169", "net.ipv4.icmp_ratelimit=20000"}

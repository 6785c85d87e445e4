package probe

import (
	"strings"
	"testing"
	"time"
)

func TestPingPrivileged(t *testing.T) {
	inRange := pingEnv{groupRange: "0\t2147483647\n", gids: []int{1000}}
	outOfRange := pingEnv{groupRange: "1\t0\n", gids: []int{0, 1000}}
	tests := []struct {
		name     string
		mode     string
		env      pingEnv
		wantRaw  bool
		wantFail bool
	}{
		{"auto prefers datagram", "auto", pingEnv{groupRange: "0 10", gids: []int{5}, raw: true}, false, false},
		{"auto supplementary group", "auto", pingEnv{groupRange: "100 200", gids: []int{1000, 150}}, false, false},
		{"auto falls back to raw", "auto", pingEnv{groupRange: "1 0", gids: []int{0}, raw: true}, true, false},
		{"auto neither", "auto", outOfRange, false, true},
		{"auto unreadable range", "auto", pingEnv{gids: []int{0}}, false, true},
		{"empty is auto", "", inRange, false, false},
		{"false allowed", "false", inRange, false, false},
		{"false not allowed", "false", pingEnv{groupRange: "1 0", raw: true}, false, true},
		{"true allowed", "true", pingEnv{raw: true}, true, false},
		{"true not allowed", "true", inRange, false, true},
		{"bad mode", "yes", inRange, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := pingPrivileged(tt.mode, tt.env)
			if (err != nil) != tt.wantFail || raw != tt.wantRaw {
				t.Errorf("pingPrivileged(%q) = %v, %v; want raw %v, failure %v", tt.mode, raw, err, tt.wantRaw, tt.wantFail)
			}
		})
	}
}

func TestPingPrivilegedTellsBothFixes(t *testing.T) {
	_, err := pingPrivileged("auto", pingEnv{groupRange: "1 0", binary: "/usr/bin/picket"})
	for _, fix := range []string{`net.ipv4.ping_group_range="0 2147483647"`, "setcap cap_net_raw+ep /usr/bin/picket"} {
		if err == nil || !strings.Contains(err.Error(), fix) {
			t.Errorf("error %v does not say %q", err, fix)
		}
	}
}

func TestJudgePing(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name       string
		sent, recv int
		avg        time.Duration
		loss       float64
		rtt        time.Duration
		want       Status
	}{
		{"all replies", 3, 3, ms, 0.5, 0, StatusUp},
		{"one of three lost", 3, 2, ms, 0.5, 0, StatusUp},
		{"two of three lost", 3, 1, ms, 0.5, 0, StatusDegraded},
		{"half lost", 4, 2, ms, 0.5, 0, StatusDegraded},
		{"all lost", 3, 0, 0, 0.5, 0, StatusDown},
		{"any loss degrades", 10, 9, ms, 0, 0, StatusDegraded},
		{"no loss with zero threshold", 10, 10, ms, 0, 0, StatusUp},
		{"threshold one never degrades", 3, 1, ms, 1, 0, StatusUp},
		{"slow", 3, 3, 50 * ms, 0.5, 20 * ms, StatusDegraded},
		{"fast enough", 3, 3, 10 * ms, 0.5, 20 * ms, StatusUp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := judgePing(tt.sent, tt.recv, tt.avg, tt.loss, tt.rtt)
			if got := StatusOf(err); got != tt.want {
				t.Errorf("judgePing = %s (%v), want %s", got, err, tt.want)
			}
		})
	}
}

// TestICMPNotAllowed: a process that may not ping still loads the check;
// each run is down with the reason, which says how to allow it.
func TestICMPNotAllowed(t *testing.T) {
	if readPingEnv().datagramAllowed() {
		t.Skip("unprivileged ICMP is allowed here, so privileged: false cannot be refused")
	}
	p, err := proberFor(t, "icmp", "{privileged: \"false\"}", "127.0.0.1")
	if err != nil {
		t.Fatalf("loading an icmp check this process may not run: %v; want it to load", err)
	}
	checkResult(t, runProbe(t, p), StatusDown, "ping_group_range")
}

func TestICMPLoopback(t *testing.T) {
	if _, err := pingPrivileged("auto", readPingEnv()); err != nil {
		t.Skipf("this process may not ping: %v", err)
	}
	p, err := proberFor(t, "icmp", "{count: 3, ping_interval: 50ms}", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	res := runProbe(t, p)
	checkResult(t, res, StatusUp, "3 of 3 replies")
	if loss, ok := metric(res, "icmp_loss_ratio"); !ok || loss != 0 {
		t.Errorf("icmp_loss_ratio = %v, %v; want 0", loss, ok)
	}
	if rtt, ok := metric(res, "icmp_rtt_seconds"); !ok || rtt <= 0 {
		t.Errorf("icmp_rtt_seconds = %v, %v; want > 0", rtt, ok)
	}
}

func TestICMPSettingsErrors(t *testing.T) {
	tests := []struct{ name, settings, target, field string }{
		{"host and port", "", "127.0.0.1:80", ""},
		{"url", "", "http://127.0.0.1/", ""},
		{"zero count", "count: 0", "127.0.0.1", "count"},
		{"fast interval", "ping_interval: 1ms", "127.0.0.1", "ping_interval"},
		{"zero reply timeout", "reply_timeout: 0s", "127.0.0.1", "reply_timeout"},
		{"tiny size", "size: 8", "127.0.0.1", "size"},
		{"loss over one", "loss_degraded: 1.5", "127.0.0.1", "loss_degraded"},
		{"negative rtt", "rtt_degraded: -1ms", "127.0.0.1", "rtt_degraded"},
		{"bad mode", "privileged: sometimes", "127.0.0.1", "privileged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := proberFor(t, "icmp", tt.settings, tt.target)
			checkSettingsError(t, err, tt.field)
		})
	}
}

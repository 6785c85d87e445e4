package probe

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// pingEnv is what decides which ICMP sockets this process may open.
type pingEnv struct {
	// groupRange is the content of /proc/sys/net/ipv4/ping_group_range:
	// the groups allowed to open unprivileged ICMP datagram sockets.
	groupRange string
	gids       []int // effective and supplementary group ids
	raw        bool  // CAP_NET_RAW is effective, so raw sockets work
	binary     string
}

// capNetRaw is the bit of CAP_NET_RAW in /proc/self/status's CapEff.
const capNetRaw = 13

// readPingEnv reads the environment of the running process.
func readPingEnv() pingEnv {
	env := pingEnv{gids: []int{os.Getegid()}, binary: "the picket binary"}
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range"); err == nil {
		env.groupRange = string(b)
	}
	if groups, err := os.Getgroups(); err == nil {
		env.gids = append(env.gids, groups...)
	}
	if exe, err := os.Executable(); err == nil {
		env.binary = exe
	}
	// Root in a container may lack CAP_NET_RAW, so the capability decides;
	// euid 0 only where the capabilities cannot be read.
	if caps, ok := effectiveCaps(); ok {
		env.raw = caps&(1<<capNetRaw) != 0
	} else {
		env.raw = os.Geteuid() == 0
	}
	return env
}

// effectiveCaps reads CapEff from /proc/self/status.
func effectiveCaps() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "CapEff:"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// datagramAllowed reports whether one of the process's groups lies in the
// ping_group_range, so the kernel lets it open ICMP datagram sockets.
func (e pingEnv) datagramAllowed() bool {
	f := strings.Fields(e.groupRange)
	if len(f) != 2 {
		return false
	}
	lo, err1 := strconv.ParseInt(f[0], 10, 64)
	hi, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	for _, g := range e.gids {
		if int64(g) >= lo && int64(g) <= hi {
			return true
		}
	}
	return false
}

// pingPrivileged decides the socket for mode (auto, true or false): true
// means a raw socket. auto prefers datagram sockets, which the kernel
// demultiplexes per socket, and falls back to raw ones. It fails with the
// fix when the chosen kind is not allowed.
func pingPrivileged(mode string, env pingEnv) (bool, error) {
	sysctl := `allow unprivileged ICMP with sysctl -w net.ipv4.ping_group_range="0 2147483647"`
	setcap := fmt.Sprintf("allow raw sockets with setcap cap_net_raw+ep %s (or run as root)", env.binary)
	switch mode {
	case "false":
		if !env.datagramAllowed() {
			return false, fmt.Errorf("no group of this process is in net.ipv4.ping_group_range (%s): %s",
				strings.TrimSpace(env.groupRange), sysctl)
		}
		return false, nil
	case "true":
		if !env.raw {
			return false, fmt.Errorf("raw ICMP sockets need CAP_NET_RAW: %s", setcap)
		}
		return true, nil
	case "auto", "":
		switch {
		case env.datagramAllowed():
			return false, nil
		case env.raw:
			return true, nil
		}
		return false, fmt.Errorf("this process may not send ICMP echo requests: %s, or %s", sysctl, setcap)
	}
	return false, fmt.Errorf("%q: want auto, true or false", mode)
}

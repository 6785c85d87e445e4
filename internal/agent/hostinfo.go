package agent

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/picket-monitor/picket/internal/agent/proto"
)

// hostHello describes this host for the server: name, OS (the
// distribution's name where /etc/os-release gives one), kernel release,
// architecture and cores.
func hostHello(id, version string, collectors []string) proto.Hello {
	name, _ := os.Hostname()
	return proto.Hello{V: proto.Version, Agent: id, HostInfo: proto.HostInfo{
		Hostname: name,
		OS:       osName("/etc/os-release"),
		Kernel:   kernelRelease("/proc/sys/kernel/osrelease"),
		Arch:     runtime.GOARCH, Cores: runtime.NumCPU(),
		Collectors: collectors, AgentVersion: version,
	}}
}

func osName(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return runtime.GOOS
	}
	if name := parseOSRelease(data); name != "" {
		return name
	}
	return runtime.GOOS
}

// parseOSRelease returns PRETTY_NAME of an os-release file, or "".
func parseOSRelease(data []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "PRETTY_NAME=")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			return u
		}
		return strings.Trim(v, `'"`)
	}
	return ""
}

func kernelRelease(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}

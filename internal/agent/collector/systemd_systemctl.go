package collector

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Systemctl is the UnitSource that runs one fixed command,
//
//	systemctl list-units --all --plain --no-legend --no-pager --full --output=json --type=<types>
//
// with no shell and nothing taken from input but unit types systemd
// knows. systemd 246 and later print JSON; older ones ignore --output
// for list-units and print plain columns, which are parsed as well.
type Systemctl struct {
	Path    string        // default "systemctl", looked up in PATH
	Timeout time.Duration // default 10 s
}

// Limits on what systemctl may print.
const (
	maxSystemctlOutput = 4 << 20
	maxSystemctlStderr = 512
)

// knownUnitType says whether systemd knows the unit type (systemd.unit(5)).
func knownUnitType(t string) bool {
	switch t {
	case "service", "socket", "device", "mount", "automount", "swap", "target", "path", "timer", "slice", "scope":
		return true
	}
	return false
}

// Units runs systemctl and parses what it prints. Types systemd does not
// know are left out of the command; when no type is left, nothing is
// asked. A missing systemctl is ErrNotSupported.
func (s Systemctl) Units(ctx context.Context, types []string) ([]Unit, error) {
	types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return !knownUnitType(t) })
	if len(types) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, cmp.Or(s.Timeout, 10*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, cmp.Or(s.Path, "systemctl"), "list-units", "--all", "--plain",
		"--no-legend", "--no-pager", "--full", "--output=json", "--type="+strings.Join(types, ","))
	cmd.Env = append(os.Environ(), "SYSTEMD_COLORS=0", "LC_ALL=C")
	cmd.WaitDelay = time.Second
	stdout, stderr := cappedBuffer{max: maxSystemctlOutput}, cappedBuffer{max: maxSystemctlStderr}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %w", ErrNotSupported, err)
		}
		return nil, fmt.Errorf("running systemctl: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	if stdout.over {
		return nil, fmt.Errorf("systemctl printed over %d bytes", maxSystemctlOutput)
	}
	return parseUnits(stdout.Bytes())
}

// parseUnits parses the output of systemctl list-units: a JSON array of
// objects (systemd 246 and later), or lines of plain columns UNIT LOAD
// ACTIVE SUB DESCRIPTION (older ones; a leading "●" or "*" marking a
// failed unit is skipped).
func parseUnits(data []byte) ([]Unit, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, nil
	}
	if data[0] == '[' {
		var units []Unit
		if err := json.Unmarshal(data, &units); err != nil {
			return nil, fmt.Errorf("parsing systemctl JSON: %w", err)
		}
		return slices.DeleteFunc(units, func(u Unit) bool { return u.Name == "" }), nil
	}
	var units []Unit
	for line := range bytes.Lines(data) {
		f := strings.Fields(string(line))
		if len(f) > 0 && (f[0] == "●" || f[0] == "*") {
			f = f[1:]
		}
		if len(f) == 0 {
			continue
		}
		if len(f) < 4 {
			return nil, fmt.Errorf("parsing systemctl output: short line %q", bytes.TrimSpace(line))
		}
		units = append(units, Unit{Name: f[0], Load: f[1], Active: f[2], Sub: f[3]})
	}
	return units, nil
}

// cappedBuffer keeps the first max bytes written to it and notes if
// there were more. It never fails a write, so the writer is not killed
// by a broken pipe half-way.
type cappedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

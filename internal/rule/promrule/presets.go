package promrule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/fielderr"
)

// presetDef is one row of the presets table.
type presetDef struct {
	name       string
	params     []string // the parameters it takes (yaml names)
	forDefault time.Duration
	severity   string
	build      func(p Preset, s selector) (expansion, error)
}

// expansion is what a preset's parameters give: the id's suffix, the
// PromQL, the summary template and the labels of the rule.
type expansion struct {
	suffix, expr, summary string
	labels                map[string]string
}

// freshness is how much older than its host's newest sample of the same
// kind a series may be and still count as current: the samples of one
// collection share a time, the next collection is at least a second
// later. It lets unit_failed and process_missing see a state or a process
// go away at once, while an instant selector would still return the last
// sample for the store's lookback (5 minutes).
const freshness = "0.5"

// presets is the table of presets, in the order the docs list them.
var presets = []presetDef{
	{"disk_free_below", []string{"bytes", "percent"}, time.Minute, SeverityCritical, diskFreeBelow},
	{"disk_full_within", []string{"hours", "window"}, 30 * time.Minute, SeverityWarning, diskFullWithin},
	{"memory_above", []string{"percent"}, 5 * time.Minute, SeverityWarning, memoryAbove},
	{"cpu_above", []string{"percent"}, 5 * time.Minute, SeverityWarning, cpuAbove},
	{"load_above", []string{"per_core"}, 5 * time.Minute, SeverityWarning, loadAbove},
	{"process_missing", []string{"name"}, 0, SeverityCritical, processMissing},
	{"unit_failed", []string{"unit"}, 0, SeverityCritical, unitFailed},
	{"temperature_above", []string{"celsius"}, 2 * time.Minute, SeverityWarning, temperatureAbove},
}

// PresetNames returns the names of the presets.
func PresetNames() []string {
	out := make([]string, len(presets))
	for i, d := range presets {
		out[i] = d.name
	}
	return out
}

func presetByName(name string) (presetDef, bool) {
	i := slices.IndexFunc(presets, func(d presetDef) bool { return d.name == name })
	if i < 0 {
		return presetDef{}, false
	}
	return presets[i], true
}

// The summary's place: "disk /var on web-1".
const diskOn = "disk {{ $labels.mountpoint }} on {{ $labels.host }}"

func diskFreeBelow(p Preset, s selector) (expansion, error) {
	avail := "max without (kind) (" + s.of(collector.FilesystemBytes, `kind="avail"`) + ")"
	switch {
	case p.Bytes != 0 && p.Percent != 0:
		return expansion{}, fielderr.Errorf("percent", "give bytes or percent, not both")
	case p.Bytes != 0:
		return expansion{
			suffix:  "-" + p.Bytes.String(),
			expr:    avail + " < " + strconv.FormatUint(uint64(p.Bytes), 10),
			summary: diskOn + " has {{ bytes $value }} free",
		}, nil
	case p.Percent != 0:
		size := "max without (kind) (" + s.of(collector.FilesystemBytes, `kind="size"`) + ")"
		return expansion{
			suffix:  "-" + num(p.Percent) + "pct",
			expr:    "100 * " + avail + " / " + size + " < " + num(p.Percent),
			summary: diskOn + ` has {{ printf "%.1f" $value }}% free`,
		}, checkPercent(p.Percent)
	}
	return expansion{}, fielderr.Errorf("bytes", "preset disk_free_below needs bytes (like 1GB) or percent")
}

// defaultWindow is how much history disk_full_within fits a line to;
// maxHours (ten years) is as far ahead as it looks.
const (
	defaultWindow = 6 * time.Hour
	maxHours      = 10 * 365 * 24
)

func diskFullWithin(p Preset, s selector) (expansion, error) {
	var errs []error
	if !(p.Hours > 0 && p.Hours <= maxHours) {
		errs = append(errs, fielderr.Errorf("hours", "preset disk_full_within needs hours above 0 and at most %d", maxHours))
	}
	window := p.Window
	if window == 0 {
		window = defaultWindow
	}
	if window < time.Minute || window%time.Second != 0 {
		errs = append(errs, fielderr.Errorf("window", "want whole seconds, at least 1m, got %v", window))
	}
	seconds := strconv.FormatInt(int64(p.Hours*3600), 10)
	return expansion{
		suffix: "-" + num(p.Hours) + "h",
		expr: "max without (kind) (predict_linear(" + s.of(collector.FilesystemBytes, `kind="avail"`) +
			"[" + promDuration(window) + "], " + seconds + ")) < 0",
		summary: diskOn + " will be full within " + num(p.Hours) + "h at its current rate",
	}, errors.Join(errs...)
}

func memoryAbove(p Preset, s selector) (expansion, error) {
	mem := func(kind string) string {
		return "max without (kind) (" + s.of(collector.MemoryBytes, `kind="`+kind+`"`) + ")"
	}
	return expansion{
		suffix:  "-" + num(p.Percent) + "pct",
		expr:    "100 * (1 - " + mem("available") + " / " + mem("total") + ") > " + num(p.Percent),
		summary: `memory on {{ $labels.host }} is {{ printf "%.1f" $value }}% used`,
	}, checkPercent(p.Percent)
}

func cpuAbove(p Preset, s selector) (expansion, error) {
	busy := s.of(collector.CPUPercent, `cpu="all"`, `mode!~"idle|iowait|steal"`)
	return expansion{
		suffix:  "-" + num(p.Percent) + "pct",
		expr:    "sum without (cpu, mode) (avg_over_time(" + busy + "[1m])) > " + num(p.Percent),
		summary: `CPU on {{ $labels.host }} is {{ printf "%.1f" $value }}% busy`,
	}, checkPercent(p.Percent)
}

func temperatureAbove(p Preset, s selector) (expansion, error) {
	if !(p.Celsius > 0 && p.Celsius < 1000) {
		return expansion{}, fielderr.Errorf("celsius", "preset temperature_above needs celsius above 0 and below 1000")
	}
	return expansion{
		suffix:  "-" + num(p.Celsius) + "c",
		expr:    "avg_over_time(" + s.of(collector.TemperatureCelsius) + "[1m]) > " + num(p.Celsius),
		summary: `{{ $labels.chip }} {{ $labels.sensor }} on {{ $labels.host }} is at {{ printf "%.1f" $value }} °C`,
	}, nil
}

func loadAbove(p Preset, s selector) (expansion, error) {
	if !(p.PerCore > 0 && p.PerCore < math.Inf(1)) {
		return expansion{}, fielderr.Errorf("per_core", "preset load_above needs per_core above 0")
	}
	return expansion{
		suffix: "-" + num(p.PerCore) + "x",
		expr: s.of(collector.Load5) + " > on (host) group_left () (" + num(p.PerCore) + " * " +
			s.of(collector.CPUCores) + ")",
		summary: `load on {{ $labels.host }} is {{ printf "%.2f" $value }}, above ` + num(p.PerCore) + " per core",
	}, nil
}

// maxProcessName is the longest process name the agent reports: the
// kernel's comm is cut at 15 bytes.
const maxProcessName = 15

func processMissing(p Preset, s selector) (expansion, error) {
	switch {
	case p.Name == "":
		return expansion{}, fielderr.Errorf("name", "preset process_missing needs the process name")
	case len(p.Name) > maxProcessName:
		return expansion{}, fielderr.Errorf("name", "%q is longer than the %d bytes the kernel keeps of a process name; use %q",
			p.Name, maxProcessName, p.Name[:maxProcessName])
	}
	named := s.of(collector.ProcessCount, "name="+strconv.Quote(p.Name))
	total := s.of(collector.ProcessesTotal)
	expr := fmt.Sprintf("count by (host) (%[1]s)\nunless on (host) (\n"+
		"  (%[2]s > 0)\n  and on (host)\n"+
		"  (timestamp(%[2]s) > on (host) group_left () max by (host) (timestamp(%[1]s)) - %[3]s)\n)",
		total, named, freshness)
	return expansion{
		suffix:  "-" + p.Name,
		expr:    expr,
		summary: "no process named {{ $labels.process }} is running on {{ $labels.host }}",
		labels:  map[string]string{"process": p.Name},
	}, nil
}

func unitFailed(p Preset, s selector) (expansion, error) {
	unit, suffix := p.Unit, ""
	var match []string
	if unit != "" {
		if !strings.Contains(unit, ".") {
			unit += ".service" // as systemctl reads a bare name
		}
		match, suffix = []string{"unit=" + strconv.Quote(unit)}, "-"+unit
	}
	failed := s.of(collector.SystemdUnitState, append([]string{`state="failed"`}, match...)...)
	expr := fmt.Sprintf("%[1]s\nand on (host, unit)\n"+
		"(timestamp(%[1]s) > on (host) group_left () max by (host) (timestamp(%[2]s)) - %[3]s)",
		failed, s.of(collector.SystemdUnitState), freshness)
	return expansion{
		suffix:  suffix,
		expr:    expr,
		summary: "systemd unit {{ $labels.unit }} failed on {{ $labels.host }}",
	}, nil
}

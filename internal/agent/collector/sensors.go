package collector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The sensors collector reads the kernel's hardware monitors under
// /sys/class/hwmon and emits TemperatureCelsius for every temperature
// input: label chip (the monitor's name file, such as coretemp, k10temp,
// nvme or acpitz, made unique with its number when two share it) and
// sensor (the input's label file, such as "Package id 0" or "Core 3", or
// its file name, temp1). The kernel gives millidegrees; values are
// rounded to 1/16 °C. A host without monitors (most virtual machines)
// has nothing to measure: ErrNotSupported.
//
// The inputs are found again every rescanEvery collections, so a module
// loaded later (or a disk plugged in) shows up without a restart.

// rescanEvery is how many collections use the inputs found before the
// monitors are listed again.
const rescanEvery = 60

// sensorInput is one temperature input file and its labels.
type sensorInput struct {
	path         string
	chip, sensor string
}

type sensorsCollector struct {
	root string // /sys/class/hwmon

	mu     sync.Mutex // serializes Collect; protects the fields below
	inputs []sensorInput
	left   int // collections before the next scan
	file   fileBuffer
	labels [2]Label
}

// NewSensors returns the hardware temperature collector reading p's
// /sys/class/hwmon.
func NewSensors(p Paths) Collector {
	return &sensorsCollector{root: p.SysPath("class", "hwmon")}
}

func (c *sensorsCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.left <= 0 {
		inputs, err := scanHwmon(c.root)
		if err != nil {
			return err
		}
		c.inputs, c.left = inputs, rescanEvery
	}
	c.left--
	if len(c.inputs) == 0 {
		return fmt.Errorf("%w: no temperature inputs under %s", ErrNotSupported, c.root)
	}
	for _, in := range c.inputs {
		data, err := c.file.read(in.path)
		if err != nil {
			continue // a sensor that stopped answering (a drive spun down); the others still count
		}
		mdeg, err := strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64)
		if err != nil {
			continue
		}
		c.labels = [2]Label{{"chip", in.chip}, {"sensor", in.sensor}}
		emit(Sample{Name: TemperatureCelsius, Labels: c.labels[:], Value: roundBinary(float64(mdeg)/1000, 4)})
	}
	return nil
}

// scanHwmon lists the temperature inputs of every monitor under root,
// in a stable order.
func scanHwmon(root string) ([]sensorInput, error) {
	mons, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrNotSupported, err)
	}
	if err != nil {
		return nil, err
	}
	var inputs []sensorInput
	chips := map[string]int{}
	for _, m := range mons {
		dir := root + "/" + m.Name()
		chip := readTrimmed(dir+"/name", m.Name())
		if chips[chip]++; chips[chip] > 1 {
			chip += "-" + strings.TrimPrefix(m.Name(), "hwmon")
		}
		inputs = append(inputs, monitorInputs(dir, chip)...)
	}
	return inputs, nil
}

// monitorInputs lists the tempN_input files of one monitor directory,
// ordered by N.
func monitorInputs(dir, chip string) []sensorInput {
	files, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var inputs []sensorInput
	for _, f := range files {
		base, ok := strings.CutSuffix(f.Name(), "_input")
		if !ok || !strings.HasPrefix(base, "temp") {
			continue
		}
		inputs = append(inputs, sensorInput{path: dir + "/" + f.Name(), chip: chip,
			sensor: readTrimmed(dir+"/"+base+"_label", base)})
	}
	slices.SortFunc(inputs, func(a, b sensorInput) int { return compareNumbered(a.path, b.path) })
	return inputs
}

// compareNumbered orders temp2_input before temp10_input.
func compareNumbered(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// readTrimmed returns the trimmed contents of a small sysfs file, or def
// when it cannot be read or is empty.
func readTrimmed(path, def string) string {
	data, err := os.ReadFile(path)
	if s := strings.TrimSpace(string(data)); err == nil && s != "" {
		return s
	}
	return def
}

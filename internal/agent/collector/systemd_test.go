package collector

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// systemdFixture is what testdata/systemd/list-units.json lists.
func systemdFixture() []Unit {
	return []Unit{
		{"-.mount", "loaded", "active", "mounted"},
		{"boot-efi.mount", "loaded", "active", "mounted"},
		{"tmp.mount", "not-found", "inactive", "dead"},
		{"apt-daily.timer", "loaded", "active", "waiting"},
		{"cron.service", "loaded", "activating", "start"},
		{"ghost.service", "not-found", "failed", "failed"},
		{"masked.service", "masked", "inactive", "dead"},
		{"nginx.service", "loaded", "active", "running"},
		{"postgresql@15-main.service", "loaded", "failed", "failed"},
		{`systemd-fsck@dev-disk-by\x2duuid-12AB.service`, "loaded", "inactive", "dead"},
		{"dev-vda1.device", "loaded", "active", "plugged"},
		{"session-3.scope", "loaded", "active", "running"},
	}
}

func TestParseUnits(t *testing.T) {
	t.Parallel()
	fixture := systemdFixture()
	tests := []struct {
		name    string
		file    string
		want    []Unit
		wantErr bool
	}{
		{name: "json", file: "list-units.json", want: fixture},
		{name: "plain columns of old systemd", file: "list-units.txt", want: []Unit{
			fixture[0], fixture[3], fixture[5], fixture[7], fixture[8], fixture[9],
		}},
		{name: "truncated json", file: "truncated.json", wantErr: true},
		{name: "short line", file: "short-line.txt", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseUnits(processFixture(t, filepath.Join("testdata/systemd", tt.file)))
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseUnits() error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseUnits() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got, err := parseUnits([]byte("\n")); err != nil || got != nil {
		t.Errorf("parseUnits(empty) = %v, %v; want nothing", got, err)
	}
}

// fakeUnits is a UnitSource that counts its calls.
type fakeUnits struct {
	units []Unit
	err   error
	calls int
	types []string
}

func (f *fakeUnits) Units(_ context.Context, types []string) ([]Unit, error) {
	f.calls++
	f.types = types
	return slices.Clone(f.units), f.err
}

func systemdSamples(t *testing.T, c Collector) ([]Sample, error) {
	t.Helper()
	var got []Sample
	err := c.Collect(t.Context(), func(s Sample) {
		s.Labels = slices.Clone(s.Labels)
		got = append(got, s)
	})
	return got, err
}

func unitState(unit, state string) Sample {
	return Sample{SystemdUnitState, []Label{{"unit", unit}, {"state", state}}, 1}
}

func TestSystemdCollect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		types []string
		want  []Sample
	}{
		{name: "default types", want: []Sample{
			unitState("-.mount", "active"),
			unitState("apt-daily.timer", "active"),
			unitState("boot-efi.mount", "active"),
			unitState("cron.service", "activating"),
			unitState("ghost.service", "failed"),
			unitState("nginx.service", "active"),
			unitState("postgresql@15-main.service", "failed"),
			unitState(`systemd-fsck@dev-disk-by\x2duuid-12AB.service`, "inactive"),
		}},
		{name: "chosen types", types: []string{"scope", "timer"}, want: []Sample{
			unitState("apt-daily.timer", "active"),
			unitState("session-3.scope", "active"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := &fakeUnits{units: systemdFixture()}
			c := &Systemd{Source: src, Booted: t.TempDir(), Types: tt.types}
			got, err := systemdSamples(t, c)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Collect() mismatch (-want +got):\n%s", diff)
			}
			if tt.types != nil && !slices.Equal(src.types, tt.types) {
				t.Errorf("source asked for types %v, want %v", src.types, tt.types)
			}
		})
	}
}

// TestSystemdCollectEvery checks that systemd is asked at most every
// Every, also after a failure, and that Collect repeats the last list
// in between.
func TestSystemdCollectEvery(t *testing.T) {
	t.Parallel()
	src := &fakeUnits{units: systemdFixture()[7:8]}
	now := time.Unix(testBtime, 0)
	c := &Systemd{Source: src, Booted: t.TempDir(), now: func() time.Time { return now }}
	steps := []struct {
		after     time.Duration
		err       error
		wantCalls int
		wantN     int
		wantErr   bool
	}{
		{after: 0, wantCalls: 1, wantN: 1},
		{after: 14 * time.Second, wantCalls: 1, wantN: 1},
		{after: time.Second, err: errors.New("bus gone"), wantCalls: 2, wantErr: true},
		{after: time.Second, wantCalls: 2, wantN: 0},
		{after: 15 * time.Second, wantCalls: 3, wantN: 1},
	}
	for i, st := range steps {
		now = now.Add(st.after)
		src.err = st.err
		got, err := systemdSamples(t, c)
		if (err != nil) != st.wantErr || src.calls != st.wantCalls || len(got) != st.wantN {
			t.Errorf("step %d: Collect() = %d samples, error %v, %d calls; want %d, error %v, %d calls",
				i, len(got), err, src.calls, st.wantN, st.wantErr, st.wantCalls)
		}
	}
}

func TestSystemdNotBooted(t *testing.T) {
	t.Parallel()
	src := &fakeUnits{units: systemdFixture()}
	c := &Systemd{Source: src, Booted: filepath.Join(t.TempDir(), "missing")}
	if _, err := systemdSamples(t, c); !errors.Is(err, ErrNotSupported) {
		t.Errorf("Collect() error = %v, want ErrNotSupported", err)
	}
	if src.calls != 0 {
		t.Errorf("source called %d times without systemd", src.calls)
	}
}

func TestFilterUnitsBounded(t *testing.T) {
	t.Parallel()
	units := make([]Unit, 0, maxSystemdUnits+10)
	for i := range cap(units) {
		units = append(units, Unit{Name: time.Duration(i).String() + ".service", Load: "loaded", Active: "active"})
	}
	units = append(units, units[0]) // listed twice
	if got := filterUnits(units, DefaultUnitTypes()); len(got) != maxSystemdUnits {
		t.Errorf("filterUnits() kept %d units, want %d", len(got), maxSystemdUnits)
	}
}

// TestSystemdRealHost runs the collector as the agent would. Without
// systemd (containers, CI) it must say ErrNotSupported.
func TestSystemdRealHost(t *testing.T) {
	t.Parallel()
	got, err := systemdSamples(t, NewSystemd(Paths{}))
	if errors.Is(err, ErrNotSupported) {
		t.Skipf("no systemd here: %v", err)
	}
	if err != nil {
		t.Fatalf("Collect() error = %v", err)
	}
	for _, s := range got {
		if s.Name != SystemdUnitState || len(s.Labels) != 2 || s.Labels[0].Value == "" || s.Labels[1].Value == "" {
			t.Errorf("odd sample %+v", s)
		}
	}
}

package collector

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// processSamples runs Collect and returns copies of the samples.
func processSamples(t *testing.T, s *ProcessScanner) []Sample {
	t.Helper()
	var got []Sample
	err := s.Collect(t.Context(), func(x Sample) {
		x.Labels = slices.Clone(x.Labels)
		got = append(got, x)
	})
	if err != nil {
		t.Fatalf("Collect() error = %v", err)
	}
	return got
}

// processNamed returns the three samples Collect emits for one name.
func processNamed(name string, count, cpu float64, rss uint64) []Sample {
	l := []Label{{"name", name}}
	return []Sample{{ProcessCount, l, count}, {ProcessCPUPercent, l, cpu}, {ProcessRSSBytes, l, float64(rss)}}
}

func TestProcessCollect(t *testing.T) {
	t.Parallel()
	page := uint64(os.Getpagesize())
	tests := []struct {
		name     string
		maxNames int
		want     [][]Sample
	}{
		{
			name: "every name",
			want: [][]Sample{
				processNamed("[kernel]", 2, 0, 0),
				processNamed("bash", 1, 0, 1093*page),
				processNamed("defunct-child", 1, 0, 0),
				processNamed("nginx", 1, 0, 2000*page),
				processNamed("systemd", 1, 0.375, 3200*page), // 0.4 % in the table, to 1/16 here
				processNamed("tmux: (server)", 1, 20, 900*page),
				{{ProcessesTotal, nil, 7}},
			},
		},
		{
			name:     "bounded",
			maxNames: 2,
			want: [][]Sample{
				processNamed("nginx", 1, 0, 2000*page),
				processNamed("other", 5, 20, (1093+900)*page),
				processNamed("systemd", 1, 0.375, 3200*page),
				{{ProcessesTotal, nil, 7}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := processTestScanner(processTree(t, 1, 2, 45, 777, 1028, 1234, 4321))
			s.MaxNames = tt.maxNames
			s.now = func() time.Time { return processAt(1100) }
			if diff := cmp.Diff(slices.Concat(tt.want...), processSamples(t, s)); diff != "" {
				t.Errorf("Collect() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProcessCollectReusesScans checks that Collect scans at most every
// Every, and that the events its scans notice reach the next Scan.
func TestProcessCollectReusesScans(t *testing.T) {
	t.Parallel()
	root := processTree(t, 1, 777)
	s := processTestScanner(root)
	now := processAt(1100)
	s.now = func() time.Time { return now }
	processSamples(t, s)
	if err := os.CopyFS(filepath.Join(root, "555"), os.DirFS("testdata/proc/555")); err != nil {
		t.Fatal(err)
	}
	count := func(ss []Sample) float64 { return ss[len(ss)-1].Value }
	now = processAt(1104)
	if got := count(processSamples(t, s)); got != 2 {
		t.Errorf("Collect() within Every counted %v processes, want the 2 of the earlier scan", got)
	}
	now = processAt(1105)
	if got := count(processSamples(t, s)); got != 3 {
		t.Errorf("Collect() after Every counted %v processes, want 3", got)
	}
	_, events, err := s.Scan(t.Context(), processAt(1106))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Kind != ProcessBirth || events[0].Process.PID != 555 {
		t.Errorf("Scan() events = %+v, want the birth of 555 that Collect saw", events)
	}
}

// TestProcessScanRealProc watches a child start and end through the real
// /proc of this machine.
func TestProcessScanRealProc(t *testing.T) {
	t.Parallel()
	s := NewProcessScanner(Paths{})
	before := time.Now()
	table, _, err := s.Scan(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	self, ok := processFind(table, os.Getpid())
	if !ok {
		t.Fatalf("own pid %d not in the table", os.Getpid())
	}
	if self.RSS == 0 || self.Threads < 1 || self.OpenFiles < 1 || self.User == "" ||
		self.Start.After(before) || self.Start.Before(before.Add(-24*time.Hour*365)) || self.CPUPercent < 0 {
		t.Errorf("own process looks wrong: %+v", self)
	}

	child := exec.Command("sleep", "30")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	_, events, err := s.Scan(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	born, ok := processEventOf(events, ProcessBirth, child.Process.Pid)
	if !ok || born.Process.Cmdline != "sleep 30" || born.Process.Name != "sleep" {
		t.Fatalf("Scan() after starting sleep: birth = %+v (found %v), want sleep 30", born, ok)
	}

	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	_, events, err = s.Scan(t.Context(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	died, ok := processEventOf(events, ProcessDeath, child.Process.Pid)
	if !ok || died.Process.Cmdline != "sleep 30" {
		t.Errorf("Scan() after killing sleep: death = %+v (found %v), want sleep 30", died, ok)
	}
}

func processFind(table []Process, pid int) (Process, bool) {
	i := slices.IndexFunc(table, func(p Process) bool { return p.PID == pid })
	if i < 0 {
		return Process{}, false
	}
	return table[i], true
}

func processEventOf(events []ProcessEvent, kind string, pid int) (ProcessEvent, bool) {
	i := slices.IndexFunc(events, func(e ProcessEvent) bool { return e.Kind == kind && e.Process.PID == pid })
	if i < 0 {
		return ProcessEvent{}, false
	}
	return events[i], true
}

// BenchmarkProcessScan measures a steady-state scan of this machine's
// /proc, what the agent pays every 5 s.
func BenchmarkProcessScan(b *testing.B) {
	s := NewProcessScanner(Paths{})
	if _, _, err := s.Scan(b.Context(), time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.mu.Lock()
		err := s.scanLocked(b.Context(), time.Now())
		s.pending = s.pending[:0]
		s.mu.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s.procs)), "processes")
}

// BenchmarkProcessScanTable is BenchmarkProcessScan through the public
// Scan, which also copies out the table.
func BenchmarkProcessScanTable(b *testing.B) {
	s := NewProcessScanner(Paths{})
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.Scan(b.Context(), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessCollect measures a Collect that scans.
func BenchmarkProcessCollect(b *testing.B) {
	s := NewProcessScanner(Paths{})
	s.Every = time.Nanosecond
	emit := func(Sample) {}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Collect(b.Context(), emit); err != nil {
			b.Fatal(err)
		}
	}
}

package host_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/host"
)

func proc(pid int, name string, start time.Time) collector.Process {
	return collector.Process{PID: pid, PPID: 1, Name: name, Cmdline: "/usr/bin/" + name, User: "root",
		State: "sleeping", Start: start}
}

func event(kind string, at time.Time, p collector.Process) collector.ProcessEvent {
	return collector.ProcessEvent{Kind: kind, Time: at, Process: p}
}

func pids(t host.ProcessTable) []int {
	var out []int
	for _, p := range t.Processes {
		out = append(out, p.PID)
	}
	return out
}

func TestProcs(t *testing.T) {
	r, _ := newRegistry(t, host.Options{})
	boot := t0.Add(-time.Hour)
	scan1, scan2, scan3 := t0, t0.Add(5*time.Second), t0.Add(10*time.Second)
	nginx, cron := proc(30, "nginx", boot), proc(20, "cron", boot)

	r.Procs("web", host.Procs{Time: scan1, Table: []collector.Process{nginx, proc(1, "init", boot), cron}})
	// Events only: a birth, a death of the process as known, and a death
	// of an older process with pid 1 (not the one in the table).
	sleep := proc(40, "sleep", scan2)
	r.Procs("web", host.Procs{Time: scan2, Events: []collector.ProcessEvent{
		event(collector.ProcessBirth, scan2, sleep),
		event(collector.ProcessDeath, scan2, cron),
		event(collector.ProcessDeath, scan2, proc(1, "init", boot.Add(-time.Hour))),
	}})
	table, ok := r.Processes("web")
	if !ok {
		t.Fatal("Processes(web) not found")
	}
	if diff := cmp.Diff([]int{1, 30, 40}, pids(table)); diff != "" {
		t.Errorf("pids after events (-want +got):\n%s", diff)
	}
	if table.Time == nil || !table.Time.Equal(scan2) {
		t.Errorf("table time = %v, want %v", table.Time, scan2)
	}

	// A whole table replaces the one kept.
	r.Procs("web", host.Procs{Time: scan3, Table: []collector.Process{nginx},
		Events: []collector.ProcessEvent{event(collector.ProcessDeath, scan3, sleep)}})
	table, _ = r.Processes("web")
	if diff := cmp.Diff([]int{30}, pids(table)); diff != "" {
		t.Errorf("pids after a table (-want +got):\n%s", diff)
	}

	tests := []struct {
		name  string
		since time.Time
		limit int
		want  []uint64
	}{
		{"all", time.Time{}, 0, []uint64{1, 2, 3, 4}},
		{"after scan2", scan2, 0, []uint64{4}},
		{"newest two", time.Time{}, 2, []uint64{3, 4}},
		{"after the last", scan3, 0, []uint64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, ok := r.Events("web", tt.since, tt.limit)
			if !ok {
				t.Fatal("Events(web) not found")
			}
			seqs := []uint64{}
			for _, e := range evs {
				seqs = append(seqs, e.Seq)
			}
			if diff := cmp.Diff(tt.want, seqs); diff != "" {
				t.Errorf("seqs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProcsBounds(t *testing.T) {
	r, _ := newRegistry(t, host.Options{MaxEvents: 3})
	long := proc(9, "java", t0)
	long.Cmdline = strings.Repeat("é", host.MaxCmdline) // 2 bytes each: cut inside a rune
	r.Procs("web", host.Procs{Time: t0, Table: []collector.Process{long}})
	for i := range 5 {
		r.Procs("web", host.Procs{Time: t0.Add(time.Duration(i) * time.Second),
			Events: []collector.ProcessEvent{event(collector.ProcessBirth, t0.Add(time.Duration(i)*time.Second), proc(100+i, "x", t0))}})
	}
	table, _ := r.Processes("web")
	if got := table.Processes[0].Cmdline; len(got) != host.MaxCmdline || !strings.HasPrefix(long.Cmdline, got) {
		t.Errorf("command line of %d bytes kept as %d bytes", len(long.Cmdline), len(got))
	}
	evs, _ := r.Events("web", time.Time{}, 0)
	var seqs []uint64
	for _, e := range evs {
		seqs = append(seqs, e.Seq)
	}
	if diff := cmp.Diff([]uint64{3, 4, 5}, seqs); diff != "" {
		t.Errorf("kept events (-want +got):\n%s", diff)
	}
}

package collector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// processTree copies the named testdata/proc/<pid> directories into a
// temporary /proc tree with a /proc/stat giving testBtime, and returns
// its root.
func processTree(t *testing.T, pids ...int) string {
	t.Helper()
	root := t.TempDir()
	for _, pid := range pids {
		dir := strconv.Itoa(pid)
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join("testdata/proc", dir))); err != nil {
			t.Fatal(err)
		}
	}
	processWriteFile(t, filepath.Join(root, "stat"), fmt.Sprintf("cpu  1 2 3 4\nbtime %d\nprocesses 9\n", testBtime))
	return root
}

func processWriteFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pidStatLine is a /proc/<pid>/stat line with the fields the scanner
// reads; the others are zero.
func pidStatLine(pid int, comm string, state byte, ppid int, utime, stime, start uint64) string {
	return fmt.Sprintf("%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %d %d 0 0 20 0 1 0 %d 1000 250 0 0 0\n",
		pid, comm, state, ppid, pid, pid, utime, stime, start)
}

func processTestScanner(root string) *ProcessScanner {
	s := NewProcessScanner(Paths{Proc: root})
	s.Passwd = "testdata/etc/passwd"
	return s
}

// at is the test boot time plus seconds.
func processAt(seconds float64) time.Time {
	return time.Unix(testBtime, 0).Add(time.Duration(seconds * float64(time.Second)))
}

func TestProcessScanTestdata(t *testing.T) {
	t.Parallel()
	s := processTestScanner(processTree(t, 1, 2, 45, 777, 1028, 1234, 4321))
	table, events, err := s.Scan(t.Context(), processAt(1100))
	if err != nil {
		t.Fatal(err)
	}
	page := uint64(os.Getpagesize())
	want := []Process{
		{PID: 1, Name: "systemd", Cmdline: "/sbin/init splash", User: "root", State: "sleeping",
			CPUPercent: 0.4, RSS: 3200 * page, Threads: 1, OpenFiles: 4, Start: processAt(0.08)},
		{PID: 2, Name: "kthreadd", Cmdline: "[kthreadd]", User: "root", State: "sleeping",
			Threads: 1, Start: processAt(0.08)},
		{PID: 45, PPID: 2, Name: "kworker/0:1-events", Cmdline: "[kworker/0:1-events]", User: "root",
			State: "idle", Threads: 1, Start: processAt(1.2)},
		{PID: 777, PPID: 1, Name: "tmux: (server)", Cmdline: "tmux new-session -d", User: "alice",
			State: "sleeping", CPUPercent: 20, RSS: 900 * page, Threads: 3, OpenFiles: 7, Start: processAt(1000)},
		{PID: 1028, PPID: 1027, Name: "bash", Cmdline: "bash /dev/fd/3", User: "root", State: "sleeping",
			RSS: 1093 * page, Threads: 1, OpenFiles: 5, Start: processAt(22.08)},
		// Its fd "directory" is a file: the stand-in for one an unprivileged agent may not read.
		{PID: 1234, PPID: 1, Name: "nginx", Cmdline: "nginx: worker process", User: "www-data",
			State: "sleeping", RSS: 2000 * page, Threads: 1, OpenFiles: -1, Start: processAt(50)},
		{PID: 4321, PPID: 1234, Name: "defunct-child", Cmdline: "[defunct-child]", User: "1001",
			State: "zombie", Threads: 1, Start: processAt(60)},
	}
	if diff := cmp.Diff(want, table); diff != "" {
		t.Errorf("Scan() table mismatch (-want +got):\n%s", diff)
	}
	if len(events) != 0 {
		t.Errorf("first Scan() events = %v, want none", events)
	}
}

func TestProcessScanBirthsAndDeaths(t *testing.T) {
	t.Parallel()
	root := processTree(t, 1, 777, 1234, 4321)
	s := processTestScanner(root)
	first, _, err := s.Scan(t.Context(), processAt(1100))
	if err != nil {
		t.Fatal(err)
	}
	// Between the scans: 4321 is reaped, pid 1234 is reused by another
	// program, 555 starts, and 777 uses 1.5 s of CPU in 5 s.
	if err := os.RemoveAll(filepath.Join(root, "4321")); err != nil {
		t.Fatal(err)
	}
	processWriteFile(t, filepath.Join(root, "1234/stat"), pidStatLine(1234, "php-fpm", 'S', 1, 7, 3, 108000))
	processWriteFile(t, filepath.Join(root, "1234/cmdline"), "php-fpm: pool www\x00")
	if err := os.CopyFS(filepath.Join(root, "555"), os.DirFS("testdata/proc/555")); err != nil {
		t.Fatal(err)
	}
	processWriteFile(t, filepath.Join(root, "777/stat"), pidStatLine(777, "tmux: (server)", 'S', 1, 1600, 550, 100000))

	table, events, err := s.Scan(t.Context(), processAt(1105))
	if err != nil {
		t.Fatal(err)
	}
	byPID := func(pid int, in []Process) Process {
		for _, p := range in {
			if p.PID == pid {
				return p
			}
		}
		t.Fatalf("pid %d not in table", pid)
		return Process{}
	}
	want := []ProcessEvent{
		{ProcessDeath, processAt(1105), byPID(1234, first)},
		{ProcessDeath, processAt(1105), byPID(4321, first)},
		{ProcessBirth, processAt(1105), byPID(555, table)},
		{ProcessBirth, processAt(1105), byPID(1234, table)},
	}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("second Scan() events mismatch (-want +got):\n%s", diff)
	}
	if got := byPID(1234, table).Cmdline; got != "php-fpm: pool www" {
		t.Errorf("reused pid 1234 cmdline = %q, want the new program's", got)
	}
	if got := byPID(777, table).CPUPercent; got != 30 {
		t.Errorf("777 CPUPercent = %v, want 30 (150 ticks in 5 s)", got)
	}
	if got := byPID(555, table).Cmdline; got != "sleep 30" {
		t.Errorf("555 cmdline = %q, want %q", got, "sleep 30")
	}
}

func TestProcessScanExecAndVanished(t *testing.T) {
	t.Parallel()
	root := processTree(t, 777)
	s := processTestScanner(root)
	if _, _, err := s.Scan(t.Context(), processAt(1100)); err != nil {
		t.Fatal(err)
	}
	// 777 execs vim (same pid and start: not a birth); 900 has a directory
	// but processVanished before its stat could be read; 901 processVanished before its
	// fd directory was counted.
	processWriteFile(t, filepath.Join(root, "777/stat"), pidStatLine(777, "vim", 'S', 1, 1500, 500, 100000))
	processWriteFile(t, filepath.Join(root, "777/cmdline"), "vim\x00notes.txt\x00")
	for _, dir := range []string{"900", "901"} {
		if err := os.Mkdir(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	processWriteFile(t, filepath.Join(root, "901/stat"), pidStatLine(901, "gone", 'R', 1, 0, 0, 109000))

	table, events, err := s.Scan(t.Context(), processAt(1105))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 0 {
		t.Errorf("Scan() events = %v, want none", events)
	}
	if len(table) != 1 || table[0].Name != "vim" || table[0].Cmdline != "vim notes.txt" {
		t.Errorf("Scan() table = %+v, want only 777 as vim", table)
	}
}

func TestProcessScanFdPermission(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads any directory; TestProcessScanTestdata covers an unreadable fd with a file")
	}
	root := processTree(t, 777)
	fd := filepath.Join(root, "777/fd")
	if err := os.Chmod(fd, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(fd, 0o755) })
	table, _, err := processTestScanner(root).Scan(t.Context(), processAt(1100))
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != 1 || table[0].OpenFiles != -1 {
		t.Errorf("Scan() table = %+v, want 777 with OpenFiles -1", table)
	}
}

func TestProcessScanErrors(t *testing.T) {
	t.Parallel()
	noBtime := processTree(t, 777)
	processWriteFile(t, filepath.Join(noBtime, "stat"), "cpu  1 2 3 4\n")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		root string
	}{
		{"no proc", t.Context(), filepath.Join(t.TempDir(), "missing")},
		{"no btime", t.Context(), noBtime},
		{"cancelled", cancelled, processTree(t, 777)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := processTestScanner(tt.root).Scan(tt.ctx, processAt(1100)); err == nil {
				t.Error("Scan() error = nil, want one")
			}
		})
	}
}

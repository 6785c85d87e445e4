package collector

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParsePidStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string // under testdata/proc, or
		data    string
		want    pidStat
		wantErr bool
	}{
		{
			name: "real bash",
			file: "1028/stat",
			want: pidStat{pid: 1028, ppid: 1027, comm: []byte("bash"), state: 'S', flags: 4194560,
				ticks: 36, threads: 1, startTicks: 2208, rssPages: 1093},
		},
		{
			name: "kernel thread",
			file: "45/stat",
			want: pidStat{pid: 45, ppid: 2, comm: []byte("kworker/0:1-events"), state: 'I', flags: 69238880,
				ticks: 40, threads: 1, startTicks: 120},
		},
		{
			name: "name with spaces and parentheses, negative nice",
			file: "777/stat",
			want: pidStat{pid: 777, ppid: 1, comm: []byte("tmux: (server)"), state: 'S', flags: 4194304,
				ticks: 2000, threads: 3, startTicks: 100000, rssPages: 900},
		},
		{name: "empty", data: "", wantErr: true},
		{name: "no name", data: "12 S 1 2 3", wantErr: true},
		{name: "cut short", data: "12 (x) S 1 12 12 0 -1 0 0 0 0 0 5 6", wantErr: true},
		{name: "bad number", data: "12 (x) S one 12 12 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 8 0 0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := []byte(tt.data)
			if tt.file != "" {
				data = processFixture(t, "testdata/proc/"+tt.file)
			}
			got, err := parsePidStat(data)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parsePidStat() error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(pidStat{})); diff != "" {
				t.Errorf("parsePidStat() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStatusUID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		data   string
		want   uint32
		wantOK bool
	}{
		{name: "real", data: string(processFixture(t, "testdata/proc/1028/status")), want: 0, wantOK: true},
		{name: "www-data", data: string(processFixture(t, "testdata/proc/1234/status")), want: 33, wantOK: true},
		{name: "real differs from effective", data: "Name:\tsu\nUid:\t1000\t0\t0\t0\n", want: 1000, wantOK: true},
		{name: "no uid line", data: "Name:\tx\nGid:\t0\t0\t0\t0\n"},
		{name: "garbage", data: "Name:\tx\nUid:\tabc\n"},
		{name: "too big", data: "Name:\tx\nUid:\t99999999999\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseStatusUID([]byte(tt.data))
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("parseStatusUID() = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestCleanCmdline(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, data, want string }{
		{"arguments", "sleep\x0030\x00", "sleep 30"},
		{"empty", "", ""},
		{"rewritten title with padding", "nginx: worker process\x00\x00\x00   ", "nginx: worker process"},
		{"empty argument kept", "a\x00\x00b\x00", "a  b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := cleanCmdline([]byte(tt.data)); got != tt.want {
				t.Errorf("cleanCmdline(%q) = %q, want %q", tt.data, got, tt.want)
			}
		})
	}
}

func TestParseStatBtime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		data    string
		want    int64
		wantErr bool
	}{
		{name: "found", data: "cpu  1 2 3\nintr 5\nctxt 9\nbtime 1795292275\nprocesses 30\n", want: 1795292275},
		{name: "missing", data: "cpu  1 2 3\n", wantErr: true},
		{name: "malformed", data: "btime soon\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseStatBtime([]byte(tt.data))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseStatBtime() = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParsePasswd(t *testing.T) {
	t.Parallel()
	got := parsePasswd(processFixture(t, "testdata/etc/passwd"))
	want := map[uint32]string{0: "root", 1: "daemon", 33: "www-data", 1000: "alice"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsePasswd() mismatch (-want +got):\n%s", diff)
	}
}

func TestUserTableFallsBackToNumbers(t *testing.T) {
	t.Parallel()
	u := userTable{path: t.TempDir() + "/missing"}
	u.refresh(time.Unix(testBtime, 0))
	if got := u.name(0); got != "0" {
		t.Errorf("name(0) without a passwd file = %q, want %q", got, "0")
	}
}

// testBtime is the boot time of the test /proc trees, in seconds since
// the epoch.
const testBtime = 1700000000

func processFixture(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func BenchmarkParsePidStat(b *testing.B) {
	data, err := os.ReadFile("testdata/proc/1028/stat")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parsePidStat(data); err != nil {
			b.Fatal(err)
		}
	}
}

package collector

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// fakeStatfs answers statfs from tables and blocks on the mount points
// in hang until their channel is closed.
type fakeStatfs struct {
	stats map[string]fsStats
	errs  map[string]error
	hang  map[string]chan struct{}

	mu    sync.Mutex // protects calls
	calls map[string]int
}

func (f *fakeStatfs) statfs(mp string) (fsStats, error) {
	f.mu.Lock()
	f.calls[mp]++
	f.mu.Unlock()
	if ch, ok := f.hang[mp]; ok {
		<-ch
	}
	return f.stats[mp], f.errs[mp]
}

func (f *fakeStatfs) callsOf(mp string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[mp]
}

// serverStatfs answers for the mounts of testdata/filesystem/server.
func serverStatfs() *fakeStatfs {
	return &fakeStatfs{
		stats: map[string]fsStats{
			"/":           {4096, 1000000, 400000, 350000, 65536, 60000},
			"/boot/efi":   {512, 1048576, 1000000, 1000000, 0, 0}, // vfat: no inodes
			"/mnt/backup": {1048576, 1000, 10, 10, 100, 50},
			"/data":       {4096, 2000000, 1000000, 1000000, 0, 0}, // btrfs: no inodes
			"/mnt/usb":    {4096, 1000, 500, 500, 0, 0},
			// "/mnt/my disk" answers zero blocks, as a virtual filesystem would
		},
		errs: map[string]error{
			"/home":      syscall.EACCES, // out of the agent's reach: quiet
			"/mnt/sshfs": syscall.EIO,
		},
		hang:  map[string]chan struct{}{},
		calls: map[string]int{},
	}
}

// newTestFilesystem returns the collector reading testdata/mountinfo
// through a fake statfs.
func newTestFilesystem(t *testing.T, mountinfo string, fake *fakeStatfs) *filesystemCollector {
	t.Helper()
	root := procRoot(t, map[string]string{"self/mountinfo": mountinfo})
	c := NewFilesystem(Paths{Proc: root}).(*filesystemCollector)
	c.statfs = fake.statfs
	return c
}

func TestFilesystemCollector(t *testing.T) {
	tests := []struct {
		name, mountinfo string
		wantErr         string
	}{
		{"real", "proc/self/mountinfo", ""},
		{"server", "filesystem/server", "filesystem: statfs /mnt/sshfs: input/output error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestFilesystem(t, tt.mountinfo, serverStatfs())
			var rounds [][]Sample
			for range 2 { // the second reuses the mounts selected by the first
				got, err := gatherSamples(t, c)
				if msg := errText(err); msg != tt.wantErr {
					t.Errorf("Collect: error %q, want %q", msg, tt.wantErr)
				}
				checkSane(t, got)
				rounds = append(rounds, got)
			}
			checkGolden(t, "filesystem/"+tt.name+".golden", rounds...)
		})
	}
}

func TestFilesystemCollectorErrors(t *testing.T) {
	t.Parallel()
	c := newTestFilesystem(t, "filesystem/no-separator", serverStatfs())
	if _, err := gatherSamples(t, c); !containsText(errText(err), "filesystem: parsing") {
		t.Errorf("malformed file: %v", err)
	}
	if _, err := gatherSamples(t, NewFilesystem(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
		t.Errorf("missing file: %v, want ErrNotSupported", err)
	}
}

// TestFilesystemCollectorHungMount runs in a synctest bubble, so the
// statfs timeout passes as soon as every goroutine is blocked.
func TestFilesystemCollectorHungMount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := serverStatfs()
		release := make(chan struct{})
		fake.hang["/mnt/backup"] = release
		c := newTestFilesystem(t, "filesystem/server", fake)

		got, err := gatherSamples(t, c)
		if !containsText(errText(err), "statfs /mnt/backup: no answer within 500ms; skipped until it answers") {
			t.Errorf("first Collect: %v, want the hung mount named", err)
		}
		checkMounts(t, "first Collect", got, "/", "/boot/efi", "/data", "/mnt/usb")

		got, err = gatherSamples(t, c)
		if err == nil || strings.Contains(err.Error(), "/mnt/backup") {
			t.Errorf("second Collect: %v, want only the sshfs error", err)
		}
		checkMounts(t, "second Collect", got, "/", "/boot/efi", "/data", "/mnt/usb")
		if n := fake.callsOf("/mnt/backup"); n != 1 {
			t.Errorf("statfs called %d times on the hung mount, want 1", n)
		}

		close(release)
		synctest.Wait()
		got, _ = gatherSamples(t, c)
		checkMounts(t, "after the mount answered", got, "/", "/boot/efi", "/mnt/backup", "/data", "/mnt/usb")
	})
}

func TestFilesystemCollectorDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake := serverStatfs()
		release := make(chan struct{})
		defer close(release)
		fake.hang["/"] = release
		c := newTestFilesystem(t, "filesystem/server", fake)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		err := c.Collect(ctx, func(Sample) {})
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "statfs /: no answer within the collection's deadline") {
			t.Errorf("Collect: %v, want the deadline and the hung mount", err)
		}
	})
}

// checkMounts fails the test unless the FilesystemBytes samples cover
// exactly the mount points want, in order.
func checkMounts(t *testing.T, when string, ss []Sample, want ...string) {
	t.Helper()
	var got []string
	for _, s := range ss {
		if s.Name != FilesystemBytes || !hasLabels(s, []string{"kind", "size"}) {
			continue
		}
		for _, l := range s.Labels {
			if l.Name == "mountpoint" {
				got = append(got, l.Value)
			}
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: mount points %q, want %q", when, got, want)
	}
}

func TestFilesystemCollectorRealProc(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	all, err := parseMountinfo(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := mustGather(t, NewFilesystem(Paths{}))
	checkSane(t, got)
	if len(selectMounts(all, nil)) > 0 && len(got) == 0 {
		t.Fatalf("no samples, yet mountinfo lists %v", selectMounts(all, nil))
	}
	type key struct{ series, mountpoint string }
	figures := map[key]map[string]float64{}
	for _, s := range got {
		k := key{series: s.Name}
		var kind string
		for _, l := range s.Labels {
			switch l.Name {
			case "mountpoint":
				k.mountpoint = l.Value
			case "kind":
				kind = l.Value
			}
		}
		if figures[k] == nil {
			figures[k] = map[string]float64{}
		}
		figures[k][kind] = s.Value
	}
	for k, f := range figures {
		ok := f["used"]+f["free"] == f["total"]
		if k.series == FilesystemBytes {
			ok = f["used"]+f["free"] == f["size"] && f["avail"] <= f["free"] && f["size"] > 0
		}
		if !ok {
			t.Errorf("%v: inconsistent figures %v", k, f)
		}
	}
}

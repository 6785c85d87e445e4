package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseMountinfo(t *testing.T) {
	tests := []struct {
		file    string
		wantAll int
		want    []mount // after selectMounts
		wantErr string
	}{
		{file: "proc/self/mountinfo", wantAll: 21, want: []mount{
			{dev: "254:0", mountpoint: "/", device: "/dev/vda", fstype: "ext4"}, // not /run/netns, a bind mount of it
		}},
		{file: "filesystem/server", wantAll: 23, want: []mount{
			{dev: "8:2", mountpoint: "/", device: "/dev/sda2", fstype: "ext4"},
			{dev: "8:1", mountpoint: "/boot/efi", device: "/dev/sda1", fstype: "vfat"},
			{dev: "253:0", mountpoint: "/home", device: "/dev/mapper/vg0-home", fstype: "xfs"},
			{dev: "0:45", mountpoint: "/mnt/backup", device: "nas.example.com:/export/backup", fstype: "nfs4"},
			{dev: "0:51", mountpoint: "/data", device: "/dev/sdb", fstype: "btrfs"},
			{dev: "8:33", mountpoint: "/mnt/my disk", device: "/dev/sdc1", fstype: "ext4"},
			{dev: "0:56", mountpoint: "/mnt/sshfs", device: "bob@host:/home/bob", fstype: "fuse.sshfs"},
			{dev: "8:65", mountpoint: "/mnt/usb", device: "/dev/sde1", fstype: "vfat"}, // hides /dev/sdd1
		}},
		{file: "filesystem/empty"},
		{file: "filesystem/no-separator", wantErr: "line 1: no fstype and source after the separator"},
		{file: "filesystem/no-source", wantErr: "line 1: no fstype and source after the separator"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			all, err := parseMountinfo(readTestdata(t, tt.file), nil)
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseMountinfo: error %q, want one containing %q", msg, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if len(all) != tt.wantAll {
				t.Errorf("parseMountinfo: %d mounts, want %d", len(all), tt.wantAll)
			}
			got := selectMounts(all, nil)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(mount{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("selectMounts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnescapeOctal(t *testing.T) {
	tests := []struct{ in, want string }{
		{`/plain`, "/plain"},
		{`/mnt/my\040disk`, "/mnt/my disk"},
		{`/a\011b\012c\134d`, "/a\tb\nc\\d"},
		{`/trailing\04`, `/trailing\04`},
		{`/not\999octal`, `/not\999octal`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := unescapeOctal([]byte(tt.in)); got != tt.want {
				t.Errorf("unescapeOctal(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFilesystemFigures(t *testing.T) {
	tests := []struct {
		name       string
		st         fsStats
		wantBytes  [4]uint64 // size, used, free, avail
		wantInodes [3]uint64 // total, used, free
	}{
		{"ext4 with root reserve", fsStats{4096, 1000, 400, 350, 64, 60}, [4]uint64{4096000, 2457600, 1638400, 1433600}, [3]uint64{64, 4, 60}},
		{"full", fsStats{4096, 1000, 0, 0, 64, 0}, [4]uint64{4096000, 4096000, 0, 0}, [3]uint64{64, 64, 0}},
		{"inconsistent answer clamped", fsStats{512, 10, 20, 30, 5, 9}, [4]uint64{5120, 0, 5120, 5120}, [3]uint64{5, 0, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotBytes [4]uint64
			for i, kv := range fsBytes(tt.st) {
				gotBytes[i] = kv.value
			}
			var gotInodes [3]uint64
			for i, kv := range fsInodes(tt.st) {
				gotInodes[i] = kv.value
			}
			if gotBytes != tt.wantBytes || gotInodes != tt.wantInodes {
				t.Errorf("bytes %v inodes %v, want %v %v", gotBytes, gotInodes, tt.wantBytes, tt.wantInodes)
			}
		})
	}
}

func BenchmarkParseMountinfo(b *testing.B) {
	data := readTestdata(b, "filesystem/server")
	var all, sel []mount
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if all, err = parseMountinfo(data, all); err != nil {
			b.Fatal(err)
		}
		sel = selectMounts(all, sel)
	}
}

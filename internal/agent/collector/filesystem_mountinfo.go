package collector

import (
	"bytes"
	"fmt"
	"strings"
)

// mount is one line of /proc/self/mountinfo, as far as the filesystem
// collector cares.
type mount struct {
	dev        string // "major:minor" of the filesystem; bind mounts share it
	mountpoint string
	device     string // the mount source: /dev/sda1, server:/export, tmpfs
	fstype     string
}

// parseMountinfo reads /proc/self/mountinfo into dst[:0]. Each line is
// "id parent major:minor root mountpoint options [optional...] - fstype
// source superoptions"; octal escapes (\040 for a space) in the mount
// point and source are decoded.
func parseMountinfo(data []byte, dst []mount) ([]mount, error) {
	dst = dst[:0]
	var buf [16][]byte
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data = nextLine(data)
		cols := fields(line, buf[:0])
		if len(cols) == 0 {
			continue
		}
		sep := 6
		for sep < len(cols) && string(cols[sep]) != "-" {
			sep++
		}
		if sep+2 >= len(cols) {
			return dst, fmt.Errorf("line %d: no fstype and source after the separator", n)
		}
		dst = append(dst, mount{
			dev:        string(cols[2]),
			mountpoint: unescapeOctal(cols[4]),
			device:     unescapeOctal(cols[sep+2]),
			fstype:     string(cols[sep+1]),
		})
	}
	return dst, nil
}

// unescapeOctal decodes the \ooo escapes the kernel writes for space, tab,
// newline and backslash in mount points and sources.
func unescapeOctal(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	var s strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+3 < len(b) && isOctal(b[i+1]) && isOctal(b[i+2]) && isOctal(b[i+3]) {
			s.WriteByte((b[i+1]-'0')<<6 | (b[i+2]-'0')<<3 | (b[i+3] - '0'))
			i += 3
			continue
		}
		s.WriteByte(b[i])
	}
	return s.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// selectMounts returns the mounts of all worth measuring, in order:
// pseudo filesystems, ignored mount points and mounts hidden by a later
// mount on the same point are left out, then every mount of a filesystem
// already kept (a bind mount, a second btrfs subvolume) is.
func selectMounts(all []mount, dst []mount) []mount {
	dst = dst[:0]
	for i, m := range all {
		skip := pseudoFS(m.fstype) || ignoredMountpoint(m.mountpoint)
		if skip || shadowed(all[i+1:], m.mountpoint) || seenDev(dst, m.dev) {
			continue
		}
		dst = append(dst, m)
	}
	return dst
}

// shadowed reports whether one of the later mounts is on mp, hiding the
// earlier one there from statfs.
func shadowed(later []mount, mp string) bool {
	for _, m := range later {
		if m.mountpoint == mp {
			return true
		}
	}
	return false
}

func seenDev(ms []mount, dev string) bool {
	for _, m := range ms {
		if m.dev == dev {
			return true
		}
	}
	return false
}

// pseudoFS reports whether fstype holds no user data on a disk: the
// kernel's virtual filesystems, memory-backed ones, and read-only images
// that are always full.
func pseudoFS(fstype string) bool {
	switch fstype {
	case "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
		"debugfs", "devpts", "devtmpfs", "efivarfs", "fusectl", "hugetlbfs",
		"mqueue", "nsfs", "proc", "procfs", "pstore", "rpc_pipefs",
		"securityfs", "selinuxfs", "sysfs", "tracefs", "nfsd", "rootfs",
		"tmpfs", "ramfs", "overlay", "squashfs", "erofs", "iso9660",
		"fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse":
		return true
	}
	return false
}

// ignoredMountpoint reports whether mp is under the kernel's trees or is
// a container runtime's private mount.
func ignoredMountpoint(mp string) bool {
	for _, root := range [...]string{"/dev", "/proc", "/sys"} {
		if strings.HasPrefix(mp, root) && (len(mp) == len(root) || mp[len(root)] == '/') {
			return true
		}
	}
	for _, parent := range [...]string{"/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"} {
		if strings.HasPrefix(mp, parent) {
			return true
		}
	}
	return false
}

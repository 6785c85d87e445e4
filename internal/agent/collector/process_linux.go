package collector

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"syscall"
	"unsafe"
)

// procFS reads /proc/<pid>/ files through system calls and reusable
// buffers, so a scan in the steady state allocates next to nothing:
// os.Open would cost a *File, a copy of the path and an attempt to
// register the file with epoll, for each of about 200 files a scan.
type procFS struct {
	path    []byte // NUL-terminated path being opened
	rootLen int    // the /proc root at the head of path
	stat    []byte // /proc/<pid>/stat; parsed names alias it
	buf     []byte // cmdline and status
	dir     []byte // getdents buffer
	pids    []int
}

// maxCmdline is how much of a command line is kept; longer ones (Java
// class paths) are cut.
const maxCmdline = 4096

func (f *procFS) init() {
	if f.buf == nil {
		f.stat, f.buf, f.dir = make([]byte, 2048), make([]byte, maxCmdline), make([]byte, 32<<10)
	}
}

// list returns the pids under root (valid until the next call).
func (f *procFS) list(root string) ([]int, error) {
	f.init()
	f.path = append(append(f.path[:0], root...), 0)
	f.rootLen = len(root)
	f.pids = f.pids[:0]
	err := f.eachEntry(func(name []byte) {
		if pid, ok := pidDecimal(name); ok {
			f.pids = append(f.pids, int(pid))
		}
	})
	return f.pids, err
}

// count returns the number of entries in root/<pid>/name.
func (f *procFS) count(pid int, name string) (int, error) {
	f.pidPath(pid, name)
	n := 0
	err := f.eachEntry(func([]byte) { n++ })
	return n, err
}

// read reads root/<pid>/name into buf and returns the part read. A file
// longer than buf is cut. A read that does not fill buf is taken as the
// whole file, which saves a system call per file: the kernel fills the
// buffer as far as it can for stat, status and cmdline.
func (f *procFS) read(pid int, name string, buf []byte) ([]byte, error) {
	f.pidPath(pid, name)
	fd, err := openProcPath(f.path, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}

// pidPath sets f.path to root/<pid>/name, root being the one list was
// last given.
func (f *procFS) pidPath(pid int, name string) {
	f.path = append(f.path[:f.rootLen], '/')
	f.path = strconv.AppendInt(f.path, int64(pid), 10)
	f.path = append(append(append(f.path, '/'), name...), 0)
}

// eachEntry calls fn with the name of every entry of the directory at
// f.path except "." and "..".
func (f *procFS) eachEntry(fn func(name []byte)) error {
	fd, err := openProcPath(f.path, syscall.O_DIRECTORY)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	for {
		n, err := syscall.ReadDirent(fd, f.dir)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return err
		}
		for buf := f.dir[:n]; len(buf) > 0; {
			var name []byte
			if name, buf = nextDirent(buf); name != nil && string(name) != "." && string(name) != ".." {
				fn(name)
			}
		}
	}
}

// nextDirent splits the first linux_dirent64 record off a getdents64
// buffer: 8 bytes inode, 8 offset, 2 record length, 1 type, then the
// NUL-terminated name.
func nextDirent(buf []byte) (name, rest []byte) {
	const nameAt = 19
	if len(buf) < nameAt {
		return nil, nil
	}
	size := int(binary.NativeEndian.Uint16(buf[16:18]))
	if size < nameAt || size > len(buf) {
		return nil, nil
	}
	name = buf[nameAt:size]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	return name, buf[size:]
}

// openProcPath opens a NUL-terminated path read-only. It calls openat
// directly because syscall.Open would copy the path to the heap.
func openProcPath(path []byte, flags int) (int, error) {
	dir := -100 // AT_FDCWD: relative to the working directory
	for {
		fd, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(dir),
			uintptr(unsafe.Pointer(&path[0])), uintptr(flags|syscall.O_RDONLY|syscall.O_CLOEXEC), 0, 0, 0)
		switch errno {
		case 0:
			return int(fd), nil
		case syscall.EINTR:
			continue
		}
		return -1, errno
	}
}

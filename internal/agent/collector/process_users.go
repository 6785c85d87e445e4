package collector

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// userRecheck is how often the passwd file is checked for changes.
const userRecheck = time.Minute

// userTable resolves user ids to names from a passwd file, parsed once
// and again only when its size or modification time changes (checked at
// most once a userRecheck). Users only known to NSS (LDAP, sssd) are not
// in the file and show as their number.
type userTable struct {
	path    string
	names   map[uint32]string
	checked time.Time
	size    int64
	mtime   time.Time
}

// refresh re-reads the file if it may have changed. A missing or
// unreadable file leaves every user as a number.
func (u *userTable) refresh(now time.Time) {
	if u.names != nil && now.Sub(u.checked) < userRecheck {
		return
	}
	u.checked = now
	fi, err := os.Stat(u.path)
	if err != nil {
		u.names = map[uint32]string{}
		return
	}
	if u.names != nil && fi.Size() == u.size && fi.ModTime().Equal(u.mtime) {
		return
	}
	data, err := os.ReadFile(u.path)
	if err != nil {
		u.names = map[uint32]string{}
		return
	}
	u.names, u.size, u.mtime = parsePasswd(data), fi.Size(), fi.ModTime()
}

// name returns the user name of uid, or the number when it has none.
func (u *userTable) name(uid uint32) string {
	if n, ok := u.names[uid]; ok {
		return n
	}
	return strconv.FormatUint(uint64(uid), 10)
}

// parsePasswd maps user ids to names from passwd(5) lines
// (name:password:uid:gid:...). Malformed lines are skipped; the first
// name of a uid wins, as getpwuid does.
func parsePasswd(data []byte) map[uint32]string {
	names := make(map[uint32]string)
	for line := range bytes.Lines(data) {
		fields := bytes.SplitN(bytes.TrimSpace(line), []byte(":"), 4)
		if len(fields) < 4 || len(fields[0]) == 0 || fields[0][0] == '#' {
			continue
		}
		uid, err := strconv.ParseUint(string(fields[2]), 10, 32)
		if err != nil {
			continue
		}
		if _, dup := names[uint32(uid)]; !dup {
			names[uint32(uid)] = string(fields[0])
		}
	}
	return names
}

package incident

import (
	"encoding/base32"
	"encoding/binary"
	"hash/fnv"
	"strconv"
	"time"
)

// idEncoding is Crockford's base32 alphabet in lower case: its characters
// are in ASCII order, so ids of one width sort as their bytes do.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID returns prefix + 16 characters encoding 48 bits of t in
// milliseconds followed by 32 bits hashed from check and t in nanoseconds:
// ids sort by time, and the same check failing at the same instant gets the
// same id, so an opening replayed after a failed write stores no second
// incident under another name. A collision with a different incident
// (taken reports one) moves to the next hash value. Ids from before a
// restart cannot collide: they are older, or loaded and so taken.
func newID(prefix, check string, t time.Time, taken func(string) bool) string {
	h := fnv.New32a()
	h.Write([]byte(check))
	h.Write([]byte{0})
	h.Write([]byte(strconv.FormatInt(t.UnixNano(), 10)))
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16)
	sum := h.Sum32()
	for range 1 << 16 { // bounded; a real collision is already rare
		binary.BigEndian.PutUint32(b[6:], sum)
		id := prefix + idEncoding.EncodeToString(b[:])
		if !taken(id) {
			return id
		}
		sum++
	}
	panic("incident: no free id in 65536 tries")
}

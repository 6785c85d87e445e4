package spool

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// state is what the spool remembers beside its records.
type state struct {
	consumed uint64 // every record up to this seq is acknowledged or dropped
	dropped  uint64 // records dropped to stay within MaxBytes, ever
	corrupt  uint64 // torn or corrupt records, segments or state files found, ever
}

// The file "state" holds two slots, written in turn in place, each
// [magic 8][generation u64][consumed u64][dropped u64][corrupt u64]
// [crc32c u32]: the valid slot of the higher generation is the state. A
// write torn by a crash spoils one slot and leaves the one before, and
// writing in place is far cheaper than a new file and a rename (which
// ext4 makes flush).
const (
	stateMagic = "PKST\x01\x00\x00\x00"
	stateName  = "state"
	slotSize   = len(stateMagic) + 4*8 + 4
)

// stateFile is the open state file.
type stateFile struct {
	f   *os.File
	gen uint64 // the generation of the last slot written
}

// openState opens (or makes) the state file in dir and reads the state.
// When neither slot is valid in a file that is not empty, the state is
// zero with one corruption counted.
func openState(dir string) (*stateFile, state, error) {
	f, err := os.OpenFile(filepath.Join(dir, stateName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, state{}, fmt.Errorf("opening spool state: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(f, 2*int64(slotSize)+1))
	if err != nil {
		f.Close()
		return nil, state{}, fmt.Errorf("reading spool state: %w", err)
	}
	sf, st := &stateFile{f: f}, state{}
	found := false
	for off := 0; off+slotSize <= len(b) && off < 2*slotSize; off += slotSize {
		if gen, s, ok := decodeSlot(b[off : off+slotSize]); ok && (!found || gen > sf.gen) {
			sf.gen, st, found = gen, s, true
		}
	}
	if !found && len(b) > 0 {
		st.corrupt = 1
	}
	return sf, st, nil
}

func decodeSlot(b []byte) (uint64, state, bool) {
	le, n := binary.LittleEndian, slotSize-4
	if string(b[:len(stateMagic)]) != stateMagic || le.Uint32(b[n:]) != crc32.Checksum(b[:n], castagnoli()) {
		return 0, state{}, false
	}
	return le.Uint64(b[8:]), state{consumed: le.Uint64(b[16:]), dropped: le.Uint64(b[24:]), corrupt: le.Uint64(b[32:])}, true
}

// write writes s in the slot after the last one written. With sync, s is
// on disk when it returns.
func (sf *stateFile) write(s state, sync bool) error {
	sf.gen++
	b := append(make([]byte, 0, slotSize), stateMagic...)
	for _, v := range []uint64{sf.gen, s.consumed, s.dropped, s.corrupt} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli()))
	_, err := sf.f.WriteAt(b, int64(sf.gen%2)*int64(slotSize))
	if err == nil && sync {
		err = sf.f.Sync()
	}
	if err != nil {
		return fmt.Errorf("writing spool state: %w", err)
	}
	return nil
}

func (sf *stateFile) close() error { return sf.f.Close() }

// syncDir makes the creation, removal and renaming of files in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	err = errors.Join(d.Sync(), d.Close())
	if err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

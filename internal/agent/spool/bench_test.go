package spool

import (
	"fmt"
	"testing"
)

// BenchmarkAppend appends 2 KB batches, the size of an agent's 5 s batch,
// with and without an fsync each.
func BenchmarkAppend(b *testing.B) {
	for _, noSync := range []bool{false, true} {
		b.Run(fmt.Sprintf("nosync=%v", noSync), func(b *testing.B) {
			s, err := Open(b.TempDir(), Options{MaxBytes: 64 << 20, NoSync: noSync})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			data := make([]byte, 2048)
			b.SetBytes(int64(len(data)))
			for i := uint64(1); b.Loop(); i++ {
				if err := s.Append(i, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplay reads and acknowledges 2 KB batches, as after an
// outage.
func BenchmarkReplay(b *testing.B) {
	s, err := Open(b.TempDir(), Options{MaxBytes: 1 << 30, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	data := make([]byte, 2048)
	b.SetBytes(int64(len(data)))
	seq := uint64(0)
	for b.Loop() {
		b.StopTimer()
		if s.Len() == 0 {
			for range 1000 {
				seq++
				if err := s.Append(seq, data); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
		n, _, ok, err := s.Oldest()
		if err != nil || !ok {
			b.Fatal(ok, err)
		}
		if err := s.Ack(n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens a spool holding 10,000 batches of 2 KB (20 MB,
// about 14 hours of an outage), checking every record.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	data := make([]byte, 2048)
	for i := uint64(1); i <= 10_000; i++ {
		if err := s.Append(i, data); err != nil {
			b.Fatal(err)
		}
	}
	s.Close()
	for b.Loop() {
		s, err := Open(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

package spool

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestKill9 kills a process in the middle of appending, and checks that
// the spool opens with every batch before the last one it wrote, in order.
func TestKill9(t *testing.T) {
	if dir := os.Getenv("SPOOL_KILL_DIR"); dir != "" {
		appendForever(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9$")
	cmd.Env = append(os.Environ(), "SPOOL_KILL_DIR="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000 && diskSize(t, dir) < 1<<20; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	s := open(t, dir, Options{MaxBytes: 1 << 30})
	if s.Len() == 0 || s.Corrupt() > 1 || s.NextSeq() != uint64(s.Len()+1) {
		t.Fatalf("after kill -9: Len %d, Corrupt %d, NextSeq %d", s.Len(), s.Corrupt(), s.NextSeq())
	}
	t.Logf("%d batches survived, %d torn record cut off", s.Len(), s.Corrupt())
	got := drain(t, s, 1000)
	if got[0] != 1 || got[len(got)-1] != uint64(len(got)) {
		t.Errorf("replayed %d..%d, want 1..%d", got[0], got[len(got)-1], len(got))
	}
}

// appendForever appends batches until killed, or for at most a minute.
func appendForever(dir string) {
	s, err := Open(dir, Options{MaxBytes: 1 << 30, SegmentSize: 256 << 10, NoSync: true})
	if err != nil {
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Minute)
	for seq := uint64(1); time.Now().Before(deadline); seq++ {
		if err := s.Append(seq, batch(seq, 1000)); err != nil {
			os.Exit(3)
		}
	}
	os.Exit(4)
}

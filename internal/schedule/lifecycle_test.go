package schedule_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/schedule"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

func TestRunStopsAndWaitsForRuns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		canceled := make(chan struct{})
		slow := func(ctx context.Context, _ time.Time) {
			<-ctx.Done()
			close(canceled)
			<-release // cleanup that takes a while
		}
		h := startHarness(t, 0, job("slow", time.Minute, slow))
		h.clock.Advance(time.Second)
		h.cancel()
		<-canceled
		synctest.Wait()
		select {
		case err := <-h.done:
			t.Fatalf("Run returned %v while a run was still going", err)
		default:
		}
		close(release)
		if err := <-h.done; err != nil {
			t.Errorf("Run() = %v after its context ended, want nil", err)
		}
	})
}

func TestRunTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := startHarness(t, 0, job("x", time.Minute, nil))
		if err := h.s.Run(t.Context()); !errors.Is(err, schedule.ErrRunning) {
			t.Errorf("second Run() = %v, want ErrRunning", err)
		}
		if err := h.stop(); err != nil {
			t.Fatal(err)
		}
		// A stopped scheduler runs again, keeping its jobs on their grid.
		h.done = make(chan error, 1)
		go func() { h.done <- h.s.Run(t.Context()) }()
		synctest.Wait()
		h.clock.Advance(2 * time.Minute)
		got := h.rec.startsOf("x")
		if diff := cmp.Diff(repeat(time.Minute, 1), diffs(got)); diff != "" {
			t.Errorf("gaps between runs after a restart of Run (-want +got):\n%s", diff)
		}
	})
}

func TestRunNowBeforeRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clock := schedtest.NewClock(epoch, synctest.Wait)
		rec := &recorder{}
		s := schedule.New(schedule.Options{Clock: clock, OnStart: rec.onStart})
		s.Update([]schedule.Job{job("x", time.Hour, nil)})
		if !s.RunNow("x") {
			t.Fatal("RunNow of a known job reported false")
		}
		go s.Run(t.Context())
		synctest.Wait()
		if diff := cmp.Diff([]time.Time{epoch}, rec.startsOf("x")); diff != "" {
			t.Errorf("runs at the start of Run (-want +got):\n%s", diff)
		}
	})
}

func TestRunNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = time.Hour
		busy := newBlocker()
		h := startHarness(t, 0, job("x", iv, nil), job("busy", iv, busy.run))
		h.s.RunNow("x") // replaces the prompt run rather than adding to it
		h.clock.Advance(10 * time.Minute)
		if got := h.rec.startsOf("x"); !got[0].Equal(epoch) || len(got) > 1 && got[1].Sub(epoch) < time.Second {
			t.Errorf("runs after RunNow at the start: %v, want one at %v and no prompt run after it", got, epoch)
		}
		h.rec.reset()

		if h.s.RunNow("missing") {
			t.Error("RunNow of an unknown job reported true")
		}
		if !h.s.RunNow("x") || !h.s.RunNow("busy") {
			t.Fatal("RunNow of a known job reported false")
		}
		synctest.Wait()
		now := h.clock.Now()
		if diff := cmp.Diff([]time.Time{now}, h.rec.startsOf("x")); diff != "" {
			t.Errorf("runs after RunNow (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]time.Time{now}, h.rec.skipsOf("busy")); diff != "" {
			t.Errorf("RunNow of a job still running: skips (-want +got):\n%s", diff)
		}
		h.clock.Advance(iv)
		if got := len(h.rec.startsOf("x")); got != 2 {
			t.Errorf("job ran %d times in the hour after RunNow, want 2 (RunNow, then its grid slot)", got)
		}
		close(busy.release)
	})
}

func TestUpdateRejectsBadJobs(t *testing.T) {
	tests := []struct {
		name string
		job  schedule.Job
	}{
		{name: "zero interval", job: schedule.Job{ID: "x", Run: func(context.Context, time.Time) {}}},
		{name: "nil run", job: schedule.Job{ID: "x", Interval: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Update did not panic")
				}
			}()
			schedule.New(schedule.Options{}).Update([]schedule.Job{tt.job})
		})
	}
}

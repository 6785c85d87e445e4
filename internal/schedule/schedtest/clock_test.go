package schedtest_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/schedule"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

var start = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// fired is one value received from a timer.
type fired struct {
	name string
	at   time.Time
}

// watch returns a settle func that receives whatever the named timers
// fired, and the list it appends to.
func watch(timers map[string]*schedule.Timer) (func(), *[]fired) {
	var got []fired
	return func() {
		for name, t := range timers {
			select {
			case at := <-(*t).C():
				got = append(got, fired{name, at})
			default:
			}
		}
	}, &got
}

func TestAdvanceFiresInOrder(t *testing.T) {
	var a, b, c schedule.Timer
	settle, got := watch(map[string]*schedule.Timer{"a": &a, "b": &b, "c": &c})
	clock := schedtest.NewClock(start, settle)
	a = clock.NewTimer(3 * time.Second)
	b = clock.NewTimer(time.Second)
	c = clock.NewTimer(10 * time.Second)

	clock.Advance(5 * time.Second)
	want := []fired{{"b", start.Add(time.Second)}, {"a", start.Add(3 * time.Second)}}
	if diff := cmp.Diff(want, *got, cmp.AllowUnexported(fired{})); diff != "" {
		t.Errorf("fired (-want +got):\n%s", diff)
	}
	if now := clock.Now(); !now.Equal(start.Add(5 * time.Second)) {
		t.Errorf("Now() = %v after Advance(5s), want %v", now, start.Add(5*time.Second))
	}
	if n := clock.Armed(); n != 1 {
		t.Errorf("Armed() = %d, want 1", n)
	}
}

func TestStopAndReset(t *testing.T) {
	tests := []struct {
		name      string
		act       func(c *schedtest.Clock, tm schedule.Timer)
		wantFired []time.Time
	}{
		{"stopped timer never fires", func(c *schedtest.Clock, tm schedule.Timer) {
			tm.Stop()
			c.Advance(time.Minute)
		}, nil},
		{"reset moves the deadline", func(c *schedtest.Clock, tm schedule.Timer) {
			tm.Reset(30 * time.Second)
			c.Advance(time.Minute)
		}, []time.Time{start.Add(30 * time.Second)}},
		{"zero reset fires at once", func(c *schedtest.Clock, tm schedule.Timer) {
			tm.Reset(0)
		}, []time.Time{start}},
		{"jump fires late, at the new time", func(c *schedtest.Clock, tm schedule.Timer) {
			c.Jump(time.Minute)
		}, []time.Time{start.Add(time.Minute)}},
		{"latency delays firing", func(c *schedtest.Clock, tm schedule.Timer) {
			c.SetLatency(3 * time.Millisecond)
			c.Advance(time.Minute)
		}, []time.Time{start.Add(10*time.Second + 3*time.Millisecond)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := schedtest.NewClock(start, nil)
			tm := clock.NewTimer(10 * time.Second)
			tt.act(clock, tm)
			var got []time.Time
			select {
			case at := <-tm.C():
				got = append(got, at)
			default:
			}
			if diff := cmp.Diff(tt.wantFired, got); diff != "" {
				t.Errorf("fired (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResetDropsUnreadValue(t *testing.T) {
	clock := schedtest.NewClock(start, nil)
	tm := clock.NewTimer(time.Second)
	clock.Advance(2 * time.Second) // fires; nobody reads
	if tm.Reset(time.Second) {
		t.Error("Reset() of a fired timer reported it active")
	}
	select {
	case at := <-tm.C():
		t.Errorf("received %v from before Reset", at)
	default:
	}
}

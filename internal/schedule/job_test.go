package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOffsetIsStable(t *testing.T) {
	// Changing the hash moves every check's phase in every deployment;
	// these values pin it.
	tests := []struct {
		id       string
		interval time.Duration
		want     int64
	}{
		{"billing-api", 10 * time.Second, 4684242191},
		{"edge-router", 5 * time.Second, 3516232418},
		{"nightly-import", 24 * time.Hour, 15583693325269},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := offset(tt.id, tt.interval); got != tt.want {
				t.Errorf("offset(%q, %v) = %d, want %d", tt.id, tt.interval, got, tt.want)
			}
		})
	}
}

func TestOffsetIsUniform(t *testing.T) {
	const ids, buckets = 10_000, 20
	for _, iv := range []time.Duration{time.Second, 10 * time.Second, time.Minute, 5 * time.Minute, 24 * time.Hour} {
		t.Run(iv.String(), func(t *testing.T) {
			count := make([]float64, buckets)
			for i := range ids {
				off := offset(fmt.Sprintf("check-%d", i), iv)
				if off < 0 || off >= int64(iv) {
					t.Fatalf("offset %v outside [0, %v)", off, iv)
				}
				count[off*buckets/int64(iv)]++
			}
			// Chi-square with 19 degrees of freedom: 43.8 is its 0.999 quantile.
			var chi2 float64
			for _, c := range count {
				want := float64(ids) / buckets
				chi2 += (c - want) * (c - want) / want
			}
			if chi2 > 43.8 {
				t.Errorf("chi-square %.1f over %d buckets, want under 43.8: %v", chi2, buckets, count)
			}
		})
	}
}

func TestSlots(t *testing.T) {
	tests := []struct {
		name                     string
		t, iv, off               int64
		atOrAfter, strictlyAfter int64
	}{
		{"between slots", 25, 10, 3, 33, 33},
		{"on a slot", 23, 10, 3, 23, 33},
		{"just after a slot", 24, 10, 3, 33, 33},
		{"before the epoch", -15, 10, 3, -7, -7},
		{"on a slot before the epoch", -17, 10, 3, -17, -7},
		{"zero offset", 20, 10, 0, 20, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []int64{slotAtOrAfter(tt.t, tt.iv, tt.off), slotAfter(tt.t, tt.iv, tt.off)}
			want := []int64{tt.atOrAfter, tt.strictlyAfter}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("slots from %d (-want +got):\n%s", tt.t, diff)
			}
		})
	}
}

func TestSteppedBack(t *testing.T) {
	real := time.Now()
	tests := []struct {
		name      string
		last, now time.Time
	}{
		{"monotonic times moving on", real, real.Add(5 * time.Second)},
		{"wall times moving on", real.Round(0), real.Round(0).Add(5 * time.Second)},
		{"wall times moving back", real.Round(0), real.Round(0).Add(-time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if steppedBack(tt.last, tt.now) {
				t.Error("steppedBack() = true, want false")
			}
		})
	}
}

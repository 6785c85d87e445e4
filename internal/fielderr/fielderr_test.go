package fielderr_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/fielderr"
)

func TestIn(t *testing.T) {
	plain := errors.New("bad")
	err := fielderr.In("presets[2]", errors.Join(
		fielderr.Errorf("percent", "must be from 0 to 100"),
		errors.Join(plain, fielderr.In("hosts", fielderr.Errorf("0", "unknown host %q", "db-9"))),
	))
	var got []string
	for _, e := range fielderr.Leaves(err) {
		fe, ok := errors.AsType[*fielderr.Error](e)
		if !ok {
			t.Fatalf("%v is not a *fielderr.Error", e)
		}
		got = append(got, fe.Error())
	}
	want := []string{
		"presets[2].percent: must be from 0 to 100",
		"presets[2]: bad",
		`presets[2].hosts.0: unknown host "db-9"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, plain) {
		t.Error("the placed error no longer wraps the original")
	}
}

func TestLeaves(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	for name, tc := range map[string]struct {
		err  error
		want int
	}{
		"nil":    {nil, 0},
		"one":    {a, 1},
		"joined": {errors.Join(a, b), 2},
		"nested": {errors.Join(a, errors.Join(b, a)), 3},
	} {
		t.Run(name, func(t *testing.T) {
			if got := len(fielderr.Leaves(tc.err)); got != tc.want {
				t.Errorf("%d leaves, want %d", got, tc.want)
			}
		})
	}
}

func TestFields(t *testing.T) {
	err := errors.Join(fielderr.Errorf("b", "bad"), errors.New("lost its field"), fielderr.In("a", fielderr.Errorf("c", "bad")))
	want := []string{"b", "?lost its field", "a.c"}
	if diff := cmp.Diff(want, fielderr.Fields(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := fielderr.Fields(nil); got != nil {
		t.Errorf("Fields(nil) = %q, want nil", got)
	}
}

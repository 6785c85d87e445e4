package notify

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/fielderr"
)

func TestParseLevels(t *testing.T) {
	defaults := map[string]int{"critical": 5, "warning": 4, "info": 3}
	tests := []struct {
		name   string
		in     map[string]int
		want   Levels
		fields []string
	}{
		{"defaults", nil, Levels{SeverityCritical: 5, SeverityWarning: 4, SeverityInfo: 3}, nil},
		{"one replaced", map[string]int{"info": 1}, Levels{SeverityCritical: 5, SeverityWarning: 4, SeverityInfo: 1}, nil},
		{"out of range", map[string]int{"info": 6, "warning": 0}, Levels{SeverityCritical: 5, SeverityWarning: 4, SeverityInfo: 3},
			[]string{"priorities.info", "priorities.warning"}},
		{"unknown severity", map[string]int{"fatal": 5, "critical": 2}, Levels{SeverityCritical: 2, SeverityWarning: 4, SeverityInfo: 3},
			[]string{"priorities"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLevels("priorities", defaults, tt.in, Between(1, 5))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("levels (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.fields, fielderr.Fields(err)); d != "" {
				t.Errorf("fields (-want +got):\n%s\nerror: %v", d, err)
			}
		})
	}
}

func TestLevelsOf(t *testing.T) {
	l := Levels{SeverityCritical: 8, SeverityWarning: 5, SeverityInfo: 2}
	got := []int{l.Of(SeverityCritical), l.Of(SeverityInfo), l.Of("page"), l.Of("")}
	if d := cmp.Diff([]int{8, 2, 5, 5}, got); d != "" {
		t.Errorf("Of (-want +got):\n%s", d)
	}
}

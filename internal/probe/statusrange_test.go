package probe

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestStatusRangesYAML(t *testing.T) {
	tests := []struct {
		in      string
		want    StatusRanges
		wantErr bool
	}{
		{"200", StatusRanges{{200, 200}}, false},
		{"[200, 204]", StatusRanges{{200, 200}, {204, 204}}, false},
		{`"200-299"`, StatusRanges{{200, 299}}, false},
		{`["2xx", 304]`, StatusRanges{{200, 299}, {304, 304}}, false},
		{`4XX`, StatusRanges{{400, 499}}, false},
		{"[]", nil, true},
		{"99", nil, true},
		{"600", nil, true},
		{`"299-200"`, nil, true},
		{`"6xx"`, nil, true},
		{"ok", nil, true},
		{"{a: 1}", nil, true},
		{"[[200]]", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got StatusRanges
			err := yaml.Unmarshal([]byte(tt.in), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("decoded ranges differ (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusRangesContains(t *testing.T) {
	s := StatusRanges{{200, 299}, {304, 304}}
	for code, want := range map[int]bool{199: false, 200: true, 299: true, 300: false, 304: true, 503: false} {
		if got := s.Contains(code); got != want {
			t.Errorf("Contains(%d) = %v, want %v", code, got, want)
		}
	}
	if got := s.String(); got != "200-299, 304" {
		t.Errorf("String() = %q", got)
	}
}

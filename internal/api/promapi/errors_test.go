package promapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

func TestErrors(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		name, path string
		wantCode   int
		wantBody   string
	}{
		{"parse error", `/api/v1/query?query=` + url.QueryEscape(`sum(up`), 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error: unclosed left parenthesis"}`},
		{"no query", `/api/v1/query`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": unknown position: parse error: no expression found in input"}`},
		{"bad time", `/api/v1/query?query=up&time=soon`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"time\": invalid time value for 'time': cannot parse \"soon\" to a valid timestamp"}`},
		{"bad timeout", `/api/v1/query?query=up&timeout=1x`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"timeout\": cannot parse \"1x\" to a valid duration"}`},
		{"bad limit", `/api/v1/query?query=up&limit=-1`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"limit\": limit must be non-negative"}`},
		{"execution", `/api/v1/query?query=` + url.QueryEscape(`up + on() up`), 422,
			`{"status":"error","errorType":"execution","error":"found duplicate series for the match group {} on the right hand-side of the operation: [{__name__=\"up\", job=\"api\"}, {__name__=\"up\", job=\"db\"}];many-to-many matching not allowed: matching labels must be unique on one side"}`},
		{"timeout", `/api/v1/query?query=up&timeout=0`, 503,
			`{"status":"error","errorType":"timeout","error":"query timed out in query execution"}`},
		{"range without start", `/api/v1/query_range?query=up&end=1&step=1`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"\" to a valid timestamp"}`},
		{"range end before start", `/api/v1/query_range?query=up&start=10&end=1&step=1`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"end\": end timestamp must not be before start time"}`},
		{"range bad step", `/api/v1/query_range?query=up&start=0&end=1&step=x`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": cannot parse \"x\" to a valid duration"}`},
		{"range zero step", `/api/v1/query_range?query=up&start=0&end=1&step=0`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"}`},
		{"range too many points", `/api/v1/query_range?query=up&start=0&end=11001&step=1`, 400,
			`{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}`},
		{"range parse error", `/api/v1/query_range?query=up)&start=0&end=1&step=1`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:4: parse error: unexpected right parenthesis ')'"}`},
		{"series without match", `/api/v1/series`, 400,
			`{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}`},
		{"series bad match", `/api/v1/series?match[]=up{`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": 1:4: parse error: unexpected end of input inside braces"}`},
		{"series matches everything", `/api/v1/series?match[]=` + url.QueryEscape(`{job=~".*"}`), 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": match[] must contain at least one non-empty matcher"}`},
		{"series bad start", `/api/v1/series?match[]=up&start=x`, 400,
			`{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": invalid time value for 'start': cannot parse \"x\" to a valid timestamp"}`},
		{"labels bad match", `/api/v1/labels?match[]=up{`, 400,
			`{"status":"error","errorType":"bad_data","error":"1:4: parse error: unexpected end of input inside braces"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/prometheus"+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			code, body := fetch(t, req)
			if code != tt.wantCode || body != tt.wantBody {
				t.Errorf("GET %s\n got %d %s\nwant %d %s", tt.path, code, body, tt.wantCode, tt.wantBody)
			}
		})
	}
}

// failing is a Querier whose queries fail with err.
type failing struct {
	Querier
	err error
}

func (f failing) Query(context.Context, string, time.Time) (store.Value, error) {
	return store.Value{}, f.err
}

func TestErrorTypes(t *testing.T) {
	tests := []struct {
		err      error
		wantCode int
		wantType string
	}{
		{store.ErrCanceled, 499, "canceled"},
		{store.ErrTimeout, 503, "timeout"},
		{store.ErrInternal, 500, "internal"},
		{store.ErrExecution, 422, "execution"},
		{errors.New("anything else"), 422, "execution"},
	}
	for _, tt := range tests {
		t.Run(tt.wantType, func(t *testing.T) {
			srv := newHandlerServer(t, failing{err: tt.err})
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/query?query=up", nil)
			if err != nil {
				t.Fatal(err)
			}
			code, body := fetch(t, req)
			want := `{"status":"error","errorType":"` + tt.wantType + `","error":"` + tt.err.Error() + `"}`
			if code != tt.wantCode || body != want {
				t.Errorf("got %d %s\nwant %d %s", code, body, tt.wantCode, want)
			}
		})
	}
}

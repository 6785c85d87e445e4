package promapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// maxPoints is Prometheus's limit of points per series in a range query.
const maxPoints = 11000

// query answers /api/v1/query: query, time (default now), timeout, limit.
func (h *Handler) query(r *http.Request) result {
	limit, aerr := limitParam(r)
	if aerr != nil {
		return result{err: aerr}
	}
	ts, aerr := timeParam(r, "time", h.now())
	if aerr != nil {
		return result{err: aerr}
	}
	ctx, cancel, aerr := timeout(r)
	if aerr != nil {
		return result{err: aerr}
	}
	defer cancel()
	v, err := h.q.Query(ctx, r.Form.Get("query"), ts)
	return queryResult(v, err, limit)
}

// queryRange answers /api/v1/query_range: query, start, end, step, timeout, limit.
func (h *Handler) queryRange(r *http.Request) result {
	limit, aerr := limitParam(r)
	if aerr != nil {
		return result{err: aerr}
	}
	start, end, step, aerr := rangeParams(r)
	if aerr != nil {
		return result{err: aerr}
	}
	ctx, cancel, aerr := timeout(r)
	if aerr != nil {
		return result{err: aerr}
	}
	defer cancel()
	v, err := h.q.QueryRange(ctx, r.Form.Get("query"), start, end, step)
	return queryResult(v, err, limit)
}

func rangeParams(r *http.Request) (start, end time.Time, step time.Duration, _ *apiError) {
	start, err := parseTime(r.Form.Get("start"))
	if err != nil {
		return start, end, step, invalidParam("start", err)
	}
	end, err = parseTime(r.Form.Get("end"))
	if err != nil {
		return start, end, step, invalidParam("end", err)
	}
	if end.Before(start) {
		return start, end, step, invalidParam("end", errors.New("end timestamp must not be before start time"))
	}
	step, err = parseDuration(r.Form.Get("step"))
	if err != nil {
		return start, end, step, invalidParam("step", err)
	}
	if step <= 0 {
		return start, end, step, invalidParam("step", errors.New("zero or negative query resolution step widths are not accepted. Try a positive integer"))
	}
	if end.Sub(start)/step > maxPoints {
		return start, end, step, badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
	}
	return start, end, step, nil
}

// timeout bounds the request's context by the timeout parameter, if any;
// it runs on the real clock, whatever Options.Now says.
func timeout(r *http.Request) (context.Context, context.CancelFunc, *apiError) {
	s := r.Form.Get("timeout")
	if s == "" {
		return r.Context(), func() {}, nil
	}
	d, err := parseDuration(s)
	if err != nil {
		return nil, nil, invalidParam("timeout", err)
	}
	ctx, cancel := context.WithTimeout(r.Context(), d)
	return ctx, cancel, nil
}

// queryResult turns a query's outcome into the API's answer; a query that
// does not parse is Prometheus's invalid "query" parameter.
func queryResult(v store.Value, err error, limit int) result {
	if err != nil {
		if errors.Is(err, store.ErrBadData) {
			return result{err: invalidParam("query", err)}
		}
		return result{err: fromStore(err)}
	}
	warnings := v.Warnings
	if limit > 0 && (len(v.Vector) > limit || len(v.Matrix) > limit) {
		v.Vector, v.Matrix = v.Vector[:min(limit, len(v.Vector))], v.Matrix[:min(limit, len(v.Matrix))]
		warnings = append(warnings, truncated)
	}
	return result{data: newQueryData(v), warnings: warnings, infos: v.Infos}
}

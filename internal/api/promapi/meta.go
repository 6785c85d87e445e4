package promapi

import (
	"net/http"
	"time"
)

// series answers /api/v1/series: match[] (required), start, end, limit.
func (h *Handler) series(r *http.Request) result {
	matchers := r.Form["match[]"]
	if len(matchers) == 0 {
		return result{err: badData("no match[] parameter provided")}
	}
	limit, start, end, aerr := metaParams(r)
	if aerr != nil {
		return result{err: aerr}
	}
	found, err := h.q.Series(r.Context(), matchers, start, end)
	if err != nil {
		return result{err: matcherError(err)}
	}
	var warnings []string
	if limit > 0 && len(found) > limit {
		found, warnings = found[:limit], []string{truncated}
	}
	out := make([]map[string]string, 0, len(found))
	for _, ls := range found {
		out = append(out, ls.Map())
	}
	return result{data: out, warnings: warnings}
}

// labelNames answers /api/v1/labels: match[] (optional), start, end, limit.
func (h *Handler) labelNames(r *http.Request) result {
	limit, start, end, aerr := metaParams(r)
	if aerr != nil {
		return result{err: aerr}
	}
	names, err := h.q.LabelNames(r.Context(), r.Form["match[]"], start, end)
	return stringsResult(names, err, limit)
}

// labelValues answers /api/v1/label/{name}/values: match[] (optional),
// start, end, limit.
func (h *Handler) labelValues(r *http.Request) result {
	limit, start, end, aerr := metaParams(r)
	if aerr != nil {
		return result{err: aerr}
	}
	vals, err := h.q.LabelValues(r.Context(), r.PathValue("name"), r.Form["match[]"], start, end)
	return stringsResult(vals, err, limit)
}

// metaParams reads limit, start and end; a missing start or end is the
// zero time, which the Querier takes as open.
func metaParams(r *http.Request) (limit int, start, end time.Time, _ *apiError) {
	limit, aerr := limitParam(r)
	if aerr != nil {
		return 0, start, end, aerr
	}
	if start, aerr = timeParam(r, "start", time.Time{}); aerr != nil {
		return 0, start, end, aerr
	}
	end, aerr = timeParam(r, "end", time.Time{})
	return limit, start, end, aerr
}

// matcherError reports a bad selector as Prometheus's series endpoint does.
func matcherError(err error) *apiError {
	aerr := fromStore(err)
	if aerr.typ == errBadData {
		return invalidParam("match[]", err)
	}
	return aerr
}

func stringsResult(vals []string, err error, limit int) result {
	if err != nil {
		return result{err: fromStore(err)}
	}
	if vals == nil {
		vals = []string{}
	}
	if limit > 0 && len(vals) > limit {
		return result{data: vals[:limit], warnings: []string{truncated}}
	}
	return result{data: vals}
}

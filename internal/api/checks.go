package api

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
)

// checkView is a check with its current state, as /api/v1/checks and the
// stream show it. Times are null for a check that has not run yet.
type checkView struct {
	Check
	IntervalSeconds float64    `json:"interval_s"`
	Status          string     `json:"status"`
	Reason          string     `json:"reason"`
	LastCheck       *time.Time `json:"last_check"`
	LatencyMS       *float64   `json:"latency_ms"`
	Since           *time.Time `json:"since"`
}

func viewOf(c Check, st bus.State, known bool) checkView {
	v := checkView{Check: c, IntervalSeconds: c.Interval.Seconds(), Status: "unknown"}
	if v.Labels == nil {
		v.Labels = map[string]string{}
	}
	if !known {
		return v
	}
	v.Status, v.Reason = st.Status.String(), st.Reason
	last, since := st.LastCheck.UTC(), st.Since.UTC()
	ms := float64(st.Latency.Microseconds()) / 1000
	v.LastCheck, v.Since, v.LatencyMS = &last, &since, &ms
	return v
}

func (s *server) view(c Check) checkView {
	st, ok := s.States.State(c.ID)
	return viewOf(c, st, ok)
}

func (s *server) listChecks(w http.ResponseWriter, _ *http.Request) {
	checks := s.Catalog.Checks()
	out := make([]checkView, 0, len(checks))
	for _, c := range checks {
		out = append(out, s.view(c))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	writeJSON(w, http.StatusOK, map[string]any{"checks": out})
}

func (s *server) getCheck(w http.ResponseWriter, r *http.Request) {
	c, ok := s.Catalog.Check(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "id", fmt.Sprintf("no check with id %q", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, s.view(c))
}

// resultView is one past result.
type resultView struct {
	Time      time.Time `json:"time"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason"`
	LatencyMS float64   `json:"latency_ms"`
}

const (
	defaultLimit = 1000
	maxLimit     = 10000
)

func (s *server) checkResults(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.Catalog.Check(id); !ok {
		writeError(w, http.StatusNotFound, "id", fmt.Sprintf("no check with id %q", id))
		return
	}
	q, perr := s.parseRange(r, time.Hour)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr.param, perr.msg)
		return
	}
	res, err := s.History.Results(r.Context(), id, q.from, q.to, q.limit)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "reading results: "+err.Error())
		return
	}
	out := make([]resultView, 0, len(res))
	for _, x := range res {
		out = append(out, resultView{Time: x.Start.UTC(), Status: x.Status.String(), Reason: x.Reason,
			LatencyMS: float64(x.Duration.Microseconds()) / 1000})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

// eventView is one entry of the audit log.
type eventView struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Check  string    `json:"check"`
	Kind   string    `json:"kind"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Reason string    `json:"reason"`
}

func eventViewOf(e bus.Event) eventView {
	return eventView{Seq: e.Seq, Time: e.Time.UTC(), Check: e.Check, Kind: e.Kind,
		From: e.From.String(), To: e.To.String(), Reason: e.Reason}
}

func (s *server) events(w http.ResponseWriter, r *http.Request) {
	check := r.URL.Query().Get("check")
	if check != "" {
		if _, ok := s.Catalog.Check(check); !ok {
			writeError(w, http.StatusBadRequest, "check", fmt.Sprintf("no check with id %q", check))
			return
		}
	}
	q, perr := s.parseRange(r, 7*24*time.Hour)
	if perr != nil {
		writeError(w, http.StatusBadRequest, perr.param, perr.msg)
		return
	}
	evs, err := s.History.Events(r.Context(), bus.EventFilter{Check: check, From: q.from, To: q.to, Limit: q.limit})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "", "reading events: "+err.Error())
		return
	}
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		out = append(out, eventViewOf(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": out})
}

type rangeQuery struct {
	from, to time.Time
	limit    int
}

type paramError struct{ param, msg string }

// parseRange reads from, to (RFC 3339 or Unix seconds; to defaults to now,
// from to `back` before to) and limit (default 1000, at most 10000).
func (s *server) parseRange(r *http.Request, back time.Duration) (rangeQuery, *paramError) {
	q := rangeQuery{to: s.Now(), limit: defaultLimit}
	v := r.URL.Query()
	var err error
	if t := v.Get("to"); t != "" {
		if q.to, err = parseTime(t); err != nil {
			return q, &paramError{"to", fmt.Sprintf("invalid parameter \"to\": %v", err)}
		}
	}
	q.from = q.to.Add(-back)
	if f := v.Get("from"); f != "" {
		if q.from, err = parseTime(f); err != nil {
			return q, &paramError{"from", fmt.Sprintf("invalid parameter \"from\": %v", err)}
		}
	}
	if q.from.After(q.to) {
		return q, &paramError{"from", "invalid parameter \"from\": after \"to\""}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			return q, &paramError{"limit", fmt.Sprintf("invalid parameter \"limit\": want an integer from 1 to %d, got %q", maxLimit, l)}
		}
		q.limit = n
	}
	return q, nil
}

// maxUnixSeconds bounds Unix-seconds parameters to the years RFC 3339 can
// write (0000-9999).
const maxUnixSeconds = 253402300799

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	// ParseFloat takes NaN, Inf and 1e300, which no int64 of seconds holds.
	if err != nil || math.IsNaN(f) || math.Abs(f) > maxUnixSeconds {
		return time.Time{}, fmt.Errorf("want RFC 3339 or Unix seconds, got %q", s)
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
}

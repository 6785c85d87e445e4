package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/host"
)

// Hosts is the host registry as the API uses it.
type Hosts interface {
	Hosts() []host.Host
	Host(id string) (host.Host, bool)
	Processes(id string) (host.ProcessTable, bool)
	Events(id string, since time.Time, limit int) ([]host.Event, bool)
}

func (s *server) routeHosts(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/hosts", s.listHosts)
	mux.HandleFunc("GET /api/v1/hosts/{id}", s.getHost)
	mux.HandleFunc("GET /api/v1/hosts/{id}/processes", s.hostProcesses)
	mux.HandleFunc("GET /api/v1/hosts/{id}/events", s.hostEvents)
}

func (s *server) listHosts(w http.ResponseWriter, _ *http.Request) {
	hosts := s.Hosts.Hosts()
	if hosts == nil {
		hosts = []host.Host{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hosts": hosts})
}

func (s *server) getHost(w http.ResponseWriter, r *http.Request) {
	h, ok := s.Hosts.Host(r.PathValue("id"))
	if !ok {
		noHost(w, r)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *server) hostProcesses(w http.ResponseWriter, r *http.Request) {
	t, ok := s.Hosts.Processes(r.PathValue("id"))
	if !ok {
		noHost(w, r)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *server) hostEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := parseTime(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "since", `invalid parameter "since": `+err.Error())
			return
		}
		since = t
	}
	limit := defaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > defaultLimit {
			writeError(w, http.StatusBadRequest, "limit", `invalid parameter "limit": want an integer from 1 to 1000`)
			return
		}
		limit = n
	}
	evs, ok := s.Hosts.Events(r.PathValue("id"), since, limit)
	if !ok {
		noHost(w, r)
		return
	}
	if evs == nil {
		evs = []host.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"host": r.PathValue("id"), "events": evs})
}

func noHost(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "id", "no host with id "+strconv.Quote(r.PathValue("id")))
}

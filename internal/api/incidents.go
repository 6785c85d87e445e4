package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/picket-monitor/picket/internal/incident"
)

// Incidents is the incident manager as the API uses it.
type Incidents interface {
	List(f incident.Filter) []incident.Incident
	Get(ctx context.Context, id string) (incident.Incident, error)
	Ack(ctx context.Context, id, by, comment string) (incident.Incident, error)
	Resolve(ctx context.Context, id, by, comment string) (incident.Incident, error)
	AddNote(ctx context.Context, id, by, text string) (incident.Incident, error)
}

func (s *server) routeIncidents(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/incidents", s.listIncidents)
	mux.HandleFunc("GET /api/v1/incidents/{id}", s.getIncident)
	mux.HandleFunc("POST /api/v1/incidents/{id}/ack", s.incidentAction(s.Incidents.Ack))
	mux.HandleFunc("POST /api/v1/incidents/{id}/resolve", s.incidentAction(s.Incidents.Resolve))
	mux.HandleFunc("POST /api/v1/incidents/{id}/notes", s.incidentAction(s.Incidents.AddNote))
}

func (s *server) listIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := incident.Filter{Check: q.Get("check")}
	switch q.Get("open") {
	case "", "false":
	case "true":
		f.Open = true
	default:
		writeError(w, http.StatusBadRequest, "open", `invalid parameter "open": want true or false`)
		return
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			writeError(w, http.StatusBadRequest, "limit", `invalid parameter "limit": want an integer from 1 to 10000`)
			return
		}
		f.Limit = n
	}
	list := s.Incidents.List(f)
	if list == nil {
		list = []incident.Incident{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"incidents": list})
}

func (s *server) getIncident(w http.ResponseWriter, r *http.Request) {
	inc, err := s.Incidents.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		writeIncidentError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, inc)
}

// actionBody is the body of ack, resolve and notes: who acts and what they
// say (the note's text for notes).
type actionBody struct {
	By      string `json:"by"`
	Comment string `json:"comment"`
	Text    string `json:"text"`
}

func (s *server) incidentAction(act func(ctx context.Context, id, by, text string) (incident.Incident, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b actionBody
		if err := decodeBody(r, &b); err != nil {
			writeError(w, http.StatusBadRequest, "body", err.Error())
			return
		}
		if b.By == "" {
			writeError(w, http.StatusBadRequest, "by", `invalid field "by": say who acts`)
			return
		}
		text := b.Comment
		if b.Text != "" {
			text = b.Text
		}
		inc, err := act(r.Context(), r.PathValue("id"), b.By, text)
		if err != nil {
			writeIncidentError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, inc)
	}
}

func writeIncidentError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, incident.ErrNotFound):
		writeError(w, http.StatusNotFound, "id", err.Error())
	case errors.Is(err, incident.ErrConflict):
		writeError(w, http.StatusConflict, "", err.Error())
	case errors.Is(err, incident.ErrInvalid):
		writeError(w, http.StatusBadRequest, "body", err.Error())
	default:
		writeError(w, http.StatusInternalServerError, "", err.Error())
	}
}

package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
)

// Silences is the silence store as the API uses it.
type Silences interface {
	Add(ctx context.Context, s mute.Silence) (mute.Silence, error)
	Expire(ctx context.Context, id string) (mute.Silence, error)
	List() []mute.Silence
	Get(id string) (mute.Silence, bool)
}

func (s *server) routeSilences(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/silences", s.listSilences)
	mux.HandleFunc("POST /api/v1/silences", s.addSilence)
	mux.HandleFunc("GET /api/v1/silences/{id}", s.getSilence)
	mux.HandleFunc("DELETE /api/v1/silences/{id}", s.expireSilence)
}

// silenceView is a silence with its state now: pending, active or expired.
type silenceView struct {
	mute.Silence
	State string `json:"state"`
}

func (s *server) silenceView(sil mute.Silence) silenceView {
	return silenceView{Silence: sil, State: sil.State(s.Now())}
}

func (s *server) listSilences(w http.ResponseWriter, _ *http.Request) {
	out := []silenceView{}
	for _, sil := range s.Silences.List() {
		out = append(out, s.silenceView(sil))
	}
	writeJSON(w, http.StatusOK, map[string]any{"silences": out})
}

// silenceBody creates a silence: matchers ("check=web", "team=~pay.*"),
// when it ends (or for how long), who and why.
type silenceBody struct {
	Matchers  []mute.Matcher `json:"matchers"`
	StartsAt  time.Time      `json:"starts_at"`
	EndsAt    time.Time      `json:"ends_at"`
	Duration  string         `json:"duration"`
	CreatedBy string         `json:"created_by"`
	Comment   string         `json:"comment"`
}

func (s *server) addSilence(w http.ResponseWriter, r *http.Request) {
	var b silenceBody
	if err := decodeBody(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, "body", err.Error())
		return
	}
	sil := mute.Silence{Matchers: b.Matchers, StartsAt: b.StartsAt, EndsAt: b.EndsAt, CreatedBy: b.CreatedBy, Comment: b.Comment}
	if sil.StartsAt.IsZero() {
		sil.StartsAt = s.Now()
	}
	if b.Duration != "" {
		d, err := time.ParseDuration(b.Duration)
		if err != nil || d <= 0 || !b.EndsAt.IsZero() {
			writeError(w, http.StatusBadRequest, "duration", `invalid field "duration": want a positive Go duration like 2h, and no ends_at`)
			return
		}
		sil.EndsAt = sil.StartsAt.Add(d)
	}
	added, err := s.Silences.Add(r.Context(), sil)
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, mute.ErrInvalid) || errors.Is(err, mute.ErrExpired) {
			code = http.StatusBadRequest
		}
		writeError(w, code, "body", err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, s.silenceView(added))
}

func (s *server) getSilence(w http.ResponseWriter, r *http.Request) {
	sil, ok := s.Silences.Get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "id", "no silence with id "+r.PathValue("id"))
		return
	}
	writeJSON(w, http.StatusOK, s.silenceView(sil))
}

func (s *server) expireSilence(w http.ResponseWriter, r *http.Request) {
	sil, err := s.Silences.Expire(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, mute.ErrNotFound):
		writeError(w, http.StatusNotFound, "id", err.Error())
	case errors.Is(err, mute.ErrExpired):
		writeError(w, http.StatusConflict, "id", err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, "", err.Error())
	default:
		writeJSON(w, http.StatusOK, s.silenceView(sil))
	}
}

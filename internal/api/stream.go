package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// keepAlive is how often an idle stream sends a comment, so that proxies
// keep the connection open and the client notices a dead server.
const keepAlive = 15 * time.Second

// stream sends server-sent events: "state" with a check view after every
// result, and "event" with each state change.
func (s *server) stream(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "", "streaming unsupported")
		return
	}
	ctx := r.Context()
	updates := s.States.Subscribe(ctx)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	flusher.Flush()
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case u, ok := <-updates:
			if !ok {
				return
			}
			c, known := s.Catalog.Check(u.State.Check)
			if !known {
				continue
			}
			writeEvent(w, "state", viewOf(c, u.State, true))
			if u.Event != nil {
				writeEvent(w, "event", eventViewOf(*u.Event))
			}
		}
		flusher.Flush()
	}
}

func writeEvent(w http.ResponseWriter, name string, v any) {
	b, _ := json.Marshal(v) // views hold only plain values; this cannot fail
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b)
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// target is an HTTP service that can be stopped and started on one port.
type target struct {
	addr string
	srv  *http.Server
}

func newTarget() (*target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &target{addr: ln.Addr().String()}
	t.serve(ln)
	return t, nil
}

func (t *target) serve(ln net.Listener) {
	t.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })}
	go t.srv.Serve(ln)
}

func (t *target) stop() { t.srv.Close() }

// hook receives the webhook channel's notifications and notes when each
// arrived.
type hook struct {
	url string
	got chan arrival
}

type arrival struct {
	kind, check string
	at          time.Time
}

func newHook() (*hook, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := &hook{url: "http://" + ln.Addr().String() + "/hook", got: make(chan arrival, 1000)}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		var m struct {
			Kind   string
			Checks []struct{ ID string }
		}
		_ = json.NewDecoder(r.Body).Decode(&m)
		a := arrival{kind: m.Kind, at: at}
		if len(m.Checks) > 0 {
			a.check = m.Checks[0].ID
		}
		h.got <- a
		w.WriteHeader(http.StatusNoContent)
	}))
	return h, nil
}

// next waits up to limit for a notification of kind about check,
// skipping others.
func (h *hook) next(kind, check string, limit time.Duration) (time.Time, error) {
	deadline := time.After(limit)
	for {
		select {
		case a := <-h.got:
			if a.kind == kind && a.check == check {
				return a.at, nil
			}
		case <-deadline:
			return time.Time{}, fmt.Errorf("no %s notification for %s within %s", kind, check, limit)
		}
	}
}

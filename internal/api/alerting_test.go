package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/mute"
)

// incidents is an in-memory incident manager with one open incident.
type incidents struct{ byID map[string]incident.Incident }

func newIncidents() *incidents {
	return &incidents{byID: map[string]incident.Incident{"inc-1": {ID: "inc-1", Check: "billing-api", Opened: now}}}
}

func (f *incidents) List(incident.Filter) []incident.Incident {
	return []incident.Incident{f.byID["inc-1"]}
}

func (f *incidents) Get(_ context.Context, id string) (incident.Incident, error) {
	inc, ok := f.byID[id]
	if !ok {
		return inc, fmt.Errorf("incident %s: %w", id, incident.ErrNotFound)
	}
	return inc, nil
}

func (f *incidents) act(id, by string, set func(*incident.Incident) error) (incident.Incident, error) {
	inc, ok := f.byID[id]
	if !ok {
		return inc, fmt.Errorf("incident %s: %w", id, incident.ErrNotFound)
	}
	if err := set(&inc); err != nil {
		return inc, err
	}
	f.byID[id] = inc
	return inc, nil
}

func (f *incidents) Ack(_ context.Context, id, by, _ string) (incident.Incident, error) {
	return f.act(id, by, func(i *incident.Incident) error {
		if !i.Acknowledged.IsZero() {
			return fmt.Errorf("incident %s already acknowledged: %w", id, incident.ErrConflict)
		}
		i.Acknowledged, i.AckedBy = now, by
		return nil
	})
}

func (f *incidents) Resolve(_ context.Context, id, by, _ string) (incident.Incident, error) {
	return f.act(id, by, func(i *incident.Incident) error { i.Resolved, i.ResolvedBy = now, by; return nil })
}

func (f *incidents) AddNote(_ context.Context, id, by, text string) (incident.Incident, error) {
	return f.act(id, by, func(i *incident.Incident) error {
		if text == "" {
			return fmt.Errorf("empty note: %w", incident.ErrInvalid)
		}
		i.Timeline = append(i.Timeline, incident.Entry{Time: now, Kind: incident.EntryNote, Text: text, By: by})
		return nil
	})
}

func alertingServer(t *testing.T) http.Handler {
	t.Helper()
	sil, err := mute.NewSilences(t.Context(), memSilences{}, func() time.Time { return now }, mute.DefaultKeepExpired)
	if err != nil {
		t.Fatal(err)
	}
	return api.New(api.Deps{Catalog: testChecks(), States: testStates(), History: &history{},
		Incidents: newIncidents(), Silences: sil, Now: func() time.Time { return now }})
}

// memSilences is a SilenceStore that keeps nothing.
type memSilences struct{}

func (memSilences) Load(context.Context) ([]mute.Silence, error) { return nil, nil }
func (memSilences) Put(context.Context, mute.Silence) error      { return nil }
func (memSilences) Delete(context.Context, string) error         { return nil }

func post(t *testing.T, h http.Handler, target, body string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(body)))
	return rec.Code, rec.Body.String()
}

func TestIncidentActions(t *testing.T) {
	h := alertingServer(t)
	tests := []struct {
		name, target, body string
		code               int
		want               string // a fragment of the reply
	}{
		{"ack", "/api/v1/incidents/inc-1/ack", `{"by":"alice","comment":"on it"}`, 200, `"acked_by":"alice"`},
		{"ack twice", "/api/v1/incidents/inc-1/ack", `{"by":"bob"}`, 409, `already acknowledged`},
		{"note", "/api/v1/incidents/inc-1/notes", `{"by":"alice","text":"restarted the pod"}`, 200, `restarted the pod`},
		{"empty note", "/api/v1/incidents/inc-1/notes", `{"by":"alice"}`, 400, `empty note`},
		{"no by", "/api/v1/incidents/inc-1/resolve", `{}`, 400, `"param":"by"`},
		{"unknown field", "/api/v1/incidents/inc-1/ack", `{"by":"a","whoo":1}`, 400, `invalid field \"whoo\": unknown`},
		{"wrong type", "/api/v1/incidents/inc-1/ack", `{"by":7}`, 400, `invalid field \"by\": want string, got number`},
		{"not json", "/api/v1/incidents/inc-1/ack", `by=alice`, 400, `JSON syntax error`},
		{"unknown id", "/api/v1/incidents/nope/ack", `{"by":"a"}`, 404, `"param":"id"`},
		{"resolve", "/api/v1/incidents/inc-1/resolve", `{"by":"alice"}`, 200, `"resolved_by":"alice"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, h, tt.target, tt.body)
			if code != tt.code || !strings.Contains(body, tt.want) {
				t.Errorf("POST %s %s = %d %s, want %d with %s", tt.target, tt.body, code, body, tt.code, tt.want)
			}
		})
	}
	code, _, _ := get(t, h, "/api/v1/incidents?open=maybe")
	if code != 400 {
		t.Errorf("open=maybe: %d, want 400", code)
	}
}

func TestSilences(t *testing.T) {
	h := alertingServer(t)
	code, body := post(t, h, "/api/v1/silences", `{"matchers":["check=billing-api"],"duration":"2h","created_by":"alice","comment":"deploy"}`)
	if code != 201 || !strings.Contains(body, `"matchers":["check=billing-api"]`) || !strings.Contains(body, `"state":"active"`) {
		t.Fatalf("create: %d %s", code, body)
	}
	bad := []struct{ body, want string }{
		{`{"matchers":[],"duration":"1h"}`, "matcher"},
		{`{"matchers":["check=~("],"duration":"1h"}`, "invalid body"},
		{`{"matchers":["check=a"],"duration":"soon"}`, `"param":"duration"`},
		{`{"matchers":["check=a"],"ends_at":"2020-01-01T00:00:00Z"}`, "expired"},
	}
	for _, b := range bad {
		if code, body := post(t, h, "/api/v1/silences", b.body); code != 400 || !strings.Contains(body, b.want) {
			t.Errorf("POST %s = %d %s, want 400 with %q", b.body, code, body, b.want)
		}
	}
	code, _, v := get(t, h, "/api/v1/silences")
	if list, _ := v.(map[string]any)["silences"].([]any); code != 200 || len(list) != 1 {
		t.Errorf("list: %d %v, want the one silence", code, v)
	}
}

func TestExpireSilenceTwice(t *testing.T) {
	h := alertingServer(t)
	_, body := post(t, h, "/api/v1/silences", `{"matchers":["check=billing-api"],"duration":"1h"}`)
	id := body[strings.Index(body, `"id":"`)+6:]
	id = id[:strings.Index(id, `"`)]
	for i, want := range []int{200, 409} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/api/v1/silences/"+id, nil))
		if rec.Code != want {
			t.Errorf("DELETE #%d = %d %s, want %d", i+1, rec.Code, rec.Body, want)
		}
	}
}

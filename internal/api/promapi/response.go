package promapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/picket-monitor/picket/internal/store"
)

// errorType is Prometheus's name for a kind of failure and the HTTP status
// it answers with.
type errorType struct {
	name   string
	status int
}

// statusClientClosedRequest is the (nginx) status Prometheus answers a
// canceled query with.
const statusClientClosedRequest = 499

var (
	errBadData   = errorType{"bad_data", http.StatusBadRequest}
	errExecution = errorType{"execution", http.StatusUnprocessableEntity}
	errCanceled  = errorType{"canceled", statusClientClosedRequest}
	errTimeout   = errorType{"timeout", http.StatusServiceUnavailable}
	errInternal  = errorType{"internal", http.StatusInternalServerError}
)

type apiError struct {
	typ errorType
	err error
}

func badData(format string, args ...any) *apiError {
	return &apiError{typ: errBadData, err: fmt.Errorf(format, args...)}
}

// invalidParam is Prometheus's error for a parameter it cannot use.
func invalidParam(name string, err error) *apiError {
	return badData("invalid parameter %q: %w", name, err)
}

// fromStore maps a Querier error to Prometheus's errorType.
func fromStore(err error) *apiError {
	kinds := []struct {
		kind error
		typ  errorType
	}{
		{store.ErrBadData, errBadData},
		{store.ErrTimeout, errTimeout},
		{store.ErrCanceled, errCanceled},
		{store.ErrInternal, errInternal},
		{store.ErrExecution, errExecution},
	}
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			return &apiError{typ: k.typ, err: err}
		}
	}
	return &apiError{typ: errExecution, err: err}
}

// response is the envelope of every answer.
type response struct {
	Status    string   `json:"status"`
	Data      any      `json:"data,omitempty"`
	ErrorType string   `json:"errorType,omitempty"`
	Error     string   `json:"error,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	Infos     []string `json:"infos,omitempty"`
}

func writeSuccess(w http.ResponseWriter, res result) {
	write(w, http.StatusOK, response{Status: "success", Data: res.data, Warnings: res.warnings, Infos: res.infos})
}

func writeError(w http.ResponseWriter, e *apiError) {
	write(w, e.typ.status, response{Status: "error", ErrorType: e.typ.name, Error: e.err.Error()})
}

func write(w http.ResponseWriter, status int, resp response) {
	b, err := json.Marshal(resp)
	if err != nil {
		// Only a bug can get here: every value above marshals.
		http.Error(w, fmt.Sprintf("encoding response: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b) // the client went away; nobody is left to tell
}

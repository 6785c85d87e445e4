package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds a request body; every body the API takes is a few lines.
const maxBody = 64 << 10

// decodeBody reads a JSON object into v strictly: an unknown field, a
// wrong type or trailing data is an error naming the field where it can.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if dec.More() {
		return errors.New("invalid body: more than one JSON value")
	}
	return nil
}

// errEmptyBody is decodeBody's error for a request without a body.
var errEmptyBody = errors.New("invalid body: empty; want a JSON object")

// decodeOptionalBody is decodeBody for a body that may be left out: then
// v keeps its zero value.
func decodeOptionalBody(r *http.Request, v any) error {
	if err := decodeBody(r, v); err != nil && !errors.Is(err, errEmptyBody) {
		return err
	}
	return nil
}

func bodyError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return errEmptyBody
	case errors.As(err, &typeErr):
		return fmt.Errorf("invalid field %q: want %s, got %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("invalid body: JSON syntax error at byte %d", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fmt.Errorf("invalid field %s: unknown", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return fmt.Errorf("invalid body: %w", err)
}

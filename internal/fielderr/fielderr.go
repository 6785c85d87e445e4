// Package fielderr is errors that name the setting they are about, such
// as "expect.status" or "auth.basic.password", so that whoever reads the
// settings (internal/config) can point at the line of that setting.
// Probes, channels and rules all build their settings' errors with it.
package fielderr

import (
	"errors"
	"fmt"
)

// Error is a problem with one setting. Field is its path below the
// settings that were checked, dot-separated.
type Error struct {
	Field string
	Err   error
}

func (e *Error) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error for field with a formatted message.
func Errorf(field, format string, args ...any) error {
	return &Error{Field: field, Err: fmt.Errorf(format, args...)}
}

// In places err, or each part of a joined err, at field: an *Error's own
// path goes below field, any other error is about field itself.
func In(field string, err error) error {
	var out []error
	for _, e := range Leaves(err) {
		if fe, ok := errors.AsType[*Error](e); ok {
			out = append(out, &Error{Field: field + "." + fe.Field, Err: fe.Err})
		} else {
			out = append(out, &Error{Field: field, Err: e})
		}
	}
	return errors.Join(out...)
}

// Fields lists the field each part of err (see Leaves) names, in order;
// a part that names none is listed as "?" and its text, so that a check
// of the fields also catches a problem that lost its field.
func Fields(err error) []string {
	var out []string
	for _, e := range Leaves(err) {
		if fe, ok := errors.AsType[*Error](e); ok {
			out = append(out, fe.Field)
		} else {
			out = append(out, "?"+e.Error())
		}
	}
	return out
}

// Leaves splits an error made by errors.Join, at any depth, into its
// parts; nil has none and any other error is its own only part.
func Leaves(err error) []error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, Leaves(e)...)
	}
	return out
}

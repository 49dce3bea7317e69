// Package apperr holds the failure kinds shared by every layer, so that the
// web and CLI layers can choose a status or exit code without knowing which
// package failed. It imports nothing but the standard library and holds
// nothing but this vocabulary.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

var (
	// ErrNotFound reports that the thing asked for does not exist or is not
	// visible to the caller.
	ErrNotFound = errors.New("not found")
	// ErrForbidden reports that the caller may not do what it asked.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict reports a uniqueness violation or a change made by
	// someone else in the meantime.
	ErrConflict = errors.New("conflict")
	// ErrUnauthenticated reports that the caller must sign in first.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrRateLimited reports that the caller tried too often.
	ErrRateLimited = errors.New("rate limited")
)

// Invalid reports input that breaks a rule. Fields maps a form field to a
// message for the user, in Simplified Chinese; the key "" holds a message
// that belongs to no single field.
type Invalid struct {
	Fields map[string]string
}

// Error lists the offending field names (never the messages, which are for
// people, nor the values, which may be personal data).
func (e *Invalid) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprintf("invalid input: %s", strings.Join(keys, ", "))
}

// Add records msg for field and returns e, so that checks can be chained.
func (e *Invalid) Add(field, msg string) *Invalid {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
	return e
}

// Err returns e when it holds at least one field and nil otherwise, so a
// validator can end with `return inv.Err()`.
func (e *Invalid) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// Invalidf returns an *Invalid with one field message.
func Invalidf(field, format string, args ...any) *Invalid {
	return (&Invalid{}).Add(field, fmt.Sprintf(format, args...))
}

// AsInvalid returns the *Invalid inside err, if there is one.
func AsInvalid(err error) (*Invalid, bool) {
	var inv *Invalid
	if errors.As(err, &inv) {
		return inv, true
	}
	return nil, false
}

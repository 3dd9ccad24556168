// Package scopes decides whether a token grants what a route requires: the space-separated
// OAuth 2.0 "scope" claim (RFC 6749 §3.3, RFC 8693 §4.2) and the "permissions" array that
// Auth0 RBAC adds.
//
// Scope names are compared whole and case-sensitively: "read:contactsX" does not grant
// "read:contacts", and "Read:Contacts" is another scope. Only the space character (U+0020)
// separates names, as RFC 6749 §3.3 says; runs of spaces are tolerated.
//
//	granted := scopes.Granted(c.Scope, c.Permissions, scopes.ScopeOrPermissions)
//	if err := scopes.All("read:contacts").Check(granted); err != nil {
//		// errors.Is(err, scopes.ErrInsufficientScope)
//	}
//
// # Security defaults
//
//   - A requirement with no names, or with a name that is not a valid scope-token (RFC 6749
//     §3.3: printable ASCII except space, '"' and '\'), is invalid and never satisfied.
//   - Checking a satisfied requirement does not allocate.
package scopes

import (
	"errors"
	"fmt"
	"iter"
	"strings"
)

// Source says which claims grant scopes.
type Source uint8

// The claims that can grant scopes. The zero Source means ScopeOrPermissions.
const (
	ScopeClaim         Source = 1 << iota // the space-separated "scope" claim
	PermissionsClaim                      // the "permissions" array (Auth0 RBAC)
	ScopeOrPermissions = ScopeClaim | PermissionsClaim
)

// A Set is what a token grants. The zero Set grants nothing. It refers to the strings it was
// made from and copies nothing.
type Set struct {
	scope string
	perms []string
}

// Parse returns the scopes named in a space-separated scope string.
func Parse(scope string) Set { return Set{scope: scope} }

// Granted returns what a token with the given "scope" and "permissions" claims grants when
// src names the claims that count.
func Granted(scope string, permissions []string, src Source) Set {
	if src == 0 {
		src = ScopeOrPermissions
	}
	var s Set
	if src&ScopeClaim != 0 {
		s.scope = scope
	}
	if src&PermissionsClaim != 0 {
		s.perms = permissions
	}
	return s
}

// Has reports whether the set grants name. It does not allocate.
func (s Set) Has(name string) bool {
	if name == "" {
		return false
	}
	for rest := s.scope; rest != ""; {
		var tok string
		tok, rest, _ = strings.Cut(rest, " ")
		if tok == name {
			return true
		}
	}
	for _, p := range s.perms {
		if p == name {
			return true
		}
	}
	return false
}

// All yields every name the set grants, scope names first, in order, skipping empty names.
// A name granted by both claims is yielded twice.
func (s Set) All() iter.Seq[string] {
	return func(yield func(string) bool) {
		for rest := s.scope; rest != ""; {
			var tok string
			tok, rest, _ = strings.Cut(rest, " ")
			if tok != "" && !yield(tok) {
				return
			}
		}
		for _, p := range s.perms {
			if p != "" && !yield(p) {
				return
			}
		}
	}
}

// ErrInsufficientScope is matched (errors.Is) by every error a satisfied-by-more-scopes
// requirement returns from Check.
var ErrInsufficientScope = errors.New("scopes: insufficient scope")

// ErrInvalidRequirement is matched by the error Check returns for an invalid requirement: one
// built with no names, or with a name that is not a valid scope-token.
var ErrInvalidRequirement = errors.New("scopes: invalid requirement")

// An Error reports a requirement the token did not meet. It matches ErrInsufficientScope.
type Error struct {
	// Required lists every scope the requirement names, for the scope attribute of an RFC
	// 6750 insufficient_scope challenge.
	Required []string
	// Missing lists the names that were needed but not granted: for All, those absent; for
	// Any, every alternative.
	Missing []string
}

func (e *Error) Error() string {
	return "scopes: insufficient scope: missing " + strings.Join(e.Missing, " ")
}

// Unwrap returns ErrInsufficientScope.
func (e *Error) Unwrap() error { return ErrInsufficientScope }

type op uint8

const (
	opAll op = iota + 1
	opAny
)

// A Requirement is a condition on granted scopes: all of some names, any of them, or a
// combination of requirements. Build it with All, Any, AllOf and AnyOf. The zero Requirement
// is invalid. Requirements are immutable and safe for concurrent use.
type Requirement struct {
	op    op
	names []string
	subs  []Requirement
	err   error
}

// All requires every one of names.
func All(names ...string) Requirement { return leaf(opAll, names) }

// Any requires at least one of names.
func Any(names ...string) Requirement { return leaf(opAny, names) }

// AllOf requires every one of reqs.
func AllOf(reqs ...Requirement) Requirement { return node(opAll, reqs) }

// AnyOf requires at least one of reqs.
func AnyOf(reqs ...Requirement) Requirement { return node(opAny, reqs) }

func leaf(o op, names []string) Requirement {
	r := Requirement{op: o, names: append([]string(nil), names...)}
	if len(names) == 0 {
		r.err = fmt.Errorf("%w: no scope names", ErrInvalidRequirement)
	}
	for _, n := range names {
		if !validToken(n) {
			r.err = fmt.Errorf("%w: %q is not a scope-token", ErrInvalidRequirement, n)
			break
		}
	}
	return r
}

func node(o op, reqs []Requirement) Requirement {
	r := Requirement{op: o, subs: append([]Requirement(nil), reqs...)}
	if len(reqs) == 0 {
		r.err = fmt.Errorf("%w: no requirements", ErrInvalidRequirement)
	}
	for _, s := range reqs {
		if err := s.Err(); err != nil {
			r.err = err
			break
		}
	}
	return r
}

// validToken reports whether s is a scope-token: 1*( %x21 / %x23-5B / %x5D-7E ).
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// Err returns why the requirement is invalid, or nil. Adapters call it when a requirement is
// registered so that a mistake surfaces at start-up rather than as refused requests.
func (r Requirement) Err() error {
	if r.op == 0 {
		return fmt.Errorf("%w: zero Requirement", ErrInvalidRequirement)
	}
	return r.err
}

// Check returns nil if s meets r, an *Error matching ErrInsufficientScope if it does not, and
// an error matching ErrInvalidRequirement if r is invalid. It does not allocate when s meets r.
func (r Requirement) Check(s Set) error {
	if err := r.Err(); err != nil {
		return err
	}
	if r.met(s) {
		return nil
	}
	return &Error{Required: r.Names(), Missing: r.missing(s, nil)}
}

func (r Requirement) met(s Set) bool {
	if r.subs != nil {
		for _, sub := range r.subs {
			if sub.met(s) != (r.op == opAll) {
				return r.op != opAll
			}
		}
		return r.op == opAll
	}
	for _, n := range r.names {
		if s.Has(n) != (r.op == opAll) {
			return r.op != opAll
		}
	}
	return r.op == opAll
}

func (r Requirement) missing(s Set, dst []string) []string {
	if r.met(s) {
		return dst
	}
	if r.subs != nil {
		for _, sub := range r.subs {
			dst = sub.missing(s, dst)
		}
		return dst
	}
	for _, n := range r.names {
		if r.op == opAny || !s.Has(n) {
			dst = appendUnique(dst, n)
		}
	}
	return dst
}

// Names returns every scope name r mentions, once each, in order.
func (r Requirement) Names() []string { return r.appendNames(nil) }

func (r Requirement) appendNames(dst []string) []string {
	for _, sub := range r.subs {
		dst = sub.appendNames(dst)
	}
	for _, n := range r.names {
		dst = appendUnique(dst, n)
	}
	return dst
}

func appendUnique(dst []string, n string) []string {
	for _, d := range dst {
		if d == n {
			return dst
		}
	}
	return append(dst, n)
}

// String describes r, e.g. `all(read:contacts write:contacts)` or
// `any(all(a b) any(c))`.
func (r Requirement) String() string {
	var b strings.Builder
	r.write(&b)
	return b.String()
}

func (r Requirement) write(b *strings.Builder) {
	switch r.op {
	case opAll:
		b.WriteString("all(")
	case opAny:
		b.WriteString("any(")
	default:
		b.WriteString("invalid")
		return
	}
	for i, sub := range r.subs {
		if i > 0 {
			b.WriteByte(' ')
		}
		sub.write(b)
	}
	b.WriteString(strings.Join(r.names, " "))
	b.WriteByte(')')
}

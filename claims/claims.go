// Package claims holds the verified claims of an access token and gives handlers typed access
// to them, including namespaced custom claims such as "https://example.com/roles".
//
// A *Claims comes from jwtguard's Verifier (or the adapters, through the request context):
//
//	c := claims.MustFromContext(r.Context())
//	roles, err := claims.Get[[]string](c, "https://example.com/roles")
//
// Registered claims are parsed once, strictly, when the token is verified; custom claims stay
// as raw JSON until a handler asks for one, and are then decoded with encoding/json.
//
// # Security defaults
//
//   - Claims returned by a Verifier are shared by every request that presents the same token:
//     treat them as read-only.
//   - LogValue prints identifiers only (issuer, subject, audience, client, organization,
//     expiry), never the token, its signature, or custom claims.
package claims

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jwtguard/jwtguard/internal/jsonscan"
)

// Claims are the claims of a verified JWT access token (RFC 7519 §4.1, RFC 9068 §2.2).
// Absent string claims are "", absent times are the zero time.Time.
//
// The Verifier fills every field and shares the value between requests that present the same
// token; it must not be modified. Tests may build Claims by hand, e.g. to put in a context.
type Claims struct {
	Issuer          string    // "iss"
	Subject         string    // "sub"
	Audience        []string  // "aud", a string or an array of strings in the token
	ExpiresAt       time.Time // "exp"
	NotBefore       time.Time // "nbf"
	IssuedAt        time.Time // "iat"
	ID              string    // "jti"
	Scope           string    // "scope": space-separated scope names; see package scopes
	Permissions     []string  // "permissions": Auth0 RBAC permissions
	AuthorizedParty string    // "azp": the client the token was issued to (OIDC)
	ClientID        string    // "client_id": the client the token was issued to (RFC 9068)
	OrgID           string    // "org_id": the Auth0 Organization

	// Raw is the whole claims set as JSON: the decoded token payload. Get, Lookup and
	// Decode read it.
	Raw []byte
}

// ErrNotPresent is returned by Get and Lookup for a claim the token does not have.
var ErrNotPresent = errors.New("claims: claim not present")

// Lookup returns the raw JSON value of the claim name, e.g. `["admin"]` for
// "https://example.com/roles". The result aliases Raw: do not modify it.
func (c *Claims) Lookup(name string) ([]byte, error) {
	o := jsonscan.NewObject(c.Raw)
	for o.Next() {
		if o.NameIs(name) {
			return o.Value(), nil
		}
	}
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	return nil, fmt.Errorf("%w: %q", ErrNotPresent, name)
}

// Get decodes the claim name into a T with encoding/json. It returns an error matching
// ErrNotPresent if the token lacks the claim, and a decoding error if the claim does not fit
// T (a JSON null decodes to T's zero value, as encoding/json does).
func Get[T any](c *Claims, name string) (T, error) {
	var v T
	raw, err := c.Lookup(name)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("claims: decode %q: %w", name, err)
	}
	return v, nil
}

// Decode decodes the whole claims set into v with encoding/json, e.g. into a struct with
// `json:"https://example.com/roles"` tags.
func (c *Claims) Decode(v any) error {
	if err := json.Unmarshal(c.Raw, v); err != nil {
		return fmt.Errorf("claims: decode: %w", err)
	}
	return nil
}

// LogValue implements slog.LogValuer. It logs identifiers only: never the token, its
// signature, scopes, permissions or custom claims.
func (c *Claims) LogValue() slog.Value {
	if c == nil {
		return slog.Value{}
	}
	attrs := make([]slog.Attr, 0, 7)
	add := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	add("iss", c.Issuer)
	add("sub", c.Subject)
	if len(c.Audience) > 0 {
		attrs = append(attrs, slog.Any("aud", c.Audience))
	}
	add("azp", c.AuthorizedParty)
	add("client_id", c.ClientID)
	add("org_id", c.OrgID)
	if !c.ExpiresAt.IsZero() {
		attrs = append(attrs, slog.Time("exp", c.ExpiresAt))
	}
	return slog.GroupValue(attrs...)
}

type ctxKey struct{}

// NewContext returns a copy of ctx that carries c.
func NewContext(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the claims stored in ctx by NewContext, if any.
func FromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(*Claims)
	return c, ok && c != nil
}

// MustFromContext returns the claims stored in ctx. It panics if there are none: use it only
// in handlers that an authenticating middleware guards, where their absence is a programming
// error.
func MustFromContext(ctx context.Context) *Claims {
	c, ok := FromContext(ctx)
	if !ok {
		panic("claims: no verified claims in context (is the handler behind jwtguard's middleware?)")
	}
	return c
}

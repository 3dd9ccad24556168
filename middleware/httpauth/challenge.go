package httpauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/scopes"
)

// retryAfter is the Retry-After value, in seconds, of a 503 answer.
const retryAfter = "30"

// A Rejection is how a request that was refused is answered: a status, the headers RFC 6750
// and RFC 9110 ask for, and a JSON body. Build one with Challenge.
type Rejection struct {
	// Status is the HTTP status: 400, 401, 403, 503, or 500.
	Status int
	// WWWAuthenticate is the WWW-Authenticate header value for 400, 401 and 403, e.g.
	// `Bearer realm="api", error="invalid_token", error_description="..."`; "" otherwise.
	WWWAuthenticate string
	// RetryAfter is the Retry-After header value for 503; "" otherwise.
	RetryAfter string
	// Body is the JSON body.
	Body ErrorBody
}

// ErrorBody is the JSON body of a Rejection, e.g.
// {"error":"invalid_token","error_description":"the access token is invalid"}.
type ErrorBody struct {
	// Error is the RFC 6750 §3.1 error code (invalid_request, invalid_token,
	// insufficient_scope) or, where RFC 6750 defines none, "unauthorized" (no token),
	// "temporarily_unavailable" (503) or "server_error" (500).
	Error string `json:"error"`
	// ErrorDescription is a fixed, generic English sentence. It never contains the token or
	// a claim value, and tells why a token was refused only if it expired.
	ErrorDescription string `json:"error_description,omitempty"`
	// Scope lists, space-separated, the scopes a 403 insufficient_scope answer requires.
	Scope string `json:"scope,omitempty"`
}

// Challenge returns the answer to a request refused with err, an error from Check or
// RequireScopes:
//
//	jwtguard.ErrNoToken            401, WWW-Authenticate: Bearer realm="<realm>" (no error code)
//	ErrInvalidRequest              400, error="invalid_request"
//	jwtguard.ErrInvalidToken       401, error="invalid_token" ("the access token expired" for jwtguard.ErrExpired)
//	scopes.ErrInsufficientScope    403, error="insufficient_scope", scope="<the scopes required>"
//	jwtguard.ErrKeysUnavailable    503, Retry-After: 30 (seconds)
//	anything else                  500
//
// realm is quoted as an RFC 9110 quoted-string: quotes and backslashes are escaped and
// control characters dropped. Adapters for other frameworks use Challenge to answer exactly
// as Middleware does.
func Challenge(err error, realm string) Rejection {
	switch {
	case errors.Is(err, jwtguard.ErrNoToken):
		return Rejection{
			Status:          http.StatusUnauthorized,
			WWWAuthenticate: "Bearer realm=" + quote(realm),
			Body:            ErrorBody{Error: "unauthorized", ErrorDescription: "an access token is required"},
		}
	case errors.Is(err, ErrInvalidRequest):
		return bearerError(http.StatusBadRequest, realm, "invalid_request",
			"the request must carry exactly one well-formed bearer token", "")
	case errors.Is(err, jwtguard.ErrKeysUnavailable):
		return Rejection{
			Status:     http.StatusServiceUnavailable,
			RetryAfter: retryAfter,
			Body:       ErrorBody{Error: "temporarily_unavailable", ErrorDescription: "the access token cannot be verified now"},
		}
	case errors.Is(err, scopes.ErrInsufficientScope):
		var required string
		if se := (*scopes.Error)(nil); errors.As(err, &se) {
			required = strings.Join(se.Required, " ")
		}
		return bearerError(http.StatusForbidden, realm, "insufficient_scope",
			"the access token lacks a required scope", required)
	case errors.Is(err, jwtguard.ErrExpired):
		return bearerError(http.StatusUnauthorized, realm, "invalid_token", "the access token expired", "")
	case errors.Is(err, jwtguard.ErrInvalidToken):
		return bearerError(http.StatusUnauthorized, realm, "invalid_token", "the access token is invalid", "")
	default: // including scopes.ErrInvalidRequirement: a programming error, not the client's
		return Rejection{
			Status: http.StatusInternalServerError,
			Body:   ErrorBody{Error: "server_error", ErrorDescription: "internal error"},
		}
	}
}

func bearerError(status int, realm, code, desc, scope string) Rejection {
	h := "Bearer realm=" + quote(realm) + `, error="` + code + `", error_description="` + desc + `"`
	if scope != "" {
		h += ", scope=" + quote(scope)
	}
	return Rejection{
		Status:          status,
		WWWAuthenticate: h,
		Body:            ErrorBody{Error: code, ErrorDescription: desc, Scope: scope},
	}
}

// quote returns s as an RFC 9110 §5.6.4 quoted-string.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := range len(s) {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' && c != '\t' || c == 0x7f:
			// not representable in a quoted-string: dropped
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Write answers with r: its headers, Content-Type application/json, its status and its body,
// encoded by encoding/json (as Echo's default error handler encodes it, so that both answer
// byte for byte alike).
func (r Rejection) Write(w http.ResponseWriter) {
	h := w.Header()
	if r.WWWAuthenticate != "" {
		h.Set("WWW-Authenticate", r.WWWAuthenticate)
	}
	if r.RetryAfter != "" {
		h.Set("Retry-After", r.RetryAfter)
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(r.Status)
	_ = json.NewEncoder(w).Encode(r.Body) // the client may be gone; nothing to do about it
}

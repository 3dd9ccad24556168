// Package bearer extracts the token from an Authorization header value (RFC 6750 §2.1), for
// the HTTP and gRPC adapters alike.
package bearer

import "errors"

// Errors of Parse.
var (
	// ErrMissing means there is no credential at all (an empty value).
	ErrMissing = errors.New("bearer: no credentials")
	// ErrMalformed means the value is not `Bearer <b64token>`: another scheme, no token,
	// extra spaces or characters outside the b64token grammar. Answer invalid_request.
	ErrMalformed = errors.New("bearer: malformed authorization header")
)

// MaxLen caps the header value Parse accepts, before it looks at it; the verifier applies its
// own, usually smaller, token size limit afterwards.
const MaxLen = 64 << 10

// Parse returns the token of an Authorization header value of the form
//
//	credentials = "Bearer" 1*SP b64token
//	b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// The scheme is case-insensitive (RFC 9110 §11.1). Exactly one space separates it from the
// token; leading or trailing whitespace, tabs, or a second token are malformed. Parse does
// not allocate: the token is a substring of value.
func Parse(value string) (string, error) {
	if value == "" {
		return "", ErrMissing
	}
	if len(value) > MaxLen || len(value) < len("Bearer x") || value[6] != ' ' || !isBearer(value[:6]) {
		return "", ErrMalformed
	}
	tok := value[7:]
	i := 0
	for i < len(tok) && isTokenChar(tok[i]) {
		i++
	}
	if i == 0 {
		return "", ErrMalformed
	}
	for j := i; j < len(tok); j++ {
		if tok[j] != '=' {
			return "", ErrMalformed
		}
	}
	return tok, nil
}

func isBearer(s string) bool {
	const want = "bearer"
	for i := range len(want) {
		if s[i]|0x20 != want[i] {
			return false
		}
	}
	return true
}

func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/'
}

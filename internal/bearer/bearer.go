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
	end := len(tok)
	for end > 0 && tok[end-1] == '=' {
		end--
	}
	if end == 0 {
		return "", ErrMalformed
	}
	// Branch-free: OR together every byte's class and test once (tokens are ~1 KB); four
	// accumulators keep the loads independent.
	var b0, b1, b2, b3 byte
	i := 0
	for ; i+4 <= end; i += 4 {
		b0 |= notTokenChar[tok[i]]
		b1 |= notTokenChar[tok[i+1]]
		b2 |= notTokenChar[tok[i+2]]
		b3 |= notTokenChar[tok[i+3]]
	}
	for ; i < end; i++ {
		b0 |= notTokenChar[tok[i]]
	}
	if b0|b1|b2|b3 != 0 {
		return "", ErrMalformed
	}
	return tok, nil
}

// notTokenChar is 1 for every byte outside ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/".
var notTokenChar = func() (t [256]byte) {
	for c := range t {
		t[c] = 1
	}
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/") {
		t[c] = 0
	}
	return t
}()

func isBearer(s string) bool {
	const want = "bearer"
	for i := range len(want) {
		if s[i]|0x20 != want[i] {
			return false
		}
	}
	return true
}

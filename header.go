package jwtguard

import (
	"sync/atomic"

	"github.com/jwtguard/jwtguard/internal/jsonscan"
	"github.com/jwtguard/jwtguard/internal/jwa"
)

// headerSlots is how many distinct headers a Verifier remembers: a few per signing key of
// every issuer, with room for a rotation.
const headerSlots = 16

// headerCache remembers the parsed JOSE headers of verified tokens. An issuer signs every
// token with one of a few headers (one per key), so a header is nearly always recognised by
// its base64url text, which skips decoding it, parsing it and allocating its kid. Only the
// header of a token whose signature verified enters, so the cache holds headers the trusted
// issuers sent; it replaces round-robin, so neither rotation nor an attacker can grow it.
// Lookups take no lock and allocate nothing.
type headerCache struct {
	slots [headerSlots]atomic.Pointer[knownHeader]
	next  atomic.Uint32
}

// A knownHeader is a parsed header and the text it was parsed from. It never changes.
type knownHeader struct {
	text string // base64url, as in the token
	alg  jwa.Alg
	kid  string
	typ  int
}

// get returns the header parsed from text, or nil.
func (c *headerCache) get(text string) *knownHeader {
	for i := range c.slots {
		h := c.slots[i].Load()
		if h == nil {
			// Slots fill in order and are never emptied; a racing put may leave a gap for
			// a moment, which costs a miss.
			return nil
		}
		if h.text == text {
			return h
		}
	}
	return nil
}

// put remembers h, in place of the oldest header when the cache is full.
func (c *headerCache) put(h *knownHeader) {
	c.slots[(c.next.Add(1)-1)%headerSlots].Store(h)
}

// Header "typ" values.
const (
	typAbsent = iota
	typJWT
	typAccessToken // at+jwt, RFC 9068
)

type header struct {
	alg jwa.Alg
	kid []byte
	typ int
}

// parse reads the JOSE header: alg (required), kid, typ; it refuses crit, b64, zip and enc,
// duplicate or ill-typed parameters, and ignores the rest (jku, x5u, jwk, x5c are never
// used).
func (h *header) parse(data []byte, names *memberNames) error {
	names.reset()
	o := jsonscan.NewObject(data)
	sawAlg := false
	for o.Next() {
		name, ok := names.add(&o)
		if !ok {
			return errHeaderParam
		}
		switch string(name) {
		case "alg":
			s, ok := stringValue(&o)
			if !ok {
				return errHeaderParam
			}
			h.alg, sawAlg = jwa.ParseBytes(s), true
		case "kid":
			s, ok := stringValue(&o)
			if !ok {
				return errHeaderParam
			}
			h.kid = s
		case "typ":
			s, ok := stringValue(&o)
			if !ok {
				return errHeaderParam
			}
			switch {
			case equalFold(s, "JWT"):
				h.typ = typJWT
			case equalFold(s, "at+jwt"), equalFold(s, "application/at+jwt"):
				h.typ = typAccessToken
			default:
				return errTyp
			}
		case "crit":
			return errCrit
		case "b64":
			return errB64
		case "zip":
			return errZip
		case "enc":
			return errStructure
		}
	}
	if o.Err() != nil {
		return errHeaderJSON
	}
	if !sawAlg {
		return errNoAlg
	}
	return nil
}

package jwks

import (
	"context"
	"fmt"

	"github.com/jwtguard/jwtguard/internal/jwa"
)

// A Set is an immutable set of verification keys. It serves as a static key source (its Key
// method has the signature a jwtguard.KeySource needs) and is the snapshot a *Cache swaps in
// on every refresh. It is safe for concurrent use.
type Set struct {
	keys    []*Key
	byID    map[string][]*Key
	skipped []error
}

// NewSet returns a set of the given keys. It needs at least one key. Several keys may share a
// "kid" (RFC 7517 §4.5 allows it for keys of different types); a lookup picks the first that
// fits the token's algorithm.
func NewSet(keys ...*Key) (*Set, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: the set has no usable key", ErrUnsupportedKey)
	}
	s := &Set{keys: make([]*Key, 0, len(keys)), byID: make(map[string][]*Key, len(keys))}
	for _, k := range keys {
		if k == nil {
			return nil, fmt.Errorf("%w: nil key", ErrUnsupportedKey)
		}
		s.keys = append(s.keys, k)
		s.byID[k.id] = append(s.byID[k.id], k)
	}
	return s, nil
}

// Key returns the key that verifies a token with header "kid" and "alg". A token with a kid
// gets the key with that kid that fits alg (ErrUnknownKey if there is no such kid,
// ErrKeyMismatch if there is but it does not fit). A token without a kid gets the one key of
// the set that fits alg, and ErrUnknownKey if there are none or several. Key does not
// allocate; ctx is unused.
func (s *Set) Key(_ context.Context, kid, alg string) (*Key, error) {
	return s.lookup(kid, jwa.Parse(alg))
}

func (s *Set) lookup(kid string, a jwa.Alg) (*Key, error) {
	if a == jwa.Invalid {
		return nil, ErrUnsupportedAlgorithm
	}
	if kid == "" {
		var found *Key
		for _, k := range s.keys {
			if k.fits(a) == nil {
				if found != nil {
					return nil, ErrUnknownKey // ambiguous: the token must name its key
				}
				found = k
			}
		}
		if found == nil {
			return nil, ErrUnknownKey
		}
		return found, nil
	}
	list, ok := s.byID[kid]
	if !ok {
		return nil, ErrUnknownKey
	}
	for _, k := range list {
		if k.fits(a) == nil {
			return k, nil
		}
	}
	return nil, ErrKeyMismatch
}

// Keys returns the keys of the set in their original order.
func (s *Set) Keys() []*Key { return append([]*Key(nil), s.keys...) }

// Len returns the number of keys in the set.
func (s *Set) Len() int { return len(s.keys) }

// Skipped returns why each key ParseSet passed over was not used (RFC 7517 §5: a key that
// cannot be used is ignored, not fatal to the set). It is empty for sets made with NewSet.
func (s *Set) Skipped() []error { return append([]error(nil), s.skipped...) }

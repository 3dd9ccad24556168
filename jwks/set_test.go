package jwks

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSetKey checks Set.Key's choice of key, for a small set and for one large enough to be
// indexed differently.
func TestSetKey(t *testing.T) {
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ed := must(NewKey("a", "", edPub))
	bEC := must(NewKey("b", "", &ec.PublicKey))
	bHS := must(NewSecretKey("b", "HS256", make([]byte, 32)))

	for _, pad := range []int{0, 3, 40} {
		t.Run("pad="+strconv.Itoa(pad), func(t *testing.T) {
			keys := []*Key{ed, bEC, bHS}
			for i := range pad {
				keys = append(keys, must(NewSecretKey("pad"+strconv.Itoa(i), "HS384", make([]byte, 48))))
			}
			set, err := NewSet(keys...)
			require.NoError(t, err)
			for _, tc := range []struct {
				kid, alg string
				want     *Key
				err      error
			}{
				{"a", "EdDSA", ed, nil},
				{"b", "ES256", bEC, nil}, // two keys share kid "b": the one that fits
				{"b", "HS256", bHS, nil}, //
				{"b", "RS256", nil, ErrKeyMismatch},
				{"a", "ES256", nil, ErrKeyMismatch},
				{"zz", "EdDSA", nil, ErrUnknownKey},
				{"A", "EdDSA", nil, ErrUnknownKey}, // kids compare exactly
				{"", "EdDSA", ed, nil},             // no kid: the only key that fits
				{"", "ES256", bEC, nil},
				{"", "RS256", nil, ErrUnknownKey},
				{"a", "none", nil, ErrUnsupportedAlgorithm},
			} {
				got, err := set.Key(context.Background(), tc.kid, tc.alg)
				require.ErrorIs(t, err, tc.err, "Key(%q, %q)", tc.kid, tc.alg)
				require.Same(t, tc.want, got, "Key(%q, %q)", tc.kid, tc.alg)
			}
			if pad >= 2 { // several HS384 keys: a token without a kid is ambiguous
				_, err := set.Key(context.Background(), "", "HS384")
				require.ErrorIs(t, err, ErrUnknownKey)
			}
		})
	}
}

func must(k *Key, err error) *Key {
	if err != nil {
		panic(err)
	}
	return k
}

package jwtguard

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// TestHeaderCacheAdmitsVerifiedOnly checks that a header is remembered only once a token
// carrying it has verified: forged tokens cannot fill the cache.
func TestHeaderCacheAdmitsVerifiedOnly(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"HS256"}})
	key, err := jwks.NewSecretKey(iss.KeyID("HS256"), "HS256", iss.Secret("HS256"))
	require.NoError(t, err)
	set, err := jwks.NewSet(key)
	require.NoError(t, err)
	v, err := New(context.Background(), Config{
		Issuer: iss.URL(), Audience: []string{iss.Audience()}, Algorithms: []string{"HS256"}, Keys: set,
	})
	require.NoError(t, err)
	defer v.Close()

	tok := iss.Sign(nil)
	h64 := tok[:strings.IndexByte(tok, '.')]
	bad := tok[:strings.LastIndexByte(tok, '.')+1] + strings.Repeat("A", 43)
	_, err = v.Verify(t.Context(), bad)
	require.ErrorIs(t, err, ErrSignature)
	require.Nil(t, v.headers.get(h64), "a header entered the cache on a bad signature")

	_, err = v.Verify(t.Context(), tok)
	require.NoError(t, err)
	h := v.headers.get(h64)
	require.NotNil(t, h)
	require.Equal(t, iss.KeyID("HS256"), h.kid)
	require.NotSame(t, unsafe.StringData(tok), unsafe.StringData(h.text), "the cache must not keep the token alive")
}

// TestHeaderCacheBounded checks that the cache keeps at most headerSlots headers, the most
// recent ones.
func TestHeaderCacheBounded(t *testing.T) {
	var c headerCache
	for i := range 3 * headerSlots {
		c.put(&knownHeader{text: "h" + strconv.Itoa(i)})
	}
	n := 0
	for i := range c.slots {
		if c.slots[i].Load() != nil {
			n++
		}
	}
	require.Equal(t, headerSlots, n)
	for i := range 3 * headerSlots {
		got := c.get("h" + strconv.Itoa(i))
		if i < 2*headerSlots {
			require.Nil(t, got, "header %d should have been replaced", i)
		} else {
			require.NotNil(t, got, "header %d should be remembered", i)
		}
	}
}

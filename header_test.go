package jwtguard_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// TestRememberedHeaders checks that a header the verifier has seen before (it remembers the
// headers of verified tokens, by their text) is still only a header: its kid still selects
// the key, and the signature is still checked against it.
func TestRememberedHeaders(t *testing.T) {
	clk := newClock()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"RS256"}, Now: clk.Now})
	oldKid := iss.KeyID("RS256")
	oldTok := iss.Sign(nil)
	iss.Rotate("RS256")
	newTok := iss.Sign(nil)
	v, err := jwtguard.New(context.Background(), jwtguard.Config{
		Issuer:       iss.URL(),
		Audience:     []string{iss.Audience()},
		Keys:         keysOf(t, iss, "RS256"),
		Now:          clk.Now,
		DisableCache: true, // every call verifies
	})
	require.NoError(t, err)
	defer v.Close()

	for range 3 {
		for _, tok := range []string{oldTok, newTok} {
			_, err := v.Verify(t.Context(), tok)
			require.NoError(t, err)
		}
	}

	// The old key's header, byte for byte, on a token the new key signed: the remembered
	// header must send the lookup to the old key, which rejects the signature.
	forged := iss.SignWith("RS256", map[string]any{"kid": oldKid}, map[string]any{"sub": "mallory"})
	fh, _, _ := parts(forged)
	oh, op, _ := parts(oldTok)
	require.Equal(t, oh, fh, "the forged token must reuse the remembered header text")
	_, err = v.Verify(t.Context(), forged)
	require.ErrorIs(t, err, jwtguard.ErrSignature)

	// A remembered header on an altered payload.
	_, err = v.Verify(t.Context(), withPayload(oldTok, `{"iss":"`+iss.URL()+`","aud":"`+iss.Audience()+`","sub":"mallory","exp":99999999999}`))
	require.ErrorIs(t, err, jwtguard.ErrSignature)

	// A remembered header without a signature.
	_, err = v.Verify(t.Context(), oh+"."+op+".AAAA")
	require.ErrorIs(t, err, jwtguard.ErrSignature)
}

// TestRememberedHeaderType checks that a remembered header keeps its "typ": an RFC 9068
// access token still passes RequireAccessTokenType the second time.
func TestRememberedHeaderType(t *testing.T) {
	f := newFixture(t, []string{"ES256"}, func(c *jwtguard.Config) {
		c.RequireAccessTokenType = true
		c.DisableCache = true
	})
	at := f.iss.SignWith("ES256", map[string]any{"typ": "at+jwt"}, nil)
	for range 3 {
		_, err := f.v.Verify(t.Context(), at)
		require.NoError(t, err)
	}
	_, err := f.v.Verify(t.Context(), f.iss.Sign(nil)) // typ JWT
	require.ErrorIs(t, err, jwtguard.ErrType)
}

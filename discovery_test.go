package jwtguard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// TestDiscovery: with only an issuer and an audience, New finds the JWK Set through
// /.well-known/openid-configuration and fetches it before returning.
func TestDiscovery(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	v, err := jwtguard.New(t.Context(), jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}})
	require.NoError(t, err)
	assert.Equal(t, 1, iss.Requests(), "the JWK Set is fetched once, at start")

	c, err := v.Verify(t.Context(), iss.Sign(map[string]any{"scope": "read:contacts"}))
	require.NoError(t, err)
	assert.Equal(t, "read:contacts", c.Scope)
	require.NoError(t, v.Close())
	require.NoError(t, v.Close(), "Close is idempotent")
}

// TestDiscoveryFailsClosed: keys that cannot be had at start are an error naming the issuer,
// never a verifier with an empty key set (keyfunc#122, keyfunc#130).
func TestDiscoveryFailsClosed(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer down.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := jwtguard.New(ctx, jwtguard.Config{Issuer: down.URL + "/", Audience: []string{"a"}})
	require.ErrorIs(t, err, jwtguard.ErrKeysUnavailable)
	assert.Contains(t, err.Error(), down.URL)

	_, err = jwtguard.New(ctx, jwtguard.Config{Issuer: "https://tenant.example.com/", Audience: []string{"a"}, Algorithms: []string{"HS256"}})
	require.Error(t, err, "HMAC needs a configured secret, never a discovered key")
}

// TestCachedTokenDroppedWhenKeyRemoved: a refresh that drops a key revokes it, and tokens it
// signed leave the verified-token cache at once (go-jwt-middleware#288).
func TestCachedTokenDroppedWhenKeyRemoved(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"ES256"}})
	keys, err := jwks.New(t.Context(), jwks.Options{Issuer: iss.URL(), UnknownKeyCooldown: time.Nanosecond})
	require.NoError(t, err)
	defer keys.Close()
	v, err := jwtguard.New(t.Context(), jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}, Algorithms: []string{"ES256"}, Keys: keys})
	require.NoError(t, err)

	old := iss.Sign(nil)
	c1, err := v.Verify(t.Context(), old)
	require.NoError(t, err)
	c2, err := v.Verify(t.Context(), old)
	require.NoError(t, err)
	require.Same(t, c1, c2, "cached")

	oldKID := iss.KeyID("ES256")
	iss.Rotate("ES256")
	iss.Remove(oldKID)
	// A token with the new kid makes the cache refresh, which drops the old key.
	_, err = v.Verify(t.Context(), iss.Sign(nil))
	require.NoError(t, err)
	_, err = v.Verify(t.Context(), old)
	require.ErrorIs(t, err, jwtguard.ErrUnknownKey, "a token of a removed key must not be served from the cache")
}

package jwks

import (
	"crypto/elliptic"
	"encoding/json"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyfunc(t *testing.T) {
	es, ed, p384 := newECKey(t, "es", elliptic.P256()), newEd25519Key(t, "ed"), newECKey(t, "p384", elliptic.P384())
	es.jwk["alg"] = "ES256"
	p := &idp{keys: []any{es, ed}}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json", UnknownKeyCooldown: time.Nanosecond})
	kf := c.Keyfunc()

	token := func(m jwt.SigningMethod, kid any, k *testKey) string {
		tok := jwt.NewWithClaims(m, jwt.MapClaims{"sub": "user", "exp": time.Now().Add(time.Hour).Unix()})
		if kid != nil {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(k.priv)
		require.NoError(t, err)
		return s
	}
	parse := func(s string) error {
		_, err := jwt.Parse(s, kf, jwt.WithValidMethods([]string{"ES256", "ES384", "EdDSA"}))
		return err
	}
	forger := newECKey(t, "es", elliptic.P256())
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"ES256", token(jwt.SigningMethodES256, "es", es), nil},
		{"EdDSA", token(jwt.SigningMethodEdDSA, "ed", ed), nil},
		{"EdDSA without kid", token(jwt.SigningMethodEdDSA, nil, ed), nil},
		{"unknown kid", token(jwt.SigningMethodEdDSA, "nope", ed), ErrUnknownKey},
		{"non-string kid", token(jwt.SigningMethodEdDSA, 7, ed), ErrUnknownKey},
		{"forged signature", token(jwt.SigningMethodES256, "es", forger), jwt.ErrTokenSignatureInvalid},
		{"key bound to another alg", token(jwt.SigningMethodES384, "es", p384), ErrKeyMismatch},
		{"key of another type", token(jwt.SigningMethodEdDSA, "es", ed), ErrKeyMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parse(tt.token)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}

	// The view follows the cache: a rotated-in key verifies, a removed one no longer does.
	ed2 := newEd25519Key(t, "ed2")
	p.set(ed2)
	assert.NoError(t, parse(token(jwt.SigningMethodEdDSA, "ed2", ed2)), "a rotated-in key")
	assert.ErrorIs(t, parse(token(jwt.SigningMethodES256, "es", es)), ErrUnknownKey, "a removed key")
}

func TestStorageView(t *testing.T) {
	a, b := newEd25519Key(t, "a"), newECKey(t, "b", elliptic.P256())
	srv := serve(t, &idp{keys: []any{a, b}})
	c := newCache(t, Options{URL: srv.URL + "/jwks.json"})
	v := storageView{c}
	ctx := t.Context()
	_, err := v.KeyRead(ctx, "zz")
	assert.ErrorIs(t, err, jwkset.ErrKeyNotFound)
	j, err := v.KeyRead(ctx, "b")
	require.NoError(t, err)
	assert.Equal(t, "b", j.Marshal().KID)
	assert.Equal(t, jwkset.UseSig, j.Marshal().USE)
	all, err := v.KeyReadAll(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	raw, err := v.JSONPrivate(ctx)
	require.NoError(t, err)
	var doc struct{ Keys []map[string]any }
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Len(t, doc.Keys, 2)
	assert.NotContains(t, doc.Keys[0], "d")
	_, err = v.KeyDelete(ctx, "a")
	assert.ErrorIs(t, err, errReadOnly)
	assert.ErrorIs(t, v.KeyWrite(ctx, j), errReadOnly)
	assert.ErrorIs(t, v.KeyReplaceAll(ctx, nil), errReadOnly)
	mustKey(t, c, a)
}

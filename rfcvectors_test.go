package jwtguard_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
)

type rfcVector struct {
	Name    string          `json:"name"`
	Token   string          `json:"token"`
	JWK     json.RawMessage `json:"jwk"`
	Alg     string          `json:"alg"`
	Payload string          `json:"payload"`
}

func loadVectors(t *testing.T) []rfcVector {
	data, err := os.ReadFile("testdata/rfc-vectors.json")
	require.NoError(t, err)
	var vs []rfcVector
	require.NoError(t, json.Unmarshal(data, &vs))
	require.Len(t, vs, 4)
	return vs
}

func vectorKey(t *testing.T, v rfcVector) *jwks.Key {
	var oct struct{ Kty, K string }
	require.NoError(t, json.Unmarshal(v.JWK, &oct))
	if oct.Kty == "oct" {
		secret, err := base64.RawURLEncoding.DecodeString(oct.K)
		require.NoError(t, err)
		k, err := jwks.NewSecretKey("", v.Alg, secret)
		require.NoError(t, err)
		return k
	}
	k, err := jwks.ParseKey(v.JWK)
	require.NoError(t, err)
	return k
}

// TestRFCVectors checks the signature layer against the known answers of RFC 7515 appendix
// A.1 (HS256), A.2 (RS256), A.3 (ES256) and RFC 8037 appendix A.4 (Ed25519), and that a
// flipped bit in the signature or the signing input fails.
func TestRFCVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			key := vectorKey(t, v)
			i := strings.LastIndexByte(v.Token, '.')
			input := v.Token[:i]
			sig, err := base64.RawURLEncoding.DecodeString(v.Token[i+1:])
			require.NoError(t, err)
			require.NoError(t, key.Verify(v.Alg, input, sig))

			bad := append([]byte(nil), sig...)
			bad[len(bad)/2] ^= 0x10
			assert.ErrorIs(t, key.Verify(v.Alg, input, bad), jwks.ErrSignature)
			assert.ErrorIs(t, key.Verify(v.Alg, input[:len(input)-1]+"x", sig), jwks.ErrSignature)
		})
	}
}

// TestRFCVectorsThroughVerify sends the RFC 7515 vectors (iss "joe", exp 1300819380, CRLF
// whitespace in header and claims, no "aud") through the whole Verify path with a clock
// before their expiry. Every check up to the audience must pass, so the error is exactly
// ErrAudience. The RFC 8037 vector's payload is not JSON, so it is malformed.
func TestRFCVectorsThroughVerify(t *testing.T) {
	before := func() time.Time { return time.Unix(1300819380-3600, 0) }
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			set, err := jwks.NewSet(vectorKey(t, v))
			require.NoError(t, err)
			ver, err := jwtguard.New(t.Context(), jwtguard.Config{
				Issuer: "joe", Audience: []string{"https://api.example.com"},
				Algorithms: []string{v.Alg}, Keys: set, Now: before,
			})
			require.NoError(t, err)
			_, err = ver.Verify(t.Context(), v.Token)
			if v.Alg == "EdDSA" {
				require.ErrorIs(t, err, jwtguard.ErrMalformed)
				return
			}
			require.ErrorIs(t, err, jwtguard.ErrAudience)
		})
	}
}

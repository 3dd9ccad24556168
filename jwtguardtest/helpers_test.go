package jwtguardtest_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// b64url decodes unpadded base64url, rejecting padding and stray bits.
func b64url(s string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(s)
}

// jwkMembers holds the JWK members the tests read.
type jwkMembers struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
	K   string `json:"k"`
}

// keyFromJWK decodes the verification key of a JWK, independently of the
// package under test: *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey or,
// for "oct" keys, the secret as []byte.
func keyFromJWK(raw []byte) (any, error) {
	var m jwkMembers
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	switch m.Kty {
	case "RSA":
		n, err := b64url(m.N)
		if err != nil {
			return nil, fmt.Errorf("n: %w", err)
		}
		e, err := b64url(m.E)
		if err != nil {
			return nil, fmt.Errorf("e: %w", err)
		}
		if len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("e: %d bytes", len(e))
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	case "EC":
		curves := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
		curve, ok := curves[m.Crv]
		if !ok {
			return nil, fmt.Errorf("unknown crv %q", m.Crv)
		}
		x, err := b64url(m.X)
		if err != nil {
			return nil, fmt.Errorf("x: %w", err)
		}
		y, err := b64url(m.Y)
		if err != nil {
			return nil, fmt.Errorf("y: %w", err)
		}
		size := (curve.Params().BitSize + 7) / 8
		if len(x) != size || len(y) != size {
			return nil, fmt.Errorf("coordinates of %d and %d bytes, want %d", len(x), len(y), size)
		}
		point := append(append([]byte{4}, x...), y...)
		return ecdsa.ParseUncompressedPublicKey(curve, point)
	case "OKP":
		if m.Crv != "Ed25519" {
			return nil, fmt.Errorf("unknown crv %q", m.Crv)
		}
		x, err := b64url(m.X)
		if err != nil {
			return nil, fmt.Errorf("x: %w", err)
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("x: %d bytes", len(x))
		}
		return ed25519.PublicKey(x), nil
	case "oct":
		return b64url(m.K)
	}
	return nil, fmt.Errorf("unknown kty %q", m.Kty)
}

// jwkSet is a decoded JWK Set.
type jwkSet struct {
	raw  []byte
	keys []json.RawMessage
}

// kids returns the key IDs in the set, in order.
func (s jwkSet) kids(t testing.TB) []string {
	t.Helper()
	kids := make([]string, 0, len(s.keys))
	for _, k := range s.keys {
		var m jwkMembers
		require.NoError(t, json.Unmarshal(k, &m))
		kids = append(kids, m.Kid)
	}
	return kids
}

// keyfunc returns a jwt.Keyfunc that looks the token's kid up in the set.
func (s jwkSet) keyfunc() jwt.Keyfunc {
	return func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		for _, k := range s.keys {
			var m jwkMembers
			if err := json.Unmarshal(k, &m); err != nil {
				return nil, err
			}
			if m.Kid == kid {
				return keyFromJWK(k)
			}
		}
		return nil, fmt.Errorf("kid %q not in the JWK Set", kid)
	}
}

// get fetches url with the issuer's client and returns the response and its
// body.
func get(t testing.TB, iss *jwtguardtest.Issuer, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := iss.Client().Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// fetchJWKS fetches the served JWK Set over HTTP.
func fetchJWKS(t testing.TB, iss *jwtguardtest.Issuer) jwkSet {
	t.Helper()
	resp, body := get(t, iss, iss.JWKSURL())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&doc), "JWK Set: %s", body)
	require.NotNil(t, doc.Keys, "JWK Set without a keys array: %s", body)
	return jwkSet{raw: body, keys: doc.Keys}
}

// segment decodes the JSON of a token's header (0) or payload (1), keeping
// numbers as json.Number so integer encoding can be checked.
func segment(t testing.TB, token string, n int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3, "token %q", token)
	raw, err := b64url(parts[n])
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	require.NoError(t, dec.Decode(&m), "segment %d: %s", n, raw)
	_, err = dec.Token()
	require.ErrorIs(t, err, io.EOF, "trailing data in segment %d: %s", n, raw)
	return m
}

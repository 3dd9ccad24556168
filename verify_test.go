package jwtguard_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// signHS256 signs arbitrary header and payload JSON with golang-jwt's HS256, so that tests can
// send JSON that no claims map produces (duplicates, escapes, odd types).
func signHS256(t testing.TB, secret []byte, header, payload string) string {
	t.Helper()
	input := b64(header) + "." + b64(payload)
	sig, err := jwt.SigningMethodHS256.Sign(input, secret)
	require.NoError(t, err)
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestVerifyAcceptsEveryAlgorithm(t *testing.T) {
	f := newFixture(t, allAlgs, nil)
	for _, alg := range allAlgs {
		t.Run(alg, func(t *testing.T) {
			c, err := f.v.Verify(t.Context(), f.iss.SignWith(alg, nil, map[string]any{"scope": "read:contacts"}))
			require.NoError(t, err)
			assert.Equal(t, f.iss.URL(), c.Issuer)
			assert.Equal(t, jwtguardtest.DefaultSubject, c.Subject)
			assert.Equal(t, []string{f.iss.Audience()}, c.Audience)
			assert.Equal(t, "read:contacts", c.Scope)
			assert.Equal(t, f.clock.Now().Add(time.Hour).Unix(), c.ExpiresAt.Unix())
		})
	}
}

func TestVerifyClaims(t *testing.T) {
	f := newFixture(t, []string{"ES256"}, nil)
	now := f.clock.Now()
	tests := []struct {
		name   string
		claims map[string]any
		want   error
	}{
		{name: "valid", claims: map[string]any{}},
		{name: "exp missing", claims: map[string]any{"exp": nil}, want: jwtguard.ErrMissingClaim},
		{name: "expired", claims: map[string]any{"exp": now.Add(-time.Minute).Unix()}, want: jwtguard.ErrExpired},
		{name: "expired within leeway", claims: map[string]any{"exp": now.Add(-10 * time.Second).Unix()}},
		{name: "exp now is expired (RFC 7519 §4.1.4)", claims: map[string]any{"exp": now.Add(-jwtguard.DefaultLeeway).Unix()}, want: jwtguard.ErrExpired},
		{name: "exp fractional", claims: map[string]any{"exp": json.RawMessage(fmt.Sprintf("%d.5", now.Add(time.Hour).Unix()))}},
		{name: "exp exponent form", claims: map[string]any{"exp": json.RawMessage("1.9e9")}},
		{name: "exp as string", claims: map[string]any{"exp": fmt.Sprint(now.Add(time.Hour).Unix())}, want: jwtguard.ErrMalformed},
		{name: "exp null", claims: map[string]any{"exp": json.RawMessage("null")}, want: jwtguard.ErrMalformed},
		{name: "exp huge", claims: map[string]any{"exp": json.RawMessage("1e300")}},
		{name: "exp negative huge", claims: map[string]any{"exp": json.RawMessage("-1e300")}, want: jwtguard.ErrExpired},
		{name: "exp overflow", claims: map[string]any{"exp": json.RawMessage("1e400")}, want: jwtguard.ErrMalformed},
		{name: "nbf future", claims: map[string]any{"nbf": now.Add(time.Minute).Unix()}, want: jwtguard.ErrNotYetValid},
		{name: "nbf within leeway", claims: map[string]any{"nbf": now.Add(10 * time.Second).Unix()}},
		{name: "nbf past", claims: map[string]any{"nbf": now.Add(-time.Minute).Unix()}},
		{name: "nbf as bool", claims: map[string]any{"nbf": true}, want: jwtguard.ErrMalformed},
		{name: "iat future", claims: map[string]any{"iat": now.Add(time.Minute).Unix()}, want: jwtguard.ErrNotYetValid},
		{name: "iat as string", claims: map[string]any{"iat": "yesterday"}, want: jwtguard.ErrMalformed},
		{name: "iss missing", claims: map[string]any{"iss": nil}, want: jwtguard.ErrIssuer},
		{name: "iss other", claims: map[string]any{"iss": "https://evil.example.com/"}, want: jwtguard.ErrIssuer},
		{name: "iss without trailing slash", claims: map[string]any{"iss": strings.TrimSuffix(f.iss.URL(), "/")}, want: jwtguard.ErrIssuer},
		{name: "iss as array", claims: map[string]any{"iss": []string{f.iss.URL()}}, want: jwtguard.ErrMalformed},
		{name: "aud missing", claims: map[string]any{"aud": nil}, want: jwtguard.ErrAudience},
		{name: "aud other", claims: map[string]any{"aud": "https://other.example.com"}, want: jwtguard.ErrAudience},
		{name: "aud array containing ours", claims: map[string]any{"aud": []string{"https://x.example.com/userinfo", f.iss.Audience()}}},
		{name: "aud array without ours", claims: map[string]any{"aud": []string{"a", "b"}}, want: jwtguard.ErrAudience},
		{name: "aud empty array", claims: map[string]any{"aud": []string{}}, want: jwtguard.ErrAudience},
		{name: "aud array with number", claims: map[string]any{"aud": []any{f.iss.Audience(), 1}}, want: jwtguard.ErrMalformed},
		{name: "aud case differs", claims: map[string]any{"aud": strings.ToUpper(f.iss.Audience())}, want: jwtguard.ErrAudience},
		{name: "aud many", claims: map[string]any{"aud": []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", f.iss.Audience()}}},
		{name: "scope as array", claims: map[string]any{"scope": []string{"read:contacts"}}, want: jwtguard.ErrMalformed},
		{name: "permissions as string", claims: map[string]any{"permissions": "read:contacts"}, want: jwtguard.ErrMalformed},
		{name: "sub as number", claims: map[string]any{"sub": 42}, want: jwtguard.ErrMalformed},
		{name: "custom claims of any type", claims: map[string]any{"https://example.com/roles": []string{"admin"}, "n": 1, "o": map[string]any{"a": []any{nil, true}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), f.iss.Sign(tt.claims))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
			assert.NotErrorIs(t, err, jwtguard.ErrKeysUnavailable)
		})
	}
}

func TestVerifyOptionalChecks(t *testing.T) {
	tests := []struct {
		name   string
		config func(*jwtguard.Config)
		claims map[string]any
		header map[string]any
		want   error
	}{
		{name: "max age ok", config: func(c *jwtguard.Config) { c.MaxAge = time.Hour }},
		{name: "max age exceeded", config: func(c *jwtguard.Config) { c.MaxAge = time.Minute },
			claims: map[string]any{"iat": time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC).Unix()}, want: jwtguard.ErrExpired},
		{name: "max age needs iat", config: func(c *jwtguard.Config) { c.MaxAge = time.Hour }, claims: map[string]any{"iat": nil}, want: jwtguard.ErrMissingClaim},
		{name: "no leeway", config: func(c *jwtguard.Config) { c.Leeway = -1 },
			claims: map[string]any{"exp": time.Date(2026, 11, 22, 11, 59, 59, 0, time.UTC).Unix()}, want: jwtguard.ErrExpired},
		{name: "azp accepted", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{"app1", "app2"} }, claims: map[string]any{"azp": "app2"}},
		{name: "client_id accepted", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{"app1"} }, claims: map[string]any{"client_id": "app1"}},
		{name: "azp other", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{"app1"} }, claims: map[string]any{"azp": "app3"}, want: jwtguard.ErrAuthorizedParty},
		{name: "azp missing", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{"app1"} }, want: jwtguard.ErrAuthorizedParty},
		{name: "azp and client_id disagree", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{"app1", "app2"} },
			claims: map[string]any{"azp": "app1", "client_id": "app2"}, want: jwtguard.ErrAuthorizedParty},
		{name: "empty allow-lists check nothing", config: func(c *jwtguard.Config) { c.AuthorizedParties = []string{}; c.Organizations = []string{} }},
		{name: "org accepted", config: func(c *jwtguard.Config) { c.Organizations = []string{"org_1"} }, claims: map[string]any{"org_id": "org_1"}},
		{name: "org other", config: func(c *jwtguard.Config) { c.Organizations = []string{"org_1"} }, claims: map[string]any{"org_id": "org_2"}, want: jwtguard.ErrOrganization},
		{name: "org missing", config: func(c *jwtguard.Config) { c.Organizations = []string{"org_1"} }, want: jwtguard.ErrOrganization},
		{name: "required present", config: func(c *jwtguard.Config) { c.RequiredClaims = []string{"sub", "https://example.com/roles"} },
			claims: map[string]any{"https://example.com/roles": []string{"admin"}}},
		{name: "required missing", config: func(c *jwtguard.Config) { c.RequiredClaims = []string{"sub", "https://example.com/roles"} }, want: jwtguard.ErrMissingClaim},
		{name: "validate hook accepts", config: func(c *jwtguard.Config) {
			c.Validate = func(_ context.Context, c *claims.Claims) error { return nil }
		}},
		{name: "validate hook rejects", config: func(c *jwtguard.Config) {
			c.Validate = func(_ context.Context, c *claims.Claims) error {
				if c.Subject == jwtguardtest.DefaultSubject {
					return errBanned
				}
				return nil
			}
		}, want: errBanned},
		{name: "typ at+jwt", header: map[string]any{"typ": "at+jwt"}},
		{name: "typ application/at+jwt", header: map[string]any{"typ": "application/at+jwt"}},
		{name: "typ absent", header: map[string]any{"typ": nil}},
		{name: "typ case-insensitive", header: map[string]any{"typ": "AT+JWT"}},
		{name: "typ other (RFC 8725 §3.11)", header: map[string]any{"typ": "dpop+jwt"}, want: jwtguard.ErrType},
		{name: "typ required, at+jwt", config: func(c *jwtguard.Config) { c.RequireAccessTokenType = true }, header: map[string]any{"typ": "at+jwt"}},
		{name: "typ required, JWT (RFC 9068 §4)", config: func(c *jwtguard.Config) { c.RequireAccessTokenType = true }, want: jwtguard.ErrType},
		{name: "typ required, absent", config: func(c *jwtguard.Config) { c.RequireAccessTokenType = true }, header: map[string]any{"typ": nil}, want: jwtguard.ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, []string{"EdDSA"}, tt.config)
			_, err := f.v.Verify(t.Context(), f.iss.SignWith("EdDSA", tt.header, tt.claims))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
		})
	}
}

var errBanned = errors.New("banned subject")

// TestVerifyJSON covers the strict parsing of header and claims: RFC 8259 JSON, duplicate
// and escaped names (RFC 7515 §4, RFC 7519 §4: "MUST either reject or use only the lexically
// last" — we reject), ill-typed claims.
func TestVerifyJSON(t *testing.T) {
	f := newFixture(t, []string{"HS256"}, nil)
	secret := f.iss.Secret("HS256")
	kid := f.iss.KeyID("HS256")
	hdr := `{"alg":"HS256","typ":"JWT","kid":"` + kid + `"}`
	exp := f.clock.Unix(time.Hour)
	base := func(extra string) string {
		return fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d%s}`, f.iss.URL(), f.iss.Audience(), exp, extra)
	}
	tests := []struct {
		name    string
		header  string
		payload string
		want    error
	}{
		{name: "valid", header: hdr, payload: base("")},
		{name: "whitespace everywhere", header: " {\r\n\t\"alg\" : \"HS256\" , \"kid\":\"" + kid + "\" } ", payload: base("") + "\n"},
		{name: "duplicate exp", header: hdr, payload: base(fmt.Sprintf(`,"exp":%d`, exp+100)), want: jwtguard.ErrMalformed},
		{name: "duplicate exp escaped", header: hdr, payload: base(fmt.Sprintf(`,"e\u0078p":%d`, exp+100)), want: jwtguard.ErrMalformed},
		{name: "duplicate custom claim", header: hdr, payload: base(`,"role":"user","role":"admin"`), want: jwtguard.ErrMalformed},
		{name: "duplicate iss", header: hdr, payload: base(`,"iss":"https://evil.example.com/"`), want: jwtguard.ErrMalformed},
		{name: "escaped iss compares unescaped", header: hdr,
			payload: fmt.Sprintf(`{"iss":"%s","aud":%q,"exp":%d}`, strings.ReplaceAll(f.iss.URL(), "/", `\/`), f.iss.Audience(), exp)},
		{name: "escaped claim name", header: hdr,
			payload: fmt.Sprintf(`{"\u0069ss":%q,"aud":%q,"\u0065xp":%d}`, f.iss.URL(), f.iss.Audience(), exp)},
		{name: "duplicate alg", header: `{"alg":"none","alg":"HS256","kid":"` + kid + `"}`, payload: base(""), want: jwtguard.ErrMalformed},
		{name: "duplicate kid", header: `{"alg":"HS256","kid":"x","kid":"` + kid + `"}`, payload: base(""), want: jwtguard.ErrMalformed},
		{name: "escaped alg", header: `{"alg":"HS\u0032\u0035\u0036","kid":"` + kid + `"}`, payload: base("")},
		{name: "alg as array", header: `{"alg":["HS256"],"kid":"` + kid + `"}`, payload: base(""), want: jwtguard.ErrMalformed},
		{name: "alg missing", header: `{"kid":"` + kid + `"}`, payload: base(""), want: jwtguard.ErrUnsupportedAlgorithm},
		{name: "alg lowercase", header: `{"alg":"hs256","kid":"` + kid + `"}`, payload: base(""), want: jwtguard.ErrUnsupportedAlgorithm},
		{name: "header not an object", header: `["HS256"]`, payload: base(""), want: jwtguard.ErrMalformed},
		{name: "header trailing garbage", header: hdr + "x", payload: base(""), want: jwtguard.ErrMalformed},
		{name: "payload not an object", header: hdr, payload: `"hello"`, want: jwtguard.ErrMalformed},
		{name: "payload trailing comma", header: hdr, payload: base(","), want: jwtguard.ErrMalformed},
		{name: "payload single quotes", header: hdr, payload: `{'exp':1}`, want: jwtguard.ErrMalformed},
		{name: "payload invalid UTF-8", header: hdr, payload: base(`,"name":"` + "\xff" + `"`), want: jwtguard.ErrMalformed},
		{name: "payload lone surrogate", header: hdr, payload: base(`,"name":"\ud800"`), want: jwtguard.ErrMalformed},
		{name: "payload nested too deep", header: hdr, payload: base(`,"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100)), want: jwtguard.ErrMalformed},
		{name: "payload NaN", header: hdr, payload: base(`,"x":NaN`), want: jwtguard.ErrMalformed},
		{name: "payload leading zero", header: hdr, payload: base(`,"x":01`), want: jwtguard.ErrMalformed},
		{name: "payload with BOM", header: hdr, payload: "\ufeff" + base(""), want: jwtguard.ErrMalformed},
		{name: "too many claims", header: hdr, payload: base(strings.Repeat(`,"c":1`, 0) + manyClaims(200)), want: jwtguard.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), signHS256(t, secret, tt.header, tt.payload))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
		})
	}
}

func manyClaims(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `,"c%d":%d`, i, i)
	}
	return b.String()
}

// TestVerifyStructure covers the compact serialization and strict base64url (RFC 7515 §2,
// §7.1; RFC 4648 §5 with no padding and canonical trailing bits).
func TestVerifyStructure(t *testing.T) {
	f := newFixture(t, []string{"HS256"}, nil)
	tok := f.iss.Sign(nil)
	h, p, s := parts(tok)
	// The last character of a 43-character HS256 signature carries 4 data bits and 2 zero
	// bits; setting a zero bit changes the characters but not the decoded bytes.
	nonCanonical := s[:len(s)-1] + string(rune(s[len(s)-1]+1))
	require.NotEqual(t, s, nonCanonical)
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{name: "valid", token: tok},
		{name: "empty", token: "", want: jwtguard.ErrNoToken},
		{name: "two parts", token: h + "." + p, want: jwtguard.ErrMalformed},
		{name: "four parts", token: tok + ".x", want: jwtguard.ErrMalformed},
		{name: "four parts, dot in the payload", token: h + "." + p[:8] + "." + p[8:] + "." + s, want: jwtguard.ErrMalformed},
		{name: "JWE compact (five parts)", token: h + ".." + p + "." + s + "." + s, want: jwtguard.ErrMalformed},
		{name: "JSON serialization", token: `{"payload":"` + p + `","protected":"` + h + `","signature":"` + s + `"}`, want: jwtguard.ErrMalformed},
		{name: "empty signature (unsecured JWS)", token: h + "." + p + ".", want: jwtguard.ErrMalformed},
		{name: "empty header", token: "." + p + "." + s, want: jwtguard.ErrMalformed},
		{name: "empty payload", token: h + ".." + s, want: jwtguard.ErrMalformed},
		{name: "padding", token: h + "." + p + "." + s + "=", want: jwtguard.ErrMalformed},
		{name: "non-canonical trailing bits", token: h + "." + p + "." + nonCanonical, want: jwtguard.ErrMalformed},
		{name: "standard alphabet", token: h + "." + p + "." + strings.NewReplacer("-", "+", "_", "/").Replace(s) + "+", want: jwtguard.ErrMalformed},
		{name: "line break in payload", token: h + "." + p[:10] + "\r\n" + p[10:] + "." + s, want: jwtguard.ErrMalformed},
		{name: "space in header", token: h[:5] + " " + h[5:] + "." + p + "." + s, want: jwtguard.ErrMalformed},
		{name: "impossible length", token: h + "." + p + "x" + "." + s, want: jwtguard.ErrMalformed},
		{name: "bearer prefix", token: "Bearer " + tok, want: jwtguard.ErrMalformed},
		{name: "oversized", token: tok + strings.Repeat("A", jwtguard.DefaultMaxTokenBytes), want: jwtguard.ErrMalformed},
		{name: "oversized header", token: strings.Repeat("A", 4000) + "." + p + "." + s, want: jwtguard.ErrMalformed},
		{name: "oversized signature", token: h + "." + p + "." + strings.Repeat("A", 2000), want: jwtguard.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), tt.token)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// TestAttackAlgNone: the "alg":"none" attack (RFC 8725 §2.1, CVE-2015-9235). Unsecured tokens
// are never accepted, whatever the spelling or signature.
func TestAttackAlgNone(t *testing.T) {
	f := newFixture(t, []string{"RS256"}, nil)
	unsecured := f.iss.SignWith(jwtguardtest.AlgNone, nil, nil)
	h, p, _ := parts(unsecured)
	_, _, realSig := parts(f.iss.Sign(nil))
	for name, tok := range map[string]string{
		"none, empty signature":      unsecured,
		"none, signature from RS256": h + "." + p + "." + realSig,
		"None":                       b64(`{"alg":"None","typ":"JWT"}`) + "." + p + "." + realSig,
		"NONE":                       b64(`{"alg":"NONE"}`) + "." + p + ".AAAA",
		"nOnE":                       b64(`{"alg":"nOnE"}`) + "." + p + ".AAAA",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), tok)
			require.Error(t, err)
			assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
		})
	}
	_, err := jwtguard.New(t.Context(), jwtguard.Config{Issuer: f.iss.URL(), Audience: []string{"a"}, Algorithms: []string{"none"}, Keys: keysOf(t, f.iss)})
	require.Error(t, err, "none must not be configurable")
}

// TestAttackKeyConfusion: HS256 signed with the RSA public key as the secret (RFC 8725 §2.1,
// CVE-2016-10555, CVE-2015-9235). A published key can never serve as an HMAC secret.
func TestAttackKeyConfusion(t *testing.T) {
	for _, allowHS := range []bool{false, true} {
		t.Run(fmt.Sprintf("HS256 allowed=%v", allowHS), func(t *testing.T) {
			algs := []string{"RS256"}
			if allowHS {
				algs = append(algs, "HS256")
			}
			f := newFixture(t, algs, nil)
			pub := f.iss.PublicKey("RS256").(*rsa.PublicKey)
			der, err := x509.MarshalPKIXPublicKey(pub)
			require.NoError(t, err)
			pemText := "-----BEGIN PUBLIC KEY-----\n" + base64.StdEncoding.EncodeToString(der) + "\n-----END PUBLIC KEY-----\n"
			exp := f.clock.Unix(time.Hour)
			payload := fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d}`, f.iss.URL(), f.iss.Audience(), exp)
			header := `{"alg":"HS256","kid":"` + f.iss.KeyID("RS256") + `"}`
			for _, secret := range [][]byte{der, []byte(pemText), pub.N.Bytes()} {
				_, err := f.v.Verify(t.Context(), signHS256(t, secret, header, payload))
				require.Error(t, err)
				assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
				if allowHS {
					assert.ErrorIs(t, err, jwtguard.ErrKeyMismatch)
				} else {
					assert.ErrorIs(t, err, jwtguard.ErrUnsupportedAlgorithm)
				}
			}
		})
	}
}

// TestAttackAlgorithmSubstitution: a key bound to one algorithm (JWK "alg") never verifies
// another (RFC 7517 §4.4, RFC 8725 §3.1), and algorithms outside the allow-list are refused.
func TestAttackAlgorithmSubstitution(t *testing.T) {
	f := newFixture(t, []string{"RS256", "PS256"}, nil)
	// jwtguardtest publishes each key with its "alg"; sign PS256 with the RS256 key's kid.
	tok := f.iss.SignWith("PS256", map[string]any{"kid": f.iss.KeyID("RS256")}, nil)
	_, err := f.v.Verify(t.Context(), tok)
	require.ErrorIs(t, err, jwtguard.ErrKeyMismatch)

	g := newFixture(t, []string{"ES256"}, func(c *jwtguard.Config) { c.Algorithms = []string{"RS256"} })
	_, err = g.v.Verify(t.Context(), g.iss.Sign(nil))
	require.ErrorIs(t, err, jwtguard.ErrUnsupportedAlgorithm)
}

// TestAttackEmbeddedKey: keys offered in the header ("jwk", CVE-2018-0114; "jku", "x5u",
// "x5c", RFC 8725 §3.10) are never used or fetched.
func TestAttackEmbeddedKey(t *testing.T) {
	f := newFixture(t, []string{"ES256"}, nil)
	var fetched atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fetched.Add(1) }))
	defer evil.Close()

	attacker, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	point, err := attacker.PublicKey.Bytes()
	require.NoError(t, err)
	jwk := map[string]any{"kty": "EC", "crv": "P-256",
		"x": base64.RawURLEncoding.EncodeToString(point[1:33]),
		"y": base64.RawURLEncoding.EncodeToString(point[33:])}
	claimsJSON := fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d}`, f.iss.URL(), f.iss.Audience(), f.clock.Unix(time.Hour))
	for name, hdr := range map[string]map[string]any{
		"jwk without kid": {"alg": "ES256", "jwk": jwk},
		"jwk with kid":    {"alg": "ES256", "jwk": jwk, "kid": f.iss.KeyID("ES256")},
		"jku":             {"alg": "ES256", "jku": evil.URL, "kid": "attacker"},
		"x5u":             {"alg": "ES256", "x5u": evil.URL, "kid": f.iss.KeyID("ES256")},
	} {
		t.Run(name, func(t *testing.T) {
			hb, err := json.Marshal(hdr)
			require.NoError(t, err)
			input := b64(string(hb)) + "." + b64(claimsJSON)
			sig, err := jwt.SigningMethodES256.Sign(input, attacker)
			require.NoError(t, err)
			_, err = f.v.Verify(t.Context(), input+"."+base64.RawURLEncoding.EncodeToString(sig))
			require.Error(t, err)
			assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
		})
	}
	assert.Zero(t, fetched.Load(), "a URL from a token header was fetched")
}

// TestAttackECDSASignatureForms: ECDSA signatures are the fixed-size R||S of RFC 7518 §3.4.
// DER is rejected, and R = S = 0 ("psychic signatures", CVE-2022-21449) never verifies.
func TestAttackECDSASignatureForms(t *testing.T) {
	f := newFixture(t, []string{"ES256"}, nil)
	tok := f.iss.Sign(nil)
	h, p, s := parts(tok)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	r, sv := new(big.Int).SetBytes(raw[:32]), new(big.Int).SetBytes(raw[32:])
	der, err := asn1Sig(r, sv)
	require.NoError(t, err)
	n := elliptic.P256().Params().N
	for name, sig := range map[string][]byte{
		"DER":               der,
		"zero":              make([]byte, 64),
		"r=0":               append(make([]byte, 32), raw[32:]...),
		"s=0":               append(append([]byte(nil), raw[:32]...), make([]byte, 32)...),
		"r=s=n":             append(n.FillBytes(make([]byte, 32)), n.FillBytes(make([]byte, 32))...),
		"s=n-s (high S)":    append(append([]byte(nil), raw[:32]...), new(big.Int).Sub(n, sv).FillBytes(make([]byte, 32))...),
		"truncated":         raw[:63],
		"extended":          append(append([]byte(nil), raw...), 0),
		"left-padded to 66": append([]byte{0, 0}, raw...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), h+"."+p+"."+base64.RawURLEncoding.EncodeToString(sig))
			if name == "s=n-s (high S)" {
				// ECDSA signatures are malleable: (r, n-s) is valid too. JWS does not forbid it;
				// what matters is that the cache is keyed by the whole token, not the claims.
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, jwtguard.ErrSignature)
		})
	}
}

func asn1Sig(r, s *big.Int) ([]byte, error) {
	type sig struct{ R, S *big.Int }
	return asn1Marshal(sig{r, s})
}

// TestAttackWeakRSAKey: RSA keys under 2048 bits are refused (RFC 7518 §3.3, NIST SP 800-131A).
func TestAttackWeakRSAKey(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	_, err = jwks.NewKey("weak", "RS256", &k.PublicKey)
	require.ErrorIs(t, err, jwks.ErrUnsupportedKey)
}

// TestAttackCrit: "crit" names extensions the recipient must understand (RFC 7515 §4.1.11);
// jwtguard understands none, so any "crit" is refused, as are "b64" (RFC 7797) and "zip".
func TestAttackCrit(t *testing.T) {
	f := newFixture(t, []string{"EdDSA"}, nil)
	for name, hdr := range map[string]map[string]any{
		"crit":       {"crit": []string{"exp"}, "exp": 1},
		"crit empty": {"crit": []string{}},
		"b64":        {"b64": false, "crit": []string{"b64"}},
		"b64 alone":  {"b64": true},
		"zip":        {"zip": "DEF"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.v.Verify(t.Context(), f.iss.SignWith("EdDSA", hdr, nil))
			require.ErrorIs(t, err, jwtguard.ErrUnsupportedHeader)
		})
	}
}

// TestAttackSignatureStripping: a valid token's signature must not validate modified claims.
func TestAttackSignatureStripping(t *testing.T) {
	f := newFixture(t, []string{"RS256"}, nil)
	tok := f.iss.Sign(map[string]any{"scope": "read:contacts"})
	forged := withPayload(tok, fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d,"scope":"admin"}`, f.iss.URL(), f.iss.Audience(), f.clock.Unix(time.Hour)))
	_, err := f.v.Verify(t.Context(), forged)
	require.ErrorIs(t, err, jwtguard.ErrSignature)
	// The genuine token first, then the forged one: the cache must not answer for it.
	_, err = f.v.Verify(t.Context(), tok)
	require.NoError(t, err)
	_, err = f.v.Verify(t.Context(), forged)
	require.ErrorIs(t, err, jwtguard.ErrSignature)
}

func TestVerifyKeyLookup(t *testing.T) {
	f := newFixture(t, []string{"ES256", "EdDSA"}, nil)
	t.Run("unknown kid", func(t *testing.T) {
		_, err := f.v.Verify(t.Context(), f.iss.SignWith("ES256", map[string]any{"kid": "nope"}, nil))
		require.ErrorIs(t, err, jwtguard.ErrUnknownKey)
		assert.ErrorIs(t, err, jwtguard.ErrInvalidToken)
	})
	t.Run("no kid, two keys", func(t *testing.T) {
		_, err := f.v.Verify(t.Context(), f.iss.SignWith("ES256", map[string]any{"kid": nil}, nil))
		require.NoError(t, err, "only one key fits ES256, so a kid-less token is unambiguous")
	})
	t.Run("kid of another algorithm's key", func(t *testing.T) {
		_, err := f.v.Verify(t.Context(), f.iss.SignWith("ES256", map[string]any{"kid": f.iss.KeyID("EdDSA")}, nil))
		require.ErrorIs(t, err, jwtguard.ErrKeyMismatch)
	})
	t.Run("removed key", func(t *testing.T) {
		g := newFixture(t, []string{"EdDSA"}, nil)
		old := g.iss.KeyID("EdDSA")
		g.iss.Rotate("EdDSA")
		g.iss.Remove(old)
		_, err := g.v.Verify(t.Context(), g.iss.Sign(nil))
		require.ErrorIs(t, err, jwtguard.ErrUnknownKey, "the verifier's static set predates the rotation")
	})
}

// failingSource is a KeySource that cannot answer.
type failingSource struct {
	err   error
	calls atomic.Int32
}

func (s *failingSource) Key(context.Context, string, string) (*jwks.Key, error) {
	s.calls.Add(1)
	return nil, s.err
}

func TestVerifyKeysUnavailable(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	for name, srcErr := range map[string]error{
		"ErrUnavailable": fmt.Errorf("fetch failed: %w", jwks.ErrUnavailable),
		"other error":    errors.New("disk on fire"),
	} {
		t.Run(name, func(t *testing.T) {
			v, err := jwtguard.New(t.Context(), jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}, Keys: &failingSource{err: srcErr}})
			require.NoError(t, err)
			_, err = v.Verify(t.Context(), iss.Sign(nil))
			require.ErrorIs(t, err, jwtguard.ErrKeysUnavailable)
			assert.NotErrorIs(t, err, jwtguard.ErrInvalidToken, "cannot-verify-now must stay distinct from invalid")
		})
	}
}

// TestMultipleIssuers: a key verifies only tokens of the issuer whose source it came from,
// and the issuer is checked before any key source is consulted (RFC 8725 §3.8, jwkset#54).
func TestMultipleIssuers(t *testing.T) {
	clk := newClock()
	a := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}, Now: clk.Now})
	b := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}, Audience: "https://b.example.com", Now: clk.Now})
	untrusted := &failingSource{err: errors.New("must not be called")}
	a.Rotate("EdDSA") // A's current kid is now "eddsa-2", which B's set lacks
	v, err := jwtguard.New(t.Context(), jwtguard.Config{
		Issuer: a.URL(), Audience: []string{a.Audience()}, Keys: keysOf(t, a), Algorithms: []string{"EdDSA"}, Now: clk.Now,
		Issuers: []jwtguard.Issuer{{URL: b.URL(), Audience: []string{"https://b.example.com"}, Keys: keysOf(t, b)}},
	})
	require.NoError(t, err)

	_, err = v.Verify(t.Context(), a.Sign(nil))
	require.NoError(t, err)
	_, err = v.Verify(t.Context(), b.Sign(nil))
	require.NoError(t, err)

	// A's key signs a token claiming to be from B: B's source has no such key.
	_, err = v.Verify(t.Context(), a.Sign(map[string]any{"iss": b.URL(), "aud": "https://b.example.com"}))
	require.ErrorIs(t, err, jwtguard.ErrUnknownKey)
	// A kid both sets have ("eddsa-1"): B's key is used for B's tokens, and A's signature fails.
	tok := a.SignWith("EdDSA", map[string]any{"kid": b.KeyID("EdDSA")}, map[string]any{"iss": b.URL(), "aud": "https://b.example.com"})
	_, err = v.Verify(t.Context(), tok)
	require.ErrorIs(t, err, jwtguard.ErrSignature)
	// Per-issuer audiences: B's audience is not A's.
	_, err = v.Verify(t.Context(), a.Sign(map[string]any{"aud": "https://b.example.com"}))
	require.ErrorIs(t, err, jwtguard.ErrAudience)

	// An untrusted issuer's token never reaches any key source.
	w, err := jwtguard.New(t.Context(), jwtguard.Config{Issuer: a.URL(), Audience: []string{a.Audience()}, Keys: untrusted, Algorithms: []string{"EdDSA"}, Now: clk.Now})
	require.NoError(t, err)
	_, err = w.Verify(t.Context(), b.Sign(nil))
	require.ErrorIs(t, err, jwtguard.ErrIssuer)
	assert.Zero(t, untrusted.calls.Load())
}

func TestConfigErrors(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	keys := keysOf(t, iss)
	ok := jwtguard.Config{Issuer: iss.URL(), Audience: []string{"a"}, Keys: keys}
	tests := map[string]func(*jwtguard.Config){
		"no issuer":           func(c *jwtguard.Config) { c.Issuer = "" },
		"no audience":         func(c *jwtguard.Config) { c.Audience = nil },
		"empty audience":      func(c *jwtguard.Config) { c.Audience = []string{""} },
		"unknown algorithm":   func(c *jwtguard.Config) { c.Algorithms = []string{"RS1"} },
		"none":                func(c *jwtguard.Config) { c.Algorithms = []string{"none"} },
		"leeway too large":    func(c *jwtguard.Config) { c.Leeway = time.Hour },
		"negative max age":    func(c *jwtguard.Config) { c.MaxAge = -1 },
		"token cap too large": func(c *jwtguard.Config) { c.MaxTokenBytes = 1 << 20 },
		"duplicate issuer":    func(c *jwtguard.Config) { c.Issuers = []jwtguard.Issuer{{URL: iss.URL(), Keys: keys}} },
		"issuer without URL":  func(c *jwtguard.Config) { c.Issuers = []jwtguard.Issuer{{Keys: keys}} },
		"keys without issuer": func(c *jwtguard.Config) { c.Issuer = ""; c.Issuers = []jwtguard.Issuer{{URL: "x", Keys: keys}} },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			c := ok
			edit(&c)
			_, err := jwtguard.New(t.Context(), c)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "jwtguard: "), err.Error())
		})
	}
	_, err := jwtguard.New(t.Context(), ok)
	require.NoError(t, err)
}

func TestCustomClaims(t *testing.T) {
	f := newFixture(t, []string{"EdDSA"}, nil)
	c, err := f.v.Verify(t.Context(), f.iss.Sign(map[string]any{
		"https://example.com/roles": []string{"admin", "editor"},
		"org_id":                    "org_123",
		"permissions":               []string{"read:contacts", "write:contacts"},
		"https://example.com/meta":  map[string]any{"plan": "pro", "seats": 3},
	}))
	require.NoError(t, err)
	roles, err := claims.Get[[]string](c, "https://example.com/roles")
	require.NoError(t, err)
	assert.Equal(t, []string{"admin", "editor"}, roles)
	assert.Equal(t, "org_123", c.OrgID)
	assert.Equal(t, []string{"read:contacts", "write:contacts"}, c.Permissions)
	var meta struct {
		Meta struct {
			Plan  string `json:"plan"`
			Seats int    `json:"seats"`
		} `json:"https://example.com/meta"`
	}
	require.NoError(t, c.Decode(&meta))
	assert.Equal(t, "pro", meta.Meta.Plan)
	assert.Equal(t, 3, meta.Meta.Seats)
	_, err = claims.Get[string](c, "https://example.com/missing")
	require.ErrorIs(t, err, claims.ErrNotPresent)
	_, err = claims.Get[int](c, "https://example.com/roles")
	require.Error(t, err)
}

// TestVerifiedTokenCache: a repeated token is answered from the cache (the same claims),
// entries die at exp, and rejected tokens are never cached.
func TestVerifiedTokenCache(t *testing.T) {
	f := newFixture(t, []string{"EdDSA"}, nil)
	tok := f.iss.Sign(map[string]any{"exp": f.clock.Unix(time.Minute)})
	c1, err := f.v.Verify(t.Context(), tok)
	require.NoError(t, err)
	c2, err := f.v.Verify(t.Context(), tok)
	require.NoError(t, err)
	assert.Same(t, c1, c2, "a repeated token is served from the cache")

	f.clock.Add(time.Minute + jwtguard.DefaultLeeway)
	_, err = f.v.Verify(t.Context(), tok)
	require.ErrorIs(t, err, jwtguard.ErrExpired, "cache entries die at exp (plus leeway)")

	g := newFixture(t, []string{"EdDSA"}, func(c *jwtguard.Config) { c.DisableCache = true })
	tok = g.iss.Sign(nil)
	c1, err = g.v.Verify(t.Context(), tok)
	require.NoError(t, err)
	c2, err = g.v.Verify(t.Context(), tok)
	require.NoError(t, err)
	assert.NotSame(t, c1, c2, "DisableCache verifies every time")
	assert.Equal(t, c1.Subject, c2.Subject)
}

// TestVerifiedTokenCacheBounded: the cache holds at most its entries and bytes.
func TestVerifiedTokenCacheBounded(t *testing.T) {
	f := newFixture(t, []string{"HS256"}, func(c *jwtguard.Config) { c.CacheEntries = 8; c.CacheBytes = 64 << 10 })
	var toks []string
	for i := range 64 {
		toks = append(toks, f.iss.Sign(map[string]any{"jti": fmt.Sprint(i)}))
	}
	first := map[string]*claims.Claims{}
	for _, tok := range toks {
		c, err := f.v.Verify(t.Context(), tok)
		require.NoError(t, err)
		first[tok] = c
	}
	hits := 0
	for _, tok := range slices.Backward(toks) { // most recent first, so the check does not evict what it checks
		c, err := f.v.Verify(t.Context(), tok)
		require.NoError(t, err)
		if c == first[tok] {
			hits++
		}
	}
	assert.LessOrEqual(t, hits, 8, "more tokens cached than CacheEntries")
	assert.Positive(t, hits, "nothing cached")
}

func TestStdlibRSA(t *testing.T) {
	algs := []string{"RS256", "PS384"}
	for _, std := range []bool{false, true} {
		f := newFixture(t, algs, func(c *jwtguard.Config) { c.StdlibRSA = std; c.DisableCache = true })
		for _, alg := range algs {
			tok := f.iss.SignWith(alg, nil, nil)
			_, err := f.v.Verify(t.Context(), tok)
			require.NoError(t, err, "%s stdlib=%v", alg, std)
			h, p, s := parts(tok)
			sig, _ := base64.RawURLEncoding.DecodeString(s)
			sig[len(sig)/2] ^= 1
			_, err = f.v.Verify(t.Context(), h+"."+p+"."+base64.RawURLEncoding.EncodeToString(sig))
			require.ErrorIs(t, err, jwtguard.ErrSignature, "%s stdlib=%v", alg, std)
		}
	}
}

// TestErrorsDoNotLeakToken: no error text contains the token or its parts.
func TestErrorsDoNotLeakToken(t *testing.T) {
	f := newFixture(t, []string{"HS256"}, nil)
	tok := f.iss.Sign(map[string]any{"aud": "other"})
	_, err := f.v.Verify(t.Context(), tok)
	require.Error(t, err)
	h, p, s := parts(tok)
	for _, part := range []string{h, p, s} {
		assert.NotContains(t, err.Error(), part)
	}
	assert.NotContains(t, err.Error(), "other")
	_ = sha256.Sum256
}

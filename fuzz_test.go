package jwtguard_test

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// FuzzVerify feeds Verify arbitrary tokens, seeded with valid tokens of three algorithms and
// the attack tables' shapes. Verify must never panic, and must never accept a token unless
// golang-jwt (an independent implementation) verifies its signature with the configured key
// its header names, under an allowed algorithm, and its claims are valid for the verifier.
func FuzzVerify(f *testing.F) {
	algs := []string{"EdDSA", "HS256", "ES256"}
	fx := newFixture(f, algs, nil)
	for _, alg := range algs {
		tok := fx.iss.SignWith(alg, nil, map[string]any{"scope": "read:contacts", "https://example.com/roles": []string{"a"}})
		h, p, s := parts(tok)
		f.Add(tok)
		f.Add(h + "." + p + "." + s[:len(s)-2])
		f.Add(b64(`{"alg":"none"}`) + "." + p + ".")
		f.Add(b64(`{"alg":"`+alg+`","crit":["x"]}`) + "." + p + "." + s)
		f.Add(h + "." + b64(`{"exp":1,"exp":2}`) + "." + s)
		f.Add(h + "." + p + "." + s + "." + s)
	}
	f.Add(fx.iss.SignWith(jwtguardtest.AlgNone, nil, nil))
	f.Fuzz(func(t *testing.T, token string) {
		c, err := fx.v.Verify(t.Context(), token)
		if err != nil {
			if c != nil {
				t.Fatal("claims returned with an error")
			}
			return
		}
		// Accepted: prove it independently.
		h, p, s := parts(token)
		hb, err1 := base64.RawURLEncoding.Strict().DecodeString(h)
		sig, err2 := base64.RawURLEncoding.Strict().DecodeString(s)
		var hdr struct {
			Alg string `json:"alg"`
			Kid string `json:"kid"`
		}
		if err1 != nil || err2 != nil || json.Unmarshal(hb, &hdr) != nil || !slices.Contains(algs, hdr.Alg) {
			t.Fatalf("accepted a token whose header golang-jwt's rules reject: %q", token)
		}
		if hdr.Kid != "" && hdr.Kid != fx.iss.KeyID(hdr.Alg) {
			t.Fatalf("accepted a token with kid %q for alg %s", hdr.Kid, hdr.Alg)
		}
		key := fx.iss.PublicKey(hdr.Alg)
		if err := jwt.GetSigningMethod(hdr.Alg).Verify(h+"."+p, sig, key); err != nil {
			t.Fatalf("accepted a token golang-jwt rejects (%v): %q", err, token)
		}
		if c.Issuer != fx.iss.URL() || !slices.Contains(c.Audience, fx.iss.Audience()) || !fx.clock.Now().Before(c.ExpiresAt.Add(time.Minute)) {
			t.Fatalf("accepted claims that fail validation: %+v", c)
		}
		if strings.Count(token, ".") != 2 {
			t.Fatalf("accepted a token that is not compact JWS: %q", token)
		}
	})
}

package jwtguard_test

import (
	"context"
	"encoding/base64"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// allAlgs are the algorithms jwtguard verifies.
var allAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"}

// clock is a settable clock for Config.Now and jwtguardtest.Options.Now.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}

func (c *clock) Now() time.Time             { return time.Unix(0, c.ns.Load()) }
func (c *clock) Add(d time.Duration)        { c.ns.Add(int64(d)) }
func (c *clock) Unix(d time.Duration) int64 { return c.Now().Add(d).Unix() }

// keysOf returns the issuer's published keys plus, for HS algorithms, its secrets: the key
// source a test verifier uses.
func keysOf(t testing.TB, iss *jwtguardtest.Issuer, algs ...string) *jwks.Set {
	t.Helper()
	set, err := jwks.ParseSet(iss.JWKS())
	var keys []*jwks.Key
	if err == nil {
		keys = set.Keys()
	}
	for _, a := range algs {
		if s := iss.Secret(a); s != nil {
			k, err := jwks.NewSecretKey(iss.KeyID(a), a, s)
			require.NoError(t, err)
			keys = append(keys, k)
		}
	}
	all, err := jwks.NewSet(keys...)
	require.NoError(t, err)
	return all
}

// fixture is an issuer and a verifier that trusts it, on a shared fake clock.
type fixture struct {
	iss   *jwtguardtest.Issuer
	clock *clock
	v     *jwtguard.Verifier
}

// newFixture starts an issuer signing with algs and a verifier allowing them; edit adjusts the
// verifier's Config.
func newFixture(t testing.TB, algs []string, edit func(*jwtguard.Config)) *fixture {
	t.Helper()
	clk := newClock()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: algs, Now: clk.Now})
	cfg := jwtguard.Config{
		Issuer:     iss.URL(),
		Audience:   []string{iss.Audience()},
		Algorithms: algs,
		Keys:       keysOf(t, iss, algs...),
		Now:        clk.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	v, err := jwtguard.New(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { v.Close() })
	return &fixture{iss: iss, clock: clk, v: v}
}

// b64 encodes s as base64url without padding.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// parts splits a compact JWS.
func parts(tok string) (header, payload, sig string) {
	p := strings.SplitN(tok, ".", 3)
	return p[0], p[1], p[2]
}

// withPayload replaces a token's payload, keeping its header and signature: the signature no
// longer matches unless the payload bytes decode to the same thing.
func withPayload(tok, payloadJSON string) string {
	h, _, s := parts(tok)
	return h + "." + b64(payloadJSON) + "." + s
}

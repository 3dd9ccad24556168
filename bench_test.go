package jwtguard_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/scopes"
)

// benchAlgs are the algorithms the performance budget names, with a PS and ES representative.
var benchAlgs = []string{"RS256", "PS256", "ES256", "EdDSA", "HS256"}

// floor returns the bare standard-library verification of tok (hash + crypto call, the
// signature already decoded), which is what Verify cannot go below.
func floor(t testing.TB, f *fixture, alg, tok string) func() bool {
	i := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:i])
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	require.NoError(t, err)
	switch pub := f.iss.PublicKey(alg).(type) {
	case *rsa.PublicKey:
		if alg == "PS256" {
			opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256}
			return func() bool {
				d := sha256.Sum256(input)
				return rsa.VerifyPSS(pub, crypto.SHA256, d[:], sig, opts) == nil
			}
		}
		return func() bool {
			d := sha256.Sum256(input)
			return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) == nil
		}
	case *ecdsa.PublicKey:
		der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])})
		require.NoError(t, err)
		return func() bool {
			d := sha256.Sum256(input)
			return ecdsa.VerifyASN1(pub, d[:], der)
		}
	case ed25519.PublicKey:
		return func() bool { return ed25519.Verify(pub, input, sig) }
	case []byte:
		mac := hmac.New(sha256.New, pub)
		var sum [32]byte
		return func() bool {
			mac.Reset()
			mac.Write(input)
			return hmac.Equal(mac.Sum(sum[:0]), sig)
		}
	}
	t.Fatalf("no floor for %s", alg)
	return nil
}

// BenchmarkVerify measures, per algorithm and in the same run: the standard library floor,
// Verify on a token seen for the first time (the cache off, so every call verifies), and
// Verify on a cached token.
func BenchmarkVerify(b *testing.B) {
	for _, alg := range benchAlgs {
		f := newFixture(b, []string{alg}, func(c *jwtguard.Config) { c.DisableCache = true })
		cached := newFixture(b, []string{alg}, nil)
		tok := f.iss.Sign(map[string]any{"scope": "openid read:contacts", "permissions": []string{"read:contacts"}, "https://example.com/roles": []string{"admin"}})
		ctok := cached.iss.Sign(nil)
		fl := floor(b, f, alg, tok)
		require.True(b, fl())
		b.Run("alg="+alg+"/impl=floor", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !fl() {
					b.Fatal("floor rejected the token")
				}
			}
		})
		b.Run("alg="+alg+"/impl=verify", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.v.Verify(b.Context(), tok); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("alg="+alg+"/impl=cached", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cached.v.Verify(b.Context(), ctok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyFirstSight measures first sight as a service meets it: the default
// configuration, so the verified-token cache is on and full, and a stream of distinct tokens
// (they differ in "jti"), each new to the verifier: every call misses the cache, verifies and
// inserts. The floor is measured on a token of the same size. Four times as many tokens as
// the cache holds keep hits to about 1%.
func BenchmarkVerifyFirstSight(b *testing.B) {
	f := newFixture(b, []string{"HS256"}, nil)
	toks := make([]string, 4*jwtguard.DefaultCacheEntries)
	for i := range toks {
		toks[i] = f.iss.Sign(map[string]any{"scope": "openid read:contacts", "permissions": []string{"read:contacts"}, "https://example.com/roles": []string{"admin"}, "jti": fmt.Sprintf("%08x", i)})
	}
	fl := floor(b, f, "HS256", toks[0])
	b.Run("alg=HS256/impl=floor", func(b *testing.B) {
		for b.Loop() {
			if !fl() {
				b.Fatal("floor rejected the token")
			}
		}
	})
	b.Run("alg=HS256/impl=verify", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := f.v.Verify(b.Context(), toks[i%len(toks)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkVerifyParallel shows the read path scaling across cores: no lock is taken on a
// cache hit or on a first-sight verification.
func BenchmarkVerifyParallel(b *testing.B) {
	for _, mode := range []string{"cached", "verify"} {
		f := newFixture(b, []string{"EdDSA"}, func(c *jwtguard.Config) { c.DisableCache = mode == "verify" })
		tok := f.iss.Sign(nil)
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := f.v.Verify(b.Context(), tok); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkScopeCheck(b *testing.B) {
	req := scopes.All("read:contacts", "write:contacts")
	granted := scopes.Granted("openid profile read:contacts write:contacts", []string{"read:messages"}, scopes.ScopeOrPermissions)
	b.ReportAllocs()
	for b.Loop() {
		if err := req.Check(granted); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAllocations gates the allocation budget, which AllocsPerRun measures exactly: nothing
// on a cache hit or a scope check; on first sight, the one object the caller keeps (the
// claims with their cache entry and the payload they alias, plus the strings of long arrays)
// on top of what the standard library's crypto allocates (nothing for EdDSA, HMAC and our
// RSA).
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	budget := map[string]float64{"EdDSA": 1, "HS256": 1, "RS256": 1, "PS256": 1} // the entry, claims and payload together
	for alg, want := range budget {
		t.Run("first sight/"+alg, func(t *testing.T) {
			f := newFixture(t, []string{alg}, nil)
			toks := make([]string, 60)
			for i := range toks {
				toks[i] = f.iss.Sign(map[string]any{"jti": fmt.Sprint(i), "permissions": []string{"a", "b"}, "https://example.com/a-rather-long-custom-claim-name-over-32-bytes": 1})
			}
			i := 0
			got := testing.AllocsPerRun(len(toks)-1, func() {
				if _, err := f.v.Verify(t.Context(), toks[i]); err != nil {
					t.Fatal(err)
				}
				i++
			})
			if got > want {
				t.Errorf("Verify(%s) first sight allocates %v, budget %v", alg, got, want)
			}
		})
	}
	t.Run("first sight/ES256", func(t *testing.T) {
		// crypto/ecdsa allocates on every call; Verify may add only the kept entry.
		f := newFixture(t, []string{"ES256"}, func(c *jwtguard.Config) { c.DisableCache = true })
		tok := f.iss.Sign(nil)
		fl := floor(t, f, "ES256", tok)
		own := testing.AllocsPerRun(20, func() { fl() })
		got := testing.AllocsPerRun(20, func() {
			if _, err := f.v.Verify(t.Context(), tok); err != nil {
				t.Fatal(err)
			}
		})
		if got > own+1 {
			t.Errorf("Verify(ES256) allocates %v, crypto/ecdsa itself %v: budget %v", got, own, own+1)
		}
	})
	t.Run("first sight/long arrays", func(t *testing.T) {
		// More audiences and permissions than the entry holds: one more allocation, exact.
		f := newFixture(t, []string{"HS256"}, func(c *jwtguard.Config) { c.DisableCache = true })
		perms := make([]string, 20)
		for i := range perms {
			perms[i] = fmt.Sprintf("read:thing-%d", i)
		}
		tok := f.iss.Sign(map[string]any{"aud": []string{f.iss.Audience(), "https://tenant.example.com/userinfo"}, "permissions": perms})
		c, err := f.v.Verify(t.Context(), tok)
		require.NoError(t, err)
		require.Equal(t, perms, c.Permissions)
		require.Len(t, c.Audience, 2)
		got := testing.AllocsPerRun(20, func() {
			if _, err := f.v.Verify(t.Context(), tok); err != nil {
				t.Fatal(err)
			}
		})
		if got > 2 {
			t.Errorf("Verify with 22 array strings allocates %v, budget 2", got)
		}
	})
	t.Run("cache hit", func(t *testing.T) {
		f := newFixture(t, []string{"RS256"}, nil)
		tok := f.iss.Sign(nil)
		_, err := f.v.Verify(t.Context(), tok)
		require.NoError(t, err)
		if got := testing.AllocsPerRun(100, func() { _, _ = f.v.Verify(t.Context(), tok) }); got != 0 {
			t.Errorf("cache hit allocates %v", got)
		}
	})
	t.Run("scope check", func(t *testing.T) {
		req := scopes.AnyOf(scopes.All("read:contacts", "write:contacts"), scopes.Any("admin"))
		granted := scopes.Granted("openid read:contacts write:contacts", []string{"admin"}, 0)
		if got := testing.AllocsPerRun(100, func() { _ = req.Check(granted) }); got != 0 {
			t.Errorf("scope check allocates %v", got)
		}
	})
	t.Run("rejection", func(t *testing.T) {
		f := newFixture(t, []string{"HS256"}, nil)
		tok := f.iss.Sign(map[string]any{"aud": "other"})
		if got := testing.AllocsPerRun(100, func() { _, _ = f.v.Verify(t.Context(), tok) }); got > 1 {
			t.Errorf("a rejected token allocates %v, budget 1 (its entry)", got)
		}
	})
}

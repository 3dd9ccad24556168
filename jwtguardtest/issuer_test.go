package jwtguardtest_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/jwtguardtest"
)

var allAlgorithms = []string{
	"RS256", "RS384", "RS512",
	"PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512",
	"EdDSA",
	"HS256", "HS384", "HS512",
}

// equalKeys reports whether two verification keys are the same key.
func equalKeys(t testing.TB, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case *rsa.PublicKey:
		assert.True(t, w.Equal(got), "RSA keys differ")
	case *ecdsa.PublicKey:
		assert.True(t, w.Equal(got), "ECDSA keys differ")
	case ed25519.PublicKey:
		assert.True(t, w.Equal(got), "Ed25519 keys differ")
	case []byte:
		assert.Equal(t, w, got)
	default:
		t.Fatalf("unexpected key type %T", want)
	}
}

func TestEveryAlgorithmVerifiesWithPublishedKey(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: allAlgorithms})
	set := fetchJWKS(t, iss)

	for _, alg := range allAlgorithms {
		t.Run(alg, func(t *testing.T) {
			t.Parallel()
			token := iss.SignWith(alg, nil, map[string]any{"scope": "read:messages"})
			hmac := strings.HasPrefix(alg, "HS")

			keyfunc := set.keyfunc()
			if hmac {
				keyfunc = func(*jwt.Token) (any, error) { return iss.Secret(alg), nil }
			}
			parsed, err := jwt.Parse(token, keyfunc,
				jwt.WithValidMethods([]string{alg}),
				jwt.WithIssuer(iss.URL()),
				jwt.WithAudience(iss.Audience()),
				jwt.WithSubject(jwtguardtest.DefaultSubject),
				jwt.WithExpirationRequired(),
				jwt.WithIssuedAt(),
			)
			require.NoError(t, err)
			assert.True(t, parsed.Valid)
			assert.Equal(t, alg, parsed.Header["alg"])
			assert.Equal(t, "JWT", parsed.Header["typ"])
			assert.Equal(t, iss.KeyID(alg), parsed.Header["kid"])
			assert.Equal(t, strings.ToLower(alg)+"-1", iss.KeyID(alg))
			assert.Equal(t, "read:messages", parsed.Claims.(jwt.MapClaims)["scope"])

			if !hmac {
				key, err := set.keyfunc()(parsed)
				require.NoError(t, err)
				equalKeys(t, iss.PublicKey(alg), key)
			}

			// A changed signature must not verify: the key really is checked.
			parts := strings.Split(token, ".")
			sig, err := b64url(parts[2])
			require.NoError(t, err)
			sig[len(sig)/2] ^= 0x01
			tampered := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
			_, err = jwt.Parse(tampered, keyfunc, jwt.WithValidMethods([]string{alg}))
			assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
		})
	}
}

func TestPublishedJWKMembers(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA", "HS256"}})
	set := fetchJWKS(t, iss)
	assert.JSONEq(t, string(iss.JWKS()), string(set.raw), "JWKS() and the served set differ")
	require.Equal(t, []string{"rs256-1", "ps384-1", "es256-1", "es384-1", "es512-1", "eddsa-1"}, set.kids(t))

	coordinate := map[string]int{"P-256": 32, "P-384": 48, "P-521": 66}
	for _, raw := range set.keys {
		var m map[string]string
		require.NoError(t, json.Unmarshal(raw, &m), "%s", raw)
		names := make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
		assert.Equal(t, "sig", m["use"], "%s", raw)
		assert.Equal(t, iss.KeyID(m["alg"]), m["kid"], "%s", raw)

		switch m["kty"] {
		case "RSA":
			assert.ElementsMatch(t, []string{"kty", "kid", "use", "alg", "n", "e"}, names)
			assert.Equal(t, "AQAB", m["e"])
			n, err := b64url(m["n"])
			require.NoError(t, err)
			assert.Len(t, n, 256, "2048-bit modulus without leading zero")
		case "EC":
			assert.ElementsMatch(t, []string{"kty", "kid", "use", "alg", "crv", "x", "y"}, names)
			x, err := b64url(m["x"])
			require.NoError(t, err)
			y, err := b64url(m["y"])
			require.NoError(t, err)
			assert.Len(t, x, coordinate[m["crv"]], "x of %s is padded to the field size", m["crv"])
			assert.Len(t, y, coordinate[m["crv"]], "y of %s is padded to the field size", m["crv"])
			assert.Equal(t, map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[m["alg"]], m["crv"])
		case "OKP":
			assert.ElementsMatch(t, []string{"kty", "kid", "use", "alg", "crv", "x"}, names)
			assert.Equal(t, "Ed25519", m["crv"])
			assert.Equal(t, "EdDSA", m["alg"])
		default:
			t.Errorf("unexpected kty in %s", raw)
		}
		key, err := keyFromJWK(raw)
		require.NoError(t, err)
		equalKeys(t, iss.PublicKey(m["alg"]), key)
	}
}

func TestSignDefaults(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{
		Algorithms: []string{"EdDSA"},
		Now:        func() time.Time { return now },
	})
	assert.Equal(t, jwtguardtest.DefaultAudience, iss.Audience())
	assert.Equal(t, "https://api.example.com", iss.Audience())

	token := iss.Sign(nil)
	assert.Equal(t, map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": "eddsa-1"}, segment(t, token, 0))
	assert.Equal(t, map[string]any{
		"iss": iss.URL(),
		"aud": "https://api.example.com",
		"sub": "auth0|jwtguardtest",
		"iat": json.Number("1700000000"),
		"exp": json.Number("1700003600"),
	}, segment(t, token, 1))
}

func TestSignOptions(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{
		Algorithms: []string{"ES256"},
		Audience:   "https://orders.example.com",
		TTL:        5 * time.Minute,
		Now:        func() time.Time { return now },
	})
	payload := segment(t, iss.Sign(nil), 1)
	assert.Equal(t, "https://orders.example.com", payload["aud"])
	assert.Equal(t, json.Number("1700000300"), payload["exp"])

	expired := jwtguardtest.NewIssuer(t, jwtguardtest.Options{
		Algorithms: []string{"ES256"},
		TTL:        -time.Minute,
		Now:        func() time.Time { return now },
	})
	payload = segment(t, expired.Sign(nil), 1)
	assert.Equal(t, json.Number("1699999940"), payload["exp"], "a negative TTL mints expired tokens")
}

func TestSignClaimOverridesAndOmission(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{
		Algorithms: []string{"EdDSA"},
		Now:        func() time.Time { return now },
	})

	t.Run("override", func(t *testing.T) {
		claims := map[string]any{
			"iss":   "https://other.example.com/",
			"aud":   []string{"https://a.example.com", "https://b.example.com"},
			"sub":   "google-oauth2|42",
			"iat":   int64(1),
			"exp":   now.Add(-time.Minute), // time.Time becomes Unix seconds
			"nbf":   now.Add(time.Minute),
			"scope": "read:messages write:messages",
			"null":  json.RawMessage("null"),
			"typed": []string(nil), // a typed nil is a value, written as null
		}
		payload := segment(t, iss.Sign(claims), 1)
		assert.Equal(t, map[string]any{
			"iss":   "https://other.example.com/",
			"aud":   []any{"https://a.example.com", "https://b.example.com"},
			"sub":   "google-oauth2|42",
			"iat":   json.Number("1"),
			"exp":   json.Number("1699999940"),
			"nbf":   json.Number("1700000060"),
			"scope": "read:messages write:messages",
			"null":  nil,
			"typed": nil,
		}, payload)
		assert.IsType(t, time.Time{}, claims["exp"], "the caller's map is not modified")
	})

	t.Run("nil omits", func(t *testing.T) {
		claims := map[string]any{"iss": nil, "aud": nil, "sub": nil, "iat": nil, "exp": nil, "absent": nil}
		assert.Empty(t, segment(t, iss.Sign(claims), 1))
		assert.Len(t, claims, 6, "the caller's map is not modified")

		payload := segment(t, iss.Sign(map[string]any{"exp": nil, "azp": "client"}), 1)
		assert.NotContains(t, payload, "exp")
		assert.Equal(t, "client", payload["azp"])
		assert.Contains(t, payload, "iat")
	})
}

func TestSignWithHeader(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"ES256", "PS256"}})
	verifyPS256 := func(token string) error {
		_, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return iss.PublicKey("PS256"), nil },
			jwt.WithValidMethods([]string{"PS256"}))
		return err
	}

	header := map[string]any{
		"typ":  "at+jwt",
		"kid":  "other",
		"crit": []string{"exp"},
		"jku":  "https://attacker.example/jwks.json",
	}
	token := iss.SignWith("PS256", header, nil)
	assert.Equal(t, map[string]any{
		"alg":  "PS256",
		"typ":  "at+jwt",
		"kid":  "other",
		"crit": []any{"exp"},
		"jku":  "https://attacker.example/jwks.json",
	}, segment(t, token, 0))
	require.NoError(t, verifyPS256(token), "still signed with the PS256 key")
	assert.Len(t, header, 4, "the caller's map is not modified")

	token = iss.SignWith("PS256", map[string]any{"kid": nil, "typ": nil}, nil)
	assert.Equal(t, map[string]any{"alg": "PS256"}, segment(t, token, 0))
	require.NoError(t, verifyPS256(token))

	// Replacing alg changes only the header.
	token = iss.SignWith("PS256", map[string]any{"alg": "RS256"}, nil)
	assert.Equal(t, "RS256", segment(t, token, 0)["alg"])
	_, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return iss.PublicKey("PS256"), nil },
		jwt.WithValidMethods([]string{"RS256"}))
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)

	// Sign uses the first algorithm.
	assert.Equal(t, "ES256", segment(t, iss.Sign(nil), 0)["alg"])
}

func TestSignWithAlgNone(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
	token := iss.SignWith(jwtguardtest.AlgNone, nil, map[string]any{"scope": "admin"})
	assert.True(t, strings.HasSuffix(token, "."), "empty signature: %s", token)
	assert.Equal(t, map[string]any{"alg": "none", "typ": "JWT"}, header(t, token))

	parsed, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return jwt.UnsafeAllowNoneSignatureType, nil },
		jwt.WithValidMethods([]string{"none"}), jwt.WithIssuer(iss.URL()))
	require.NoError(t, err)
	assert.Equal(t, "admin", parsed.Claims.(jwt.MapClaims)["scope"])
}

// header decodes a token's header, whatever its signature.
func header(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.SplitN(token, ".", 3)
	raw, err := b64url(parts[0])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func TestRotateAndRemove(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"RS256", "ES256", "HS256"}})
	require.Equal(t, []string{"rs256-1", "es256-1"}, fetchJWKS(t, iss).kids(t))

	oldKey := iss.PublicKey("ES256")
	oldToken := iss.SignWith("ES256", nil, nil)

	newKID := iss.Rotate("ES256")
	assert.Equal(t, "es256-2", newKID)
	assert.Equal(t, "es256-2", iss.KeyID("ES256"))
	assert.False(t, oldKey.(*ecdsa.PublicKey).Equal(iss.PublicKey("ES256")), "rotation makes a fresh key")
	newToken := iss.SignWith("ES256", nil, nil)
	assert.Equal(t, "es256-2", header(t, newToken)["kid"])

	set := fetchJWKS(t, iss)
	require.Equal(t, []string{"rs256-1", "es256-1", "es256-2"}, set.kids(t), "the old key stays published")
	for _, token := range []string{oldToken, newToken} {
		_, err := jwt.Parse(token, set.keyfunc(), jwt.WithValidMethods([]string{"ES256"}))
		require.NoError(t, err)
	}

	iss.Remove("es256-1")
	set = fetchJWKS(t, iss)
	require.Equal(t, []string{"rs256-1", "es256-2"}, set.kids(t))
	_, err := jwt.Parse(oldToken, set.keyfunc(), jwt.WithValidMethods([]string{"ES256"}))
	assert.ErrorContains(t, err, `kid "es256-1" not in the JWK Set`)
	_, err = jwt.Parse(newToken, set.keyfunc(), jwt.WithValidMethods([]string{"ES256"}))
	require.NoError(t, err)

	// Removing the current key unpublishes it, but signing goes on with it.
	iss.Remove("es256-2")
	iss.Remove("no-such-kid")
	assert.Equal(t, []string{"rs256-1"}, fetchJWKS(t, iss).kids(t))
	assert.Equal(t, "es256-2", header(t, iss.SignWith("ES256", nil, nil))["kid"])

	// RSA rotation, and a removed algorithm's key can come back by rotating.
	assert.Equal(t, "rs256-2", iss.Rotate("RS256"))
	assert.Equal(t, "es256-3", iss.Rotate("ES256"))
	assert.Equal(t, []string{"rs256-1", "rs256-2", "es256-3"}, fetchJWKS(t, iss).kids(t))
	assert.Equal(t, "rs256-2", header(t, iss.Sign(nil))["kid"])

	// HS secrets rotate too, and stay unpublished.
	oldSecret := iss.Secret("HS256")
	assert.Equal(t, "hs256-2", iss.Rotate("HS256"))
	assert.NotEqual(t, oldSecret, iss.Secret("HS256"))
	iss.Remove("hs256-1")
	assert.Equal(t, []string{"rs256-1", "rs256-2", "es256-3"}, fetchJWKS(t, iss).kids(t))
}

func TestDiscoveryDocument(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"RS256", "ES256", "HS256"}})
	assert.Regexp(t, regexp.MustCompile(`^http://(127\.0\.0\.1|\[::1\]):[0-9]+/$`), iss.URL())
	assert.Equal(t, iss.URL()+".well-known/jwks.json", iss.JWKSURL())

	resp, body := get(t, iss, iss.URL()+".well-known/openid-configuration")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc), "%s", body)
	assert.Equal(t, map[string]any{
		"issuer":                                iss.URL(),
		"jwks_uri":                              iss.JWKSURL(),
		"authorization_endpoint":                iss.URL() + "authorize",
		"token_endpoint":                        iss.URL() + "oauth/token",
		"response_types_supported":              []any{"code"},
		"subject_types_supported":               []any{"public"},
		"id_token_signing_alg_values_supported": []any{"RS256", "ES256", "HS256"},
	}, doc)

	// The jwks_uri it names is served.
	resp, _ = get(t, iss, doc["jwks_uri"].(string))
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, _ = get(t, iss, iss.URL()+"userinfo")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	post, err := iss.Client().Post(iss.JWKSURL(), "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	require.NoError(t, post.Body.Close())
	assert.Equal(t, http.StatusMethodNotAllowed, post.StatusCode)
	assert.Equal(t, 1, iss.Requests(), "only the GET of the JWK Set counts")
}

func TestHMACSecretsAreNotPublished(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"HS256", "HS384", "HS512", "EdDSA"}})
	set := fetchJWKS(t, iss)
	assert.Equal(t, []string{"eddsa-1"}, set.kids(t))
	assert.NotContains(t, string(set.raw), `"oct"`)

	for alg, size := range map[string]int{"HS256": 32, "HS384": 48, "HS512": 64} {
		secret := iss.Secret(alg)
		assert.Len(t, secret, size, alg)
		assert.NotContains(t, string(set.raw), base64.RawURLEncoding.EncodeToString(secret), alg)
		assert.Equal(t, secret, iss.PublicKey(alg), alg)
		assert.Equal(t, strings.ToLower(alg)+"-1", iss.KeyID(alg))

		secret[0] ^= 0xff
		assert.NotEqual(t, secret, iss.Secret(alg), "Secret returns a copy")
	}
	assert.Nil(t, iss.Secret("EdDSA"))
	assert.Nil(t, iss.Secret("RS256"), "not configured")

	// Sign uses the first algorithm, HS256 here.
	_, err := jwt.Parse(iss.Sign(nil), func(*jwt.Token) (any, error) { return iss.Secret("HS256"), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	require.NoError(t, err)
}

func TestRequestsCountsJWKSFetches(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
	assert.Equal(t, 0, iss.Requests())
	_ = iss.JWKS()
	get(t, iss, iss.URL()+".well-known/openid-configuration")
	assert.Equal(t, 0, iss.Requests(), "neither JWKS() nor discovery counts")

	for range 3 {
		fetchJWKS(t, iss)
	}
	assert.Equal(t, 3, iss.Requests())

	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { assert.NoError(t, fetchQuietly(iss)) })
	}
	wg.Wait()
	assert.Equal(t, 13, iss.Requests())
}

// fetchQuietly fetches the JWK Set and reports failure as an error, for use
// off the test goroutine, where require must not be called.
func fetchQuietly(iss *jwtguardtest.Issuer) error {
	resp, err := iss.Client().Get(iss.JWKSURL())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || len(set.Keys) == 0 {
		return fmt.Errorf("status %d, %d keys", resp.StatusCode, len(set.Keys))
	}
	return nil
}

func TestConcurrentSigningDuringRotation(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"ES256", "EdDSA"}})

	const workers, perWorker, rotations = 4, 40, 5
	tokens := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for n := range perWorker {
				alg := []string{"ES256", "EdDSA"}[n%2]
				tokens[w] = append(tokens[w], iss.SignWith(alg, nil, map[string]any{"n": n}))
				_ = iss.KeyID(alg)
				_ = iss.PublicKey(alg)
			}
		})
	}
	wg.Go(func() {
		for range rotations {
			iss.Rotate("ES256")
			iss.Rotate("EdDSA")
			assert.NoError(t, fetchQuietly(iss))
			runtime.Gosched()
		}
	})
	wg.Wait()

	assert.Equal(t, "es256-6", iss.KeyID("ES256"))
	assert.Equal(t, "eddsa-6", iss.KeyID("EdDSA"))
	set := fetchJWKS(t, iss)
	assert.Len(t, set.keys, 2*(rotations+1))
	for _, batch := range tokens {
		require.Len(t, batch, perWorker)
		for _, token := range batch {
			_, err := jwt.Parse(token, set.keyfunc(), jwt.WithValidMethods([]string{"ES256", "EdDSA"}))
			require.NoError(t, err)
		}
	}
}

func TestIssuersHaveDistinctKeys(t *testing.T) {
	t.Parallel()
	a := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	b := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	assert.NotEqual(t, a.URL(), b.URL())
	assert.Equal(t, a.KeyID("RS256"), b.KeyID("RS256"), "same readable kid")
	assert.False(t, a.PublicKey("RS256").(interface{ Equal(crypto.PublicKey) bool }).Equal(b.PublicKey("RS256")),
		"but a different key, so a token of one issuer never verifies with the other's JWK Set")

	_, err := jwt.Parse(a.Sign(nil), fetchJWKS(t, b).keyfunc(), jwt.WithValidMethods([]string{"RS256"}))
	assert.ErrorIs(t, err, jwt.ErrTokenSignatureInvalid)
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		algs []string
		want string
	}{
		{[]string{"RS1"}, `unsupported algorithm "RS1"`},
		{[]string{"none"}, `unsupported algorithm "none"`},
		{[]string{"rs256"}, `unsupported algorithm "rs256"`},
		{[]string{"ES256", "EdDSA", "ES256"}, `algorithm "ES256" listed twice`},
	} {
		iss, err := jwtguardtest.Start(jwtguardtest.Options{Algorithms: tc.algs})
		assert.Nil(t, iss)
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestProgrammerErrorsPanic(t *testing.T) {
	t.Parallel()
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
	const msg = `jwtguardtest: algorithm "ES256" is not in Options.Algorithms [EdDSA]`
	assert.PanicsWithValue(t, msg, func() { iss.SignWith("ES256", nil, nil) })
	assert.PanicsWithValue(t, msg, func() { iss.KeyID("ES256") })
	assert.PanicsWithValue(t, msg, func() { iss.PublicKey("ES256") })
	assert.PanicsWithValue(t, msg, func() { iss.Rotate("ES256") })
	assert.Panics(t, func() { iss.Sign(map[string]any{"bad": make(chan int)}) })
	assert.Panics(t, func() { iss.SignWith("EdDSA", map[string]any{"bad": func() {}}, nil) })
	assert.Nil(t, iss.Secret("ES256"))
}

// fatalRecorder is a testing.TB whose Fatal records the failure and stops the
// goroutine, like the real one.
type fatalRecorder struct {
	testing.TB
	failed   string
	cleanups int
}

func (r *fatalRecorder) Helper()           {}
func (r *fatalRecorder) Cleanup(func())    { r.cleanups++ }
func (r *fatalRecorder) Fatal(args ...any) { r.failed = args[0].(error).Error(); runtime.Goexit() }

func TestNewIssuer(t *testing.T) {
	t.Parallel()

	var jwksURL string
	var client *http.Client
	t.Run("cleanup closes the server", func(t *testing.T) {
		iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
		jwksURL, client = iss.JWKSURL(), iss.Client()
		fetchJWKS(t, iss)
	})
	_, err := client.Get(jwksURL)
	assert.Error(t, err, "the server is closed once the test that made it ends")

	rec := &fatalRecorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		jwtguardtest.NewIssuer(rec, jwtguardtest.Options{Algorithms: []string{"XX1"}})
	}()
	<-done
	assert.Contains(t, rec.failed, `unsupported algorithm "XX1"`)
	assert.Zero(t, rec.cleanups)
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	iss, err := jwtguardtest.Start(jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
	require.NoError(t, err)
	iss.Close()
	iss.Close()
}

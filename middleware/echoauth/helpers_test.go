package echoauth_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/internal/testkit"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// The issuer every test trusts, and another with the same kid but another key, whose tokens
// fail the signature check. RSA key generation is slow: they are made once.
var iss, otherIss *jwtguardtest.Issuer

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.DiscardHandler)) // tests that read logs set Options.Logger
	var err error
	if iss, err = jwtguardtest.Start(jwtguardtest.Options{}); err != nil {
		panic(err)
	}
	if otherIss, err = jwtguardtest.Start(jwtguardtest.Options{}); err != nil {
		panic(err)
	}
	code := m.Run()
	iss.Close()
	otherIss.Close()
	os.Exit(code)
}

// newVerifier returns a verifier that trusts iss with the given keys, or its JWK Set if nil.
func newVerifier(t testing.TB, keys jwtguard.KeySource) *jwtguard.Verifier {
	return testkit.Verifier(t, iss, keys)
}

type unavailableKeys = testkit.UnavailableKeys

// tokens are tokens for the tests.
type tokens struct {
	plain, scoped, perms, expired, badSignature string
}

func mint() tokens {
	now := time.Now()
	return tokens{
		plain:        iss.Sign(map[string]any{"sub": "alice"}),
		scoped:       iss.Sign(map[string]any{"sub": "alice", "scope": "read:contacts"}),
		perms:        iss.Sign(map[string]any{"sub": "alice", "permissions": []string{"read:contacts"}}),
		expired:      iss.Sign(map[string]any{"iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)}),
		badSignature: otherIss.Sign(map[string]any{"iss": iss.URL()}),
	}
}

// answer is what a client received.
type answer struct {
	status                       int
	www, retryAfter, contentType string
	body                         string
}

// get sends GET base+target with the given Authorization header values after applying mods
// to the request.
func get(t testing.TB, base, target string, authz []string, mods ...func(*http.Request)) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+target, nil)
	require.NoError(t, err)
	for _, a := range authz {
		req.Header.Add("Authorization", a)
	}
	for _, m := range mods {
		m(req)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{
		status:      resp.StatusCode,
		www:         resp.Header.Get("WWW-Authenticate"),
		retryAfter:  resp.Header.Get("Retry-After"),
		contentType: resp.Header.Get("Content-Type"),
		body:        string(body),
	}
}

// serve starts a server for h and returns its URL.
func serve(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func bearer(tok string) []string { return []string{"Bearer " + tok} }

type logBuffer = testkit.LogBuffer

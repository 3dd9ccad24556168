package httpauth_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/testkit"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// Expected WWW-Authenticate values with the default realm.
const (
	wwwNoToken      = `Bearer realm="api"`
	wwwBadRequest   = `Bearer realm="api", error="invalid_request", error_description="the request must carry exactly one well-formed bearer token"`
	wwwInvalidToken = `Bearer realm="api", error="invalid_token", error_description="the access token is invalid"`
	wwwExpired      = `Bearer realm="api", error="invalid_token", error_description="the access token expired"`
	wwwScope        = `Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope", scope=`
)

// newVerifier returns a verifier that trusts iss, with its JWK Set as static keys.
func newVerifier(t testing.TB) *jwtguard.Verifier { return testkit.Verifier(t, iss, nil) }

// newVerifierWith returns a verifier that trusts iss with the given keys.
func newVerifierWith(t testing.TB, keys jwtguard.KeySource) *jwtguard.Verifier {
	return testkit.Verifier(t, iss, keys)
}

type unavailableKeys = testkit.UnavailableKeys

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

// tokens are tokens for the tests.
type tokens struct {
	plain, scoped, expired, badSignature, wrongAudience, none string
}

func mint() tokens {
	now := time.Now()
	return tokens{
		plain:         iss.Sign(map[string]any{"sub": "alice"}),
		scoped:        iss.Sign(map[string]any{"sub": "alice", "scope": "read:contacts"}),
		expired:       iss.Sign(map[string]any{"iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)}),
		badSignature:  otherIss.Sign(map[string]any{"iss": iss.URL()}),
		wrongAudience: iss.Sign(map[string]any{"aud": "https://other.example.com"}),
		none:          iss.SignWith(jwtguardtest.AlgNone, nil, nil),
	}
}

// whoami answers 200 with "sub=<subject>", or "anonymous" if the context has no claims.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if c, ok := claims.FromContext(r.Context()); ok {
		fmt.Fprint(w, "sub="+c.Subject)
		return
	}
	fmt.Fprint(w, "anonymous")
})

// answer is what a client received.
type answer struct {
	status                       int
	www, retryAfter, contentType string
	body                         string
}

// get sends GET srv.URL+target with the given Authorization header values (none if empty)
// after applying mods to the request.
func get(t testing.TB, srv *httptest.Server, target string, authz []string, mods ...func(*http.Request)) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+target, nil)
	require.NoError(t, err)
	for _, a := range authz {
		req.Header.Add("Authorization", a)
	}
	for _, m := range mods {
		m(req)
	}
	resp, err := srv.Client().Do(req)
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

func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func bearer(tok string) []string { return []string{"Bearer " + tok} }

type logBuffer = testkit.LogBuffer

package echoauth_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/middleware/echoauth"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// whoami answers with the subject of the claims Middleware stored, or "anonymous".
func whoami(c echo.Context) error {
	if cl, ok := echoauth.Claims(c); ok {
		return c.String(http.StatusOK, "sub="+cl.Subject)
	}
	return c.String(http.StatusOK, "anonymous")
}

// newEcho returns an Echo app with the routes the tests use, protected by auth.
func newEcho(auth *echoauth.Middleware) *echo.Echo {
	e := echo.New()
	e.GET("/api/public", whoami)
	e.GET("/api/private", whoami, auth.Middleware)
	e.GET("/api/scoped", whoami, auth.Middleware, auth.RequireScopes(scopes.All("read:contacts")))
	e.GET("/api/scoped-alone", whoami, auth.RequireScopes(scopes.All("read:contacts")))
	return e
}

// TestParity: for the same requests, echoauth answers exactly as httpauth does: status,
// WWW-Authenticate, Retry-After, Content-Type and body, byte for byte.
func TestParity(t *testing.T) {
	tok := mint()
	good, down := newVerifier(t, nil), newVerifier(t, unavailableKeys{})
	httpServer := func(v *jwtguard.Verifier) http.Handler {
		auth := httpauth.New(v, httpauth.Options{})
		ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "sub="+claims.MustFromContext(r.Context()).Subject)
		})
		mux := http.NewServeMux()
		mux.Handle("GET /api/private", auth.Handler(ok))
		mux.Handle("GET /api/scoped", auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(ok)))
		return mux
	}
	servers := map[bool][2]string{} // keys unavailable → {httpauth, echoauth} URLs
	for _, unavailable := range []bool{false, true} {
		v := good
		if unavailable {
			v = down
		}
		servers[unavailable] = [2]string{
			serve(t, httpServer(v)),
			serve(t, newEcho(echoauth.New(v, echoauth.Options{}))),
		}
	}

	tests := []struct {
		name        string
		path        string
		authz       []string
		unavailable bool
		status      int
	}{
		{"valid", "/api/private", bearer(tok.plain), false, 200},
		{"no token", "/api/private", nil, false, 401},
		{"scheme alone", "/api/private", []string{"Bearer"}, false, 400},
		{"basic", "/api/private", []string{"Basic dXNlcjpwYXNz"}, false, 400},
		{"two headers", "/api/private", []string{"Bearer " + tok.plain, "Bearer " + tok.plain}, false, 400},
		{"100 KB header", "/api/private", bearer(strings.Repeat("a", 100<<10)), false, 400},
		{"garbage token", "/api/private", bearer("abc"), false, 401},
		{"expired", "/api/private", bearer(tok.expired), false, 401},
		{"bad signature", "/api/private", bearer(tok.badSignature), false, 401},
		{"scope granted", "/api/scoped", bearer(tok.scoped), false, 200},
		{"scope missing", "/api/scoped", bearer(tok.plain), false, 403},
		{"scoped, no token", "/api/scoped", nil, false, 401},
		{"keys unavailable", "/api/private", bearer(tok.plain), true, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			urls := servers[tt.unavailable]
			want := get(t, urls[0], tt.path, tt.authz)
			got := get(t, urls[1], tt.path, tt.authz)
			require.Equal(t, tt.status, want.status, "httpauth")
			assert.Equal(t, tt.status, got.status)
			assert.Equal(t, want.body, got.body)
			if tt.status != 200 {
				assert.Equal(t, want, got)
			}
		})
	}
}

// TestClaims: the handler reaches the claims through Claims and through the request's
// context, and the request Echo held before the middleware ran is left alone.
func TestClaims(t *testing.T) {
	tok := mint()
	auth := echoauth.New(newVerifier(t, nil), echoauth.Options{})
	var before, after *http.Request
	var fromCtx, fromEcho *claims.Claims
	e := echo.New()
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			before = c.Request()
			return next(c)
		}
	})
	e.Use(auth.Middleware)
	e.GET("/api/contacts/:id", func(c echo.Context) error {
		after = c.Request()
		fromEcho, _ = echoauth.Claims(c)
		fromCtx, _ = claims.FromContext(c.Request().Context())
		return c.String(http.StatusOK, c.Param("id"))
	})
	srv := serve(t, e)

	got := get(t, srv, "/api/contacts/42", bearer(tok.plain))
	require.Equal(t, 200, got.status)
	assert.Equal(t, "42", got.body)
	require.NotNil(t, fromEcho)
	assert.Equal(t, "alice", fromEcho.Subject)
	assert.Same(t, fromEcho, fromCtx)
	assert.NotSame(t, before, after)
	_, ok := claims.FromContext(before.Context())
	assert.False(t, ok, "the original request gained claims")

	// e.Use protects every route, including unknown ones.
	assert.Equal(t, 401, get(t, srv, "/nowhere", nil).status)
}

func TestCredentialsOptional(t *testing.T) {
	tok := mint()
	auth := echoauth.New(newVerifier(t, nil), echoauth.Options{CredentialsOptional: true})
	e := echo.New()
	e.Use(auth.Middleware)
	e.GET("/feed", whoami)
	e.GET("/contacts", whoami, auth.RequireScopes(scopes.All("read:contacts")))
	srv := serve(t, e)

	tests := []struct {
		name   string
		path   string
		authz  []string
		status int
		body   string
	}{
		{"anonymous", "/feed", nil, 200, "anonymous"},
		{"authenticated", "/feed", bearer(tok.plain), 200, "sub=alice"},
		{"invalid token still refused", "/feed", bearer(tok.expired), 401, ""},
		{"malformed header still refused", "/feed", []string{"Bearer  x"}, 400, ""},
		{"anonymous on a scoped route", "/contacts", nil, 401, ""},
		{"scoped route", "/contacts", bearer(tok.scoped), 200, "sub=alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, srv, tt.path, tt.authz)
			assert.Equal(t, tt.status, got.status)
			if tt.body != "" {
				assert.Equal(t, tt.body, got.body)
			}
		})
	}
}

func TestRequireScopes(t *testing.T) {
	tok := mint()
	v := newVerifier(t, nil)
	srvs := map[scopes.Source]string{}
	for _, src := range []scopes.Source{0, scopes.ScopeClaim, scopes.PermissionsClaim} {
		srvs[src] = serve(t, newEcho(echoauth.New(v, echoauth.Options{ScopeSource: src})))
	}

	tests := []struct {
		name   string
		src    scopes.Source
		path   string
		authz  []string
		status int
	}{
		{"scope", 0, "/api/scoped", bearer(tok.scoped), 200},
		{"permission", 0, "/api/scoped", bearer(tok.perms), 200},
		{"missing", 0, "/api/scoped", bearer(tok.plain), 403},
		{"scope source ignores permissions", scopes.ScopeClaim, "/api/scoped", bearer(tok.perms), 403},
		{"permissions source ignores scope", scopes.PermissionsClaim, "/api/scoped", bearer(tok.scoped), 403},
		{"permissions source", scopes.PermissionsClaim, "/api/scoped", bearer(tok.perms), 200},
		{"alone: granted", 0, "/api/scoped-alone", bearer(tok.scoped), 200},
		{"alone: missing", 0, "/api/scoped-alone", bearer(tok.plain), 403},
		{"alone: no token", 0, "/api/scoped-alone", nil, 401},
		{"alone: invalid token", 0, "/api/scoped-alone", bearer(tok.badSignature), 401},
		{"public", 0, "/api/public", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, srvs[tt.src], tt.path, tt.authz)
			assert.Equal(t, tt.status, got.status)
			switch tt.status {
			case 200:
				assert.Contains(t, []string{"sub=alice", "anonymous"}, got.body)
			case 403:
				assert.Equal(t, `Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope", scope="read:contacts"`, got.www)
			}
		})
	}
}

// TestHTTPErrorHandler: a custom error handler receives an *echo.HTTPError that carries the
// status, the body and the reason, and the challenge header is already set.
func TestHTTPErrorHandler(t *testing.T) {
	tok := mint()
	auth := echoauth.New(newVerifier(t, nil), echoauth.Options{Realm: "contacts"})
	e := echo.New()
	var gotErr error
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		gotErr = err
		assert.NotEmpty(t, c.Response().Header().Get(echo.HeaderWWWAuthenticate))
		_ = c.String(http.StatusTeapot, "custom")
	}
	e.GET("/", whoami, auth.Middleware)
	got := get(t, serve(t, e), "/", bearer(tok.expired))
	assert.Equal(t, http.StatusTeapot, got.status)
	assert.Equal(t, `Bearer realm="contacts", error="invalid_token", error_description="the access token expired"`, got.www)

	var he *echo.HTTPError
	require.ErrorAs(t, gotErr, &he)
	assert.Equal(t, http.StatusUnauthorized, he.Code)
	assert.Equal(t, httpauth.ErrorBody{Error: "invalid_token", ErrorDescription: "the access token expired"}, he.Message)
	require.ErrorIs(t, gotErr, jwtguard.ErrExpired)
	require.ErrorIs(t, gotErr, jwtguard.ErrInvalidToken)
}

func TestQueryAndCookie(t *testing.T) {
	tok := mint()
	auth := echoauth.New(newVerifier(t, nil), echoauth.Options{InsecureQueryToken: true, Cookie: "at"})
	srv := serve(t, newEcho(auth))
	cookie := func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "at", Value: tok.plain}) }

	assert.Equal(t, 200, get(t, srv, "/api/private?access_token="+tok.plain, nil).status)
	assert.Equal(t, 200, get(t, srv, "/api/private", nil, cookie).status)
	assert.Equal(t, 400, get(t, srv, "/api/private?access_token="+tok.plain, bearer(tok.plain)).status)
	assert.Equal(t, 400, get(t, srv, "/api/private", bearer(tok.plain), cookie).status)

	plain := serve(t, newEcho(echoauth.New(newVerifier(t, nil), echoauth.Options{})))
	assert.Equal(t, 401, get(t, plain, "/api/private?access_token="+tok.plain, nil).status, "query tokens are opt-in")
	assert.Equal(t, 401, get(t, plain, "/api/private", nil, cookie).status, "cookie tokens are opt-in")
}

func TestExtractor(t *testing.T) {
	tok := mint()
	auth := echoauth.New(newVerifier(t, nil), echoauth.Options{
		Extractor: func(r *http.Request) (string, error) { return r.Header.Get("X-Token"), nil },
	})
	srv := serve(t, newEcho(auth))
	assert.Equal(t, 200, get(t, srv, "/api/private", nil, func(r *http.Request) { r.Header.Set("X-Token", tok.plain) }).status)
	assert.Equal(t, 401, get(t, srv, "/api/private", bearer(tok.plain)).status)
}

func TestLogs(t *testing.T) {
	tok := mint()
	var logs logBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	srv := serve(t, newEcho(echoauth.New(newVerifier(t, nil), echoauth.Options{Logger: logger})))
	down := serve(t, newEcho(echoauth.New(newVerifier(t, unavailableKeys{}), echoauth.Options{Logger: logger})))

	requests := []struct {
		srv    string
		path   string
		authz  []string
		status int
		level  string
	}{
		{srv, "/api/private", nil, 401, "INFO"},
		{srv, "/api/private", bearer(tok.expired), 401, "INFO"},
		{srv, "/api/private", []string{"Bearer  " + tok.plain}, 400, "INFO"},
		{srv, "/api/scoped", bearer(tok.plain), 403, "INFO"},
		{down, "/api/private", bearer(tok.scoped), 503, "WARN"},
	}
	for _, r := range requests {
		require.Equal(t, r.status, get(t, r.srv, r.path, r.authz).status)
	}
	lines := logs.Lines()
	require.Len(t, lines, len(requests))
	for i, r := range requests {
		var rec struct {
			Level, Path string
			Status      int
		}
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &rec))
		assert.Equal(t, r.level, rec.Level)
		assert.Equal(t, r.status, rec.Status)
		assert.Equal(t, r.path, rec.Path)
	}
	out := logs.String()
	for _, s := range []string{tok.plain, tok.scoped, tok.expired} {
		parts := strings.Split(s, ".")
		assert.NotContains(t, out, parts[1])
		assert.NotContains(t, out, parts[2])
	}
	assert.NotContains(t, out, "Bearer")
}

func TestPanics(t *testing.T) {
	v := newVerifier(t, nil)
	assert.Panics(t, func() { echoauth.New(nil, echoauth.Options{}) })
	assert.Panics(t, func() { echoauth.New(v, echoauth.Options{Realm: "a\nb"}) })
	auth := echoauth.New(v, echoauth.Options{})
	assert.PanicsWithValue(t, "echoauth: RequireScopes: scopes: invalid requirement: no scope names",
		func() { auth.RequireScopes(scopes.Any()) })
}

package httpauth_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// TestAnswers covers the rows of DESIGN.md §6 and the malformed headers: what Check reports,
// and what a client of a real server receives.
func TestAnswers(t *testing.T) {
	tok := mint()
	auth := httpauth.New(newVerifier(t), httpauth.Options{})
	mux := http.NewServeMux()
	mux.Handle("GET /api/contacts", auth.Handler(whoami))
	mux.Handle("GET /api/scoped", auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(whoami)))
	srv := serve(t, mux)

	tests := []struct {
		name     string
		path     string // default /api/contacts
		authz    []string
		checkErr error // what Check reports; nil: Check succeeds
		status   int
		www      string
		code     string // the body's "error"
	}{
		{name: "valid", authz: bearer(tok.plain), status: 200},
		{name: "lowercase scheme", authz: []string{"bearer " + tok.plain}, status: 200},
		{name: "uppercase scheme", authz: []string{"BEARER " + tok.plain}, status: 200},
		{name: "no token", checkErr: jwtguard.ErrNoToken, status: 401, www: wwwNoToken, code: "unauthorized"},
		{name: "empty header", authz: []string{""}, checkErr: jwtguard.ErrNoToken, status: 401, www: wwwNoToken, code: "unauthorized"},
		{name: "scheme alone", authz: []string{"Bearer"}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "two spaces", authz: []string{"Bearer  " + tok.plain}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "tab", authz: []string{"Bearer\t" + tok.plain}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "basic", authz: []string{"Basic dXNlcjpwYXNz"}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "two tokens in one header", authz: []string{"Bearer " + tok.plain + ", Bearer " + tok.plain}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "two headers", authz: []string{"Bearer " + tok.plain, "Bearer " + tok.plain}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "two headers, one empty", authz: []string{"Bearer " + tok.plain, ""}, checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "100 KB header", authz: bearer(strings.Repeat("a", 100<<10)), checkErr: httpauth.ErrInvalidRequest, status: 400, www: wwwBadRequest, code: "invalid_request"},
		{name: "garbage token", authz: bearer("abc"), checkErr: jwtguard.ErrMalformed, status: 401, www: wwwInvalidToken, code: "invalid_token"},
		{name: "expired", authz: bearer(tok.expired), checkErr: jwtguard.ErrExpired, status: 401, www: wwwExpired, code: "invalid_token"},
		{name: "bad signature", authz: bearer(tok.badSignature), checkErr: jwtguard.ErrSignature, status: 401, www: wwwInvalidToken, code: "invalid_token"},
		{name: "wrong audience", authz: bearer(tok.wrongAudience), checkErr: jwtguard.ErrAudience, status: 401, www: wwwInvalidToken, code: "invalid_token"},
		{name: "alg none", authz: bearer(tok.none), checkErr: jwtguard.ErrInvalidToken, status: 401, www: wwwInvalidToken, code: "invalid_token"},
		{name: "scope granted", path: "/api/scoped", authz: bearer(tok.scoped), status: 200},
		{name: "scope missing", path: "/api/scoped", authz: bearer(tok.plain), status: 403, www: wwwScope + `"read:contacts"`, code: "insufficient_scope"},
		{name: "scope route, no token", path: "/api/scoped", checkErr: jwtguard.ErrNoToken, status: 401, www: wwwNoToken, code: "unauthorized"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path == "" {
				tt.path = "/api/contacts"
			}
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			for _, a := range tt.authz {
				r.Header.Add("Authorization", a)
			}
			c, err := auth.Check(r)
			if tt.checkErr != nil {
				require.ErrorIs(t, err, tt.checkErr)
				assert.Nil(t, c)
				if errors.Is(tt.checkErr, jwtguard.ErrInvalidToken) {
					assert.NotErrorIs(t, err, jwtguard.ErrKeysUnavailable)
				}
			} else {
				require.NoError(t, err)
				assert.NotNil(t, c)
			}

			got := get(t, srv, tt.path, tt.authz)
			assert.Equal(t, tt.status, got.status)
			assert.Equal(t, tt.www, got.www)
			assert.Empty(t, got.retryAfter)
			if tt.status == 200 {
				assert.Equal(t, "sub=alice", got.body)
				return
			}
			assert.Equal(t, "application/json", got.contentType)
			var body httpauth.ErrorBody
			require.NoError(t, json.Unmarshal([]byte(got.body), &body))
			assert.Equal(t, tt.code, body.Error)
			assert.NotEmpty(t, body.ErrorDescription)
			for _, a := range tt.authz {
				if len(a) > len("Bearer ") {
					assert.NotContains(t, got.body, a[len("Bearer "):], "the body echoes the token")
				}
			}
		})
	}
}

// TestKeysUnavailable: a verifier whose keys cannot be had answers 503 with Retry-After, not
// 401: the token may well be valid.
func TestKeysUnavailable(t *testing.T) {
	auth := httpauth.New(newVerifierWith(t, unavailableKeys{}), httpauth.Options{})
	tok := mint().plain

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	_, err := auth.Check(r)
	require.ErrorIs(t, err, jwtguard.ErrKeysUnavailable)
	assert.NotErrorIs(t, err, jwtguard.ErrInvalidToken)

	got := get(t, serve(t, auth.Handler(whoami)), "/", bearer(tok))
	assert.Equal(t, http.StatusServiceUnavailable, got.status)
	assert.Equal(t, "30", got.retryAfter)
	assert.Empty(t, got.www)
	assert.JSONEq(t, `{"error":"temporarily_unavailable","error_description":"the access token cannot be verified now"}`, got.body)
}

// TestRequireScopes checks all-of and any-of requirements against "scope" and "permissions",
// with each ScopeSource.
func TestRequireScopes(t *testing.T) {
	v := newVerifier(t)
	scope := func(s string) string { return iss.Sign(map[string]any{"sub": "alice", "scope": s}) }
	perms := func(p ...string) string { return iss.Sign(map[string]any{"sub": "alice", "permissions": p}) }
	rw := scopes.All("read:contacts", "write:contacts")
	either := scopes.Any("read:contacts", "admin")

	tests := []struct {
		name   string
		req    scopes.Requirement
		src    scopes.Source
		token  string
		status int
		scope  string // the challenge's scope attribute on 403
	}{
		{"all: both scopes", rw, 0, scope("write:contacts read:contacts"), 200, ""},
		{"all: one scope", rw, 0, scope("read:contacts"), 403, "read:contacts write:contacts"},
		{"all: no scope claim", rw, 0, scope(""), 403, "read:contacts write:contacts"},
		{"all: scope and permission together", rw, 0, iss.Sign(map[string]any{"sub": "alice", "scope": "read:contacts", "permissions": []string{"write:contacts"}}), 200, ""},
		{"all: both permissions", rw, 0, perms("read:contacts", "write:contacts"), 200, ""},
		{"all: one permission", rw, 0, perms("write:contacts"), 403, "read:contacts write:contacts"},
		{"any: first", either, 0, scope("read:contacts"), 200, ""},
		{"any: second as permission", either, 0, perms("admin"), 200, ""},
		{"any: neither", either, 0, scope("write:contacts"), 403, "read:contacts admin"},
		{"whole names only", either, 0, scope("read:contactsX Admin"), 403, "read:contacts admin"},
		{"scope source ignores permissions", either, scopes.ScopeClaim, perms("admin"), 403, "read:contacts admin"},
		{"scope source reads scope", either, scopes.ScopeClaim, scope("admin"), 200, ""},
		{"permissions source ignores scope", either, scopes.PermissionsClaim, scope("admin"), 403, "read:contacts admin"},
		{"permissions source reads permissions", either, scopes.PermissionsClaim, perms("admin"), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotErr error
			auth := httpauth.New(v, httpauth.Options{ScopeSource: tt.src})
			srv := serve(t, auth.Handler(auth.RequireScopes(tt.req)(whoami)))
			got := get(t, srv, "/", bearer(tt.token))
			assert.Equal(t, tt.status, got.status)
			if tt.status == 200 {
				assert.Equal(t, "sub=alice", got.body)
				return
			}
			assert.Equal(t, wwwScope+`"`+tt.scope+`"`, got.www)
			assert.JSONEq(t, `{"error":"insufficient_scope","error_description":"the access token lacks a required scope","scope":"`+tt.scope+`"}`, got.body)

			// The error handed to ErrorHandler is the scopes error.
			auth = httpauth.New(v, httpauth.Options{ScopeSource: tt.src, ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
				gotErr = err
				w.WriteHeader(http.StatusTeapot)
			}})
			srv = serve(t, auth.Handler(auth.RequireScopes(tt.req)(whoami)))
			assert.Equal(t, http.StatusTeapot, get(t, srv, "/", bearer(tt.token)).status)
			require.ErrorIs(t, gotErr, scopes.ErrInsufficientScope)
		})
	}
}

// TestRequireScopesAlone: a scope guard without Handler in front authenticates by itself.
func TestRequireScopesAlone(t *testing.T) {
	tok := mint()
	auth := httpauth.New(newVerifier(t), httpauth.Options{})
	srv := serve(t, auth.RequireScopes(scopes.All("read:contacts"))(whoami))

	tests := []struct {
		name   string
		authz  []string
		status int
		www    string
		body   string
	}{
		{"no token", nil, 401, wwwNoToken, ""},
		{"malformed", []string{"Bearer"}, 400, wwwBadRequest, ""},
		{"invalid token", bearer(tok.badSignature), 401, wwwInvalidToken, ""},
		{"missing scope", bearer(tok.plain), 403, wwwScope + `"read:contacts"`, ""},
		{"granted, claims in context", bearer(tok.scoped), 200, "", "sub=alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, srv, "/", tt.authz)
			assert.Equal(t, tt.status, got.status)
			assert.Equal(t, tt.www, got.www)
			if tt.body != "" {
				assert.Equal(t, tt.body, got.body)
			}
		})
	}
}

func TestRequireScopesInvalidRequirementPanics(t *testing.T) {
	auth := httpauth.New(newVerifier(t), httpauth.Options{})
	assert.PanicsWithValue(t, "httpauth: RequireScopes: scopes: invalid requirement: no scope names",
		func() { auth.RequireScopes(scopes.All()) }, "no names")
	assert.Panics(t, func() { auth.RequireScopes(scopes.Requirement{}) }, "zero requirement")
	assert.Panics(t, func() { auth.RequireScopes(scopes.All(`a"b`)) }, "not a scope-token")
}

func TestNewPanics(t *testing.T) {
	v := newVerifier(t)
	assert.PanicsWithValue(t, "httpauth: New with a nil Verifier", func() { httpauth.New(nil, httpauth.Options{}) })
	assert.PanicsWithValue(t, "httpauth: Options.Realm contains a control character",
		func() { httpauth.New(v, httpauth.Options{Realm: "api\r\nSet-Cookie: x=y"}) })
}

func TestCredentialsOptional(t *testing.T) {
	tok := mint()
	auth := httpauth.New(newVerifier(t), httpauth.Options{CredentialsOptional: true})
	mux := http.NewServeMux()
	mux.Handle("GET /feed", whoami)
	mux.Handle("GET /contacts", auth.RequireScopes(scopes.All("read:contacts"))(whoami))
	srv := serve(t, auth.Handler(mux))

	tests := []struct {
		name   string
		path   string
		authz  []string
		status int
		www    string
		body   string
	}{
		{"anonymous", "/feed", nil, 200, "", "anonymous"},
		{"anonymous, empty header", "/feed", []string{""}, 200, "", "anonymous"},
		{"authenticated", "/feed", bearer(tok.plain), 200, "", "sub=alice"},
		{"invalid token still refused", "/feed", bearer(tok.expired), 401, wwwExpired, ""},
		{"malformed header still refused", "/feed", []string{"Basic x"}, 400, wwwBadRequest, ""},
		{"anonymous on a scoped route", "/contacts", nil, 401, wwwNoToken, ""},
		{"authenticated on a scoped route", "/contacts", bearer(tok.scoped), 200, "", "sub=alice"},
		{"missing scope on a scoped route", "/contacts", bearer(tok.plain), 403, wwwScope + `"read:contacts"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, srv, tt.path, tt.authz)
			assert.Equal(t, tt.status, got.status)
			assert.Equal(t, tt.www, got.www)
			if tt.body != "" {
				assert.Equal(t, tt.body, got.body)
			}
		})
	}

	// Check is not affected by CredentialsOptional.
	_, err := auth.Check(httptest.NewRequest(http.MethodGet, "/", nil))
	require.ErrorIs(t, err, jwtguard.ErrNoToken)
}

// TestQueryAndCookie covers the opt-in token sources and the one-credential rule.
func TestQueryAndCookie(t *testing.T) {
	tok := mint()
	v := newVerifier(t)
	cookie := func(name, value string) func(*http.Request) {
		return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: name, Value: value}) }
	}
	const none, query, jar, both = 0, 1, 2, 3
	servers := map[int]*httptest.Server{}
	for _, o := range []int{none, query, jar, both} {
		auth := httpauth.New(v, httpauth.Options{InsecureQueryToken: o&query != 0, Cookie: map[bool]string{true: "at"}[o&jar != 0]})
		servers[o] = serve(t, auth.Handler(whoami))
	}

	tests := []struct {
		name   string
		opts   int
		target string
		authz  []string
		mods   []func(*http.Request)
		status int
		www    string
	}{
		{"query ignored by default", none, "/?access_token=" + tok.plain, nil, nil, 401, wwwNoToken},
		{"cookie ignored by default", none, "/", nil, []func(*http.Request){cookie("at", tok.plain)}, 401, wwwNoToken},
		{"query", query, "/?access_token=" + tok.plain, nil, nil, 200, ""},
		{"query, invalid token", query, "/?access_token=" + tok.expired, nil, nil, 401, wwwExpired},
		{"query and header", query, "/?access_token=" + tok.plain, bearer(tok.plain), nil, 400, wwwBadRequest},
		{"query twice", query, "/?access_token=" + tok.plain + "&access_token=" + tok.plain, nil, nil, 400, wwwBadRequest},
		{"empty query value is absent", query, "/?access_token=", bearer(tok.plain), nil, 200, ""},
		{"cookie", jar, "/", nil, []func(*http.Request){cookie("at", tok.plain)}, 200, ""},
		{"cookie and header", jar, "/", bearer(tok.plain), []func(*http.Request){cookie("at", tok.plain)}, 400, wwwBadRequest},
		{"cookie twice", jar, "/", nil, []func(*http.Request){cookie("at", tok.plain), cookie("at", tok.plain)}, 400, wwwBadRequest},
		{"other cookie ignored", jar, "/", bearer(tok.plain), []func(*http.Request){cookie("session", "x")}, 200, ""},
		{"empty cookie is absent", jar, "/", nil, []func(*http.Request){cookie("at", "")}, 401, wwwNoToken},
		{"query and cookie", both, "/?access_token=" + tok.plain, nil, []func(*http.Request){cookie("at", tok.plain)}, 400, wwwBadRequest},
		{"cookie alone with both enabled", both, "/", nil, []func(*http.Request){cookie("at", tok.plain)}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := get(t, servers[tt.opts], tt.target, tt.authz, tt.mods...)
			assert.Equal(t, tt.status, got.status)
			assert.Equal(t, tt.www, got.www)
			if tt.status == 200 {
				assert.Equal(t, "sub=alice", got.body)
			}
		})
	}
}

func TestExtractor(t *testing.T) {
	tok := mint()
	errOther := errors.New("extractor: broken")
	auth := httpauth.New(newVerifier(t), httpauth.Options{
		InsecureQueryToken: true, // ignored: the extractor replaces the built-in sources
		Extractor: func(r *http.Request) (string, error) {
			switch v := r.Header.Get("X-Token"); v {
			case "malformed":
				return "", fmt.Errorf("x-token: %w", httpauth.ErrInvalidRequest)
			case "broken":
				return "", errOther
			default:
				return v, nil
			}
		},
	})
	srv := serve(t, auth.Handler(whoami))
	xToken := func(v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set("X-Token", v) } }

	tests := []struct {
		name   string
		target string
		authz  []string
		mods   []func(*http.Request)
		err    error
		status int
		body   string
	}{
		{"custom header", "/", nil, []func(*http.Request){xToken(tok.plain)}, nil, 200, "sub=alice"},
		{"Authorization ignored", "/", bearer(tok.plain), nil, jwtguard.ErrNoToken, 401, ""},
		{"query ignored", "/?access_token=" + tok.plain, nil, nil, jwtguard.ErrNoToken, 401, ""},
		{"invalid request", "/", nil, []func(*http.Request){xToken("malformed")}, httpauth.ErrInvalidRequest, 400, ""},
		{"invalid token", "/", nil, []func(*http.Request){xToken(tok.expired)}, jwtguard.ErrExpired, 401, ""},
		{"other error is 500", "/", nil, []func(*http.Request){xToken("broken")}, errOther, 500,
			`{"error":"server_error","error_description":"internal error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			for _, a := range tt.authz {
				r.Header.Add("Authorization", a)
			}
			for _, m := range tt.mods {
				m(r)
			}
			_, err := auth.Check(r)
			if tt.err == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tt.err)
			}
			got := get(t, srv, tt.target, tt.authz, tt.mods...)
			assert.Equal(t, tt.status, got.status)
			if tt.body != "" {
				if tt.status == 200 {
					assert.Equal(t, tt.body, got.body)
				} else {
					assert.JSONEq(t, tt.body, got.body)
				}
			}
		})
	}
}

// TestRequestNotModified: the handler gets a copy that carries the claims; the caller's
// request is left as it was, and path values survive.
func TestRequestNotModified(t *testing.T) {
	tok := mint()
	auth := httpauth.New(newVerifier(t), httpauth.Options{})
	var inner *http.Request
	mux := http.NewServeMux()
	mux.Handle("GET /api/contacts/{id}", auth.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner = r
		c := claims.MustFromContext(r.Context())
		fmt.Fprint(w, r.PathValue("id"), " ", c.Subject)
	})))
	var outer *http.Request
	var outerHasClaims bool
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outer = r
		mux.ServeHTTP(w, r)
		_, outerHasClaims = claims.FromContext(r.Context())
	}))

	got := get(t, srv, "/api/contacts/42", bearer(tok.plain))
	require.Equal(t, 200, got.status)
	assert.Equal(t, "42 alice", got.body)
	require.NotNil(t, inner)
	assert.NotSame(t, outer, inner)
	assert.False(t, outerHasClaims, "the caller's request gained claims")
	assert.Equal(t, outer.Header, inner.Header)
}

func TestErrorHandler(t *testing.T) {
	tok := mint()
	var logs logBuffer
	var gotErr error
	auth := httpauth.New(newVerifier(t), httpauth.Options{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			gotErr = err
			http.Error(w, "nope", http.StatusTeapot)
		},
	})
	got := get(t, serve(t, auth.Handler(whoami)), "/", bearer(tok.expired))
	assert.Equal(t, http.StatusTeapot, got.status)
	assert.Empty(t, got.www, "the default answer was written too")
	require.ErrorIs(t, gotErr, jwtguard.ErrExpired)
	assert.Contains(t, logs.String(), `"status":401`, "rejections are logged with a custom ErrorHandler too")
}

// TestLogs: every rejection is logged with its reason, and no log line holds a token, a
// piece of one, or an Authorization header.
func TestLogs(t *testing.T) {
	tok := mint()
	var logs logBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	auth := httpauth.New(newVerifier(t), httpauth.Options{Logger: logger, InsecureQueryToken: true})
	unavailable := httpauth.New(newVerifierWith(t, unavailableKeys{}), httpauth.Options{Logger: logger})
	srv := serve(t, auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(whoami)))
	srv503 := serve(t, unavailable.Handler(whoami))

	requests := []struct {
		srv    *httptest.Server
		target string
		authz  []string
		level  string
		reason string
	}{
		{srv, "/a", nil, "INFO", "jwtguard: no bearer token"},
		{srv, "/b", bearer(tok.expired), "INFO", "jwtguard: invalid exp claim: jwtguard: token expired"},
		{srv, "/c", bearer(tok.badSignature), "INFO", "jwtguard: invalid signature"},
		{srv, "/d", []string{"Bearer  " + tok.plain}, "INFO", "bearer: malformed authorization header"},
		{srv, "/e", []string{"Bearer " + tok.plain, "Bearer " + tok.scoped}, "INFO", "httpauth: more than one credential"},
		{srv, "/f", bearer(tok.plain), "INFO", "scopes: insufficient scope: missing read:contacts"},
		{srv, "/g?access_token=" + tok.expired, nil, "INFO", "token expired"},
		{srv503, "/h", bearer(tok.scoped), "WARN", "keys unavailable"},
	}
	for _, r := range requests {
		require.NotEqual(t, 200, get(t, r.srv, r.target, r.authz).status)
	}

	lines := logs.Lines()
	require.Len(t, lines, len(requests), "one record per rejection")
	for i, r := range requests {
		var rec struct {
			Level, Msg, Method, Path, Reason string
			Status                           int
		}
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &rec))
		assert.Equal(t, r.level, rec.Level)
		assert.Equal(t, "jwtguard: request rejected", rec.Msg)
		assert.Equal(t, "GET", rec.Method)
		assert.Equal(t, strings.Split(r.target, "?")[0], rec.Path)
		assert.Contains(t, rec.Reason, r.reason)
	}
	out := logs.String()
	for _, s := range []string{tok.plain, tok.scoped, tok.expired, tok.badSignature} {
		parts := strings.Split(s, ".")
		assert.NotContains(t, out, parts[1], "a token's claims were logged")
		assert.NotContains(t, out, parts[2], "a token's signature was logged")
	}
	assert.NotContains(t, out, "Bearer")
	assert.NotContains(t, out, "access_token")
}

func TestRealm(t *testing.T) {
	auth := httpauth.New(newVerifier(t), httpauth.Options{Realm: `contacts "v2"`})
	got := get(t, serve(t, auth.Handler(whoami)), "/", []string{"Bearer"})
	assert.Equal(t, `Bearer realm="contacts \"v2\"", error="invalid_request", error_description="the request must carry exactly one well-formed bearer token"`, got.www)
}

// TestDefaultLogger: without Options.Logger, rejections go to the slog.Default() of the
// time of the request.
func TestDefaultLogger(t *testing.T) {
	auth := httpauth.New(newVerifier(t), httpauth.Options{})
	var logs logBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	require.Equal(t, 401, get(t, serve(t, auth.Handler(whoami)), "/", nil).status)
	assert.Contains(t, logs.String(), "status=401")
}

package httpauth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/bearer"
	"github.com/jwtguard/jwtguard/scopes"
)

// ErrInvalidRequest is matched by the error Check returns when a request does not carry
// exactly one well-formed credential: an Authorization header that is not `Bearer <token>`
// (RFC 6750 §2.1), two Authorization headers, or a header and a query or cookie token
// together. It answers 400 invalid_request. It is the error jwtguard's internal bearer-header
// parser returns, so every adapter built on that parser reports the same value.
var ErrInvalidRequest = bearer.ErrMalformed

var errSeveral = fmt.Errorf("httpauth: more than one credential: %w", ErrInvalidRequest)

// DefaultRealm is the realm of the WWW-Authenticate challenge when Options.Realm is empty.
const DefaultRealm = "api"

// QueryParameter is the query parameter that carries a token when
// Options.InsecureQueryToken is set (RFC 6750 §2.3).
const QueryParameter = "access_token"

// Options configures a Middleware. The zero value reads the Authorization header only,
// requires a token, and answers with JSON bodies.
type Options struct {
	// Realm names the protected space in WWW-Authenticate challenges. Default DefaultRealm.
	// It must not contain control characters; quotes and backslashes are escaped.
	Realm string

	// CredentialsOptional lets requests without any credential through Handler, with no
	// claims in their context: the handler serves anonymous and authenticated users alike.
	// A credential that is present but malformed or invalid is still refused. Check is not
	// affected: it reports jwtguard.ErrNoToken either way.
	CredentialsOptional bool

	// InsecureQueryToken also accepts a token in the access_token query parameter (RFC 6750
	// §2.3). Dangerous: URLs end up in access logs, proxies, browser history and Referer
	// headers, and whoever reads them can replay the token. Use it only for clients that
	// cannot set a header (e.g. browser EventSource or WebSocket). An empty value counts as
	// absent.
	InsecureQueryToken bool

	// Cookie, if set, names a cookie that may carry the token, for browser clients. A cookie
	// is sent with cross-site requests unless it is SameSite: protect state-changing routes
	// against CSRF. An empty cookie value counts as absent; two cookies of that name are
	// invalid_request.
	Cookie string

	// Extractor, if set, replaces the built-in extraction (Authorization header, and the
	// query parameter and cookie above, which it then ignores). It returns the token, or ""
	// for none. Its error is returned by Check as is: wrap ErrInvalidRequest for a malformed
	// request (400); any error that matches no error Challenge knows answers 500. The token
	// must be an ordinary Go string (not aliasing a reused buffer): the verifier caches it.
	Extractor func(r *http.Request) (string, error)

	// ScopeSource names the claims that grant scopes to RequireScopes. The zero value means
	// scopes.ScopeOrPermissions: the "scope" claim and Auth0's "permissions" array.
	ScopeSource scopes.Source

	// ErrorHandler, if set, answers rejected requests instead of the default, which writes
	// Challenge(err, Realm). err matches one of the errors Check or RequireScopes report.
	// It is called after the rejection is logged, and must not write the token anywhere.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err error)

	// Logger receives one record per rejected request: Info for client errors, Warn for
	// 5xx. The record has the status, method, path and reason (the error's text, which
	// jwtguard keeps free of tokens), never the token, the query string or the Authorization
	// header. Default slog.Default() at the time of the request.
	Logger *slog.Logger
}

// A Middleware authenticates net/http requests with a jwtguard Verifier. It is safe for
// concurrent use.
type Middleware struct {
	v        *jwtguard.Verifier
	realm    string
	optional bool
	query    bool
	cookie   string
	extract  func(*http.Request) (string, error)
	src      scopes.Source
	onError  func(http.ResponseWriter, *http.Request, error)
	logger   *slog.Logger
}

// New returns a Middleware that verifies tokens with v. It copies o. It panics if v is nil or
// o.Realm contains a control character: both are programming errors.
func New(v *jwtguard.Verifier, o Options) *Middleware {
	if v == nil {
		panic("httpauth: New with a nil Verifier")
	}
	if o.Realm == "" {
		o.Realm = DefaultRealm
	}
	for i := range len(o.Realm) {
		if c := o.Realm[i]; c < ' ' && c != '\t' || c == 0x7f {
			panic("httpauth: Options.Realm contains a control character")
		}
	}
	return &Middleware{
		v:        v,
		realm:    o.Realm,
		optional: o.CredentialsOptional,
		query:    o.InsecureQueryToken,
		cookie:   o.Cookie,
		extract:  o.Extractor,
		src:      o.ScopeSource,
		onError:  o.ErrorHandler,
		logger:   o.Logger,
	}
}

// Check authenticates r: it extracts exactly one bearer token and verifies it. It writes
// nothing and does not modify r. It returns the verified claims (shared, read-only), or an
// error that matches one of:
//   - jwtguard.ErrNoToken: no credential at all (CredentialsOptional is not applied here);
//   - ErrInvalidRequest: a malformed Authorization header, or more than one credential;
//   - jwtguard.ErrInvalidToken, with a more specific sentinel such as jwtguard.ErrExpired;
//   - jwtguard.ErrKeysUnavailable: the token cannot be verified now;
//   - or whatever Options.Extractor returned.
//
// For a token in the Authorization header that the verifier has seen before, Check does not
// allocate.
func (m *Middleware) Check(r *http.Request) (*claims.Claims, error) {
	tok, err := m.token(r)
	if err != nil {
		return nil, err
	}
	return m.v.Verify(r.Context(), tok) // "" is ErrNoToken
}

// token returns the request's one credential, or "" if it has none.
func (m *Middleware) token(r *http.Request) (string, error) {
	if m.extract != nil {
		return m.extract(r)
	}
	var tok string
	switch h := r.Header.Values("Authorization"); len(h) {
	case 0:
	case 1:
		t, err := bearer.Parse(h[0])
		if err == bearer.ErrMalformed {
			return "", err
		}
		tok = t // "" for an empty header: no credential
	default:
		return "", errSeveral
	}
	if m.query {
		switch q := r.URL.Query()[QueryParameter]; {
		case len(q) > 1 || len(q) == 1 && q[0] != "" && tok != "":
			return "", errSeveral
		case len(q) == 1 && q[0] != "":
			tok = q[0]
		}
	}
	if m.cookie != "" {
		switch c := r.CookiesNamed(m.cookie); {
		case len(c) > 1 || len(c) == 1 && c[0].Value != "" && tok != "":
			return "", errSeveral
		case len(c) == 1 && c[0].Value != "":
			tok = c[0].Value
		}
	}
	return tok, nil
}

// Handler returns a handler that authenticates each request with Check and, on success,
// calls h with a copy of the request whose context carries the claims (claims.FromContext).
// It answers a rejected request itself (see Options.ErrorHandler) and does not call h.
// With Options.CredentialsOptional, a request without any credential reaches h unchanged.
//
// m.Handler is a func(http.Handler) http.Handler: it fits chi's Use and With, and wraps
// single handlers registered on an http.ServeMux, whose path values it keeps. When it wraps
// a whole router, put CORS handling in front of it: browsers send preflight OPTIONS requests
// without credentials.
func (m *Middleware) Handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := m.Check(r)
		switch {
		case err == nil:
			h.ServeHTTP(w, r.WithContext(claims.NewContext(r.Context(), c)))
		case m.optional && errors.Is(err, jwtguard.ErrNoToken):
			h.ServeHTTP(w, r)
		default:
			m.reject(w, r, err)
		}
	})
}

// RequireScopes returns a per-route guard that lets a request through only if its token
// grants req, read from the claims Options.ScopeSource names; otherwise it answers 403
// insufficient_scope with the scopes req names.
//
// It is meant to run after Handler and reads the claims from the request's context. Without
// claims there (no Handler in front, or an anonymous request under CredentialsOptional), it
// authenticates the request itself as Handler does, so a guarded route is never open:
// an anonymous request gets 401, not 403.
//
// RequireScopes panics if req is invalid (req.Err() != nil), so that the mistake shows when
// routes are registered.
func (m *Middleware) RequireScopes(req scopes.Requirement) func(http.Handler) http.Handler {
	if err := req.Err(); err != nil {
		panic("httpauth: RequireScopes: " + err.Error())
	}
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, ok := claims.FromContext(r.Context())
			if !ok {
				var err error
				if c, err = m.Check(r); err != nil {
					m.reject(w, r, err)
					return
				}
				r = r.WithContext(claims.NewContext(r.Context(), c))
			}
			if err := req.Check(scopes.Granted(c.Scope, c.Permissions, m.src)); err != nil {
				m.reject(w, r, err)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

// reject logs why r is refused and answers it.
func (m *Middleware) reject(w http.ResponseWriter, r *http.Request, err error) {
	rj := Challenge(err, m.realm)
	LogRejection(m.logger, r, rj.Status, err)
	if m.onError != nil {
		m.onError(w, r, err)
		return
	}
	rj.Write(w)
}

// LogRejection logs that r was refused with status because of err, as Middleware does: to
// logger, or slog.Default() if it is nil, at Info for client errors and Warn for 5xx, with
// the method, the path (not the query string) and err's text, never a header. It is exported
// for other adapters that render Challenge themselves, such as middleware/echoauth.
func LogRejection(logger *slog.Logger, r *http.Request, status int, err error) {
	if logger == nil {
		logger = slog.Default()
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	reason := "<nil>"
	if err != nil {
		reason = err.Error()
	}
	logger.LogAttrs(r.Context(), level, "jwtguard: request rejected",
		slog.Int("status", status),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("reason", reason))
}

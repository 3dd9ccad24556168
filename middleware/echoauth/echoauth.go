package echoauth

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// Options configures a Middleware. The zero value reads the Authorization header only and
// requires a token. Each field means what the field of the same name in httpauth.Options
// means; rejected requests are answered by Echo's HTTPErrorHandler, so there is no
// ErrorHandler.
type Options struct {
	// Realm names the protected space in WWW-Authenticate challenges. Default
	// httpauth.DefaultRealm ("api"). It must not contain control characters.
	Realm string
	// CredentialsOptional lets requests without any credential through Middleware, with no
	// claims; a malformed or invalid credential is still refused.
	CredentialsOptional bool
	// InsecureQueryToken also accepts a token in the access_token query parameter. Dangerous:
	// see httpauth.Options.InsecureQueryToken.
	InsecureQueryToken bool
	// Cookie, if set, names a cookie that may carry the token. Mind CSRF: see
	// httpauth.Options.Cookie.
	Cookie string
	// Extractor, if set, replaces the built-in extraction: see httpauth.Options.Extractor.
	// It receives c.Request().
	Extractor func(r *http.Request) (string, error)
	// ScopeSource names the claims that grant scopes to RequireScopes. The zero value means
	// scopes.ScopeOrPermissions.
	ScopeSource scopes.Source
	// Logger receives one record per rejected request, as httpauth.LogRejection writes it:
	// never the token. Default slog.Default() at the time of the request.
	Logger *slog.Logger
}

// A Middleware authenticates Echo requests with a jwtguard Verifier. It is safe for
// concurrent use.
type Middleware struct {
	auth     *httpauth.Middleware // extraction and verification
	realm    string
	optional bool
	src      scopes.Source
	logger   *slog.Logger
}

// New returns a Middleware that verifies tokens with v. It copies o. It panics if v is nil or
// o.Realm contains a control character: both are programming errors.
func New(v *jwtguard.Verifier, o Options) *Middleware {
	if o.Realm == "" {
		o.Realm = httpauth.DefaultRealm
	}
	return &Middleware{
		auth: httpauth.New(v, httpauth.Options{
			Realm:              o.Realm,
			InsecureQueryToken: o.InsecureQueryToken,
			Cookie:             o.Cookie,
			Extractor:          o.Extractor,
		}),
		realm:    o.Realm,
		optional: o.CredentialsOptional,
		src:      o.ScopeSource,
		logger:   o.Logger,
	}
}

// Middleware authenticates each request as httpauth.Middleware.Check does and, on success,
// calls next with the claims in the request's context (see Claims). Otherwise it returns an
// *echo.HTTPError and does not call next. With Options.CredentialsOptional, a request
// without any credential reaches next without claims.
//
// m.Middleware is an echo.MiddlewareFunc: pass it to e.Use, e.Group or a route.
func (m *Middleware) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		cl, err := m.auth.Check(c.Request())
		switch {
		case err == nil:
			setClaims(c, cl)
		case m.optional && errors.Is(err, jwtguard.ErrNoToken):
		default:
			return m.reject(c, err)
		}
		return next(c)
	}
}

// RequireScopes returns a per-route guard that calls next only if the token grants req,
// read from the claims Options.ScopeSource names, and otherwise returns a 403
// insufficient_scope *echo.HTTPError.
//
// It is meant to run after Middleware. Without claims in the request's context, it
// authenticates the request itself, so a guarded route is never open: an anonymous request
// gets 401, not 403. It panics if req is invalid (req.Err() != nil), so that the mistake
// shows when routes are registered.
func (m *Middleware) RequireScopes(req scopes.Requirement) echo.MiddlewareFunc {
	if err := req.Err(); err != nil {
		panic("echoauth: RequireScopes: " + err.Error())
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cl, ok := Claims(c)
			if !ok {
				var err error
				if cl, err = m.auth.Check(c.Request()); err != nil {
					return m.reject(c, err)
				}
				setClaims(c, cl)
			}
			if err := req.Check(scopes.Granted(cl.Scope, cl.Permissions, m.src)); err != nil {
				return m.reject(c, err)
			}
			return next(c)
		}
	}
}

// Claims returns the verified claims of the request, if Middleware or RequireScopes stored
// any. It is claims.FromContext(c.Request().Context()).
func Claims(c echo.Context) (*claims.Claims, bool) {
	return claims.FromContext(c.Request().Context())
}

// setClaims gives c a copy of its request whose context carries cl.
func setClaims(c echo.Context, cl *claims.Claims) {
	r := c.Request()
	c.SetRequest(r.WithContext(claims.NewContext(r.Context(), cl)))
}

// reject logs the rejection, sets the challenge headers and returns the error for Echo's
// HTTPErrorHandler.
func (m *Middleware) reject(c echo.Context, err error) error {
	rj := httpauth.Challenge(err, m.realm)
	httpauth.LogRejection(m.logger, c.Request(), rj.Status, err)
	h := c.Response().Header()
	if rj.WWWAuthenticate != "" {
		h.Set(echo.HeaderWWWAuthenticate, rj.WWWAuthenticate)
	}
	if rj.RetryAfter != "" {
		h.Set(echo.HeaderRetryAfter, rj.RetryAfter)
	}
	return &echo.HTTPError{Code: rj.Status, Message: rj.Body, Internal: err}
}

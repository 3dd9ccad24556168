// Package echoauth protects Echo (v4) routes with jwtguard. It answers exactly as package
// httpauth does, status, WWW-Authenticate challenge and JSON body alike, but the Echo way:
// by returning an *echo.HTTPError to Echo's HTTPErrorHandler.
//
//	guard, err := jwtguard.New(ctx, jwtguard.Config{
//		Issuer:   "https://YOUR_DOMAIN/",
//		Audience: []string{"https://api.example.com"},
//	})
//	if err != nil { ... }
//	defer guard.Close()
//
//	auth := echoauth.New(guard, echoauth.Options{})
//	e := echo.New()
//	e.GET("/api/public", public)
//	e.GET("/api/private", private, auth.Middleware)
//	e.GET("/api/contacts", contacts, auth.Middleware, auth.RequireScopes(scopes.All("read:contacts")))
//
//	func private(c echo.Context) error {
//		cl, _ := echoauth.Claims(c) // or claims.FromContext(c.Request().Context())
//		return c.JSON(http.StatusOK, map[string]string{"sub": cl.Subject})
//	}
//
// To protect every route, pass the middleware to e.Use or to a group:
// e.Use(auth.Middleware).
//
// A rejected request ends in an *echo.HTTPError whose Code is the status, whose Message is an
// httpauth.ErrorBody (which Echo's default error handler writes as JSON), and whose Internal
// error is the reason, so that errors.Is(err, jwtguard.ErrInvalidToken) and friends work in
// a custom HTTPErrorHandler. The WWW-Authenticate and Retry-After headers are already set on
// the response when the error is returned; a custom HTTPErrorHandler should keep them.
//
// # Security defaults
//
// Those of package httpauth, whose token extraction this package uses:
//   - Only the Authorization header is read, unless Options ask for the query string or a
//     cookie, and a request must carry exactly one credential (else 400 invalid_request).
//   - A malformed or invalid credential is refused even with Options.CredentialsOptional.
//   - Clients get generic descriptions; logs get the reason. Neither ever sees the token or
//     the Authorization header.
//   - The request Echo held is not modified: the context gets a copy carrying the claims.
package echoauth

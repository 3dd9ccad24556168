// Package httpauth protects net/http handlers with jwtguard: it takes the bearer token from
// the request, verifies it, puts the verified claims in the request's context, and answers
// rejected requests as RFC 6750 asks.
//
//	guard, err := jwtguard.New(ctx, jwtguard.Config{
//		Issuer:   "https://YOUR_DOMAIN/",
//		Audience: []string{"https://api.example.com"},
//	})
//	if err != nil { ... }
//	defer guard.Close()
//
//	auth := httpauth.New(guard, httpauth.Options{})
//	mux := http.NewServeMux()
//	mux.HandleFunc("GET /api/public", public)
//	mux.Handle("GET /api/private", auth.Handler(http.HandlerFunc(private)))
//	mux.Handle("GET /api/contacts", auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(contacts)))
//
//	func private(w http.ResponseWriter, r *http.Request) {
//		c := claims.MustFromContext(r.Context())
//		...
//	}
//
// Middleware.Handler and Middleware.RequireScopes have the shape func(http.Handler)
// http.Handler, so they also fit chi's Use and With and any other net/http router.
// Middleware.Check makes the same decision without writing anything, for code that answers
// on its own; Challenge turns its errors into the status, WWW-Authenticate challenge and JSON
// body that Handler sends.
//
// # What a client receives
//
//	no token                          401  WWW-Authenticate: Bearer realm="api"
//	malformed or several credentials  400  ... error="invalid_request"
//	invalid or expired token          401  ... error="invalid_token"
//	valid token, missing scope        403  ... error="insufficient_scope", scope="read:contacts"
//	signing keys unavailable          503  Retry-After: 30
//
// Each answer has a JSON body such as {"error":"invalid_token","error_description":"the
// access token is invalid"}. Descriptions are generic; the precise reason is logged.
//
// # Security defaults
//
//   - Only the Authorization header is read. Tokens in the query string (RFC 6750 §2.3) or in
//     a cookie are accepted only when Options ask for them.
//   - A request must carry exactly one credential: two Authorization headers, or a header and
//     a query or cookie token, are refused with 400 invalid_request rather than guessed between.
//   - The Authorization header must follow RFC 6750 §2.1 strictly (scheme "Bearer" in any
//     case, one space, a b64token); anything else is invalid_request, never "no token".
//   - An invalid token is refused even when Options.CredentialsOptional lets anonymous
//     requests through.
//   - Clients get generic descriptions; logs get the reason. Neither ever sees the token or
//     the Authorization header.
//   - The caller's *http.Request is never modified: handlers receive a copy whose context
//     carries the claims.
package httpauth

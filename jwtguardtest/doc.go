// Package jwtguardtest runs an in-process OAuth2/OIDC token issuer for tests
// and examples.
//
// An [Issuer] behaves like a small Auth0-style authorization server: it mints
// signed access tokens (JWTs) and serves an OpenID Connect discovery document
// and a JWK Set over a real HTTP server bound to the loopback interface. Tokens
// are signed with github.com/golang-jwt/jwt/v5, an implementation independent
// of jwtguard's own verifier, so the verifier is never checked only against
// itself.
//
// The package imports only the standard library and golang-jwt, never another
// jwtguard package, so that any jwtguard package can use it in its tests.
//
// In a test, [NewIssuer] starts an issuer and stops it when the test ends:
//
//	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"RS256", "ES256"}})
//	token := iss.Sign(map[string]any{"scope": "read:messages"})
//	// Verify token against iss.URL(), iss.JWKSURL() and iss.Audience().
//
// A program (for example a quickstart) uses [Start] and [Issuer.Close]
// instead.
//
// The issuer serves two routes below its URL:
//
//   - GET .well-known/openid-configuration: the discovery document, whose
//     "issuer" is [Issuer.URL] and whose "jwks_uri" is [Issuer.JWKSURL].
//   - GET .well-known/jwks.json: the JWK Set returned by [Issuer.JWKS].
//
// Every method of an Issuer is safe for concurrent use: tokens may be minted
// from many goroutines while keys are rotated or removed.
package jwtguardtest

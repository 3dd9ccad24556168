// Package jwtguard verifies OAuth 2.0 / OpenID Connect access tokens: the JWTs that Auth0
// and similar identity providers issue, which apps send as "Authorization: Bearer <token>".
//
// A Verifier checks a token's signature against its issuer's keys, then its issuer,
// audience, lifetime and the other checks Config asks for, and returns its claims:
//
//	guard, err := jwtguard.New(ctx, jwtguard.Config{
//		Issuer:   "https://YOUR_DOMAIN/",              // discovery finds the JWK Set
//		Audience: []string{"https://api.example.com"}, // your API's identifier
//	})
//	if err != nil { ... } // the keys could not be fetched: a verifier never starts empty
//	defer guard.Close()
//	c, err := guard.Verify(ctx, token) // *claims.Claims, or an error matching ErrInvalidToken
//
// The middleware packages (middleware/httpauth, middleware/echoauth, middleware/grpcauth)
// extract the token, call Verify, answer with the right status, and put the claims in the
// request's context; package scopes checks "scope" and "permissions".
//
// Verify is built to be cheap. A token it has seen before is answered from a bounded cache
// with no allocation; a new token costs the signature check plus one allocation (the claims
// the caller keeps, with the payload they point into), for RSA with a key prepared once
// instead of on every call.
//
// # Security defaults
//
//   - Algorithms are an explicit allow-list (default RS256); "none" is never accepted, and
//     HMAC only with a secret the caller configures: a published key never serves as one.
//   - A key's type, curve, size (RSA ≥ 2048 bits) and own "alg" must fit the token's "alg".
//   - Header keys and key URLs ("jwk", "jku", "x5u", "x5c") are never used; "crit", "b64"
//     and "zip" are refused; only the compact JWS serialization is accepted.
//   - The token's size is capped before decoding; base64url must be canonical and unpadded;
//     JSON must be strict RFC 8259 in UTF-8; duplicate member names are refused; registered
//     claims of the wrong type are refused; escaped strings compare unescaped.
//   - "exp" is required; "nbf" and "iat" are checked; the leeway defaults to 30 s and is
//     capped at 5 min. "aud" must name a configured audience; "iss" must be a configured
//     issuer, checked before any key lookup, and a key verifies only its own issuer's tokens.
//   - Errors are typed (errors.Is) and never contain the token.
package jwtguard

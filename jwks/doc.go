// Package jwks holds the keys that verify JWTs: parsing JWKs and JWK Sets (RFC 7517, RFC 7518,
// RFC 8037), static sets, and a cache that fetches an issuer's JWK Set and keeps it fresh.
//
// A [Key] verifies signatures; a [Set] is an immutable group of keys looked up by "kid" and
// algorithm. Both are safe for concurrent use.
//
// # Fetching an issuer's keys
//
// A [Cache] fetches an issuer's JWK Set and keeps it fresh. With an OpenID Connect issuer it
// finds the set by discovery:
//
//	keys, err := jwks.New(ctx, jwks.Options{Issuer: "https://tenant.auth0.com/"})
//	if err != nil {
//		return err // no keys to be had: the error names the URL and wraps ErrUnavailable
//	}
//	defer keys.Close()
//
// or, without discovery, from the set's URL:
//
//	keys, err := jwks.New(ctx, jwks.Options{URL: "https://tenant.auth0.com/.well-known/jwks.json"})
//
// Its Key method is what a jwtguard.KeySource needs. Code still on github.com/golang-jwt/jwt/v5
// can use [Cache.Keyfunc] meanwhile.
//
// The cache behaves as follows (every default can be changed in [Options]):
//
//   - New fetches the keys before returning and fails if it cannot; with LazyStart it returns
//     at once and Key reports ErrUnavailable until the first fetch succeeds.
//   - The keys are refreshed in the background every 15 minutes, or as the response's
//     "Cache-Control: max-age" says within [1 minute, 24 hours], with ±10% jitter. Requests are
//     conditional (If-None-Match); a "304 Not Modified" keeps the set. Each request has a
//     10-second timeout and a 1 MiB body cap, and follows at most 3 redirects, never from https
//     to http.
//   - A failed refresh keeps the last good set, and is retried after 1s, 2s, 4s… up to 5
//     minutes. The set is served for up to 24 hours after the last successful fetch; then Key
//     fails closed with ErrUnavailable (a 503, "cannot verify now") until a fetch succeeds.
//     Changes of health are logged once each, not per request or retry.
//   - A successful refresh replaces the whole set: a key the issuer no longer publishes stops
//     verifying at once and reports [Key.Revoked]; unchanged keys keep their *Key.
//   - A token with an unknown "kid" may cause one refresh, shared by all requests that want it,
//     at most once a minute. A request waits for a refresh in progress (bounded by its context)
//     but never on a rate limiter: when no refresh is allowed it gets ErrUnknownKey at once, so
//     random kids cannot cause a refresh storm.
//   - Close stops the background goroutine and waits for it. Key then keeps serving the last
//     set, without fetching, until it is older than the staleness limit.
//
// # Security defaults
//
//   - RSA keys have 2048 to 8192 bits; EC keys are on P-256, P-384 or P-521 with their point
//     checked; OKP keys are Ed25519. Anything else is skipped when a set is parsed.
//   - A key with "use" other than "sig", with "key_ops" lacking "verify", or holding private
//     material is skipped. Symmetric ("oct") keys are never taken from a JWK Set.
//   - A key's "alg", when present, binds it to that algorithm alone; a key only ever verifies
//     algorithms that fit its type and curve.
//   - ECDSA signatures must be the fixed-size R||S of RFC 7518 §3.4; zero R or S is rejected
//     (CVE-2022-21449).
//   - A Cache fetches only over https, except from loopback hosts (127.0.0.0/8, ::1,
//     "localhost") or with Options.InsecureAllowHTTP; this holds for the discovery document's
//     "jwks_uri" and for redirects too. The discovery document's "issuer" must equal the
//     configured issuer exactly.
//   - A Cache never logs key material or tokens: only URLs, key IDs and errors.
package jwks

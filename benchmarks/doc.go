// Package benchmarks compares jwtguard with other Go libraries that verify JWT access
// tokens. It is its own Go module, so that none of those libraries enters the module graph
// of jwtguard's users.
//
// What is measured: verifying one realistic Auth0 access token (iss, sub, aud with the API
// and the userinfo audience, azp, iat, exp, scope, permissions and a namespaced roles
// claim), minted once by jwtguardtest (signed with golang-jwt), for RS256 (2048-bit key),
// ES256, EdDSA (Ed25519) and HS256. Every library verifies the same token with the same key
// and checks the signature, iss, aud and exp, and gets at the claims the way its users do:
//
//   - jwtguard: Verifier.Verify with Config.DisableCache (every call verifies fully), over a
//     jwks.Cache filled by discovery from the issuer (a jwks.Set with the secret for HS256);
//   - jwtguard-cached: the same with the verified-token cache on, the same token every
//     iteration (a client reusing its token, the common case);
//   - golang-jwt+keyfunc: golang-jwt/jwt/v5 with a reused parser (valid methods, issuer,
//     audience, exp required, iat), keys from keyfunc/v3's NewJWKSetJSON over the same JWK
//     Set JSON, the claims in a struct embedding jwt.RegisteredClaims;
//   - go-jwt-middleware: auth0/go-jwt-middleware/v2's validator.New with its caching JWKS
//     provider (discovery, 5-minute cache), or a static key function for the secret, and
//     custom claims;
//   - jwx: lestrrat-go/jwx/v3's jwt.Parse with the jwk.Set parsed from the same JSON,
//     validation on, issuer and audience;
//   - go-jose: go-jose/v4's jwt.ParseSigned, Claims (registered and custom) with the
//     JSONWebKeySet, then Validate;
//   - go-oidc: coreos/go-oidc/v3's IDTokenVerifier over a StaticKeySet, with the API's
//     audience as the client ID, then IDToken.Claims (no HS256: go-oidc verifies asymmetric
//     signatures only).
//
// Setup (issuer, keys, parsers, verifiers, a first call that fills lazy caches) happens
// once, outside the timed loops. jwtguard keeps custom claims such as the roles as raw JSON
// until a handler asks (claims.Get); the other libraries decode them during verification.
//
// BenchmarkFloor gives, in the same run, each algorithm's floor: the bare standard-library
// hash and crypto call on an already-decoded signature (rsa.VerifyPKCS1v15,
// ecdsa.VerifyASN1 on a pre-encoded DER signature, ed25519.Verify, a reused HMAC).
// Compare ratios to the floor rather than absolute times, which depend on the machine.
//
// TestAllLibrariesAccept checks that every library accepts the token and rejects it with one
// signature byte flipped, so that no benchmark measures a failing path.
//
// Commands, from this directory:
//
//	go test ./...                                                     # the acceptance test
//	go test -run '^$' -bench . -benchmem -count=10 . | tee new.txt    # the benchmarks
//	benchstat -col /lib -row /alg new.txt                             # the comparison
//
// benchstat is golang.org/x/perf/cmd/benchstat.
package benchmarks

// Package grpcauth authenticates and authorizes gRPC calls with OAuth 2.0 access tokens, as
// server interceptors around a jwtguard.Verifier.
//
// A client sends its token in the "authorization" metadata, as "Bearer <token>" (the form of
// an HTTP Authorization header, RFC 6750 §2.1; gRPC's credentials/oauth package sends it so).
// The interceptor verifies it, checks the scopes the method requires, and hands the handler a
// context carrying the token's claims:
//
//	guard, err := jwtguard.New(ctx, jwtguard.Config{
//		Issuer:   "https://YOUR_DOMAIN/",
//		Audience: []string{"https://contacts.example.com"},
//	})
//	if err != nil { ... }
//	defer guard.Close()
//
//	auth, err := grpcauth.New(guard, grpcauth.Options{
//		Methods: map[string]scopes.Requirement{
//			"/contacts.v1.Contacts/ListContacts":  scopes.All("read:contacts"),
//			"/contacts.v1.Contacts/CreateContact": scopes.All("write:contacts"),
//		},
//		Public: []string{"/grpc.health.v1.Health/"}, // every method of the health service
//	})
//	if err != nil { ... } // a misspelt name or an invalid requirement
//	srv := grpc.NewServer(
//		grpc.ChainUnaryInterceptor(auth.Unary),
//		grpc.ChainStreamInterceptor(auth.Stream),
//	)
//
//	func (s *server) ListContacts(ctx context.Context, _ *contactspb.ListContactsRequest) (*contactspb.ListContactsResponse, error) {
//		c := claims.MustFromContext(ctx) // stream handlers: claims.MustFromContext(stream.Context())
//		...
//	}
//
// Every method has one of three rules: public (no token), a valid token, or a valid token
// granting a scope requirement (see Options for names and precedence). A method that Options
// does not list needs a valid token, or, with DenyUnlisted, is refused to everyone.
//
// Refused calls end with a status error whose message is generic:
//
//	no "authorization" metadata                           Unauthenticated
//	malformed value, or several values                    Unauthenticated
//	invalid token (signature, exp, iss, aud, ...)         Unauthenticated
//	valid token without the required scopes               PermissionDenied
//	method not listed, under DenyUnlisted                 PermissionDenied
//	keys unavailable (jwtguard.ErrKeysUnavailable)        Unavailable
//	anything else                                         Internal
//
// The reason goes to Options.Logger. Servers built on go-grpc-middleware's auth interceptors
// can use Interceptor.AuthFunc instead of Unary and Stream.
//
// # Security defaults
//
//   - The token is never written to a status message or a log record; neither are claim
//     values, except the identifiers that claims.Claims.LogValue logs (issuer, subject,
//     audience, client, organization, expiry) when a valid token lacks a scope.
//   - Exactly one "authorization" value is accepted, in the strict RFC 6750 grammar with a
//     case-insensitive "Bearer" scheme; several values are refused rather than picking one.
//   - Options is checked by New: a name that is not a method or a service, a name listed
//     twice, an invalid scope requirement or an unknown policy is an error at start-up.
//   - Method names are matched exactly (case-sensitive), on the name gRPC routes the call by.
//     With DenyUnlisted, a method missing from Options is closed to everyone.
//   - Public methods are not looked at: their handlers get no claims, even when the caller
//     sent a token.
package grpcauth

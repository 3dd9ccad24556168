package grpcauth_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// tokens are the tokens the table tests send, all minted by golang-jwt in jwtguardtest.
type tokens struct {
	readWrite, readOnly, none, admin           string // by "scope"
	permsRead, permsReadWrite                  string // by "permissions"
	expired, wrongAudience, badSignature, junk string
}

func (k tokens) all() []string {
	return []string{k.readWrite, k.readOnly, k.none, k.admin, k.permsRead, k.permsReadWrite,
		k.expired, k.wrongAudience, k.badSignature, k.junk}
}

func mintTokens(t testing.TB, iss *jwtguardtest.Issuer) tokens {
	other := jwtguardtest.NewIssuer(t, jwtguardtest.Options{}) // same kid "rs256-1", another key
	now := time.Now()
	return tokens{
		readWrite:      iss.Sign(map[string]any{"scope": "read:contacts write:contacts"}),
		readOnly:       iss.Sign(map[string]any{"scope": "read:contacts"}),
		none:           iss.Sign(nil),
		admin:          iss.Sign(map[string]any{"scope": "admin"}),
		permsRead:      iss.Sign(map[string]any{"permissions": []string{"read:contacts"}}),
		permsReadWrite: iss.Sign(map[string]any{"permissions": []string{"read:contacts", "write:contacts"}}),
		expired:        iss.Sign(map[string]any{"scope": "read:contacts", "iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)}),
		wrongAudience:  iss.Sign(map[string]any{"scope": "read:contacts", "aud": "https://other.example.com"}),
		badSignature:   other.Sign(map[string]any{"scope": "read:contacts", "iss": iss.URL()}),
		junk:           "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
	}
}

// secrets returns what no status message or log record may contain: every token and each of
// its parts; for status messages, also the claim values the tokens carry.
func secrets(k tokens) []string {
	var s []string
	for _, tok := range k.all() {
		s = append(s, tok)
		s = append(s, strings.Split(tok, ".")...)
	}
	return s
}

func claimValues(iss *jwtguardtest.Issuer) []string {
	return []string{jwtguardtest.DefaultSubject, iss.URL(), iss.Audience(), "https://other.example.com",
		"read:contacts", "write:contacts", "admin"}
}

func bearer(tok string) string { return "Bearer " + tok }

// TestErrorTable covers every gRPC row of DESIGN.md §6 against a real server, for unary and
// server-streaming methods: the status code, whether the handler ran and saw the claims, the
// status message, and one log record per refused call that never holds the token.
func TestErrorTable(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	a, logs := newScopedInterceptor(t, newVerifier(t, iss))
	s := startInterceptor(t, a)
	k := mintTokens(t, iss)

	tests := []struct {
		name string
		rpc  rpc
		auth []string // "authorization" values
		want codes.Code
	}{
		// No token.
		{name: "no token/unary", rpc: listContacts, want: codes.Unauthenticated},
		{name: "no token/unlisted", rpc: whoAmI, want: codes.Unauthenticated},
		{name: "no token/stream", rpc: watchContacts, want: codes.Unauthenticated},
		{name: "no token/empty value", rpc: listContacts, auth: []string{""}, want: codes.Unauthenticated},

		// Malformed metadata, several credentials.
		{name: "malformed/basic scheme", rpc: listContacts, auth: []string{"Basic dXNlcjpwYXNz"}, want: codes.Unauthenticated},
		{name: "malformed/no scheme", rpc: listContacts, auth: []string{k.readOnly}, want: codes.Unauthenticated},
		{name: "malformed/scheme only", rpc: listContacts, auth: []string{"Bearer"}, want: codes.Unauthenticated},
		{name: "malformed/two spaces", rpc: listContacts, auth: []string{"Bearer  " + k.readOnly}, want: codes.Unauthenticated},
		{name: "malformed/trailing word", rpc: listContacts, auth: []string{bearer(k.readOnly) + " x"}, want: codes.Unauthenticated},
		{name: "malformed/stream", rpc: watchContacts, auth: []string{"Token " + k.readOnly}, want: codes.Unauthenticated},
		{name: "several/same token twice", rpc: listContacts, auth: []string{bearer(k.readOnly), bearer(k.readOnly)}, want: codes.Unauthenticated},
		{name: "several/valid then junk", rpc: whoAmI, auth: []string{bearer(k.readOnly), "Bearer x"}, want: codes.Unauthenticated},
		{name: "several/stream", rpc: watchContacts, auth: []string{bearer(k.readOnly), bearer(k.admin)}, want: codes.Unauthenticated},

		// Invalid tokens.
		{name: "invalid/expired", rpc: listContacts, auth: []string{bearer(k.expired)}, want: codes.Unauthenticated},
		{name: "invalid/wrong audience", rpc: listContacts, auth: []string{bearer(k.wrongAudience)}, want: codes.Unauthenticated},
		{name: "invalid/bad signature", rpc: listContacts, auth: []string{bearer(k.badSignature)}, want: codes.Unauthenticated},
		{name: "invalid/junk", rpc: whoAmI, auth: []string{bearer(k.junk)}, want: codes.Unauthenticated},
		{name: "invalid/expired stream", rpc: watchContacts, auth: []string{bearer(k.expired)}, want: codes.Unauthenticated},

		// Missing scope, with "scope" and with "permissions".
		{name: "scope/missing in scope", rpc: listContacts, auth: []string{bearer(k.none)}, want: codes.PermissionDenied},
		{name: "scope/other scope", rpc: listContacts, auth: []string{bearer(k.admin)}, want: codes.PermissionDenied},
		{name: "scope/granted by scope", rpc: listContacts, auth: []string{bearer(k.readOnly)}, want: codes.OK},
		{name: "scope/granted by permissions", rpc: listContacts, auth: []string{bearer(k.permsRead)}, want: codes.OK},
		{name: "scope/case-insensitive scheme", rpc: listContacts, auth: []string{"bEARER " + k.readOnly}, want: codes.OK},

		// All-of: CreateContact needs read:contacts and write:contacts.
		{name: "all-of/one of two in scope", rpc: createContact, auth: []string{bearer(k.readOnly)}, want: codes.PermissionDenied},
		{name: "all-of/one of two in permissions", rpc: createContact, auth: []string{bearer(k.permsRead)}, want: codes.PermissionDenied},
		{name: "all-of/both in scope", rpc: createContact, auth: []string{bearer(k.readWrite)}, want: codes.OK},
		{name: "all-of/both in permissions", rpc: createContact, auth: []string{bearer(k.permsReadWrite)}, want: codes.OK},

		// Any-of, on the stream: WatchContacts needs read:contacts or admin.
		{name: "any-of/first", rpc: watchContacts, auth: []string{bearer(k.readOnly)}, want: codes.OK},
		{name: "any-of/second", rpc: watchContacts, auth: []string{bearer(k.admin)}, want: codes.OK},
		{name: "any-of/by permissions", rpc: watchContacts, auth: []string{bearer(k.permsRead)}, want: codes.OK},
		{name: "any-of/neither", rpc: watchContacts, auth: []string{bearer(k.none)}, want: codes.PermissionDenied},

		// Unlisted method, default policy: any valid token.
		{name: "unlisted/no scope needed", rpc: whoAmI, auth: []string{bearer(k.none)}, want: codes.OK},

		// Public methods: no token needed, and a token is not looked at.
		{name: "public/health check", rpc: healthCheck, want: codes.OK},
		{name: "public/health watch", rpc: healthWatch, want: codes.OK},
		{name: "public/junk token ignored", rpc: healthCheck, auth: []string{"Basic x", "y"}, want: codes.OK},
	}
	never := append(secrets(k), claimValues(iss)...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			callsBefore, logsBefore := s.contacts.calls.Load(), strings.Count(logs.String(), "\n")
			sub, err := tt.rpc.call(withAuth(t.Context(), tt.auth...), s)
			st := status.Convert(err)
			require.Equal(t, tt.want, st.Code(), "status: %v", st)
			records := strings.Count(logs.String(), "\n") - logsBefore

			if tt.want != codes.OK {
				assert.Equal(t, callsBefore, s.contacts.calls.Load(), "the handler ran")
				for _, v := range never {
					assert.NotContains(t, st.Message(), v)
				}
				assert.Equal(t, 1, records, "log records for a refused call")
				return
			}
			assert.Zero(t, records, "log records for an accepted call")
			if tt.rpc.method == mListContacts || tt.rpc.method == mWatchContacts || tt.rpc.method == mWhoAmI {
				assert.Equal(t, jwtguardtest.DefaultSubject, sub, "subject the handler saw in its context")
			}
		})
	}

	out := logs.String()
	for _, v := range secrets(k) {
		require.NotContains(t, out, v, "a token or token part in the logs")
	}
	assert.Contains(t, out, `msg="jwtguard: request rejected" method=/contacts.v1.Contacts/ListContacts code=Unauthenticated reason="jwtguard: invalid exp claim: jwtguard: token expired"`)
	assert.Contains(t, out, `code=PermissionDenied reason="scopes: insufficient scope`)
	assert.Contains(t, out, `claims.sub=auth0|jwtguardtest`, "a scope refusal logs who was refused")
}

// TestStatusMessages pins the messages clients get: generic, one per row of DESIGN.md §6.
func TestStatusMessages(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	a, err := grpcauth.New(newVerifier(t, iss), grpcauth.Options{Methods: scopedMethods(), Logger: discard()})
	require.NoError(t, err)
	s := startInterceptor(t, a)
	k := mintTokens(t, iss)
	for _, tt := range []struct {
		auth []string
		want string
	}{
		{nil, "missing bearer token"},
		{[]string{"Basic x"}, "malformed authorization metadata"},
		{[]string{"Bearer a", "Bearer b"}, "malformed authorization metadata"},
		{[]string{bearer(k.expired)}, "invalid token"},
		{[]string{bearer(k.none)}, "insufficient scope"},
	} {
		_, err := listContacts.call(withAuth(t.Context(), tt.auth...), s)
		assert.Equal(t, tt.want, status.Convert(err).Message(), "auth %q", tt.auth)
	}
}

func TestKeysUnavailable(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	a, logs := newScopedInterceptor(t, newVerifierWith(t, iss, unavailableKeys{}))
	s := startInterceptor(t, a)
	tok := iss.Sign(map[string]any{"scope": "read:contacts"})

	for _, r := range []rpc{listContacts, whoAmI, watchContacts} {
		_, err := r.call(withAuth(t.Context(), bearer(tok)), s)
		st := status.Convert(err)
		assert.Equal(t, codes.Unavailable, st.Code(), r.method)
		assert.Equal(t, "cannot verify tokens now", st.Message())
	}
	assert.Zero(t, s.contacts.calls.Load(), "a handler ran")

	_, err := healthCheck.call(t.Context(), s)
	assert.NoError(t, err, "public methods do not need keys")

	out := logs.String()
	assert.Contains(t, out, "level=WARN")
	assert.Contains(t, out, "code=Unavailable")
	assert.NotContains(t, out, tok)
}

func TestPolicy(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	v := newVerifier(t, iss)
	tok := iss.Sign(map[string]any{"scope": "read:contacts"})
	type call struct {
		rpc  rpc
		auth string
		want codes.Code
	}
	tests := []struct {
		name  string
		opts  grpcauth.Options
		calls []call
	}{
		{
			name: "default authenticates unlisted methods",
			opts: grpcauth.Options{Methods: scopedMethods(), Public: []string{sHealth}},
			calls: []call{
				{whoAmI, "", codes.Unauthenticated},
				{whoAmI, bearer(tok), codes.OK},
				{listContacts, bearer(tok), codes.OK},
				{healthCheck, "", codes.OK},
			},
		},
		{
			name: "strict denies unlisted methods, with or without a token",
			opts: grpcauth.Options{Methods: scopedMethods(), Public: []string{sHealth}, Policy: grpcauth.DenyUnlisted},
			calls: []call{
				{whoAmI, "", codes.PermissionDenied},
				{whoAmI, bearer(tok), codes.PermissionDenied},
				{listContacts, "", codes.Unauthenticated},
				{listContacts, bearer(tok), codes.OK},
				{watchContacts, bearer(tok), codes.OK},
				{healthCheck, "", codes.OK},
				{healthWatch, "", codes.OK},
			},
		},
		{
			name: "strict with the method listed in Authenticated",
			opts: grpcauth.Options{Methods: scopedMethods(), Authenticated: []string{mWhoAmI}, Policy: grpcauth.DenyUnlisted},
			calls: []call{
				{whoAmI, "", codes.Unauthenticated},
				{whoAmI, bearer(tok), codes.OK},
				{healthCheck, "", codes.PermissionDenied}, // not listed as public this time
			},
		},
		{
			name: "strict with a whole service in Authenticated",
			opts: grpcauth.Options{Authenticated: []string{sContacts}, Policy: grpcauth.DenyUnlisted},
			calls: []call{
				{whoAmI, bearer(tok), codes.OK},
				{createContact, bearer(tok), codes.OK},
				{watchContacts, "", codes.Unauthenticated},
				{healthCheck, "", codes.PermissionDenied},
			},
		},
		{
			name: "a method entry wins over its service's entry",
			opts: grpcauth.Options{
				Public:  []string{sContacts, sHealth},
				Methods: map[string]scopes.Requirement{mCreateContact: scopes.All("write:contacts")},
				Policy:  grpcauth.DenyUnlisted,
			},
			calls: []call{
				{whoAmI, "", codes.OK},
				{createContact, "", codes.Unauthenticated},
				{createContact, bearer(tok), codes.PermissionDenied},
			},
		},
		{
			name: "a service-wide scope requirement",
			opts: grpcauth.Options{
				Methods: map[string]scopes.Requirement{sContacts: scopes.All("read:contacts"), mCreateContact: scopes.All("write:contacts")},
			},
			calls: []call{
				{whoAmI, bearer(tok), codes.OK},
				{watchContacts, bearer(tok), codes.OK},
				{createContact, bearer(tok), codes.PermissionDenied},
				{whoAmI, bearer(iss.Sign(nil)), codes.PermissionDenied},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Logger = discard()
			a, err := grpcauth.New(v, tt.opts)
			require.NoError(t, err)
			s := startInterceptor(t, a)
			for _, c := range tt.calls {
				ctx := t.Context()
				if c.auth != "" {
					ctx = withAuth(ctx, c.auth)
				}
				_, err := c.rpc.call(ctx, s)
				assert.Equal(t, c.want, status.Code(err), "%s with %.10q: %v", c.rpc.method, c.auth, err)
			}
		})
	}
}

func TestScopeSource(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	v := newVerifier(t, iss)
	byScope := bearer(iss.Sign(map[string]any{"scope": "read:contacts"}))
	byPerms := bearer(iss.Sign(map[string]any{"permissions": []string{"read:contacts"}}))
	tests := []struct {
		source          scopes.Source
		scope, perms    codes.Code
		descriptionName string
	}{
		{0, codes.OK, codes.OK, "zero means ScopeOrPermissions"},
		{scopes.ScopeOrPermissions, codes.OK, codes.OK, "ScopeOrPermissions"},
		{scopes.ScopeClaim, codes.OK, codes.PermissionDenied, "ScopeClaim"},
		{scopes.PermissionsClaim, codes.PermissionDenied, codes.OK, "PermissionsClaim"},
	}
	for _, tt := range tests {
		t.Run(tt.descriptionName, func(t *testing.T) {
			a, err := grpcauth.New(v, grpcauth.Options{Methods: scopedMethods(), ScopeSource: tt.source, Logger: discard()})
			require.NoError(t, err)
			s := startInterceptor(t, a)
			_, err = listContacts.call(withAuth(t.Context(), byScope), s)
			assert.Equal(t, tt.scope, status.Code(err), "token with scope")
			_, err = watchContacts.call(withAuth(t.Context(), byPerms), s)
			assert.Equal(t, tt.perms, status.Code(err), "token with permissions")
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	v := newVerifier(t, iss)
	tests := []struct {
		name string
		opts grpcauth.Options
		want string
	}{
		{"empty requirement", grpcauth.Options{Methods: map[string]scopes.Requirement{mListContacts: scopes.All()}}, "scopes: invalid requirement"},
		{"zero requirement", grpcauth.Options{Methods: map[string]scopes.Requirement{mListContacts: {}}}, "scopes: invalid requirement"},
		{"bad scope name", grpcauth.Options{Methods: map[string]scopes.Requirement{mListContacts: scopes.All(`read "contacts"`)}}, "scopes: invalid requirement"},
		{"nested bad requirement", grpcauth.Options{Methods: map[string]scopes.Requirement{mListContacts: scopes.AnyOf(scopes.All("a"), scopes.Any())}}, "scopes: invalid requirement"},
		{"no leading slash", grpcauth.Options{Public: []string{"grpc.health.v1.Health/Check"}}, "neither a method"},
		{"method only", grpcauth.Options{Public: []string{"Check"}}, "neither a method"},
		{"empty name", grpcauth.Options{Public: []string{""}}, "neither a method"},
		{"slash", grpcauth.Options{Authenticated: []string{"/"}}, "neither a method"},
		{"no service", grpcauth.Options{Authenticated: []string{"//Check"}}, "neither a method"},
		{"service without slash", grpcauth.Options{Public: []string{"/grpc.health.v1.Health"}}, "neither a method"},
		{"three parts", grpcauth.Options{Methods: map[string]scopes.Requirement{"/a/b/c": scopes.All("x")}}, "neither a method"},
		{"public and scoped", grpcauth.Options{Public: []string{mListContacts}, Methods: scopedMethods()}, "in both Options.Methods and Options.Public"},
		{"public and authenticated", grpcauth.Options{Public: []string{sHealth}, Authenticated: []string{sHealth}}, "in both Options.Public and Options.Authenticated"},
		{"unknown policy", grpcauth.Options{Policy: 2}, "unknown Options.Policy"},
		{"unknown scope source", grpcauth.Options{ScopeSource: 4}, "unknown Options.ScopeSource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := grpcauth.New(v, tt.opts)
			require.Error(t, err)
			assert.Nil(t, a)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "grpcauth: "), err.Error())
			if strings.HasPrefix(tt.want, "scopes:") {
				assert.ErrorIs(t, err, scopes.ErrInvalidRequirement)
			}
		})
	}

	_, err := grpcauth.New(nil, grpcauth.Options{})
	assert.EqualError(t, err, "grpcauth: nil Verifier")

	_, err = grpcauth.New(v, grpcauth.Options{Public: []string{sHealth, sHealth, "/grpc.health.v1.Health/Check"}})
	assert.NoError(t, err, "a name repeated in one field, or a method under a listed service")
}

// TestNewCopiesOptions checks that changing Options after New changes nothing.
func TestNewCopiesOptions(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	methods := scopedMethods()
	public := []string{sHealth}
	a, err := grpcauth.New(newVerifier(t, iss), grpcauth.Options{Methods: methods, Public: public, Logger: discard()})
	require.NoError(t, err)
	methods[mListContacts] = scopes.All("nothing")
	delete(methods, mCreateContact)
	public[0] = sContacts
	s := startInterceptor(t, a)

	_, err = listContacts.call(withAuth(t.Context(), bearer(iss.Sign(map[string]any{"scope": "read:contacts"}))), s)
	assert.NoError(t, err)
	_, err = whoAmI.call(t.Context(), s)
	assert.Equal(t, codes.Unauthenticated, status.Code(err))
}

// authUnary and authStream do what go-grpc-middleware v2's auth.UnaryServerInterceptor and
// auth.StreamServerInterceptor do with an AuthFunc (that module is not a dependency).
func authUnary(f func(context.Context) (context.Context, error)) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := f(ctx)
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

type wrappedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (w wrappedStream) Context() context.Context { return w.ctx }

func authStream(f func(context.Context) (context.Context, error)) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, err := f(ss.Context())
		if err != nil {
			return err
		}
		return handler(srv, wrappedStream{ss, ctx})
	}
}

func TestAuthFunc(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	a, logs := newScopedInterceptor(t, newVerifier(t, iss))
	var authFunc func(ctx context.Context) (context.Context, error) = a.AuthFunc // auth.AuthFunc's type
	s := startServer(t, grpc.ChainUnaryInterceptor(authUnary(authFunc)), grpc.ChainStreamInterceptor(authStream(authFunc)))

	read := bearer(iss.Sign(map[string]any{"scope": "read:contacts"}))
	none := bearer(iss.Sign(nil))
	tests := []struct {
		rpc  rpc
		auth string
		want codes.Code
	}{
		{listContacts, "", codes.Unauthenticated},
		{listContacts, "Basic x", codes.Unauthenticated},
		{listContacts, none, codes.PermissionDenied},
		{listContacts, read, codes.OK},
		{createContact, read, codes.PermissionDenied}, // the method's own requirement, read from ctx
		{watchContacts, "", codes.Unauthenticated},
		{watchContacts, none, codes.PermissionDenied},
		{watchContacts, read, codes.OK},
		{whoAmI, none, codes.OK},
		{healthCheck, "", codes.OK},
		{healthWatch, "", codes.OK},
	}
	for _, tt := range tests {
		ctx := t.Context()
		if tt.auth != "" {
			ctx = withAuth(ctx, tt.auth)
		}
		sub, err := tt.rpc.call(ctx, s)
		require.Equal(t, tt.want, status.Code(err), "%s with %.10q: %v", tt.rpc.method, tt.auth, err)
		if err == nil && tt.rpc.method != mCreateContact && strings.HasPrefix(tt.rpc.method, sContacts) {
			assert.Equal(t, jwtguardtest.DefaultSubject, sub, "%s: claims in the handler's context", tt.rpc.method)
		}
	}

	// Outside a server, AuthFunc cannot know the method and fails closed.
	ctx, err := a.AuthFunc(withIncoming(t.Context(), read))
	assert.Nil(t, ctx)
	assert.Equal(t, codes.Internal, status.Code(err))
	assert.Contains(t, logs.String(), "level=ERROR")
	assert.NotContains(t, logs.String(), read[len("Bearer "):])
}

// TestStreamClaimsContext checks that the stream handler sees the claims through its
// stream's context, and that the enriched context keeps the server's values (here the
// method).
func TestStreamClaimsContext(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	a, err := grpcauth.New(newVerifier(t, iss), grpcauth.Options{Methods: scopedMethods(), Logger: discard()})
	require.NoError(t, err)
	var (
		gotClaims *claims.Claims
		gotMethod string
	)
	spy := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		gotClaims, _ = claims.FromContext(ss.Context())
		gotMethod, _ = grpc.Method(ss.Context())
		return handler(srv, ss)
	}
	s := startServer(t, grpc.ChainStreamInterceptor(a.Stream, spy))
	sub, err := watchContacts.call(withAuth(t.Context(), bearer(iss.Sign(map[string]any{"scope": "admin", "sub": "auth0|ada"}))), s)
	require.NoError(t, err)
	assert.Equal(t, "auth0|ada", sub)
	require.NotNil(t, gotClaims)
	assert.Equal(t, "admin", gotClaims.Scope)
	assert.Equal(t, mWatchContacts, gotMethod)
}

// Package conformance_test drives the three adapters (httpauth, echoauth, grpcauth) with one
// table of requests and checks that they reach the same decision on each, as DESIGN.md §6
// requires: the same request is answered alike over net/http, Echo and gRPC.
package conformance_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/examples/grpc/contactspb"
	"github.com/jwtguard/jwtguard/internal/testkit"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/echoauth"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// An outcome is the decision an adapter reached, read back from what the client received.
type outcome string

const (
	allowed           outcome = "allowed"
	noToken           outcome = "no token"
	invalidRequest    outcome = "invalid request"
	invalidToken      outcome = "invalid token"
	insufficientScope outcome = "insufficient scope"
	unavailable       outcome = "keys unavailable"
)

// The routes every transport serves, and what each requires.
const (
	routeAny    = "any"    // any valid token
	routeRead   = "read"   // all of read:contacts
	routeCreate = "create" // any of write:contacts, admin
)

var requirements = map[string]scopes.Requirement{
	routeRead:   scopes.All("read:contacts"),
	routeCreate: scopes.Any("write:contacts", "admin"),
}

// A transport sends a request to route with the given Authorization values (nil: none) and
// reports the outcome.
type transport interface {
	call(t *testing.T, route string, authz []string) outcome
}

func TestAdaptersAgree(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Algorithms: []string{"ES256"}})
	set, err := jwks.ParseSet(iss.JWKS())
	require.NoError(t, err)
	good := newVerifier(t, iss, set)
	down := newVerifier(t, iss, testkit.UnavailableKeys{})

	valid := iss.Sign(map[string]any{"scope": "openid read:contacts"})
	perms := iss.Sign(map[string]any{"permissions": []string{"read:contacts", "admin"}})
	expired := iss.Sign(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})
	otherAud := iss.Sign(map[string]any{"aud": "https://other.example.com"})
	_, p, _ := strings.Cut(valid, ".")
	badSig := valid[:len(valid)-4] + "AAAA"
	noneAlg := iss.SignWith(jwtguardtest.AlgNone, nil, nil)

	tests := []struct {
		name   string
		down   bool
		route  string
		authz  []string
		expect outcome
		// except records where a transport, not the adapter, changes the request: net/http
		// drops trailing whitespace from header values (RFC 9110 §5.5: it is not part of the
		// value), which gRPC keeps (RFC 9113 §8.2.1 makes it malformed); grpc-go's client
		// refuses to send a tab at all ("" skips the transport).
		except map[string]outcome
	}{
		{"no header", false, routeAny, nil, noToken, nil},
		{"empty header", false, routeAny, []string{""}, noToken, nil},
		{"valid", false, routeAny, []string{"Bearer " + valid}, allowed, nil},
		{"lowercase scheme", false, routeAny, []string{"bearer " + valid}, allowed, nil},
		{"uppercase scheme", false, routeAny, []string{"BEARER " + valid}, allowed, nil},
		{"Bearer alone", false, routeAny, []string{"Bearer"}, invalidRequest, nil},
		{"two spaces", false, routeAny, []string{"Bearer  " + valid}, invalidRequest, nil},
		{"tab", false, routeAny, []string{"Bearer\t" + valid}, invalidRequest, map[string]outcome{"grpc": ""}},
		{"trailing space", false, routeAny, []string{"Bearer " + valid + " "}, invalidRequest, map[string]outcome{"net/http": allowed, "echo": allowed}},
		{"Basic", false, routeAny, []string{"Basic dXNlcjpwYXNz"}, invalidRequest, nil},
		{"two headers", false, routeAny, []string{"Bearer " + valid, "Bearer " + valid}, invalidRequest, nil},
		{"100 KB header", false, routeAny, []string{"Bearer " + strings.Repeat("a", 100<<10)}, invalidRequest, nil},
		{"expired", false, routeAny, []string{"Bearer " + expired}, invalidToken, nil},
		{"other audience", false, routeAny, []string{"Bearer " + otherAud}, invalidToken, nil},
		{"bad signature", false, routeAny, []string{"Bearer " + badSig}, invalidToken, nil},
		{"alg none", false, routeAny, []string{"Bearer " + noneAlg}, invalidToken, nil},
		{"not a JWT", false, routeAny, []string{"Bearer abc"}, invalidToken, nil},
		{"payload only", false, routeAny, []string{"Bearer " + p}, invalidToken, nil},
		{"all-of met by scope", false, routeRead, []string{"Bearer " + valid}, allowed, nil},
		{"all-of met by permissions", false, routeRead, []string{"Bearer " + perms}, allowed, nil},
		{"all-of missing", false, routeRead, []string{"Bearer " + otherScope(iss)}, insufficientScope, nil},
		{"any-of met by permissions", false, routeCreate, []string{"Bearer " + perms}, allowed, nil},
		{"any-of missing", false, routeCreate, []string{"Bearer " + valid}, insufficientScope, nil},
		{"scoped route, no token", false, routeRead, nil, noToken, nil},
		{"scoped route, invalid token", false, routeRead, []string{"Bearer " + expired}, invalidToken, nil},
		{"keys unavailable", true, routeAny, []string{"Bearer " + valid}, unavailable, nil},
		{"keys unavailable, scoped", true, routeRead, []string{"Bearer " + valid}, unavailable, nil},
	}
	transports := func(v *jwtguard.Verifier) map[string]transport {
		return map[string]transport{
			"net/http": newHTTP(t, v),
			"echo":     newEcho(t, v),
			"grpc":     newGRPC(t, v),
		}
	}
	up, dn := transports(good), transports(down)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := up
			if tt.down {
				ts = dn
			}
			for name, tr := range ts {
				want, excepted := tt.except[name]
				if !excepted {
					want = tt.expect
				} else if want == "" {
					continue
				}
				assert.Equal(t, want, tr.call(t, tt.route, tt.authz), "%s", name)
			}
		})
	}
}

func otherScope(iss *jwtguardtest.Issuer) string {
	return iss.Sign(map[string]any{"scope": "openid profile"})
}

func newVerifier(t *testing.T, iss *jwtguardtest.Issuer, keys jwtguard.KeySource) *jwtguard.Verifier {
	v, err := jwtguard.New(t.Context(), jwtguard.Config{
		Issuer: iss.URL(), Audience: []string{iss.Audience()}, Algorithms: []string{"ES256"}, Keys: keys,
	})
	require.NoError(t, err)
	return v
}

// ok answers 200 if the request's context carries claims.
func ok(w http.ResponseWriter, r *http.Request) {
	if _, found := claims.FromContext(r.Context()); !found {
		http.Error(w, "no claims", http.StatusInternalServerError)
		return
	}
	io.WriteString(w, "ok")
}

// fromHTTP reads the outcome from a status and its RFC 6750 challenge.
func fromHTTP(t *testing.T, res *http.Response, authz []string) outcome {
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, a := range authz {
		if tok := strings.TrimSpace(strings.TrimPrefix(strings.ToLower(a), "bearer")); len(tok) > 10 {
			assert.NotContains(t, strings.ToLower(string(body)+res.Header.Get("WWW-Authenticate")), tok, "the answer leaks the token")
		}
	}
	challenge := res.Header.Get("WWW-Authenticate")
	switch {
	case res.StatusCode == http.StatusOK:
		return allowed
	case res.StatusCode == http.StatusUnauthorized && challenge != "" && !strings.Contains(challenge, "error="):
		return noToken
	case res.StatusCode == http.StatusBadRequest && strings.Contains(challenge, `error="invalid_request"`):
		return invalidRequest
	case res.StatusCode == http.StatusUnauthorized && strings.Contains(challenge, `error="invalid_token"`):
		return invalidToken
	case res.StatusCode == http.StatusForbidden && strings.Contains(challenge, `error="insufficient_scope"`) && strings.Contains(challenge, `scope="`):
		return insufficientScope
	case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "":
		return unavailable
	}
	return outcome(fmt.Sprintf("unexpected %d %q %s", res.StatusCode, challenge, body))
}

func send(t *testing.T, url, method string, authz []string) *http.Response {
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	require.NoError(t, err)
	for _, a := range authz {
		req.Header.Add("Authorization", a)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	return res
}

var httpRoutes = map[string][2]string{routeAny: {"GET", "/whoami"}, routeRead: {"GET", "/contacts"}, routeCreate: {"POST", "/contacts"}}

type httpTransport struct{ url string }

func newHTTP(t *testing.T, v *jwtguard.Verifier) transport {
	auth := httpauth.New(v, httpauth.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /whoami", ok)
	mux.Handle("GET /contacts", auth.RequireScopes(requirements[routeRead])(http.HandlerFunc(ok)))
	mux.Handle("POST /contacts", auth.RequireScopes(requirements[routeCreate])(http.HandlerFunc(ok)))
	srv := httptest.NewServer(auth.Handler(mux))
	t.Cleanup(srv.Close)
	return httpTransport{srv.URL}
}

func (h httpTransport) call(t *testing.T, route string, authz []string) outcome {
	r := httpRoutes[route]
	return fromHTTP(t, send(t, h.url+r[1], r[0], authz), authz)
}

func newEcho(t *testing.T, v *jwtguard.Verifier) transport {
	auth := echoauth.New(v, echoauth.Options{})
	e := echo.New()
	e.Use(auth.Middleware)
	handler := func(c echo.Context) error {
		ok(c.Response(), c.Request())
		return nil
	}
	e.GET("/whoami", handler)
	e.GET("/contacts", handler, auth.RequireScopes(requirements[routeRead]))
	e.POST("/contacts", handler, auth.RequireScopes(requirements[routeCreate]))
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return httpTransport{srv.URL}
}

// contacts is a Contacts service whose methods succeed when the context carries claims.
type contacts struct {
	contactspb.UnimplementedContactsServer
}

func hasClaims(ctx context.Context) error {
	if _, found := claims.FromContext(ctx); !found {
		return status.Error(codes.Internal, "no claims")
	}
	return nil
}

func (contacts) WhoAmI(ctx context.Context, _ *contactspb.WhoAmIRequest) (*contactspb.WhoAmIResponse, error) {
	return &contactspb.WhoAmIResponse{}, hasClaims(ctx)
}

func (contacts) ListContacts(ctx context.Context, _ *contactspb.ListContactsRequest) (*contactspb.ListContactsResponse, error) {
	return &contactspb.ListContactsResponse{}, hasClaims(ctx)
}

func (contacts) CreateContact(ctx context.Context, _ *contactspb.CreateContactRequest) (*contactspb.Contact, error) {
	return &contactspb.Contact{}, hasClaims(ctx)
}

type grpcTransport struct{ client contactspb.ContactsClient }

func newGRPC(t *testing.T, v *jwtguard.Verifier) transport {
	auth, err := grpcauth.New(v, grpcauth.Options{Methods: map[string]scopes.Requirement{
		"/contacts.v1.Contacts/ListContacts":  requirements[routeRead],
		"/contacts.v1.Contacts/CreateContact": requirements[routeCreate],
	}})
	require.NoError(t, err)
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(auth.Unary), grpc.ChainStreamInterceptor(auth.Stream))
	contactspb.RegisterContactsServer(srv, contacts{})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return grpcTransport{contactspb.NewContactsClient(conn)}
}

func (g grpcTransport) call(t *testing.T, route string, authz []string) outcome {
	ctx := t.Context()
	for _, a := range authz {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", a)
	}
	var err error
	switch route {
	case routeAny:
		_, err = g.client.WhoAmI(ctx, &contactspb.WhoAmIRequest{})
	case routeRead:
		_, err = g.client.ListContacts(ctx, &contactspb.ListContactsRequest{})
	case routeCreate:
		_, err = g.client.CreateContact(ctx, &contactspb.CreateContactRequest{})
	}
	st := status.Convert(err)
	for _, a := range authz {
		if len(a) > 20 {
			assert.NotContains(t, st.Message(), a[7:], "the status leaks the token")
		}
	}
	switch st.Code() {
	case codes.OK:
		return allowed
	case codes.Unauthenticated:
		// gRPC has one code for the three; grpcauth's fixed messages tell them apart.
		switch st.Message() {
		case "missing bearer token":
			return noToken
		case "malformed authorization metadata":
			return invalidRequest
		case "invalid token":
			return invalidToken
		}
	case codes.PermissionDenied:
		return insufficientScope
	case codes.Unavailable:
		return unavailable
	}
	return outcome(fmt.Sprintf("unexpected %v %q", st.Code(), st.Message()))
}

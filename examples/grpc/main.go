// Command grpc serves a Contacts gRPC API protected by jwtguard, then calls it as different
// clients would and checks each answer, in the manner of the Auth0 API quickstarts.
//
// The API has the standard health and reflection services, which are public; WhoAmI, which
// needs any valid access token; ListContacts and the server stream WatchContacts, which need
// the read:contacts scope; and CreateContact, which needs write:contacts. Any other method is
// refused (grpcauth.DenyUnlisted).
//
// With no configuration it runs against a local Auth0-style issuer (jwtguardtest), which
// mints the tokens the client sends:
//
//	go run ./examples/grpc
//
// Against a real Auth0 tenant, create an API with the identifier AUTH0_AUDIENCE and the
// permissions read:contacts and write:contacts, and get an access token for it that grants
// read:contacts (for instance with a machine-to-machine application, from the API's "Test"
// tab). A token without the scope enables the remaining checks:
//
//	AUTH0_DOMAIN=YOUR_TENANT.auth0.com AUTH0_AUDIENCE=https://contacts.example.com \
//	ACCESS_TOKEN=eyJ... ACCESS_TOKEN_NO_SCOPE=eyJ... go run ./examples/grpc
//
// The server listens on a loopback port. The program prints each call's status code next to
// the one expected and exits with status 1 if any differs.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/examples/grpc/contactspb"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
	"github.com/jwtguard/jwtguard/scopes"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "examples/grpc:", err)
		os.Exit(1)
	}
}

// run serves the API, runs the client's checks against it, prints them to stdout and returns
// an error if any answer was not the expected one.
func run(ctx context.Context, stdout io.Writer) error {
	cfg, err := configure(os.Getenv)
	if err != nil {
		return err
	}
	if cfg.issuer == "" { // no tenant: start a local issuer and mint the tokens
		iss, err := jwtguardtest.Start(jwtguardtest.Options{Audience: localAudience})
		if err != nil {
			return err
		}
		defer iss.Close()
		cfg.issuer, cfg.audience = iss.URL(), iss.Audience()
		cfg.readToken = iss.Sign(map[string]any{"scope": "read:contacts"})
		cfg.noScopeToken = iss.Sign(map[string]any{"scope": "openid profile"})
		fmt.Fprintf(stdout, "local issuer %s, audience %s\n", cfg.issuer, cfg.audience)
	} else {
		fmt.Fprintf(stdout, "Auth0 issuer %s, audience %s\n", cfg.issuer, cfg.audience)
	}

	addr, stopServer, err := serve(ctx, cfg.issuer, cfg.audience)
	if err != nil {
		return err
	}
	defer stopServer()

	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	return runChecks(ctx, stdout, conn, checks(cfg))
}

// localAudience is the API identifier when no tenant is configured.
const localAudience = "https://contacts.example.com"

// config is what the program needs: the issuer and audience the server trusts, and the
// tokens the client sends.
type config struct {
	issuer, audience string
	readToken        string // grants read:contacts (and not write:contacts)
	noScopeToken     string // grants neither; "" skips the checks that need it
}

// configure reads AUTH0_DOMAIN, AUTH0_AUDIENCE, ACCESS_TOKEN and ACCESS_TOKEN_NO_SCOPE. An
// empty config (no AUTH0_DOMAIN) means "use a local issuer".
func configure(getenv func(string) string) (config, error) {
	domain := getenv("AUTH0_DOMAIN")
	if domain == "" {
		return config{}, nil
	}
	domain = strings.TrimSuffix(strings.TrimPrefix(domain, "https://"), "/")
	c := config{
		issuer:       "https://" + domain + "/", // Auth0's "iss", with the trailing slash
		audience:     getenv("AUTH0_AUDIENCE"),
		readToken:    getenv("ACCESS_TOKEN"),
		noScopeToken: getenv("ACCESS_TOKEN_NO_SCOPE"),
	}
	switch {
	case domain == "" || strings.ContainsAny(domain, "/ "):
		return config{}, fmt.Errorf("AUTH0_DOMAIN %q is not a host name such as YOUR_TENANT.auth0.com", getenv("AUTH0_DOMAIN"))
	case c.audience == "":
		return config{}, errors.New("AUTH0_DOMAIN is set but AUTH0_AUDIENCE is not: set it to your API's identifier")
	case c.readToken == "":
		return config{}, errors.New("AUTH0_DOMAIN is set but ACCESS_TOKEN is not: set it to an access token for AUTH0_AUDIENCE that grants read:contacts")
	}
	return c, nil
}

// The full names of the methods the server protects.
const (
	whoAmIMethod        = "/contacts.v1.Contacts/WhoAmI"
	listContactsMethod  = "/contacts.v1.Contacts/ListContacts"
	createContactMethod = "/contacts.v1.Contacts/CreateContact"
	watchContactsMethod = "/contacts.v1.Contacts/WatchContacts"
)

// serve starts the API on a loopback port, trusting the tokens of issuer for audience. It
// returns the address and a function that stops the server and releases the verifier.
func serve(ctx context.Context, issuer, audience string) (addr string, stop func(), err error) {
	// With no Keys, New finds the issuer's JWK Set by OpenID Connect discovery and keeps it
	// fresh in the background; guard.Close stops that.
	guard, err := jwtguard.New(ctx, jwtguard.Config{Issuer: issuer, Audience: []string{audience}})
	if err != nil {
		return "", nil, err
	}
	auth, err := grpcauth.New(guard, grpcauth.Options{
		Methods: map[string]scopes.Requirement{
			listContactsMethod:  scopes.All("read:contacts"),
			watchContactsMethod: scopes.All("read:contacts"),
			createContactMethod: scopes.All("write:contacts"),
		},
		Authenticated: []string{whoAmIMethod},
		Public: []string{
			"/grpc.health.v1.Health/",
			"/grpc.reflection.v1.ServerReflection/",
			"/grpc.reflection.v1alpha.ServerReflection/",
		},
		Policy: grpcauth.DenyUnlisted, // a method missing above is closed, not open
	})
	if err != nil {
		guard.Close()
		return "", nil, err
	}

	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(auth.Unary),
		grpc.ChainStreamInterceptor(auth.Stream),
	)
	contactspb.RegisterContactsServer(srv, newContacts())
	healthpb.RegisterHealthServer(srv, health.NewServer())
	reflection.Register(srv) // lets grpcurl list the API without the .proto file

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		guard.Close()
		return "", nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(lis)
	}()
	return lis.Addr().String(), func() {
		srv.GracefulStop()
		<-done
		guard.Close()
	}, nil
}

// contacts is the Contacts service: an in-memory address book. Its handlers find the caller's
// verified claims in their context.
type contacts struct {
	contactspb.UnimplementedContactsServer
	mu   sync.Mutex
	list []*contactspb.Contact
}

func newContacts() *contacts {
	return &contacts{list: []*contactspb.Contact{
		{Id: "1", Name: "Ada Lovelace", Email: "ada@example.com"},
		{Id: "2", Name: "Grace Hopper", Email: "grace@example.com"},
	}}
}

func (s *contacts) WhoAmI(ctx context.Context, _ *contactspb.WhoAmIRequest) (*contactspb.WhoAmIResponse, error) {
	c := claims.MustFromContext(ctx) // WhoAmI is not public: the interceptor put them there
	return &contactspb.WhoAmIResponse{Subject: c.Subject}, nil
}

func (s *contacts) ListContacts(context.Context, *contactspb.ListContactsRequest) (*contactspb.ListContactsResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &contactspb.ListContactsResponse{Contacts: slices.Clone(s.list)}, nil
}

func (s *contacts) CreateContact(_ context.Context, r *contactspb.CreateContactRequest) (*contactspb.Contact, error) {
	if r.GetName() == "" {
		return nil, status.Error(codes.InvalidArgument, "name is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &contactspb.Contact{Id: fmt.Sprint(len(s.list) + 1), Name: r.GetName(), Email: r.GetEmail()}
	s.list = append(s.list, c)
	return c, nil
}

func (s *contacts) WatchContacts(_ *contactspb.WatchContactsRequest, stream grpc.ServerStreamingServer[contactspb.Contact]) error {
	claims.MustFromContext(stream.Context()) // streams too: through the stream's context
	s.mu.Lock()
	list := slices.Clone(s.list)
	s.mu.Unlock()
	for _, c := range list {
		if err := stream.Send(c); err != nil {
			return err
		}
	}
	return nil
}

// A check is one call the client makes and the status code it expects.
type check struct {
	method string
	creds  string // what the client sends, for the printout
	token  string // "" sends no authorization metadata
	call   func(ctx context.Context, conn *grpc.ClientConn) error
	want   codes.Code
	skip   bool // the token it needs was not configured
}

func checks(cfg config) []check {
	const (
		read    = "token with read:contacts"
		noScope = "token without scopes"
		none    = "no token"
		invalid = "invalid token"
	)
	// A well-formed bearer value whose token is not a JWT: the verifier refuses it.
	const invalidToken = "not.a.jwt"
	cs := []check{
		{method: "Health/Check", creds: none, call: healthCheck, want: codes.OK},
		{method: "WhoAmI", creds: none, call: whoAmI, want: codes.Unauthenticated},
		{method: "WhoAmI", creds: invalid, token: invalidToken, call: whoAmI, want: codes.Unauthenticated},
		{method: "WhoAmI", creds: noScope, token: cfg.noScopeToken, call: whoAmI, want: codes.OK},
		{method: "WhoAmI", creds: read, token: cfg.readToken, call: whoAmI, want: codes.OK},
		{method: "ListContacts", creds: none, call: listContacts, want: codes.Unauthenticated},
		{method: "ListContacts", creds: noScope, token: cfg.noScopeToken, call: listContacts, want: codes.PermissionDenied},
		{method: "ListContacts", creds: read, token: cfg.readToken, call: listContacts, want: codes.OK},
		{method: "CreateContact", creds: read, token: cfg.readToken, call: createContact, want: codes.PermissionDenied},
		{method: "WatchContacts", creds: none, call: watchContacts, want: codes.Unauthenticated},
		{method: "WatchContacts", creds: noScope, token: cfg.noScopeToken, call: watchContacts, want: codes.PermissionDenied},
		{method: "WatchContacts", creds: read, token: cfg.readToken, call: watchContacts, want: codes.OK},
	}
	for i := range cs {
		cs[i].skip = cs[i].creds == noScope && cfg.noScopeToken == ""
	}
	return cs
}

// runChecks makes each call, prints its code next to the expected one, and returns an error
// if any differs.
func runChecks(ctx context.Context, stdout io.Writer, conn *grpc.ClientConn, cs []check) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tCREDENTIALS\tGOT\tWANT\t")
	bad := 0
	for _, c := range cs {
		if c.skip {
			fmt.Fprintf(tw, "%s\t%s\t-\t%v\tskipped: set ACCESS_TOKEN_NO_SCOPE\n", c.method, c.creds, c.want)
			continue
		}
		ctx := ctx
		if c.token != "" {
			// Sent per call here to show each case. A real client sets it once for the
			// connection, over TLS: grpc.WithPerRPCCredentials(oauth.TokenSource{...}).
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+c.token)
		}
		got := status.Code(c.call(ctx, conn))
		verdict := "ok"
		if got != c.want {
			verdict = "MISMATCH"
			bad++
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%v\t%s\n", c.method, c.creds, got, c.want, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d calls did not get the expected status code", bad, len(cs))
	}
	fmt.Fprintln(stdout, "every call got the expected status code")
	return nil
}

func healthCheck(ctx context.Context, conn *grpc.ClientConn) error {
	_, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

func whoAmI(ctx context.Context, conn *grpc.ClientConn) error {
	_, err := contactspb.NewContactsClient(conn).WhoAmI(ctx, &contactspb.WhoAmIRequest{})
	return err
}

func listContacts(ctx context.Context, conn *grpc.ClientConn) error {
	_, err := contactspb.NewContactsClient(conn).ListContacts(ctx, &contactspb.ListContactsRequest{})
	return err
}

func createContact(ctx context.Context, conn *grpc.ClientConn) error {
	_, err := contactspb.NewContactsClient(conn).CreateContact(ctx, &contactspb.CreateContactRequest{Name: "Katherine Johnson"})
	return err
}

// watchContacts reads the whole stream: a refusal arrives as the first Recv's error.
func watchContacts(ctx context.Context, conn *grpc.ClientConn) error {
	stream, err := contactspb.NewContactsClient(conn).WatchContacts(ctx, &contactspb.WatchContactsRequest{})
	if err != nil {
		return err
	}
	for {
		if _, err := stream.Recv(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

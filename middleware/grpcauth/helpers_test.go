package grpcauth_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/examples/grpc/contactspb"
	"github.com/jwtguard/jwtguard/internal/testkit"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// Full method names of the services the tests serve.
const (
	mWhoAmI        = "/contacts.v1.Contacts/WhoAmI"
	mListContacts  = "/contacts.v1.Contacts/ListContacts"
	mCreateContact = "/contacts.v1.Contacts/CreateContact"
	mWatchContacts = "/contacts.v1.Contacts/WatchContacts"
	sContacts      = "/contacts.v1.Contacts/"
	sHealth        = "/grpc.health.v1.Health/"
)

// newVerifier returns a Verifier for iss's tokens, with iss's current JWK Set as its keys.
func newVerifier(t testing.TB, iss *jwtguardtest.Issuer) *jwtguard.Verifier {
	return testkit.Verifier(t, iss, nil)
}

func newVerifierWith(t testing.TB, iss *jwtguardtest.Issuer, keys jwtguard.KeySource) *jwtguard.Verifier {
	return testkit.Verifier(t, iss, keys)
}

type unavailableKeys = testkit.UnavailableKeys

// newLog returns a log sink the server's goroutines write to while the test reads, and a
// logger writing to it.
func newLog() (*testkit.LogBuffer, *slog.Logger) {
	b := new(testkit.LogBuffer)
	return b, slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// newScopedInterceptor returns the interceptor most tests use: scopedMethods, the health
// service public, and a log the test can read.
func newScopedInterceptor(t testing.TB, v *jwtguard.Verifier) (*grpcauth.Interceptor, *testkit.LogBuffer) {
	t.Helper()
	logs, logger := newLog()
	a, err := grpcauth.New(v, grpcauth.Options{Methods: scopedMethods(), Public: []string{sHealth}, Logger: logger})
	require.NoError(t, err)
	return a, logs
}

// contactsServer implements the Contacts service for the tests. The handlers of protected
// methods fail with FailedPrecondition if their context carries no claims, and each method
// counts its calls, so that a test sees both what the handler got and whether it ran.
type contactsServer struct {
	contactspb.UnimplementedContactsServer
	calls atomic.Int64
}

var errNoClaims = status.Error(codes.FailedPrecondition, "test handler: no claims in context")

// WhoAmI returns the caller's subject, or "" if the context has no claims (a public call).
func (s *contactsServer) WhoAmI(ctx context.Context, _ *contactspb.WhoAmIRequest) (*contactspb.WhoAmIResponse, error) {
	s.calls.Add(1)
	var sub string
	if c, ok := claims.FromContext(ctx); ok {
		sub = c.Subject
	}
	return &contactspb.WhoAmIResponse{Subject: sub}, nil
}

func (s *contactsServer) ListContacts(ctx context.Context, _ *contactspb.ListContactsRequest) (*contactspb.ListContactsResponse, error) {
	s.calls.Add(1)
	c, ok := claims.FromContext(ctx)
	if !ok {
		return nil, errNoClaims
	}
	return &contactspb.ListContactsResponse{Contacts: []*contactspb.Contact{{Id: "1", Name: c.Subject}}}, nil
}

func (s *contactsServer) CreateContact(ctx context.Context, r *contactspb.CreateContactRequest) (*contactspb.Contact, error) {
	s.calls.Add(1)
	if _, ok := claims.FromContext(ctx); !ok {
		return nil, errNoClaims
	}
	return &contactspb.Contact{Id: "2", Name: r.GetName(), Email: r.GetEmail()}, nil
}

// WatchContacts sends two contacts, the first named after the subject in the stream's
// context.
func (s *contactsServer) WatchContacts(_ *contactspb.WatchContactsRequest, stream grpc.ServerStreamingServer[contactspb.Contact]) error {
	s.calls.Add(1)
	c, ok := claims.FromContext(stream.Context())
	if !ok {
		return errNoClaims
	}
	for _, name := range []string{c.Subject, "Ada"} {
		if err := stream.Send(&contactspb.Contact{Name: name}); err != nil {
			return err
		}
	}
	return nil
}

// server is a real gRPC server on an in-memory listener, with the Contacts service and the
// standard health service registered, and a client connected to it.
type server struct {
	contacts *contactsServer
	client   contactspb.ContactsClient
	health   healthpb.HealthClient
	conn     *grpc.ClientConn
}

// startServer serves with the given server options (the interceptors) until the test ends.
func startServer(t testing.TB, opts ...grpc.ServerOption) *server {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(opts...)
	s := &server{contacts: &contactsServer{}}
	contactspb.RegisterContactsServer(srv, s.contacts)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	)
	require.NoError(t, err)
	t.Cleanup(func() {
		_ = conn.Close()
		srv.Stop()
		if err := <-served; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			t.Errorf("Serve: %v", err)
		}
	})
	s.conn = conn
	s.client = contactspb.NewContactsClient(conn)
	s.health = healthpb.NewHealthClient(conn)
	return s
}

// startInterceptor serves with a's Unary and Stream interceptors.
func startInterceptor(t testing.TB, a *grpcauth.Interceptor) *server {
	return startServer(t, grpc.ChainUnaryInterceptor(a.Unary), grpc.ChainStreamInterceptor(a.Stream))
}

// withAuth returns ctx with one outgoing "authorization" metadata entry per value.
func withAuth(ctx context.Context, values ...string) context.Context {
	for _, v := range values {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", v)
	}
	return ctx
}

// An rpc calls one method and returns the status of the call and, on success, what the
// handler saw as the subject.
type rpc struct {
	method string
	call   func(ctx context.Context, s *server) (subject string, err error)
}

var (
	whoAmI = rpc{mWhoAmI, func(ctx context.Context, s *server) (string, error) {
		r, err := s.client.WhoAmI(ctx, &contactspb.WhoAmIRequest{})
		return r.GetSubject(), err
	}}
	listContacts = rpc{mListContacts, func(ctx context.Context, s *server) (string, error) {
		r, err := s.client.ListContacts(ctx, &contactspb.ListContactsRequest{})
		if err != nil {
			return "", err
		}
		return r.GetContacts()[0].GetName(), nil
	}}
	createContact = rpc{mCreateContact, func(ctx context.Context, s *server) (string, error) {
		_, err := s.client.CreateContact(ctx, &contactspb.CreateContactRequest{Name: "Grace"})
		return "", err
	}}
	watchContacts = rpc{mWatchContacts, func(ctx context.Context, s *server) (string, error) {
		stream, err := s.client.WatchContacts(ctx, &contactspb.WatchContactsRequest{})
		if err != nil {
			return "", err
		}
		var names []string
		for {
			c, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return "", err
			}
			names = append(names, c.GetName())
		}
		if len(names) != 2 {
			return "", status.Errorf(codes.DataLoss, "test: got %d contacts, want 2", len(names))
		}
		return names[0], nil
	}}
	healthCheck = rpc{"/grpc.health.v1.Health/Check", func(ctx context.Context, s *server) (string, error) {
		r, err := s.health.Check(ctx, &healthpb.HealthCheckRequest{})
		if err == nil && r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			err = status.Errorf(codes.DataLoss, "test: health status %v", r.GetStatus())
		}
		return "", err
	}}
	healthWatch = rpc{"/grpc.health.v1.Health/Watch", func(ctx context.Context, s *server) (string, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := s.health.Watch(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			return "", err
		}
		r, err := stream.Recv() // the first update comes at once; the stream never ends by itself
		if err == nil && r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			err = status.Errorf(codes.DataLoss, "test: health status %v", r.GetStatus())
		}
		return "", err
	}}
)

// scopedMethods is the Methods map most tests use: an all-of requirement, a two-name all-of
// and an any-of on a stream. WhoAmI is not listed.
func scopedMethods() map[string]scopes.Requirement {
	return map[string]scopes.Requirement{
		mListContacts:  scopes.All("read:contacts"),
		mCreateContact: scopes.All("read:contacts", "write:contacts"),
		mWatchContacts: scopes.Any("read:contacts", "admin"),
	}
}

// discard returns a logger that drops everything, for tests that do not look at the logs.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// withIncoming returns ctx with incoming metadata holding the given "authorization" values,
// as a server's transport would make it.
func withIncoming(ctx context.Context, values ...string) context.Context {
	md := metadata.MD{}
	for _, v := range values {
		md.Append("authorization", v)
	}
	return metadata.NewIncomingContext(ctx, md)
}

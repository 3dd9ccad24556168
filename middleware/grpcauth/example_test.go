package grpcauth_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/examples/grpc/contactspb"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// This example serves the Contacts service, whose ListContacts needs the read:contacts scope,
// and the public health service on an in-memory listener, then calls ListContacts as three
// clients would: without a token, with a token lacking the scope, and with one granting it.
func Example() {
	ctx := context.Background()

	// A local Auth0-style issuer. Against a real tenant, leave Keys nil and set Issuer to
	// "https://YOUR_DOMAIN/" and Audience to your API's identifier.
	iss, err := jwtguardtest.Start(jwtguardtest.Options{Audience: "https://contacts.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	defer iss.Close()
	keys, err := jwks.ParseSet(iss.JWKS())
	if err != nil {
		log.Fatal(err)
	}
	guard, err := jwtguard.New(ctx, jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}, Keys: keys})
	if err != nil {
		log.Fatal(err)
	}
	defer guard.Close()

	auth, err := grpcauth.New(guard, grpcauth.Options{
		Methods: map[string]scopes.Requirement{
			"/contacts.v1.Contacts/ListContacts": scopes.All("read:contacts"),
		},
		Public: []string{"/grpc.health.v1.Health/"},
	})
	if err != nil {
		log.Fatal(err)
	}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(auth.Unary), grpc.ChainStreamInterceptor(auth.Stream))
	contactspb.RegisterContactsServer(srv, contacts{})
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis := bufconn.Listen(1 << 20)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()

	conn, err := grpc.NewClient("passthrough:///contacts",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()), // in-memory; use TLS on a network
	)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	_, err = healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	fmt.Printf("%-28s %v\n", "health, no token:", status.Code(err))

	client := contactspb.NewContactsClient(conn)
	list := func(name, token string) {
		ctx := ctx
		if token != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		}
		r, err := client.ListContacts(ctx, &contactspb.ListContactsRequest{})
		fmt.Printf("%-28s %v %d\n", name, status.Code(err), len(r.GetContacts()))
	}
	list("no token:", "")
	list("without read:contacts:", iss.Sign(map[string]any{"scope": "write:contacts"}))
	list("with read:contacts:", iss.Sign(map[string]any{"scope": "read:contacts"}))
	// Output:
	// health, no token:            OK
	// no token:                    Unauthenticated 0
	// without read:contacts:       PermissionDenied 0
	// with read:contacts:          OK 1
}

type contacts struct {
	contactspb.UnimplementedContactsServer
}

func (contacts) ListContacts(ctx context.Context, _ *contactspb.ListContactsRequest) (*contactspb.ListContactsResponse, error) {
	c := claims.MustFromContext(ctx) // the interceptor put them there
	return &contactspb.ListContactsResponse{Contacts: []*contactspb.Contact{
		{Id: "1", Name: "Ada Lovelace", Email: "ada@example.com (seen by " + c.Subject + ")"},
	}}, nil
}

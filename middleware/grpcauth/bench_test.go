package grpcauth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/examples/grpc/contactspb"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/grpcauth"
)

// hotPath is a unary call as the interceptor sees it: a context with incoming metadata
// holding a token the verifier has already verified (a client reusing its token), on a
// method that requires read:contacts.
type hotPath struct {
	v       *jwtguard.Verifier
	a       *grpcauth.Interceptor
	token   string
	ctx     context.Context
	info    *grpc.UnaryServerInfo
	sinfo   *grpc.StreamServerInfo
	handler grpc.UnaryHandler
	stream  grpc.StreamHandler
}

func newHotPath(t testing.TB) *hotPath {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{})
	v := newVerifier(t, iss)
	a, err := grpcauth.New(v, grpcauth.Options{Methods: scopedMethods(), Public: []string{sHealth}, Logger: discard()})
	require.NoError(t, err)
	h := &hotPath{
		v:     v,
		a:     a,
		token: iss.Sign(map[string]any{"scope": "openid read:contacts"}),
		info:  &grpc.UnaryServerInfo{FullMethod: mListContacts},
		sinfo: &grpc.StreamServerInfo{FullMethod: mWatchContacts, IsServerStream: true},
		handler: func(ctx context.Context, req any) (any, error) {
			if _, ok := claims.FromContext(ctx); !ok {
				panic("no claims")
			}
			return req, nil
		},
		stream: func(_ any, ss grpc.ServerStream) error {
			if _, ok := claims.FromContext(ss.Context()); !ok {
				panic("no claims")
			}
			return nil
		},
	}
	h.ctx = withIncoming(context.Background(), "Bearer "+h.token)
	_, err = v.Verify(h.ctx, h.token) // into the verified-token cache
	require.NoError(t, err)
	return h
}

func (h *hotPath) verify() {
	if _, err := h.v.Verify(h.ctx, h.token); err != nil {
		panic(err)
	}
}

func (h *hotPath) unary() {
	if _, err := h.a.Unary(h.ctx, nil, h.info, h.handler); err != nil {
		panic(err)
	}
}

// serverStream is the least grpc.ServerStream: Stream only asks it for its context.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }

// BenchmarkUnary compares a unary call through the interceptor (metadata lookup, bearer
// parsing, cached Verify, scope check, claims in the context, handler) with Verify alone on
// the same cached token: the difference is the interceptor's own cost.
//
//	go test -run '^$' -bench 'Unary|Stream|EndToEnd' -benchmem ./middleware/grpcauth/
func BenchmarkUnary(b *testing.B) {
	h := newHotPath(b)
	b.Run("impl=verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.verify()
		}
	})
	b.Run("impl=grpcauth", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.unary()
		}
	})
}

// BenchmarkStream is BenchmarkUnary's grpcauth case for a streaming call, which also wraps
// the stream.
func BenchmarkStream(b *testing.B) {
	h := newHotPath(b)
	ss := &serverStream{ctx: h.ctx}
	b.ReportAllocs()
	for b.Loop() {
		if err := h.a.Stream(nil, ss, h.sinfo, h.stream); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEndToEnd is a whole unary call over bufconn, client and server, with and without
// the interceptor, for information: the interceptor is a small part of it.
func BenchmarkEndToEnd(b *testing.B) {
	h := newHotPath(b)
	for _, tt := range []struct {
		name string
		opts []grpc.ServerOption
	}{
		{"interceptor=none", nil},
		{"interceptor=grpcauth", []grpc.ServerOption{grpc.ChainUnaryInterceptor(h.a.Unary)}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			s := startServer(b, tt.opts...)
			ctx := withAuth(context.Background(), "Bearer "+h.token)
			req := &contactspb.WhoAmIRequest{}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.client.WhoAmI(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestAllocations gates the hot path's allocations: Verify on a cached token allocates
// nothing, and the interceptor adds the copy of the "authorization" values that grpc's
// metadata.ValueFromIncomingContext makes and the context carrying the claims, plus the
// stream wrapper for streams.
func TestAllocations(t *testing.T) {
	h := newHotPath(t)
	ss := &serverStream{ctx: h.ctx}
	tests := []struct {
		name string
		f    func()
		max  float64
	}{
		{"verify", h.verify, 0},
		{"unary", h.unary, 2},
		{"stream", func() {
			if err := h.a.Stream(nil, ss, h.sinfo, h.stream); err != nil {
				panic(err)
			}
		}, 3},
	}
	for _, tt := range tests {
		if got := testing.AllocsPerRun(100, tt.f); got > tt.max {
			t.Errorf("%s: %v allocations per call, want at most %v", tt.name, got, tt.max)
		}
	}
}

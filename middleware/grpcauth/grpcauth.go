package grpcauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/bearer"
	"github.com/jwtguard/jwtguard/scopes"
)

// A Policy says what an Interceptor does with a method that Options does not list.
type Policy uint8

const (
	// AuthenticateUnlisted, the default, lets a method that Options does not list be called
	// with any valid token, and with no token refuses it (Unauthenticated).
	AuthenticateUnlisted Policy = iota
	// DenyUnlisted refuses every method that Options does not list with PermissionDenied,
	// without looking at the token: a method added to the server but forgotten in Options
	// stays closed.
	DenyUnlisted
)

// Options configures an Interceptor. New copies it; later changes have no effect.
//
// Every name in Methods, Public and Authenticated is either a full method name,
// "/package.Service/Method", or a service, "/package.Service/", which covers every method of
// the service. Names are compared byte for byte, as gRPC routes them. A method name takes
// precedence over its service's entry: with Public {"/pkg.Admin/"} and Methods
// {"/pkg.Admin/Reset": ...}, Reset needs its scopes and every other Admin method is public.
// A name may appear in only one of the three fields.
type Options struct {
	// Methods maps methods and services to the scopes they require, e.g.
	// "/contacts.v1.Contacts/ListContacts": scopes.All("read:contacts"). A call needs a valid
	// token granting the requirement (PermissionDenied if it does not).
	Methods map[string]scopes.Requirement
	// Public lists the methods and services that need no token, such as
	// "/grpc.health.v1.Health/" (Check, Watch and List) or "/grpc.reflection.v1.ServerReflection/".
	// The interceptor does not look at a public call's metadata at all: its context carries no
	// claims, and a bad token is not refused.
	Public []string
	// Authenticated lists methods and services that need a valid token but no scope. It only
	// matters under DenyUnlisted, since AuthenticateUnlisted treats unlisted methods the same.
	Authenticated []string
	// Policy says what happens to methods listed in none of the fields above. The zero value
	// is AuthenticateUnlisted.
	Policy Policy
	// ScopeSource names the claims that grant scopes. Zero means scopes.ScopeOrPermissions:
	// both the "scope" claim and Auth0's "permissions" array.
	ScopeSource scopes.Source
	// Logger receives one record per refused call: Info for Unauthenticated and
	// PermissionDenied, Warn for Unavailable, Error for Internal. The record has the full
	// method name, the code and the reason (the error's text, which jwtguard keeps free of
	// tokens), plus, when a valid token lacks a scope, its identifiers (claims.Claims.LogValue);
	// never the token or the metadata. Default slog.Default() at the time of the call.
	Logger *slog.Logger
}

// An Interceptor authenticates and authorizes gRPC calls with a jwtguard.Verifier. Its Unary
// and Stream methods are a grpc.UnaryServerInterceptor and a grpc.StreamServerInterceptor;
// AuthFunc serves go-grpc-middleware's auth interceptors. It is safe for concurrent use.
type Interceptor struct {
	v      *jwtguard.Verifier
	rules  map[string]rule
	policy Policy
	source scopes.Source
	log    *slog.Logger // nil: slog.Default()
}

type access uint8

const (
	accessToken  access = iota // a valid token, no scope
	accessPublic               // no token
	accessScoped               // a valid token granting req
)

type rule struct {
	access access
	req    scopes.Requirement
}

// New returns an Interceptor that verifies tokens with v and grants access as o says.
// It returns an error if v is nil, if a name in o is not a method or service name, or appears
// in two fields, if a scope requirement is invalid (Requirement.Err), or if o.Policy or
// o.ScopeSource is not a known value: a mistake surfaces at start-up, not as refused calls.
func New(v *jwtguard.Verifier, o Options) (*Interceptor, error) {
	if v == nil {
		return nil, errors.New("grpcauth: nil Verifier")
	}
	if o.Policy > DenyUnlisted {
		return nil, fmt.Errorf("grpcauth: unknown Options.Policy %d", o.Policy)
	}
	source := o.ScopeSource
	if source == 0 {
		source = scopes.ScopeOrPermissions
	}
	if source&^scopes.ScopeOrPermissions != 0 {
		return nil, fmt.Errorf("grpcauth: unknown Options.ScopeSource %d", o.ScopeSource)
	}
	n := len(o.Methods) + len(o.Public) + len(o.Authenticated)
	a := &Interceptor{
		v:      v,
		rules:  make(map[string]rule, n),
		policy: o.Policy,
		source: source,
		log:    o.Logger,
	}
	field := make(map[string]string, n) // name -> the Options field that lists it
	add := func(f, name string, r rule) error {
		if err := checkName(name); err != nil {
			return fmt.Errorf("grpcauth: Options.%s: %w", f, err)
		}
		if prev, ok := field[name]; ok && prev != f {
			return fmt.Errorf("grpcauth: %q is in both Options.%s and Options.%s", name, prev, f)
		}
		field[name] = f
		a.rules[name] = r
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(o.Methods)) {
		req := o.Methods[name]
		if err := req.Err(); err != nil {
			return nil, fmt.Errorf("grpcauth: Options.Methods[%q]: %w", name, err)
		}
		if err := add("Methods", name, rule{access: accessScoped, req: req}); err != nil {
			return nil, err
		}
	}
	for _, name := range o.Public {
		if err := add("Public", name, rule{access: accessPublic}); err != nil {
			return nil, err
		}
	}
	for _, name := range o.Authenticated {
		if err := add("Authenticated", name, rule{access: accessToken}); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// checkName accepts "/service/method" and "/service/", where service and method contain no
// "/": the names gRPC routes ("/" + service + "/" + method, split at the last "/").
func checkName(name string) error {
	svc, method, ok := strings.Cut(strings.TrimPrefix(name, "/"), "/")
	if !ok || svc == "" || name[0] != '/' || strings.Contains(method, "/") {
		return fmt.Errorf("%q is neither a method (\"/package.Service/Method\") nor a service (\"/package.Service/\")", name)
	}
	return nil
}

// Unary is a grpc.UnaryServerInterceptor: pass a.Unary to grpc.UnaryInterceptor or
// grpc.ChainUnaryInterceptor. It checks the call as Options says and either refuses it with a
// status error or calls handler with a context that carries the verified claims
// (claims.FromContext), unless the method is public.
func (a *Interceptor) Unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	c, err := a.authorize(ctx, info.FullMethod)
	if err != nil {
		return nil, err
	}
	if c != nil {
		ctx = claims.NewContext(ctx, c)
	}
	return handler(ctx, req)
}

// Stream is a grpc.StreamServerInterceptor: pass a.Stream to grpc.StreamInterceptor or
// grpc.ChainStreamInterceptor. It checks the call before handler runs, as Unary does, and
// hands handler a stream whose Context carries the verified claims.
func (a *Interceptor) Stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	ctx := ss.Context()
	c, err := a.authorize(ctx, info.FullMethod)
	if err != nil {
		return err
	}
	if c != nil {
		ss = &serverStream{ServerStream: ss, ctx: claims.NewContext(ctx, c)}
	}
	return handler(srv, ss)
}

// serverStream is a grpc.ServerStream with another context.
type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }

// AuthFunc checks a call the way Unary and Stream do and returns its context with the
// verified claims added (or unchanged, for a public method). Its signature is that of
// go-grpc-middleware v2's auth.AuthFunc, for servers that already use that package's
// interceptors:
//
//	grpc.ChainUnaryInterceptor(auth.UnaryServerInterceptor(a.AuthFunc))
//	grpc.ChainStreamInterceptor(auth.StreamServerInterceptor(a.AuthFunc))
//
// An AuthFunc is not told which method is called, so AuthFunc reads it from ctx with
// grpc.Method, which a grpc.Server sets for unary and streaming calls alike. Given a context
// without a method (one that did not come from a grpc.Server), it fails closed with Internal,
// since it cannot tell which scopes to require.
func (a *Interceptor) AuthFunc(ctx context.Context) (context.Context, error) {
	method, ok := grpc.Method(ctx)
	if !ok {
		return nil, a.refuse(ctx, "", errNoMethod, nil)
	}
	c, err := a.authorize(ctx, method)
	if err != nil {
		return nil, err
	}
	if c != nil {
		ctx = claims.NewContext(ctx, c)
	}
	return ctx, nil
}

var (
	errSeveral  = errors.New("grpcauth: several authorization metadata values")
	errUnlisted = errors.New("grpcauth: method not listed in Options (DenyUnlisted)")
	errNoMethod = errors.New("grpcauth: no gRPC method in the context given to AuthFunc")
)

// authorize decides a call of method: the claims to put in the context, nil claims for a
// public method, or a status error.
func (a *Interceptor) authorize(ctx context.Context, method string) (*claims.Claims, error) {
	r, listed := a.lookup(method)
	switch {
	case !listed && a.policy == DenyUnlisted:
		return nil, a.refuse(ctx, method, errUnlisted, nil)
	case r.access == accessPublic:
		return nil, nil
	}
	tok, err := bearerToken(ctx)
	if err != nil {
		return nil, a.refuse(ctx, method, err, nil)
	}
	c, err := a.v.Verify(ctx, tok)
	if err != nil {
		return nil, a.refuse(ctx, method, err, nil)
	}
	if r.access == accessScoped {
		if err := r.req.Check(scopes.Granted(c.Scope, c.Permissions, a.source)); err != nil {
			return nil, a.refuse(ctx, method, err, c)
		}
	}
	return c, nil
}

// lookup finds the rule for method: its own entry, else its service's. An unlisted method
// gets the zero rule, accessToken.
func (a *Interceptor) lookup(method string) (rule, bool) {
	if r, ok := a.rules[method]; ok {
		return r, true
	}
	if i := strings.LastIndexByte(method, '/'); i > 0 {
		r, ok := a.rules[method[:i+1]]
		return r, ok
	}
	return rule{}, false
}

// bearerToken returns the token of the call's one "authorization" metadata value.
func bearerToken(ctx context.Context) (string, error) {
	vals := metadata.ValueFromIncomingContext(ctx, "authorization")
	switch len(vals) {
	case 0:
		return "", jwtguard.ErrNoToken
	case 1:
		return bearer.Parse(vals[0])
	default:
		return "", errSeveral
	}
}

// The status errors sent to clients: generic, never the token or a claim. They are immutable
// and shared by every call.
var (
	errStatusNoToken      = status.Error(codes.Unauthenticated, "missing bearer token")
	errStatusMalformed    = status.Error(codes.Unauthenticated, "malformed authorization metadata")
	errStatusInvalidToken = status.Error(codes.Unauthenticated, "invalid token")
	errStatusScope        = status.Error(codes.PermissionDenied, "insufficient scope")
	errStatusUnlisted     = status.Error(codes.PermissionDenied, "method not allowed")
	errStatusUnavailable  = status.Error(codes.Unavailable, "cannot verify tokens now")
	errStatusInternal     = status.Error(codes.Internal, "authorization failed")
)

// statusFor maps the reason a call is refused to the status error its client gets.
func statusFor(err error) error {
	switch {
	case errors.Is(err, jwtguard.ErrNoToken), errors.Is(err, bearer.ErrMissing):
		return errStatusNoToken
	case errors.Is(err, bearer.ErrMalformed), errors.Is(err, errSeveral):
		return errStatusMalformed
	case errors.Is(err, jwtguard.ErrInvalidToken):
		return errStatusInvalidToken
	case errors.Is(err, scopes.ErrInsufficientScope):
		return errStatusScope
	case errors.Is(err, errUnlisted):
		return errStatusUnlisted
	case errors.Is(err, jwtguard.ErrKeysUnavailable):
		return errStatusUnavailable
	default:
		return errStatusInternal
	}
}

// refuse logs why a call is refused and returns the status error for its client. The reason
// comes from jwtguard, scopes or this package, whose errors never contain the token; c, when
// known, is logged through Claims.LogValue (identifiers only).
func (a *Interceptor) refuse(ctx context.Context, method string, reason error, c *claims.Claims) error {
	st := statusFor(reason)
	code := status.Code(st)
	level := slog.LevelInfo
	switch code {
	case codes.Unavailable:
		level = slog.LevelWarn
	case codes.Internal:
		level = slog.LevelError
	}
	log := a.log
	if log == nil {
		log = slog.Default()
	}
	if log.Enabled(ctx, level) {
		attrs := []slog.Attr{
			slog.String("method", method),
			slog.String("code", code.String()),
			slog.String("reason", reason.Error()),
		}
		if c != nil {
			attrs = append(attrs, slog.Any("claims", c))
		}
		log.LogAttrs(ctx, level, "jwtguard: request rejected", attrs...)
	}
	return st
}

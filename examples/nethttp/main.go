// Command nethttp is Auth0's Go API quickstart written with jwtguard and net/http: an API
// with a public route, a route for any valid access token, and a route that needs the
// read:contacts scope.
//
// Against an Auth0 tenant (an API registered with that identifier):
//
//	AUTH0_DOMAIN=your-tenant.us.auth0.com AUTH0_AUDIENCE=https://contacts.example.com go run ./examples/nethttp
//
// Without those variables it starts a local issuer and prints tokens to try.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

const addr = "127.0.0.1:3010"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context) error {
	guard, closeGuard, err := newGuard(ctx, os.Getenv("AUTH0_DOMAIN"), os.Getenv("AUTH0_AUDIENCE"), os.Stdout)
	if err != nil {
		return err
	}
	defer closeGuard()

	srv := &http.Server{Addr: addr, Handler: newAPI(guard), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	log.Printf("listening on http://%s", addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newAPI returns the API's routes, protected by guard.
func newAPI(guard *jwtguard.Verifier) http.Handler {
	auth := httpauth.New(guard, httpauth.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/public", public)
	mux.Handle("GET /api/private", auth.Handler(http.HandlerFunc(private)))
	mux.Handle("GET /api/private-scoped", auth.Handler(
		auth.RequireScopes(scopes.All("read:contacts"))(http.HandlerFunc(privateScoped))))
	return mux
}

func public(w http.ResponseWriter, _ *http.Request) {
	reply(w, "Hello from a public endpoint! You don't need to be authenticated to see this.")
}

func private(w http.ResponseWriter, r *http.Request) {
	c := claims.MustFromContext(r.Context())
	reply(w, "Hello from a private endpoint! You are "+c.Subject+".")
}

func privateScoped(w http.ResponseWriter, _ *http.Request) {
	reply(w, "Hello from a private endpoint! You need to be authenticated and have a scope of read:contacts to see this.")
}

func reply(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// newGuard returns a verifier for the Auth0 tenant domain and API audience, or, if domain is
// empty, for a local issuer, printing tokens of that issuer to out. Call the returned
// function when done.
func newGuard(ctx context.Context, domain, audience string, out io.Writer) (*jwtguard.Verifier, func(), error) {
	if domain != "" {
		guard, err := jwtguard.New(ctx, jwtguard.Config{
			Issuer:   "https://" + domain + "/", // discovery finds the tenant's JWK Set
			Audience: []string{audience},
		})
		if err != nil {
			return nil, nil, err
		}
		return guard, func() { _ = guard.Close() }, nil
	}

	iss, err := jwtguardtest.Start(jwtguardtest.Options{})
	if err != nil {
		return nil, nil, err
	}
	guard, err := jwtguard.New(ctx, jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}})
	if err != nil {
		iss.Close()
		return nil, nil, err
	}
	fmt.Fprintf(out, "AUTH0_DOMAIN is not set: using a local issuer at %s.\n", iss.URL())
	fmt.Fprintf(out, "A token with the read:contacts scope:\n\n  %s\n\n", iss.Sign(map[string]any{"scope": "read:contacts"}))
	fmt.Fprintf(out, "A token without it:\n\n  %s\n\n", iss.Sign(map[string]any{}))
	return guard, func() { _ = guard.Close(); iss.Close() }, nil
}

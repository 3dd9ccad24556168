// Command quickstart runs a protected API against a local token issuer, with nothing to sign
// up for and no network beyond loopback:
//
//	go run ./examples/quickstart          # serve, and print curl commands to try
//	go run ./examples/quickstart -demo    # make the calls itself and check the answers
//
// The API has three routes, as in Auth0's API quickstarts: /api/public needs no token,
// /api/private any valid token, and /api/private-scoped a token with the read:contacts
// scope. The issuer (package jwtguardtest) mints tokens and publishes its keys the way an
// Auth0 tenant does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
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

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run starts the issuer and the API, then either prints curl commands and serves until ctx
// ends, or, with -demo, calls the API and reports any answer that is not the expected one.
func run(ctx context.Context, args []string, out io.Writer) error {
	flags := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:3010", "where the API listens (loopback)")
	demo := flags.Bool("demo", false, "call the API, compare each status with the expected one, and exit")
	if err := flags.Parse(args); err != nil {
		return err
	}

	iss, err := jwtguardtest.Start(jwtguardtest.Options{})
	if err != nil {
		return err
	}
	defer iss.Close()

	// Discovery: the issuer's /.well-known/openid-configuration names its JWK Set, which New
	// fetches before returning.
	guard, err := jwtguard.New(ctx, jwtguard.Config{
		Issuer:   iss.URL(),
		Audience: []string{iss.Audience()},
	})
	if err != nil {
		return err
	}
	defer guard.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api(guard), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }() // ErrServerClosed once shut down
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	now := time.Now()
	tokens := map[string]string{
		"TOKEN":         iss.Sign(map[string]any{}),
		"TOKEN_SCOPED":  iss.Sign(map[string]any{"scope": "read:contacts"}),
		"TOKEN_EXPIRED": iss.Sign(map[string]any{"iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)}),
	}
	calls := []call{
		{"/api/public", "", 200, "no token needed"},
		{"/api/private", "", 401, "no token"},
		{"/api/private", "TOKEN", 200, "any valid token"},
		{"/api/private-scoped", "TOKEN", 403, "insufficient_scope: read:contacts"},
		{"/api/private-scoped", "TOKEN_SCOPED", 200, "has read:contacts"},
		{"/api/private", "TOKEN_EXPIRED", 401, "invalid_token: expired"},
	}

	if *demo {
		return runDemo(ctx, out, base, calls, tokens)
	}
	fmt.Fprintf(out, "A local issuer runs at %s and the API at %s.\n\n", iss.URL(), base)
	fmt.Fprintln(out, "Tokens from the local issuer (paste into a POSIX shell):")
	for _, name := range []string{"TOKEN", "TOKEN_SCOPED", "TOKEN_EXPIRED"} {
		fmt.Fprintf(out, "  %s='%s'\n", name, tokens[name])
	}
	fmt.Fprintln(out, "\nThen try:")
	for _, c := range calls {
		fmt.Fprintf(out, "  %-90s # %d %s (%s)\n", c.curl(base), c.want, http.StatusText(c.want), c.note)
	}
	fmt.Fprintln(out, "\nServing until Ctrl-C.")
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// api returns the protected API.
func api(guard *jwtguard.Verifier) http.Handler {
	auth := httpauth.New(guard, httpauth.Options{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/public", public)
	mux.Handle("GET /api/private", auth.Handler(http.HandlerFunc(private)))
	mux.Handle("GET /api/private-scoped", auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(http.HandlerFunc(private))))
	return mux
}

func public(w http.ResponseWriter, _ *http.Request) {
	reply(w, "Hello from a public endpoint! You don't need to be authenticated to see this.")
}

func private(w http.ResponseWriter, r *http.Request) {
	c := claims.MustFromContext(r.Context())
	reply(w, "Hello from a private endpoint! You are authenticated as "+c.Subject+".")
}

func reply(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// A call is a request to the API and the status it should get.
type call struct {
	path     string
	tokenVar string // the shell variable that holds the token, or "" for none
	want     int
	note     string
}

func (c call) curl(base string) string {
	if c.tokenVar == "" {
		return "curl -i " + base + c.path
	}
	return "curl -i " + base + c.path + ` -H "Authorization: Bearer $` + c.tokenVar + `"`
}

// runDemo makes the calls and reports each status next to the expected one.
func runDemo(ctx context.Context, out io.Writer, base string, calls []call, tokens map[string]string) error {
	failed := 0
	for _, c := range calls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+c.path, nil)
		if err != nil {
			return err
		}
		who := "no token"
		if c.tokenVar != "" {
			req.Header.Set("Authorization", "Bearer "+tokens[c.tokenVar])
			who = "$" + c.tokenVar
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		verdict := "ok"
		if resp.StatusCode != c.want {
			verdict = "MISMATCH"
			failed++
		}
		fmt.Fprintf(out, "GET %-20s %-15s %d (want %d) %s\n", c.path, who, resp.StatusCode, c.want, verdict)
		if h := resp.Header.Get("WWW-Authenticate"); h != "" {
			fmt.Fprintf(out, "    WWW-Authenticate: %s\n", h)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d calls got an unexpected status", failed, len(calls))
	}
	return nil
}

package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// TestRun runs the program as `go run ./examples/grpc` does without a tenant: a local
// issuer, a server on a loopback port, and the client's checks.
func TestRun(t *testing.T) {
	t.Setenv("AUTH0_DOMAIN", "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out), out.String())

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 1+1+len(checks(config{}))+1, out.String())
	assert.True(t, strings.HasPrefix(lines[0], "local issuer http://127.0.0.1:"), lines[0])
	assert.Equal(t, "every call got the expected status code", lines[len(lines)-1])
	table := squeeze(out.String())
	for _, want := range []string{
		"Health/Check no token OK OK ok",
		"WhoAmI no token Unauthenticated Unauthenticated ok",
		"ListContacts token without scopes PermissionDenied PermissionDenied ok",
		"ListContacts token with read:contacts OK OK ok",
		"CreateContact token with read:contacts PermissionDenied PermissionDenied ok",
		"WatchContacts token with read:contacts OK OK ok",
	} {
		assert.Contains(t, table, want)
	}
	assert.NotContains(t, out.String(), "MISMATCH")
}

// TestRunChecksMismatch checks that a call answered otherwise than expected is reported and
// fails the run, against the real server.
func TestRunChecksMismatch(t *testing.T) {
	iss := jwtguardtest.NewIssuer(t, jwtguardtest.Options{Audience: localAudience})
	addr, stop, err := serve(t.Context(), iss.URL(), iss.Audience())
	require.NoError(t, err)
	t.Cleanup(stop)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })

	cs := checks(config{readToken: iss.Sign(map[string]any{"scope": "read:contacts write:contacts"})})
	var out bytes.Buffer
	err = runChecks(t.Context(), &out, conn, cs)
	require.Error(t, err)
	assert.Equal(t, "1 of 12 calls did not get the expected status code", err.Error())
	assert.Contains(t, squeeze(out.String()), "CreateContact token with read:contacts OK PermissionDenied MISMATCH")
	assert.Equal(t, 3, strings.Count(out.String(), "skipped: set ACCESS_TOKEN_NO_SCOPE"))
}

// squeeze collapses the tabwriter's padding to single spaces, line by line.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

func TestConfigure(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	c, err := configure(env())
	require.NoError(t, err)
	assert.Equal(t, config{}, c, "no tenant: local issuer")

	for _, domain := range []string{"tenant.eu.auth0.com", "https://tenant.eu.auth0.com/", "tenant.eu.auth0.com/"} {
		c, err = configure(env("AUTH0_DOMAIN", domain, "AUTH0_AUDIENCE", "https://api", "ACCESS_TOKEN", "t1"))
		require.NoError(t, err, domain)
		assert.Equal(t, config{issuer: "https://tenant.eu.auth0.com/", audience: "https://api", readToken: "t1"}, c, domain)
	}

	for _, tt := range []struct {
		env  []string
		want string
	}{
		{[]string{"AUTH0_DOMAIN", "tenant.auth0.com", "ACCESS_TOKEN", "t"}, "AUTH0_AUDIENCE is not"},
		{[]string{"AUTH0_DOMAIN", "tenant.auth0.com", "AUTH0_AUDIENCE", "a"}, "ACCESS_TOKEN is not"},
		{[]string{"AUTH0_DOMAIN", "https://", "AUTH0_AUDIENCE", "a", "ACCESS_TOKEN", "t"}, "not a host name"},
		{[]string{"AUTH0_DOMAIN", "tenant.auth0.com/path", "AUTH0_AUDIENCE", "a", "ACCESS_TOKEN", "t"}, "not a host name"},
	} {
		_, err := configure(env(tt.env...))
		assert.ErrorContains(t, err, tt.want, tt.env)
	}
}

// TestChecksCover makes sure the client exercises every row of DESIGN.md §6 that a real
// tenant can produce, on a unary and on a streaming method.
func TestChecksCover(t *testing.T) {
	got := map[codes.Code]bool{}
	for _, c := range checks(config{}) {
		got[c.want] = true
	}
	for _, want := range []codes.Code{codes.OK, codes.Unauthenticated, codes.PermissionDenied} {
		assert.True(t, got[want], want.String())
	}
}

package claims_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/claims"
)

func sample() *claims.Claims {
	return &claims.Claims{
		Issuer:    "https://tenant.auth0.com/",
		Subject:   "auth0|123",
		Audience:  []string{"https://api.example.com"},
		ExpiresAt: time.Unix(1700000000, 0).UTC(),
		Scope:     "read:contacts",
		OrgID:     "org_1",
		Raw: []byte(`{"iss":"https://tenant.auth0.com/","sub":"auth0|123","https://example.com/roles":["admin"],` +
			`"https://example.com/n":3,"n\u0061me":"Ann","null":null,"secret":"do-not-log"}`),
	}
}

func TestGet(t *testing.T) {
	c := sample()
	roles, err := claims.Get[[]string](c, "https://example.com/roles")
	require.NoError(t, err)
	assert.Equal(t, []string{"admin"}, roles)

	n, err := claims.Get[int](c, "https://example.com/n")
	require.NoError(t, err)
	assert.Equal(t, 3, n)

	name, err := claims.Get[string](c, "name") // the name is escaped in the JSON
	require.NoError(t, err)
	assert.Equal(t, "Ann", name)

	_, err = claims.Get[string](c, "missing")
	require.ErrorIs(t, err, claims.ErrNotPresent)

	_, err = claims.Get[string](c, "https://example.com/roles")
	require.Error(t, err)
	assert.NotErrorIs(t, err, claims.ErrNotPresent)

	p, err := claims.Get[*string](c, "null")
	require.NoError(t, err)
	assert.Nil(t, p)

	raw, err := c.Lookup("https://example.com/roles")
	require.NoError(t, err)
	assert.Equal(t, `["admin"]`, string(raw))

	_, err = claims.Get[string](&claims.Claims{}, "x")
	require.Error(t, err, "claims built by hand without Raw have no custom claims")
}

func TestDecode(t *testing.T) {
	var v struct {
		Roles []string `json:"https://example.com/roles"`
		Sub   string   `json:"sub"`
	}
	require.NoError(t, sample().Decode(&v))
	assert.Equal(t, []string{"admin"}, v.Roles)
	assert.Equal(t, "auth0|123", v.Sub)
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	_, ok := claims.FromContext(ctx)
	assert.False(t, ok)
	assert.Panics(t, func() { claims.MustFromContext(ctx) })
	_, ok = claims.FromContext(claims.NewContext(ctx, nil))
	assert.False(t, ok, "a nil *Claims is not claims")

	c := sample()
	ctx = claims.NewContext(ctx, c)
	got, ok := claims.FromContext(ctx)
	require.True(t, ok)
	assert.Same(t, c, got)
	assert.Same(t, c, claims.MustFromContext(ctx))
}

func TestLogValueNeverPrintsSecrets(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("verified", "claims", sample())
	out := buf.String()
	assert.Contains(t, out, `"sub":"auth0|123"`)
	assert.Contains(t, out, `"org_id":"org_1"`)
	for _, hidden := range []string{"do-not-log", "admin", "read:contacts", "Ann"} {
		assert.NotContains(t, out, hidden)
	}
}

func ExampleGet() {
	c := &claims.Claims{Raw: []byte(`{"sub":"auth0|123","https://example.com/roles":["admin","editor"]}`)}
	roles, err := claims.Get[[]string](c, "https://example.com/roles")
	fmt.Println(roles, err)
	_, err = claims.Get[string](c, "https://example.com/plan")
	fmt.Println(err)
	// Output:
	// [admin editor] <nil>
	// claims: claim not present: "https://example.com/plan"
}

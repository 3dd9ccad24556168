package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPI starts the example with the local issuer and calls its routes with the tokens it
// prints.
func TestAPI(t *testing.T) {
	var out bytes.Buffer
	guard, done, err := newGuard(t.Context(), "", "", &out)
	require.NoError(t, err)
	defer done()
	toks := regexp.MustCompile(`(?m)^  (\S+)$`).FindAllStringSubmatch(out.String(), -1)
	require.Len(t, toks, 2, out.String())
	scoped, plain := toks[0][1], toks[1][1]
	srv := httptest.NewServer(newAPI(guard))
	defer srv.Close()

	tests := []struct {
		path, token string
		status      int
		body        string
	}{
		{"/api/public", "", 200, "public endpoint"},
		{"/api/private", "", 401, ""},
		{"/api/private", plain, 200, "You are auth0|jwtguardtest."},
		{"/api/private", "not.a.token", 401, "invalid_token"},
		{"/api/private-scoped", plain, 403, "insufficient_scope"},
		{"/api/private-scoped", scoped, 200, "read:contacts"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
		require.NoError(t, err)
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tt.status, resp.StatusCode, tt.path)
		assert.Contains(t, string(body), tt.body, tt.path)
	}
}

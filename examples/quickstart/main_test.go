package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemo runs `quickstart -demo`: every call gets the status it should.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	err := run(t.Context(), []string{"-demo", "-addr", "127.0.0.1:0"}, &out)
	require.NoError(t, err, out.String())
	assert.Equal(t, 6, strings.Count(out.String(), " ok\n"), out.String())
	assert.NotContains(t, out.String(), "MISMATCH")
}

// TestDemoMismatch: a status other than the expected one makes the demo fail.
func TestDemoMismatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	var out bytes.Buffer
	calls := []call{{"/api/public", "", 200, ""}, {"/api/private", "TOKEN", 500, ""}}
	err := runDemo(t.Context(), &out, srv.URL, calls, map[string]string{"TOKEN": "x"})
	require.EqualError(t, err, "1 of 2 calls got an unexpected status")
	assert.Regexp(t, `GET /api/public +no token +500 \(want 200\) MISMATCH`, out.String())
}

// TestServe runs quickstart as a user does, pastes the printed tokens and curl commands
// (as Go requests), checks that each gets the status printed next to it, and stops it.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &watcher{ready: make(chan struct{}), marker: "Serving until Ctrl-C."}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, out) }()
	select {
	case <-out.ready:
	case err := <-done:
		t.Fatalf("run returned before serving: %v\n%s", err, out.String())
	}

	text := out.String()
	tokens := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  (\w+)='([^']+)'$`).FindAllStringSubmatch(text, -1) {
		tokens[m[1]] = m[2]
	}
	require.Len(t, tokens, 3, text)
	curls := regexp.MustCompile(`(?m)^  curl -i (\S+)(?: -H "Authorization: Bearer \$(\w+)")?\s+# (\d{3}) `).FindAllStringSubmatch(text, -1)
	require.Len(t, curls, 6, text)
	for _, m := range curls {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, m[1], nil)
		require.NoError(t, err)
		if m[2] != "" {
			require.Contains(t, tokens, m[2])
			req.Header.Set("Authorization", "Bearer "+tokens[m[2]])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		want, _ := strconv.Atoi(m[3])
		assert.Equal(t, want, resp.StatusCode, m[0])
	}

	cancel()
	require.NoError(t, <-done)
}

// watcher is an io.Writer that closes ready once marker has been written.
type watcher struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	ready  chan struct{}
	closed bool
}

func (w *watcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if !w.closed && strings.Contains(w.buf.String(), w.marker) {
		w.closed = true
		close(w.ready)
	}
	return n, err
}

func (w *watcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

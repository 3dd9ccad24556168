package scopes_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/scopes"
)

func TestHas(t *testing.T) {
	s := scopes.Parse("openid  read:contacts write:contacts\tadmin ")
	tests := []struct {
		name string
		want bool
	}{
		{"openid", true},
		{"read:contacts", true},
		{"write:contacts\tadmin", true}, // only SP separates (RFC 6749 §3.3); a tab is part of the token
		{"admin", false},
		{"read:contactsX", false},
		{"read:contact", false},
		{"Read:Contacts", false},
		{"", false},
		{" ", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.Has(tt.name), "Has(%q)", tt.name)
	}
	assert.Equal(t, []string{"openid", "read:contacts", "write:contacts\tadmin"}, slices.Collect(s.All()))
}

func TestGranted(t *testing.T) {
	perms := []string{"read:messages"}
	tests := []struct {
		src           scopes.Source
		scope, permit bool
	}{
		{0, true, true},
		{scopes.ScopeOrPermissions, true, true},
		{scopes.ScopeClaim, true, false},
		{scopes.PermissionsClaim, false, true},
	}
	for _, tt := range tests {
		g := scopes.Granted("read:contacts", perms, tt.src)
		assert.Equal(t, tt.scope, g.Has("read:contacts"), "source %d scope", tt.src)
		assert.Equal(t, tt.permit, g.Has("read:messages"), "source %d permissions", tt.src)
	}
}

func TestRequirement(t *testing.T) {
	granted := scopes.Granted("read:contacts write:contacts", []string{"read:messages"}, 0)
	tests := []struct {
		name    string
		req     scopes.Requirement
		missing []string
	}{
		{"all met", scopes.All("read:contacts", "read:messages"), nil},
		{"all one missing", scopes.All("read:contacts", "delete:contacts"), []string{"delete:contacts"}},
		{"any met", scopes.Any("admin", "write:contacts"), nil},
		{"any none", scopes.Any("admin", "root"), []string{"admin", "root"}},
		{"allOf met", scopes.AllOf(scopes.All("read:contacts"), scopes.Any("x", "read:messages")), nil},
		{"allOf one fails", scopes.AllOf(scopes.All("read:contacts"), scopes.Any("x", "y")), []string{"x", "y"}},
		{"anyOf met", scopes.AnyOf(scopes.All("x"), scopes.All("read:contacts", "write:contacts")), nil},
		{"anyOf none", scopes.AnyOf(scopes.All("x"), scopes.All("read:contacts", "y")), []string{"x", "y"}},
		{"prefix is not a grant", scopes.All("read:contactsX"), []string{"read:contactsX"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.req.Err())
			err := tt.req.Check(granted)
			if tt.missing == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, scopes.ErrInsufficientScope)
			var se *scopes.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.missing, se.Missing)
			assert.Equal(t, tt.req.Names(), se.Required)
		})
	}
}

func TestInvalidRequirementNeverSatisfied(t *testing.T) {
	everything := scopes.Parse("a b c")
	for name, req := range map[string]scopes.Requirement{
		"zero":              {},
		"all of nothing":    scopes.All(),
		"any of nothing":    scopes.Any(),
		"allOf nothing":     scopes.AllOf(),
		"space in name":     scopes.All("a b"),
		"empty name":        scopes.Any("a", ""),
		"quote in name":     scopes.All(`a"`),
		"backslash in name": scopes.All(`a\`),
		"non-ASCII":         scopes.All("lecture:é"),
		"invalid inside":    scopes.AnyOf(scopes.All("a"), scopes.All()),
	} {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, req.Err(), scopes.ErrInvalidRequirement)
			err := req.Check(everything)
			require.ErrorIs(t, err, scopes.ErrInvalidRequirement)
			assert.NotErrorIs(t, err, scopes.ErrInsufficientScope)
		})
	}
}

func TestString(t *testing.T) {
	assert.Equal(t, "any(all(a b) any(c))", scopes.AnyOf(scopes.All("a", "b"), scopes.Any("c")).String())
	assert.Equal(t, "invalid", scopes.Requirement{}.String())
}

func TestCheckAllocations(t *testing.T) {
	req := scopes.AllOf(scopes.All("read:contacts"), scopes.Any("x", "read:messages"))
	g := scopes.Granted("openid read:contacts", []string{"read:messages"}, 0)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = req.Check(g) }))
}

func FuzzHas(f *testing.F) {
	f.Add("read:contacts write:contacts", "read:contacts")
	f.Add("a  b", "")
	f.Add("a\tb c", "a")
	f.Fuzz(func(t *testing.T, scope, name string) {
		want := false
		if name != "" {
			for _, tok := range splitSP(scope) {
				want = want || tok == name
			}
		}
		if got := scopes.Parse(scope).Has(name); got != want {
			t.Fatalf("Parse(%q).Has(%q) = %v, want %v", scope, name, got, want)
		}
	})
}

func splitSP(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

func ExampleParse() {
	s := scopes.Parse("orders:read  orders:write")
	fmt.Println(s.Has("orders:read"), s.Has("admin"))
	// Output: true false
}

func ExampleRequirement_Check() {
	granted := scopes.Granted("openid read:contacts", []string{"read:messages"}, scopes.ScopeOrPermissions)
	req := scopes.AllOf(scopes.All("read:contacts"), scopes.Any("write:contacts", "admin"))
	err := req.Check(granted)
	var se *scopes.Error
	if errors.As(err, &se) {
		fmt.Println("missing:", se.Missing)
		fmt.Println("required:", se.Required)
	}
	// Output:
	// missing: [write:contacts admin]
	// required: [read:contacts write:contacts admin]
}

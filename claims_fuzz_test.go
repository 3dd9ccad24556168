package jwtguard

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jwtguard/jwtguard/claims"
)

// refClaims is an independent reading of a claims set with encoding/json, applying the same
// rules as parseClaims: a JSON object in UTF-8, no duplicate member names, registered claims
// of the right types.
type refClaims struct {
	strs        map[string]string
	times       map[string]float64
	aud, perms  []string
	audPresent  bool
	permPresent bool
}

var (
	surrogateEscape = regexp.MustCompile(`\\u[dD][89a-fA-F]`)
	stringNames     = []string{"iss", "sub", "jti", "scope", "azp", "client_id", "org_id"}
	timeNames       = []string{"exp", "nbf", "iat"}
)

// readRef returns the reference reading, false if the rules reject data, and skip=true for
// inputs whose verdict depends on limits of ours that encoding/json does not share (nesting
// depth, surrogate escapes, member and name-size limits).
func readRef(data []byte) (ref refClaims, ok, skip bool) {
	if surrogateEscape.Match(data) {
		return ref, false, true
	}
	if !json.Valid(data) || !utf8.Valid(data) {
		return ref, false, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return ref, false, false
	}
	members := map[string]json.RawMessage{}
	nameBytes := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return ref, false, false
		}
		name := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return ref, false, false
		}
		if depth(raw) > 63 || len(members) == maxMembers || len(name) > 200 {
			return ref, false, true
		}
		if _, dup := members[name]; dup {
			return ref, false, false
		}
		nameBytes += len(name)
		members[name] = raw
	}
	if nameBytes > nameArena {
		return ref, false, true
	}
	ref.strs, ref.times = map[string]string{}, map[string]float64{}
	for _, n := range stringNames {
		if raw, ok := members[n]; ok {
			if json.Unmarshal(raw, new(string)) != nil || raw[0] != '"' {
				return ref, false, false
			}
			var s string
			_ = json.Unmarshal(raw, &s)
			ref.strs[n] = s
		}
	}
	for _, n := range timeNames {
		if raw, ok := members[n]; ok {
			f, err := strconv.ParseFloat(string(raw), 64)
			if err != nil || raw[0] == '"' {
				return ref, false, false
			}
			ref.times[n] = f
		}
	}
	if raw, ok := members["aud"]; ok {
		ref.audPresent = true
		var s string
		if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			ref.aud = []string{s}
		} else if !stringArray(raw, &ref.aud) {
			return ref, false, false
		}
	}
	if raw, ok := members["permissions"]; ok {
		ref.permPresent = true
		if !stringArray(raw, &ref.perms) {
			return ref, false, false
		}
	}
	return ref, true, false
}

func stringArray(raw json.RawMessage, dst *[]string) bool {
	if raw[0] != '[' {
		return false
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return false
	}
	*dst = []string{}
	for _, e := range elems {
		var s string
		if e[0] != '"' || json.Unmarshal(e, &s) != nil {
			return false
		}
		*dst = append(*dst, s)
	}
	return true
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func depth(raw []byte) int {
	d, max := 0, 0
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == '[' || c == '{'):
			d++
			max = maxInt(max, d)
		case !inString && (c == ']' || c == '}'):
			d--
		}
	}
	return max
}

// TestParseClaimsArrayShapes: however an array is written, the claim reads the same, and an
// empty array is present (not nil).
func TestParseClaimsArrayShapes(t *testing.T) {
	for _, tc := range []struct {
		json string
		want []string
	}{
		{`{"permissions":[]}`, []string{}},
		{`{"permissions":[ ]}`, []string{}},
		{`{"permissions":["a","b"]}`, []string{"a", "b"}},
		{`{"permissions":[ "a" , "b" ]}`, []string{"a", "b"}},
		{`{"permissions":["a","\u0062"]}`, []string{"a", "b"}},
		{`{"permissions":["a","b","c","d","e"]}`, []string{"a", "b", "c", "d", "e"}},
	} {
		var c claims.Claims
		var strs [3]string
		_, err := parseClaims(&c, []byte(tc.json), strs[:], nil, new(memberNames))
		if err != nil {
			t.Fatalf("%s: %v", tc.json, err)
		}
		if c.Permissions == nil || !slices.Equal(c.Permissions, tc.want) {
			t.Errorf("%s: permissions %#v, want %#v", tc.json, c.Permissions, tc.want)
		}
	}
}

// FuzzParseClaims is a differential test of the claims scanner against encoding/json: both
// agree on accepting or rejecting a claims set, and on every registered claim extracted.
func FuzzParseClaims(f *testing.F) {
	for _, s := range []string{
		`{"iss":"https://tenant.auth0.com/","sub":"auth0|1","aud":["a","b"],"exp":1700000000,"iat":1.5,"scope":"read:contacts","permissions":["x"],"azp":"c","org_id":"o"}`,
		`{"aud":"a","exp":1e9}`, `{"exp":"1"}`, `{"exp":1,"exp":2}`, `{"e\u0078p":1,"exp":2}`, `{"iss":"a\/b\u00e9"}`,
		`{"aud":[1]}`, `{"permissions":"x"}`, `{"nbf":null}`, `{"x":{"y":[1,{"z":null}]}}`, `[]`, `{"a":1,}`, " {\r\n\"iss\" : \"joe\"\t} ",
		`{"exp":1e400}`, `{"iss":"\ud83d\ude00"}`, "{\"iss\":\"\xff\"}",
		`{"aud":["a", "b"]}`, `{"permissions":["a","b","c","d","e"],"aud":["x","y"]}`, `{"aud":["a\"b","c"]}`,
		`{"permissions":["a",1]}`, `{"permissions":[]}`, `{"permissions":[ ]}`, `{"permissions":["a",["b"]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c claims.Claims
		var strs [3]string // few, so that arrays often spill
		_, err := parseClaims(&c, bytes.Clone(data), strs[:], nil, new(memberNames))
		ref, ok, skip := readRef(data)
		if skip {
			return
		}
		if ok != (err == nil) {
			t.Fatalf("parseClaims(%q) error = %v, encoding/json reading ok = %v", data, err, ok)
		}
		if !ok {
			return
		}
		got := map[string]string{"iss": c.Issuer, "sub": c.Subject, "jti": c.ID, "scope": c.Scope, "azp": c.AuthorizedParty, "client_id": c.ClientID, "org_id": c.OrgID}
		for _, n := range stringNames {
			if got[n] != ref.strs[n] {
				t.Fatalf("%s = %q, encoding/json says %q (input %q)", n, got[n], ref.strs[n], data)
			}
		}
		gotTimes := map[string]time.Time{"exp": c.ExpiresAt, "nbf": c.NotBefore, "iat": c.IssuedAt}
		for _, n := range timeNames {
			var want time.Time
			if f, present := ref.times[n]; present {
				want = numericDate(f)
			}
			if !gotTimes[n].Equal(want) {
				t.Fatalf("%s = %v, encoding/json says %v (input %q)", n, gotTimes[n], want, data)
			}
		}
		if !equalStrings(c.Audience, ref.aud) || !equalStrings(c.Permissions, ref.perms) {
			t.Fatalf("aud/permissions = %q/%q, encoding/json says %q/%q (input %q)", c.Audience, c.Permissions, ref.aud, ref.perms, data)
		}
		if !bytes.Equal(c.Raw, data) {
			t.Fatal("Raw is not the input")
		}
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

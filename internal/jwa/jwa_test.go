package jwa

import "testing"

func TestParseRoundTrip(t *testing.T) {
	for _, a := range All() {
		if Parse(a.String()) != a || ParseBytes([]byte(a.String())) != a {
			t.Errorf("Parse(%q) != %v", a.String(), a)
		}
		if a.Family() == FamilyNone {
			t.Errorf("%v has no family", a)
		}
	}
	for _, s := range []string{"", "none", "None", "rs256", "RS256 ", "HS1", "ES256K", "Ed25519"} {
		if Parse(s) != Invalid {
			t.Errorf("Parse(%q) is valid", s)
		}
	}
	if got := testing.AllocsPerRun(10, func() { ParseBytes([]byte("EdDSA")) }); got != 0 {
		t.Errorf("ParseBytes allocates %v", got)
	}
}

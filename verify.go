package jwtguard

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"math"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/b64"
	"github.com/jwtguard/jwtguard/internal/jsonscan"
	"github.com/jwtguard/jwtguard/internal/jwa"
	"github.com/jwtguard/jwtguard/jwks"
)

// Size limits of the parts of a token, in base64url characters, checked before decoding.
const (
	maxHeaderB64 = 2048 // a header is ~100 bytes; 1536 decoded is generous
	maxSigB64    = 1366 // an RSA-8192 signature: 1024 bytes
	maxMembers   = 128  // top-level members of the header or the claims set
	nameArena    = 4096 // bytes for the unescaped member names of one object
)

// Verify checks raw's signature, algorithm, header, issuer, audience and lifetime, and the
// other checks Config asks for, and returns the verified claims. It is safe for concurrent
// use. Verify itself never contacts the network; a KeySource such as a *jwks.Cache may, for a
// "kid" it has not seen, within ctx.
//
// The claims returned are shared by every call that presents the same token while it is in
// the verified-token cache: do not modify them. Verify keeps token in that cache; it must be
// an ordinary (immutable) Go string.
//
// A rejected token yields an error matching ErrInvalidToken and a specific sentinel
// (ErrExpired, ErrAudience, ...); unavailable keys yield ErrKeysUnavailable; "" yields
// ErrNoToken.
func (v *Verifier) Verify(ctx context.Context, token string) (*claims.Claims, error) {
	if token == "" {
		return nil, ErrNoToken
	}
	if len(token) > v.maxSize {
		return nil, errTooLarge
	}
	now := v.now()
	var hash uint64
	if v.cache != nil {
		var c *claims.Claims
		if c, hash = v.cache.get(token, now.UnixNano()); c != nil {
			return c, nil
		}
	}
	e, err := v.verify(ctx, token, now)
	if err != nil {
		return nil, err
	}
	if v.cache != nil {
		v.cache.put(e, hash, now.UnixNano())
	}
	return &e.claims, nil
}

func (v *Verifier) verify(ctx context.Context, token string, now time.Time) (*entry, error) {
	// Compact serialization: exactly three non-empty parts. JWE has five; the JSON
	// serialization has no dots at all.
	d1 := strings.IndexByte(token, '.')
	if d1 <= 0 {
		return nil, errStructure
	}
	d2 := strings.IndexByte(token[d1+1:], '.') + d1 + 1
	if d2 <= d1+1 || d2 == len(token)-1 || strings.IndexByte(token[d2+1:], '.') >= 0 {
		return nil, errStructure
	}
	h64, p64, s64 := token[:d1], token[d1+1:d2], token[d2+1:]
	if len(h64) > maxHeaderB64 || len(s64) > maxSigB64 {
		return nil, errTooLarge
	}

	sc := scratchPool.Get().(*scratch)
	e, err := v.verifyParts(ctx, token, h64, p64, s64, now, sc)
	scratchPool.Put(sc) // not deferred: verify has too many returns for an open-coded defer
	return e, err
}

// verifyParts is verify once the token is split, with scratch space.
func (v *Verifier) verifyParts(ctx context.Context, token, h64, p64, s64 string, now time.Time, sc *scratch) (*entry, error) {
	// The header: recognised by its text, or decoded and parsed.
	h := v.headers.get(h64)
	var kid []byte // the parsed kid, in scratch, when h is nil
	alg, typ := jwa.Alg(0), typAbsent
	if h != nil {
		alg, typ = h.alg, h.typ
	} else {
		n, err := b64.Decode(sc.header[:], h64)
		if err != nil {
			return nil, errBase64
		}
		var p header
		if err := p.parse(sc.header[:n], &sc.names); err != nil {
			return nil, err
		}
		alg, typ, kid = p.alg, p.typ, p.kid
	}
	if !v.algs[alg] {
		return nil, errAlg
	}
	if v.atJWT && typ != typAccessToken {
		return nil, errTyp
	}

	plen, ok := b64.DecodedLen(len(p64))
	if !ok {
		return nil, errBase64
	}
	e, payload, size := newEntry(plen)
	e.token = token
	if _, err := b64.Decode(payload, p64); err != nil {
		return nil, errBase64
	}
	c := &e.claims
	required, err := parseClaims(c, payload, e.strs[:], v.required, &sc.names)
	if err != nil {
		return nil, err
	}

	// The issuer is checked before any key lookup, so that only a trusted issuer's key
	// source, and so its network, is ever consulted.
	iss := v.issuer(c.Issuer)
	if iss == nil {
		return nil, errIss
	}
	var kidStr string
	if h != nil {
		kidStr = h.kid
	} else {
		kidStr = string(kid) // out of scratch: a KeySource may keep it (in an error, say)
	}
	key, err := iss.keys.Key(ctx, kidStr, alg.String())
	if err != nil {
		return nil, keyError(err)
	}
	n, err := b64.Decode(sc.sig[:], s64)
	if err != nil {
		return nil, errBase64
	}
	if err := v.verifySignature(key, alg, token[:len(h64)+1+len(p64)], sc.sig[:n]); err != nil {
		return nil, err
	}
	if h == nil {
		// The header is genuine: remember it, copied so as not to keep the token alive.
		v.headers.put(&knownHeader{text: strings.Clone(h64), alg: alg, kid: kidStr, typ: typ})
	}
	if err := v.checkClaims(iss, c, required, now); err != nil {
		return nil, err
	}
	if v.validate != nil {
		if err := v.validate(ctx, c); err != nil {
			return nil, &rejectedError{err: err}
		}
	}
	e.key = key
	e.size = int64(len(token) + size)
	e.deadline = v.deadline(c)
	return e, nil
}

// scratch holds the decoded header and signature and the member-name table of one
// verification. Pooled rather than on the stack: the signature is handed to crypto code that
// keeps it on the heap, and the name table is over 6 KiB. Nothing keeps a reference past the
// call (the kid is copied).
type scratch struct {
	header [maxHeaderB64 * 3 / 4]byte
	sig    [maxSigB64 * 3 / 4]byte
	names  memberNames // reset, not zeroed, for each object: its arena is 4 KiB
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func keyError(err error) error {
	switch {
	case errors.Is(err, jwks.ErrUnknownKey):
		return errUnknownKey
	case errors.Is(err, jwks.ErrKeyMismatch):
		return errKeyMismatch
	case errors.Is(err, jwks.ErrUnavailable):
		return err
	default:
		return errors.Join(ErrKeysUnavailable, err)
	}
}

func (v *Verifier) issuer(iss string) *issuer {
	for i := range v.issuers {
		if v.issuers[i].url == iss {
			return &v.issuers[i]
		}
	}
	return nil
}

func (v *Verifier) verifySignature(key *jwks.Key, a jwa.Alg, input string, sig []byte) error {
	var err error
	if f := a.Family(); v.stdRSA && (f == jwa.FamilyRSA || f == jwa.FamilyPSS) {
		err = verifyStdlibRSA(key, a, input, sig)
	} else {
		err = key.Verify(a.String(), input, sig)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, jwks.ErrKeyMismatch):
		return errKeyMismatch
	default:
		return errSignature
	}
}

// verifyStdlibRSA verifies RS* and PS* with crypto/rsa (Config.StdlibRSA).
func verifyStdlibRSA(key *jwks.Key, a jwa.Alg, input string, sig []byte) error {
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok || !key.Fits(a.String()) {
		return jwks.ErrKeyMismatch
	}
	h := a.Hash().New()
	h.Write([]byte(input))
	digest := h.Sum(nil)
	if a.Family() == jwa.FamilyPSS {
		return rsa.VerifyPSS(pub, a.Hash(), digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: a.Hash()})
	}
	return rsa.VerifyPKCS1v15(pub, a.Hash(), digest, sig)
}

func (v *Verifier) checkClaims(iss *issuer, c *claims.Claims, required uint64, now time.Time) error {
	if c.ExpiresAt.IsZero() {
		return errExpMissing
	}
	if !now.Before(c.ExpiresAt.Add(v.leeway)) {
		return errExp
	}
	if !c.NotBefore.IsZero() && now.Add(v.leeway).Before(c.NotBefore) {
		return errNbf
	}
	if !c.IssuedAt.IsZero() && now.Add(v.leeway).Before(c.IssuedAt) {
		return errIatFuture
	}
	if v.maxAge > 0 {
		if c.IssuedAt.IsZero() {
			return errIatMissing
		}
		if now.After(c.IssuedAt.Add(v.maxAge + v.leeway)) {
			return errMaxAge
		}
	}
	if !anyIn(c.Audience, iss.audience) {
		return errAud
	}
	if len(v.parties) > 0 {
		party := c.AuthorizedParty
		if party == "" {
			party = c.ClientID
		} else if c.ClientID != "" && c.ClientID != party {
			return errAzp // two different clients named: ambiguous
		}
		if party == "" || !anyIn([]string{party}, v.parties) {
			return errAzp
		}
	}
	if len(v.orgs) > 0 && (c.OrgID == "" || !anyIn([]string{c.OrgID}, v.orgs)) {
		return errOrg
	}
	if want := uint64(1)<<len(v.required) - 1; required != want {
		for i, name := range v.required {
			if required&(1<<i) == 0 {
				return missingClaimError(name)
			}
		}
	}
	return nil
}

// deadline returns when a verified token stops being valid, in Unix nanoseconds.
func (v *Verifier) deadline(c *claims.Claims) int64 {
	d := c.ExpiresAt.Add(v.leeway)
	if v.maxAge > 0 {
		if m := c.IssuedAt.Add(v.maxAge + v.leeway); m.Before(d) {
			d = m
		}
	}
	return d.UnixNano()
}

func anyIn(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if h == w {
				return true
			}
		}
	}
	return false
}

// stringValue returns the unescaped string value of the current member. A value with escapes
// is unescaped into a new slice (rare; never for tokens the big issuers mint).
func stringValue(o *jsonscan.Object) ([]byte, bool) {
	if o.Kind() != jsonscan.KindString {
		return nil, false
	}
	return unquote(o.Value(), o.StringEscaped())
}

// unquote returns the content of a string value the scanner has validated: the bytes between
// the quotes when it has no escapes (the common case, which the scanner reports), else a
// new, unescaped slice.
func unquote(raw []byte, escaped bool) ([]byte, bool) {
	if !escaped {
		return raw[1 : len(raw)-1], true
	}
	s, err := jsonscan.Unquote(raw, nil)
	return s, err == nil
}

// memberNames detects duplicate member names, comparing them unescaped, without allocating.
// Names without escapes are slices of the input; escaped ones are unescaped into arena. A
// 64-bit signature of lengths and end bytes lets most names skip the comparisons.
type memberNames struct {
	names   [maxMembers][]byte
	n       int    // names recorded
	members int    // names met, recorded or not
	seen    uint64 // bit sig(name) is set for every recorded name
	arena   [nameArena]byte
	used    int
}

// reset forgets the names of the previous object (and the memory they refer to).
func (m *memberNames) reset() {
	clear(m.names[:m.n])
	m.n, m.members, m.seen, m.used = 0, 0, 0, 0
}

func sig(name []byte) uint64 {
	if len(name) == 0 {
		return 1
	}
	return 1 << ((uint(len(name))*7 + uint(name[0]) + uint(name[len(name)-1])*3) & 63)
}

// add records the current member's name and returns it unescaped, or false if it repeats an
// earlier name or the limits are exceeded.
func (m *memberNames) add(o *jsonscan.Object) ([]byte, bool) {
	name, ok := m.name(o)
	if !ok || !m.record(name) {
		return nil, false
	}
	return name, true
}

// name returns the current member's name unescaped, without recording it, or false if the
// object has too many members or the name is too long to unescape.
func (m *memberNames) name(o *jsonscan.Object) ([]byte, bool) {
	if m.members == maxMembers {
		return nil, false
	}
	m.members++
	if !o.NameEscaped() {
		return o.Name(), true
	}
	return m.unescape(o.Name())
}

// unescape unescapes a name into the arena (rare). Escaped names longer than the scratch are
// refused.
func (m *memberNames) unescape(name []byte) ([]byte, bool) {
	var quoted [256]byte
	if len(name)+2 > len(quoted) {
		return nil, false
	}
	q := append(append(append(quoted[:0], '"'), name...), '"')
	free := m.arena[m.used:m.used]
	u, err := jsonscan.Unquote(q, free)
	if err != nil || len(u) > cap(free) || len(u) > 0 && &u[0] != &m.arena[m.used] {
		return nil, false
	}
	name = m.arena[m.used : m.used+len(u) : m.used+len(u)]
	m.used += len(u)
	return name, true
}

// record notes an unescaped name and reports false if it was recorded before.
func (m *memberNames) record(name []byte) bool {
	bit := sig(name)
	if m.seen&bit != 0 {
		for _, prev := range m.names[:m.n] {
			if string(prev) == string(name) {
				return false
			}
		}
	}
	m.seen |= bit
	m.names[m.n] = name
	m.n++
	return true
}

// equalFold reports whether b equals the ASCII string s, ignoring ASCII case (media types
// compare case-insensitively).
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i]|0x20, s[i]|0x20
		if x != y || (x < 'a' || x > 'z') && b[i] != s[i] {
			return false
		}
	}
	return true
}

// parseClaims fills c from the JSON claims set data, which c keeps (Raw, and the strings
// alias it). Array claims use strs as backing while it lasts. It returns a bit mask of which
// required names were present.
func parseClaims(c *claims.Claims, data []byte, strs []string, required []string, names *memberNames) (uint64, error) {
	names.reset()
	var mask uint64
	var extracted uint16 // a bit for each claim below met: their duplicates need no name table
	o := jsonscan.NewObject(data)
	for o.Next() {
		name, ok := names.name(&o)
		if !ok {
			return 0, errClaimDup
		}
		for i, r := range required {
			if string(name) == r {
				mask |= 1 << i
			}
		}
		var err error
		var bit uint16
		switch string(name) {
		case "iss":
			bit = 1 << 0
			c.Issuer, err = claimString(&o, "iss")
		case "sub":
			bit = 1 << 1
			c.Subject, err = claimString(&o, "sub")
		case "jti":
			bit = 1 << 2
			c.ID, err = claimString(&o, "jti")
		case "scope":
			bit = 1 << 3
			c.Scope, err = claimString(&o, "scope")
		case "azp":
			bit = 1 << 4
			c.AuthorizedParty, err = claimString(&o, "azp")
		case "client_id":
			bit = 1 << 5
			c.ClientID, err = claimString(&o, "client_id")
		case "org_id":
			bit = 1 << 6
			c.OrgID, err = claimString(&o, "org_id")
		case "exp":
			bit = 1 << 7
			c.ExpiresAt, err = claimTime(&o, "exp")
		case "nbf":
			bit = 1 << 8
			c.NotBefore, err = claimTime(&o, "nbf")
		case "iat":
			bit = 1 << 9
			c.IssuedAt, err = claimTime(&o, "iat")
		case "aud":
			bit = 1 << 10
			if o.Kind() == jsonscan.KindString {
				var s string
				s, err = claimString(&o, "aud")
				c.Audience, strs = takeStrings(strs, s)
			} else {
				c.Audience, strs, err = claimStrings(&o, strs, "aud")
			}
		case "permissions":
			bit = 1 << 11
			c.Permissions, strs, err = claimStrings(&o, strs, "permissions")
		default:
			ok = names.record(name)
		}
		if !ok || extracted&bit != 0 {
			return 0, errClaimDup
		}
		extracted |= bit
		if err != nil {
			return 0, err
		}
	}
	if o.Err() != nil {
		return 0, errPayloadJSON
	}
	c.Raw = data
	return mask, nil
}

func claimString(o *jsonscan.Object, name string) (string, error) {
	s, ok := stringValue(o)
	if !ok {
		return "", claimTypeError(name)
	}
	return unsafe.String(unsafe.SliceData(s), len(s)), nil
}

func claimTime(o *jsonscan.Object, name string) (time.Time, error) {
	if o.Kind() != jsonscan.KindNumber {
		return time.Time{}, claimTypeError(name)
	}
	raw := o.Value()
	if sec, ok := jsonscan.SmallInt(raw); ok {
		return time.Unix(sec, 0), nil // whole seconds, fewer than 10^15: the common case
	}
	f, err := jsonscan.Number(raw)
	if err != nil {
		return time.Time{}, claimTypeError(name)
	}
	return numericDate(f), nil
}

// numericDate converts a NumericDate (RFC 7519 §2: seconds, possibly fractional) to a time,
// clamped to ±10^15 seconds so that no conversion overflows.
func numericDate(f float64) time.Time {
	f = math.Max(-1e15, math.Min(f, 1e15))
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9))
}

func claimStrings(o *jsonscan.Object, strs []string, name string) ([]string, []string, error) {
	if o.Kind() != jsonscan.KindArray {
		return nil, strs, claimTypeError(name)
	}
	if out, rest, ok := plainStrings(o.Value(), strs); ok {
		return out, rest, nil
	}
	out := strs[:0]
	a := jsonscan.NewArray(o.Value())
	for a.Next() {
		if a.Kind() != jsonscan.KindString {
			return nil, strs, claimTypeError(name)
		}
		s, ok := unquote(a.Value(), a.StringEscaped())
		if !ok {
			return nil, strs, claimTypeError(name)
		}
		if len(out) == cap(out) {
			// The backing is full: count the rest and allocate once, exactly.
			rest := a
			n := len(out) + 1
			for rest.Next() {
				n++
			}
			out = append(make([]string, 0, n), out...)
		}
		out = append(out, unsafe.String(unsafe.SliceData(s), len(s)))
	}
	if a.Err() != nil {
		return nil, strs, claimTypeError(name)
	}
	if len(out) <= len(strs) { // still in the backing array
		return out[:len(out):len(out)], strs[len(out):], nil
	}
	return out, strs, nil
}

// plainStrings splits raw, an array the scanner has validated, when it is written as issuers
// write arrays of strings: compactly, and without escapes, so that every quote delimits a
// string. The strings come from strs while it lasts, else from one exact allocation. It
// reports false for any other array, which claimStrings then walks.
func plainStrings(raw []byte, strs []string) (out, rest []string, ok bool) {
	if bytes.IndexByte(raw, '\\') >= 0 {
		return nil, strs, false
	}
	n := bytes.Count(raw, []byte{'"'}) / 2
	if n == 0 {
		return strs[:0:0], strs, len(raw) == 2 // "[]": present, empty, as claimStrings has it
	}
	if n <= len(strs) {
		out, rest = strs[:n:n], strs[n:]
	} else {
		out, rest = make([]string, n), strs
	}
	i := 1 // after '['
	for k := range out {
		if i >= len(raw) || raw[i] != '"' {
			return nil, strs, false
		}
		end := i + 1 + bytes.IndexByte(raw[i+1:], '"')
		out[k] = unsafe.String(unsafe.SliceData(raw[i+1:]), end-i-1)
		i = end + 1
		if i < len(raw) && raw[i] == ',' && k < n-1 {
			i++
		}
	}
	if i != len(raw)-1 { // at the closing ']'
		return nil, strs, false
	}
	return out, rest, true
}

// takeStrings returns a one-element slice holding s, from strs when it has room.
func takeStrings(strs []string, s string) ([]string, []string) {
	if len(strs) == 0 {
		return []string{s}, strs
	}
	strs[0] = s
	return strs[:1:1], strs[1:]
}

// Package jsonscan is a strict, allocation-free scanner for RFC 8259 JSON,
// used to read JOSE headers and JWT claim sets without building a tree.
//
// The scanner fails closed: it accepts exactly the RFC 8259 grammar and
// additionally requires the whole input to be valid UTF-8 and every \u
// escape that encodes a surrogate to be part of a well-formed surrogate
// pair. Where encoding/json would silently substitute U+FFFD, jsonscan
// reports an error. Nesting is limited to MaxDepth arrays and objects.
//
// An Object walks the members of a top-level object, validating each
// member's value completely as it passes it; an Array does the same for the
// elements of an array value. Strings and numbers are decoded on demand with
// Unquote, Equal and Number. Duplicate member names are not detected here;
// callers that must reject them can compare names with Object.NameIs.
//
// Errors describing malformed input match ErrSyntax, and errors caused by
// excessive nesting match ErrDepth, when tested with errors.Is. The two are
// distinct: an ErrDepth error does not match ErrSyntax. Errors carry the
// byte offset of the problem within the input given to the function or
// iterator that reported it.
package jsonscan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// ErrSyntax is matched, via errors.Is, by every error that reports input
// which is not valid JSON under this package's rules, including invalid
// UTF-8 and lone surrogate escapes.
var ErrSyntax = errors.New("jsonscan: invalid JSON")

// ErrDepth is matched, via errors.Is, by errors reporting arrays and
// objects nested more than MaxDepth levels deep. It is a separate sentinel
// and such errors do not match ErrSyntax.
var ErrDepth = errors.New("jsonscan: nesting too deep")

// MaxDepth is the maximum number of arrays and objects that may enclose one
// another. The top-level object iterated by an Object counts as one level.
const MaxDepth = 64

// Kind identifies the type of a JSON value.
type Kind uint8

// The kinds of JSON values. The names carry a Kind prefix because Number,
// Array and Object already name this package's function and iterator types.
// KindInvalid is the zero Kind, reported when there is no current value.
const (
	KindInvalid Kind = iota
	KindNull
	KindFalse
	KindTrue
	KindNumber
	KindString
	KindArray
	KindObject
)

// String returns the lower-case name of k, such as "number", or "invalid"
// for KindInvalid and any value outside the defined kinds.
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindFalse:
		return "false"
	case KindTrue:
		return "true"
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindArray:
		return "array"
	case KindObject:
		return "object"
	}
	return "invalid"
}

// scanError is the error type of every ErrSyntax and ErrDepth error. It is
// allocated only when an error is reported.
type scanError struct {
	sentinel error // ErrSyntax or ErrDepth
	msg      string
	off      int
}

func (e *scanError) Error() string {
	return e.sentinel.Error() + ": " + e.msg + " at offset " + strconv.Itoa(e.off)
}

func (e *scanError) Unwrap() error { return e.sentinel }

// newError returns the error with the given code for offset off. code
// must not be codeOK.
func newError(code errCode, off int) error {
	sentinel := ErrSyntax
	if code == codeDepth {
		sentinel = ErrDepth
	}
	return &scanError{sentinel: sentinel, msg: messages[code], off: off}
}

// Validate reports whether data is exactly one JSON value, optionally
// surrounded by whitespace, under this package's strict rules. It returns
// nil if so and an error matching ErrSyntax or ErrDepth otherwise. It does
// not allocate unless it returns an error.
func Validate(data []byte) error {
	end, code := scanValue(data, skipSpace(data, 0), 0)
	if code != codeOK {
		return newError(code, end)
	}
	if end = skipSpace(data, end); end != len(data) {
		return newError(codeTrailing, end)
	}
	return nil
}

// Object iterates the members of a JSON document that must be exactly one
// object, optionally surrounded by whitespace. Each call to Next validates
// the next member completely, including all nested content of its value.
// When Next returns false and Err returns nil, the whole document is known
// to be valid.
//
// A member is returned as soon as its value is complete, before what
// follows it is examined, so members returned before an error are not
// evidence that the document is valid (in {"a":01} the member "a" is
// returned with value 0 and the error is found at the 1). Callers must not
// act on any member until Next has returned false and Err has returned nil.
//
// An Object holds no resources and never allocates while iterating a valid
// document. The zero Object is an empty, invalid input.
type Object struct {
	c cursor
}

// NewObject returns an Object that iterates the members of data. It does
// not examine data; problems are reported by Next and Err.
func NewObject(data []byte) Object {
	return Object{c: cursor{data: data}}
}

// Next advances to the next member and reports whether there is one. It
// returns false after the last member or on the first error; Err tells the
// two apart.
func (o *Object) Next() bool { return o.c.nextMember() }

// Name returns the raw bytes of the current member's name between its
// quotes, with any escape sequences left as they are, or nil if there is no
// current member. Use NameIs to compare names.
func (o *Object) Name() []byte {
	c := &o.c
	if c.kind == KindInvalid {
		return nil
	}
	return c.data[c.nameStart:c.nameEnd:c.nameEnd]
}

// NameIs reports whether the current member's name, after unescaping,
// equals s; for example the name "e\u0078p" equals "exp". It reports false
// if there is no current member. It does not allocate.
func (o *Object) NameIs(s string) bool {
	c := &o.c
	if c.kind == KindInvalid {
		return false
	}
	name := c.data[c.nameStart:c.nameEnd]
	if !c.nameEscaped {
		return string(name) == s
	}
	return equalUnescaped(name, s)
}

// NameEscaped reports whether the current member's name contains escape
// sequences. When it does not, Name is the name itself.
func (o *Object) NameEscaped() bool { return o.c.nameEscaped }

// StringEscaped reports whether the current member's value is a string that
// contains escape sequences. For a string value without them, the string is
// Value without its quotes.
func (o *Object) StringEscaped() bool { return o.c.valEscaped }

// Value returns the raw bytes of the current member's value, which have
// already been validated completely, or nil if there is no current member.
// The result's capacity is limited to its length, so appending to it never
// overwrites the input.
func (o *Object) Value() []byte { return o.c.value() }

// Kind returns the kind of the current member's value, or KindInvalid if
// there is no current member.
func (o *Object) Kind() Kind { return o.c.kind }

// Err returns the first error met by Next, or nil if there was none. After
// Next has returned false, a nil Err means that the whole input was one
// valid JSON object. The error value is made by Err, not by Next, so each call
// after an error returns a new error with the same message.
func (o *Object) Err() error { return o.c.err() }

// Array iterates the elements of a JSON document that must be exactly one
// array, optionally surrounded by whitespace, typically a value returned by
// Object.Value. Each call to Next validates the next element completely.
// When Next returns false and Err returns nil, the whole input is known to
// be a valid array. As with Object, elements returned before an error must
// not be acted on.
//
// An Array never allocates while iterating a valid input. The zero Array is
// an empty, invalid input.
type Array struct {
	c cursor
}

// NewArray returns an Array that iterates the elements of raw. It does not
// examine raw; problems are reported by Next and Err.
func NewArray(raw []byte) Array {
	return Array{c: cursor{data: raw}}
}

// Next advances to the next element and reports whether there is one. It
// returns false after the last element or on the first error; Err tells the
// two apart.
func (a *Array) Next() bool { return a.c.nextElement() }

// Value returns the raw bytes of the current element, which have already
// been validated completely, or nil if there is no current element. The
// result's capacity is limited to its length.
func (a *Array) Value() []byte { return a.c.value() }

// StringEscaped reports whether the current element is a string that
// contains escape sequences. For a string element without them, the string
// is Value without its quotes.
func (a *Array) StringEscaped() bool { return a.c.valEscaped }

// Kind returns the kind of the current element, or KindInvalid if there is
// no current element.
func (a *Array) Kind() Kind { return a.c.kind }

// Err returns the first error met by Next, or nil if there was none. After
// Next has returned false, a nil Err means that the whole input was one
// valid JSON array. The error value is made by Err, not by Next, so each call
// after an error returns a new error with the same message.
func (a *Array) Err() error { return a.c.err() }

// Unquote returns the content of raw, which must be exactly one JSON string
// including its quotes, with escape sequences decoded.
//
// If raw contains no escapes, Unquote returns the subslice of raw between
// the quotes and leaves dst alone. Otherwise it appends the decoded UTF-8 to
// dst[:0] and returns the result, which allocates only if cap(dst) is too
// small: the decoded content is never longer than len(raw)-2 bytes. A nil
// dst is therefore fine but allocates whenever raw has escapes.
//
// Unquote returns an error matching ErrSyntax if raw is not a valid string.
func Unquote(raw, dst []byte) ([]byte, error) {
	end, escaped, code := scanQuoted(raw)
	if code != codeOK {
		return nil, newError(code, end)
	}
	if end != len(raw) {
		return nil, newError(codeAfterString, end)
	}
	content := raw[1 : end-1 : end-1]
	if !escaped {
		return content, nil
	}
	dst = dst[:0]
	for len(content) > 0 {
		k := bytes.IndexByte(content, '\\')
		if k < 0 {
			return append(dst, content...), nil
		}
		dst = append(dst, content[:k]...)
		r, next, ok := readEscape(content, k)
		if !ok { // unreachable: scanString accepted the escape
			return nil, newError(codeEscape, k+1)
		}
		dst = utf8.AppendRune(dst, r)
		content = content[next:]
	}
	return dst, nil
}

// Equal reports whether raw is exactly one valid JSON string, including its
// quotes, whose decoded content equals s. It does not allocate.
func Equal(raw []byte, s string) bool {
	end, escaped, code := scanQuoted(raw)
	if code != codeOK || end != len(raw) {
		return false
	}
	content := raw[1 : end-1]
	if !escaped {
		return string(content) == s
	}
	return equalUnescaped(content, s)
}

// scanQuoted checks the string that starts at raw[0] and returns the
// offset just past it and whether it contains escapes.
func scanQuoted(raw []byte) (end int, escaped bool, code errCode) {
	if len(raw) == 0 || raw[0] != '"' {
		return 0, false, codeQuote
	}
	return scanString(raw, 1)
}

// equalUnescaped reports whether content, the inside of a valid JSON string
// containing escapes, decodes to s.
func equalUnescaped(content []byte, s string) bool {
	for len(content) > 0 {
		k := bytes.IndexByte(content, '\\')
		if k < 0 {
			return string(content) == s
		}
		if len(s) < k || string(content[:k]) != s[:k] {
			return false
		}
		s = s[k:]
		r, next, ok := readEscape(content, k)
		if !ok {
			return false
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		if len(s) < n || string(buf[:n]) != s[:n] {
			return false
		}
		s = s[n:]
		content = content[next:]
	}
	return len(s) == 0
}

// errRange is returned by Number for a number whose magnitude is too large
// to be represented as a float64.
var errRange = fmt.Errorf("jsonscan: number out of range: %w", strconv.ErrRange)

// Number parses raw, which must be exactly one JSON number, as a float64,
// with the semantics of strconv.ParseFloat(string(raw), 64): the result is
// the nearest float64, rounded half to even, and numbers too small to
// represent become zero or a subnormal without error.
//
// It returns an error matching ErrSyntax if raw is not a JSON number, and an
// error matching strconv.ErrRange (but not ErrSyntax) if the magnitude of
// the number overflows a float64. Unlike strconv.ParseFloat it then returns
// 0 rather than an infinity, so that a caller that ignores the error does
// not see an infinitely distant time. Number does not allocate unless it
// returns an error.
func Number(raw []byte) (float64, error) {
	if f, ok := smallInteger(raw); ok {
		return f, nil
	}
	end, code := scanNumber(raw, 0)
	if code != codeOK {
		return 0, newError(code, end)
	}
	if end != len(raw) {
		return 0, newError(codeAfterNumber, end)
	}
	// The string shares raw's memory for the duration of the call only:
	// strconv.ParseFloat does not retain its argument (its errors hold a
	// copy), and any error it returns is replaced below.
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(raw), len(raw)), 64)
	if err != nil {
		// The grammar is a subset of what strconv.ParseFloat accepts, so
		// the only possible error is a range error.
		return 0, errRange
	}
	return f, nil
}

// smallInteger converts raw directly if it is a JSON number that is an
// integer of at most 15 digits, such as a NumericDate, and reports false
// for anything else, valid or not. Such integers and their float64 values
// are exact, so the result equals strconv.ParseFloat's.
func smallInteger(raw []byte) (float64, bool) {
	v, ok := SmallInt(raw)
	if !ok {
		return 0, false
	}
	f := float64(v)
	if raw[0] == '-' {
		f = math.Copysign(f, -1) // -0 is negative zero, as with strconv
	}
	return f, true
}

// SmallInt returns the value of raw if it is a JSON number written as an
// integer of at most 15 digits, without fraction or exponent (every
// NumericDate an issuer sends), and reports false for anything else, valid
// or not. It is exact, and much faster than Number.
func SmallInt(raw []byte) (int64, bool) {
	digits := raw
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 15 || digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	var v uint64
	if len(digits) >= 8 {
		w := binary.LittleEndian.Uint64(digits)
		if nonDigit(w) != 0 {
			return 0, false
		}
		v = parseEight(w)
		digits = digits[8:]
	}
	for _, c := range digits {
		if c-'0' > 9 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if raw[0] == '-' {
		return -int64(v), true
	}
	return int64(v), true
}

// parseEight returns the value of the eight decimal digits of w, the first
// in its lowest byte. It combines adjacent digits into two-digit values in
// 16-bit lanes, those into four-digit values in 32-bit lanes, and those
// into the result.
func parseEight(w uint64) uint64 {
	w -= '0' * ones
	w = (w*10 + w>>8) & 0x00FF00FF00FF00FF
	w = (w*100 + w>>16) & 0x0000FFFF0000FFFF
	return (w*10000 + w>>32) & 0xFFFFFFFF
}

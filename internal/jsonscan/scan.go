package jsonscan

import (
	"encoding/binary"
	"unicode/utf8"
)

// This file holds the grammar. Every function takes the whole input and an
// offset into it, never reads outside data, and reports errors with the
// offset of the offending byte.

// Byte classes used by the scanner.
const (
	classSpace = 1 << iota // insignificant whitespace: SP, HT, LF, CR
	classPlain             // ASCII that may appear unescaped in a string
	classDigit             // '0' to '9'
)

var classes = func() (t [256]uint8) {
	for _, c := range []byte{' ', '\t', '\n', '\r'} {
		t[c] |= classSpace
	}
	for c := 0x20; c < 0x80; c++ {
		if c != '"' && c != '\\' {
			t[c] |= classPlain
		}
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= classDigit
	}
	return t
}()

// hexValues maps hexadecimal digits to their value and other bytes to 0xFF.
var hexValues = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xFF
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = uint8(c - 'a' + 10)
		t[c-'a'+'A'] = uint8(c - 'a' + 10)
	}
	return t
}()

// skipSpace returns the offset of the first non-whitespace byte of data at
// or after i, or len(data).
func skipSpace(data []byte, i int) int {
	for i < len(data) && classes[data[i]]&classSpace != 0 {
		i++
	}
	return i
}

// isDigit reports whether data[i] exists and is a decimal digit.
func isDigit(data []byte, i int) bool {
	return i < len(data) && classes[data[i]]&classDigit != 0
}

// scanValue checks the value that starts at data[i], which is enclosed by
// depth arrays and objects, and returns the offset just past it and its
// kind.
func scanValue(data []byte, i, depth int) (int, Kind, error) {
	if i >= len(data) {
		return i, KindInvalid, syntaxError(i, "unexpected end of input, expected a value")
	}
	switch c := data[i]; c {
	case '"':
		end, _, err := scanString(data, i)
		return end, KindString, err
	case '{', '[':
		if depth >= MaxDepth {
			return i, KindInvalid, depthError(i)
		}
		it := iter{data: data, pos: i + 1, depth: depth + 1, object: c == '{'}
		for it.next() {
		}
		if c == '{' {
			return it.pos, KindObject, it.err
		}
		return it.pos, KindArray, it.err
	case 't':
		return scanLiteral(data, i, "true", KindTrue)
	case 'f':
		return scanLiteral(data, i, "false", KindFalse)
	case 'n':
		return scanLiteral(data, i, "null", KindNull)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		end, err := scanNumber(data, i)
		return end, KindNumber, err
	}
	return i, KindInvalid, syntaxError(i, "invalid character, expected a value")
}

// scanLiteral checks that data holds lit at offset i.
func scanLiteral(data []byte, i int, lit string, k Kind) (int, Kind, error) {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return i, KindInvalid, syntaxError(i, "invalid literal, expected "+lit)
	}
	return i + len(lit), k, nil
}

// scanNumber checks the number that starts at data[i] and returns the
// offset just past it. The grammar is
//
//	[ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
//
// The number ends at the first byte that cannot continue it; what follows
// is the caller's concern.
func scanNumber(data []byte, i int) (int, error) {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return i, syntaxError(i, "unexpected end of input in number")
	case data[i] == '0':
		i++ // no further integer digits: a leading zero stands alone
	case isDigit(data, i):
		for i++; isDigit(data, i); i++ {
		}
	default:
		return i, syntaxError(i, "invalid character in number, expected a digit")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !isDigit(data, i) {
			return i, syntaxError(i, "invalid character in number, expected a digit after '.'")
		}
		for i++; isDigit(data, i); i++ {
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !isDigit(data, i) {
			return i, syntaxError(i, "invalid character in number, expected an exponent digit")
		}
		for i++; isDigit(data, i); i++ {
		}
	}
	return i, nil
}

// scanString checks the string whose opening quote is at data[i] and
// returns the offset just past its closing quote and whether it contains
// escapes.
func scanString(data []byte, i int) (end int, escaped bool, err error) {
	if i >= len(data) || data[i] != '"' {
		return i, false, syntaxError(i, "expected '\"'")
	}
	i++
	for {
		// Skip plain ASCII eight bytes at a time, then byte by byte up to
		// the next byte that needs attention.
		for len(data)-i >= 8 && specialByte(binary.LittleEndian.Uint64(data[i:])) == 0 {
			i += 8
		}
		for i < len(data) && classes[data[i]]&classPlain != 0 {
			i++
		}
		if i >= len(data) {
			return i, false, syntaxError(i, "unexpected end of input in string")
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, escaped, nil
		case c == '\\':
			_, next, ok := readEscape(data, i)
			if !ok {
				return i, false, syntaxError(i, "invalid escape in string")
			}
			escaped = true
			i = next
		case c < 0x20:
			return i, false, syntaxError(i, "control character in string")
		default: // non-ASCII
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i, false, syntaxError(i, "invalid UTF-8 in string")
			}
			i += size
		}
	}
}

// Constants for testing all eight bytes of a word at once.
const (
	ones  = 0x0101010101010101 // 0x01 in every byte
	highs = 0x8080808080808080 // 0x80 in every byte
)

// specialByte returns a non-zero value if and only if one of the eight bytes
// of w is not plain ASCII string content, that is if it is a control
// character, '"', '\' or at least 0x80.
//
// For a byte b < 0x80, b - n borrows into the top bit exactly when b < n,
// so (w - n*ones) &^ w & highs has a top bit set for some byte if and only
// if some byte is below n (a borrow out of a lower byte can only affect a
// higher byte after a lower byte already matched). Bytes of 0x80 or more
// are caught by w & highs. The quote and backslash are reduced to zero
// bytes with XOR first and then found as bytes below one.
func specialByte(w uint64) uint64 {
	quote := w ^ ('"' * ones)
	backslash := w ^ ('\\' * ones)
	return ((w-0x20*ones)&^w | (quote-ones)&^quote | (backslash-ones)&^backslash | w) & highs
}

// readEscape decodes the escape sequence whose backslash is at data[i] and
// returns the rune it denotes and the offset just past it. A \u escape of a
// high surrogate must be immediately followed by a \u escape of a low
// surrogate, and the pair denotes one supplementary rune; any other
// surrogate escape is rejected. ok is false if the escape is invalid.
func readEscape(data []byte, i int) (r rune, next int, ok bool) {
	if i+1 >= len(data) || data[i] != '\\' {
		return 0, i, false
	}
	switch data[i+1] {
	case '"', '\\', '/':
		return rune(data[i+1]), i + 2, true
	case 'b':
		return '\b', i + 2, true
	case 'f':
		return '\f', i + 2, true
	case 'n':
		return '\n', i + 2, true
	case 'r':
		return '\r', i + 2, true
	case 't':
		return '\t', i + 2, true
	case 'u':
	default:
		return 0, i, false
	}
	hi, ok := readHex4(data, i+2)
	switch {
	case !ok:
		return 0, i, false
	case hi < 0xD800 || hi > 0xDFFF:
		return hi, i + 6, true
	case hi >= 0xDC00:
		return 0, i, false // a low surrogate without a high one
	}
	if i+7 >= len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
		return 0, i, false // a high surrogate without a low one
	}
	lo, ok := readHex4(data, i+8)
	if !ok || lo < 0xDC00 || lo > 0xDFFF {
		return 0, i, false
	}
	return 0x10000 + (hi-0xD800)<<10 + (lo - 0xDC00), i + 12, true
}

// readHex4 decodes the four hexadecimal digits at data[i:i+4].
func readHex4(data []byte, i int) (rune, bool) {
	if i < 0 || len(data)-i < 4 {
		return 0, false
	}
	a, b, c, d := hexValues[data[i]], hexValues[data[i+1]], hexValues[data[i+2]], hexValues[data[i+3]]
	if (a|b|c|d)&0xF0 != 0 {
		return 0, false
	}
	return rune(a)<<12 | rune(b)<<8 | rune(c)<<4 | rune(d), true
}

// iter is the state machine shared by Object, Array and the validation of
// nested containers. It walks the members of an object or the elements of
// an array whose opening bracket has already been consumed, validating
// each value completely as it passes it.
type iter struct {
	data  []byte
	pos   int // offset of the next byte to examine
	depth int // containers enclosing the values, including this one
	state uint8
	// object tells whether the container is an object rather than an array.
	object bool
	// nameEscaped tells whether the current member name has escapes.
	nameEscaped bool
	kind        Kind

	nameStart, nameEnd int // current member name, without quotes
	valStart, valEnd   int // current value

	err error
}

// iter states.
const (
	iterFirst uint8 = iota // before the first element
	iterMore               // after an element
	iterDone               // after the closing bracket or an error
)

// next advances to the next element. It returns false after the closing
// bracket, with pos just past it, or on error, with err set.
func (it *iter) next() bool {
	closer := byte(']')
	if it.object {
		closer = '}'
	}
	switch it.state {
	case iterFirst:
		it.pos = skipSpace(it.data, it.pos)
		if it.pos < len(it.data) && it.data[it.pos] == closer {
			it.pos++
			it.end(nil)
			return false
		}
		it.state = iterMore
	case iterMore:
		it.pos = skipSpace(it.data, it.pos)
		if it.pos >= len(it.data) {
			return it.fail("unexpected end of input, expected ',' or '" + string(closer) + "'")
		}
		switch it.data[it.pos] {
		case ',':
			it.pos = skipSpace(it.data, it.pos+1)
		case closer:
			it.pos++
			it.end(nil)
			return false
		default:
			return it.fail("invalid character, expected ',' or '" + string(closer) + "'")
		}
	default:
		return false
	}

	if it.object {
		if it.pos >= len(it.data) || it.data[it.pos] != '"' {
			return it.fail("expected a string as member name")
		}
		end, escaped, err := scanString(it.data, it.pos)
		if err != nil {
			it.end(err)
			return false
		}
		it.nameStart, it.nameEnd, it.nameEscaped = it.pos+1, end-1, escaped
		it.pos = skipSpace(it.data, end)
		if it.pos >= len(it.data) || it.data[it.pos] != ':' {
			return it.fail("expected ':' after member name")
		}
		it.pos = skipSpace(it.data, it.pos+1)
	}

	end, kind, err := scanValue(it.data, it.pos, it.depth)
	if err != nil {
		it.end(err)
		return false
	}
	it.valStart, it.valEnd, it.kind = it.pos, end, kind
	it.pos = end
	return true
}

// end moves to iterDone with the given error and forgets the current
// element.
func (it *iter) end(err error) {
	it.state = iterDone
	it.err = err
	it.kind = KindInvalid
	it.nameStart, it.nameEnd, it.valStart, it.valEnd = 0, 0, 0, 0
	it.nameEscaped = false
}

// fail ends the iteration with a syntax error at the current offset and
// returns false.
func (it *iter) fail(msg string) bool {
	it.end(syntaxError(it.pos, msg))
	return false
}

// value returns the current value, or nil if there is none.
func (it *iter) value() []byte {
	if it.kind == KindInvalid {
		return nil
	}
	return it.data[it.valStart:it.valEnd:it.valEnd]
}

// top drives an iter over a whole input that must consist of exactly one
// container of the expected type, optionally surrounded by whitespace.
type top struct {
	it      iter
	started bool
}

// next advances the top-level iteration over an object or an array.
func (t *top) next(object bool) bool {
	if !t.started {
		t.started = true
		t.it.object = object
		open := byte('[')
		if t.it.object {
			open = '{'
		}
		t.it.pos = skipSpace(t.it.data, 0)
		if t.it.pos >= len(t.it.data) || t.it.data[t.it.pos] != open {
			what := "array"
			if t.it.object {
				what = "object"
			}
			return t.it.fail("expected a JSON " + what)
		}
		t.it.pos++
		t.it.depth = 1
	}
	if t.it.state == iterDone {
		return false
	}
	if t.it.next() {
		return true
	}
	if t.it.err == nil {
		if t.it.pos = skipSpace(t.it.data, t.it.pos); t.it.pos != len(t.it.data) {
			return t.it.fail("unexpected data after top-level value")
		}
	}
	return false
}

package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// This file holds the grammar. Every function takes the whole input and an
// offset into it and never reads outside data. Instead of an error, the
// scanning functions return an errCode and, in place of the offset they
// would have returned, the offset of the offending byte; the error value is
// built from the two only when a caller asks for it. Keeping error
// interfaces out of the scanner means that, to escape analysis, nothing
// derived from data ever reaches the heap, so callers may scan stack
// buffers without them being moved to the heap.

// errCode identifies the message of an error; codeOK means no error.
type errCode uint8

const (
	codeOK errCode = iota
	codeDepth
	codeEOFValue
	codeBadValue
	codeLitTrue
	codeLitFalse
	codeLitNull
	codeNumEOF
	codeNumDigit
	codeNumFrac
	codeNumExp
	codeQuote
	codeStrEOF
	codeEscape
	codeControl
	codeUTF8
	codeEOFArray
	codeEOFObject
	codeSepArray
	codeSepObject
	codeName
	codeColon
	codeNotArray
	codeNotObject
	codeTrailing
	codeAfterString
	codeAfterNumber
	numCodes
)

// messages holds the message of each errCode.
var messages = [numCodes]string{
	codeDepth:       "more than " + strconv.Itoa(MaxDepth) + " nested arrays and objects",
	codeEOFValue:    "unexpected end of input, expected a value",
	codeBadValue:    "invalid character, expected a value",
	codeLitTrue:     "invalid literal, expected true",
	codeLitFalse:    "invalid literal, expected false",
	codeLitNull:     "invalid literal, expected null",
	codeNumEOF:      "unexpected end of input in number",
	codeNumDigit:    "invalid character in number, expected a digit",
	codeNumFrac:     "invalid character in number, expected a digit after '.'",
	codeNumExp:      "invalid character in number, expected an exponent digit",
	codeQuote:       "expected '\"'",
	codeStrEOF:      "unexpected end of input in string",
	codeEscape:      "invalid escape in string",
	codeControl:     "control character in string",
	codeUTF8:        "invalid UTF-8 in string",
	codeEOFArray:    "unexpected end of input, expected ',' or ']'",
	codeEOFObject:   "unexpected end of input, expected ',' or '}'",
	codeSepArray:    "invalid character, expected ',' or ']'",
	codeSepObject:   "invalid character, expected ',' or '}'",
	codeName:        "expected a string as member name",
	codeColon:       "expected ':' after member name",
	codeNotArray:    "expected a JSON array",
	codeNotObject:   "expected a JSON object",
	codeTrailing:    "unexpected data after top-level value",
	codeAfterString: "unexpected data after string",
	codeAfterNumber: "unexpected data after number",
}

// Byte classes used by the scanner.
const (
	classSpace = 1 << iota // insignificant whitespace: SP, HT, LF, CR
	classPlain             // ASCII that may appear unescaped in a string
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
	return t
}()

// valueKinds maps the first byte of a value to its kind, and bytes that
// cannot start a value to KindInvalid.
var valueKinds = func() (t [256]Kind) {
	t['"'] = KindString
	t['-'] = KindNumber
	for c := '0'; c <= '9'; c++ {
		t[c] = KindNumber
	}
	t['{'] = KindObject
	t['['] = KindArray
	t['t'] = KindTrue
	t['f'] = KindFalse
	t['n'] = KindNull
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
// or after i, or len(data). Compact JSON has no whitespace, so the common
// case, a byte above ' ' at i, is checked inline.
func skipSpace(data []byte, i int) int {
	if uint(i) < uint(len(data)) && data[i] > ' ' {
		return i
	}
	return skipSpaceSlow(data, i)
}

func skipSpaceSlow(data []byte, i int) int {
	for uint(i) < uint(len(data)) && classes[data[i]]&classSpace != 0 {
		i++
	}
	return i
}

// scanValue checks the value that starts at data[i], which is enclosed by
// depth arrays and objects, and returns the offset just past it, or the
// offset of the error and its code.
func scanValue(data []byte, i, depth int) (int, errCode) {
	if uint(i) >= uint(len(data)) {
		return i, codeEOFValue
	}
	switch data[i] {
	case '"':
		end, _, code := scanString(data, i+1)
		return end, code
	case '{':
		if depth >= MaxDepth {
			return i, codeDepth
		}
		return scanObject(data, i+1, depth+1)
	case '[':
		if depth >= MaxDepth {
			return i, codeDepth
		}
		return scanArray(data, i+1, depth+1)
	case 't':
		return scanLiteral(data, i, "true", codeLitTrue)
	case 'f':
		return scanLiteral(data, i, "false", codeLitFalse)
	case 'n':
		return scanLiteral(data, i, "null", codeLitNull)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return scanNumber(data, i)
	}
	return i, codeBadValue
}

// scanObject checks the members and the closing brace of an object whose
// opening brace is just before data[i]. depth counts the arrays and objects
// enclosing its member values, including this one.
func scanObject(data []byte, i, depth int) (int, errCode) {
	i = skipSpace(data, i)
	if uint(i) < uint(len(data)) && data[i] == '}' {
		return i + 1, codeOK
	}
	for {
		if uint(i) >= uint(len(data)) || data[i] != '"' {
			return i, codeName
		}
		end, _, code := scanString(data, i+1)
		if code != codeOK {
			return end, code
		}
		i = skipSpace(data, end)
		if uint(i) >= uint(len(data)) || data[i] != ':' {
			return i, codeColon
		}
		i, code = scanValue(data, skipSpace(data, i+1), depth)
		if code != codeOK {
			return i, code
		}
		i = skipSpace(data, i)
		if uint(i) >= uint(len(data)) {
			return i, codeEOFObject
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return i + 1, codeOK
		default:
			return i, codeSepObject
		}
	}
}

// scanArray is scanObject for arrays.
func scanArray(data []byte, i, depth int) (int, errCode) {
	i = skipSpace(data, i)
	if uint(i) < uint(len(data)) && data[i] == ']' {
		return i + 1, codeOK
	}
	for {
		var code errCode
		i, code = scanValue(data, i, depth)
		if code != codeOK {
			return i, code
		}
		i = skipSpace(data, i)
		if uint(i) >= uint(len(data)) {
			return i, codeEOFArray
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return i + 1, codeOK
		default:
			return i, codeSepArray
		}
	}
}

// scanLiteral checks that data holds lit at offset i.
func scanLiteral(data []byte, i int, lit string, code errCode) (int, errCode) {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return i, code
	}
	return i + len(lit), codeOK
}

// scanNumber checks the number that starts at data[i] and returns the
// offset just past it. The grammar is
//
//	[ "-" ] ( "0" / %x31-39 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ]
//
// The number ends at the first byte that cannot continue it; what follows
// is the caller's concern.
func scanNumber(data []byte, i int) (int, errCode) {
	if uint(i) < uint(len(data)) && data[i] == '-' {
		i++
	}
	if uint(i) >= uint(len(data)) {
		return i, codeNumEOF
	}
	switch c := data[i]; {
	case c == '0':
		i++ // no further integer digits: a leading zero stands alone
	case c-'1' < 9:
		i = skipDigits(data, i+1)
	default:
		return i, codeNumDigit
	}
	if uint(i) >= uint(len(data)) {
		return i, codeOK
	}
	if data[i] == '.' {
		i++
		if uint(i) >= uint(len(data)) || data[i]-'0' >= 10 {
			return i, codeNumFrac
		}
		i = skipDigits(data, i+1)
		if uint(i) >= uint(len(data)) {
			return i, codeOK
		}
	}
	if data[i]|0x20 == 'e' { // 'e' or 'E'
		i++
		if uint(i) < uint(len(data)) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if uint(i) >= uint(len(data)) || data[i]-'0' >= 10 {
			return i, codeNumExp
		}
		i = skipDigits(data, i+1)
	}
	return i, codeOK
}

// skipDigits returns the offset of the first byte of data at or after i
// that is not a decimal digit, or len(data).
func skipDigits(data []byte, i int) int {
	for i >= 0 && len(data)-i >= 8 {
		if m := nonDigit(binary.LittleEndian.Uint64(data[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for uint(i) < uint(len(data)) && data[i]-'0' < 10 {
		i++
	}
	return i
}

// Constants for testing all eight bytes of a word at once.
const (
	ones  = 0x0101010101010101 // 0x01 in every byte
	highs = 0x8080808080808080 // 0x80 in every byte
)

// The word functions below return a value whose lowest set bit is the top
// bit of the first (lowest-addressed, as the words are loaded little-endian)
// byte of w with some property, and zero if no byte has it.
//
// For a byte b < 0x80, b - n borrows into the top bit exactly when b < n,
// and b + n carries into the top bit exactly when b >= 0x80 - n. A borrow or
// carry out of one byte changes only higher bytes, and only when that byte
// itself has the property (is below n, or is at least 0x80 - n, or is at
// least 0x80 and caught by w & highs), so the lowest flagged byte is always
// exact although higher ones may be flagged spuriously.

// specialByte flags the bytes of w that are not plain ASCII string content:
// control characters, '"', '\' and bytes of at least 0x80. The quote and
// backslash are reduced to zero bytes with XOR first and then found as bytes
// below one. The XOR leaves the top bit of every byte as it was, so a byte
// of w with its top bit clear has it clear in all three differences unless
// it is below the bound; bytes with the top bit set are flagged by w alone.
func specialByte(w uint64) uint64 {
	quote := w ^ ('"' * ones)
	backslash := w ^ ('\\' * ones)
	return ((w - 0x20*ones) | (quote - ones) | (backslash - ones) | w) & highs
}

// nonDigit flags the bytes of w that are not ASCII decimal digits: those
// below '0', those above '9' (which carry into the top bit when 0x46 is
// added), and those of at least 0x80.
func nonDigit(w uint64) uint64 {
	return ((w - '0'*ones) | (w + 0x46*ones) | w) & highs
}

// scanString checks the rest of a string whose opening quote is just before
// data[i] and returns the offset just past its closing quote and whether it
// contains escapes. The common case, plain ASCII up to the closing quote, is
// handled here eight bytes at a time; everything else is left to
// scanStringSlow.
func scanString(data []byte, i int) (end int, escaped bool, code errCode) {
	if i >= 0 {
		for ; len(data)-i >= 8; i += 8 {
			if m := specialByte(binary.LittleEndian.Uint64(data[i : i+8])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				if data[i] == '"' {
					return i + 1, false, codeOK
				}
				break
			}
		}
	}
	return scanStringSlow(data, i)
}

// scanStringSlow is scanString for the rest of a string, from data[i] on,
// that has no escapes before i.
func scanStringSlow(data []byte, i int) (end int, escaped bool, code errCode) {
	for {
		// Find the first byte that is not plain ASCII, eight bytes at a
		// time while there are eight bytes left, then byte by byte.
		for {
			if i < 0 || len(data)-i < 8 {
				for uint(i) < uint(len(data)) && classes[data[i]]&classPlain != 0 {
					i++
				}
				if uint(i) >= uint(len(data)) {
					return i, false, codeStrEOF
				}
				break
			}
			if m := specialByte(binary.LittleEndian.Uint64(data[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, escaped, codeOK
		case c == '\\':
			next, ok := skipEscape(data, i)
			if !ok {
				return i, false, codeEscape
			}
			escaped = true
			i = next
		case c < 0x20:
			return i, false, codeControl
		default: // non-ASCII
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i, false, codeUTF8
			}
			i += size
		}
	}
}

// skipEscape checks the escape sequence whose backslash is at data[i] and
// returns the offset just past it.
func skipEscape(data []byte, i int) (next int, ok bool) {
	if uint(i+1) < uint(len(data)) {
		switch data[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			return i + 2, true
		}
	}
	_, next, ok = readEscape(data, i)
	return next, ok
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

// cursor is the state of an Object or Array: a walk over the members or
// elements of one top-level container that validates each value completely
// as it passes it, and then checks that only whitespace follows the
// container.
type cursor struct {
	data []byte
	pos  int // offset of the next byte to examine

	nameStart, nameEnd int // current member name, without quotes
	valStart, valEnd   int // current value
	errOff             int // offset of the error if code is not codeOK

	state       uint8
	kind        Kind // of the current value; KindInvalid if there is none
	nameEscaped bool // whether the current member name has escapes
	valEscaped  bool // whether the current value is a string with escapes
	code        errCode
}

// cursor states.
const (
	cursorStart uint8 = iota // before the opening bracket
	cursorMore               // after the opening bracket or an element
	cursorDone               // after the end of the input or an error
)

// The depth of the values of a top-level container.
const topDepth = 1

// nextMember advances an object cursor to its next member.
func (c *cursor) nextMember() bool {
	data := c.data
	var i int
	switch c.state {
	case cursorMore:
		i = skipSpace(data, c.pos)
		if uint(i) >= uint(len(data)) {
			return c.fail(i, codeEOFObject)
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return c.finish(i + 1)
		default:
			return c.fail(i, codeSepObject)
		}
	case cursorStart:
		i = skipSpace(data, 0)
		if uint(i) >= uint(len(data)) || data[i] != '{' {
			return c.fail(i, codeNotObject)
		}
		i = skipSpace(data, i+1)
		if uint(i) < uint(len(data)) && data[i] == '}' {
			return c.finish(i + 1)
		}
	default:
		return false
	}

	if uint(i) >= uint(len(data)) || data[i] != '"' {
		return c.fail(i, codeName)
	}
	nameStart := i + 1
	end, escaped, code := scanString(data, nameStart)
	if code != codeOK {
		return c.fail(end, code)
	}
	nameEnd := end - 1
	i = skipSpace(data, end)
	if uint(i) >= uint(len(data)) || data[i] != ':' {
		return c.fail(i, codeColon)
	}
	c.nameStart, c.nameEnd, c.nameEscaped = nameStart, nameEnd, escaped
	return c.scanCurrent(skipSpace(data, i+1))
}

// nextElement advances an array cursor to its next element.
func (c *cursor) nextElement() bool {
	data := c.data
	var i int
	switch c.state {
	case cursorMore:
		i = skipSpace(data, c.pos)
		if uint(i) >= uint(len(data)) {
			return c.fail(i, codeEOFArray)
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return c.finish(i + 1)
		default:
			return c.fail(i, codeSepArray)
		}
	case cursorStart:
		i = skipSpace(data, 0)
		if uint(i) >= uint(len(data)) || data[i] != '[' {
			return c.fail(i, codeNotArray)
		}
		i = skipSpace(data, i+1)
		if uint(i) < uint(len(data)) && data[i] == ']' {
			return c.finish(i + 1)
		}
	default:
		return false
	}

	return c.scanCurrent(i)
}

// scanCurrent validates the value that starts at data[i], a member's or an element's, and
// makes it the current value; on an error it ends the iteration (and forgets the name).
func (c *cursor) scanCurrent(i int) bool {
	data := c.data
	var end int
	var code errCode
	escaped := false
	if uint(i) < uint(len(data)) && data[i] == '"' {
		end, escaped, code = scanString(data, i+1)
	} else {
		end, code = scanValue(data, i, topDepth)
	}
	if code != codeOK {
		return c.fail(end, code)
	}
	return c.found(i, end, escaped)
}

// found makes data[start:end], which has been validated, the current value
// (a string with escapes if escaped) and returns true.
func (c *cursor) found(start, end int, escaped bool) bool {
	c.state = cursorMore
	c.pos = end
	c.valStart, c.valEnd, c.valEscaped = start, end, escaped
	c.kind = valueKinds[c.data[start]]
	return true
}

// finish is called with i just past the closing bracket. It checks that
// only whitespace follows and ends the iteration, returning false.
func (c *cursor) finish(i int) bool {
	if i = skipSpace(c.data, i); i != len(c.data) {
		return c.fail(i, codeTrailing)
	}
	c.end()
	return false
}

// fail ends the iteration with the error code at offset off and returns
// false.
func (c *cursor) fail(off int, code errCode) bool {
	c.end()
	c.errOff, c.code = off, code
	return false
}

// end moves to cursorDone and forgets the current element.
func (c *cursor) end() {
	c.state = cursorDone
	c.kind = KindInvalid
	c.nameStart, c.nameEnd, c.valStart, c.valEnd = 0, 0, 0, 0
	c.nameEscaped, c.valEscaped = false, false
}

// value returns the current value, or nil if there is none.
func (c *cursor) value() []byte {
	if c.kind == KindInvalid {
		return nil
	}
	return c.data[c.valStart:c.valEnd:c.valEnd]
}

// err returns the error met by the iteration, if any.
func (c *cursor) err() error {
	if c.code == codeOK {
		return nil
	}
	return newError(c.code, c.errOff)
}

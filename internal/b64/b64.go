// Package b64 implements strict, allocation-free decoding of unpadded
// base64url text (RFC 4648 section 5) as required for the parts of a JWS
// compact serialization (RFC 7515 section 2).
//
// The decoder is deliberately unforgiving: it accepts only the 64 characters
// of the URL-safe alphabet, rejects padding, whitespace and line breaks
// (which encoding/base64 silently skips even in strict mode), rejects inputs
// whose length leaves a single dangling character, and rejects non-canonical
// encodings whose unused trailing bits are not zero. Every byte string
// therefore has exactly one accepted encoding.
package b64

import (
	"encoding/binary"
	"errors"
	"io"
)

// ErrInvalid is returned by Decode when the input is not canonical, unpadded
// base64url text.
var ErrInvalid = errors.New("b64: invalid base64url")

// alphabet is the base64url alphabet of RFC 4648 section 5.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// invalid marks bytes that are not part of the alphabet in decodeTable. Its
// top two bits are set, while every valid 6-bit value has them clear, so the
// bitwise OR of several table entries tells whether any of them was invalid.
const invalid = 0xFF

// decodeTable maps every byte to its 6-bit value, or to invalid.
var decodeTable = func() (t [256]byte) {
	for i := range t {
		t[i] = invalid
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// quadTables hold, for each of the four positions in a quantum of four characters, every
// byte's 6-bit value already shifted into place in a 24-bit group, or badQuad: decoding a
// quantum is then four lookups ORed together, with no shifts.
var quadTables = func() (t [4][256]uint32) {
	for i := range 256 {
		v := decodeTable[i]
		for pos := range 4 {
			if v == invalid {
				t[pos][i] = badQuad
			} else {
				t[pos][i] = uint32(v) << (18 - 6*pos)
			}
		}
	}
	return t
}()

// badQuad marks an invalid byte in quadTables; valid entries never reach bit 24.
const badQuad = 0xFF000000

// DecodedLen returns the number of bytes that n characters of unpadded
// base64url text decode to. It reports false when no valid encoding has
// length n, that is when n is negative or n%4 == 1.
func DecodedLen(n int) (int, bool) {
	if n < 0 || n%4 == 1 {
		return 0, false
	}
	full := n / 4 * 3
	switch n % 4 {
	case 2:
		return full + 1, true
	case 3:
		return full + 2, true
	}
	return full, true
}

// Decode decodes the unpadded base64url text src into dst and returns the
// number of bytes written. dst must have room for at least
// DecodedLen(len(src)) bytes; if it is shorter, Decode writes nothing and
// returns io.ErrShortBuffer. If src is not canonical base64url text, Decode
// returns 0 and ErrInvalid; dst may then have been partially overwritten.
// Decode never allocates.
func Decode(dst []byte, src string) (int, error) {
	n, ok := DecodedLen(len(src))
	if !ok {
		return 0, ErrInvalid
	}
	if len(dst) < n {
		return 0, io.ErrShortBuffer
	}
	out := dst[:n]

	// bad accumulates the OR of every quadTables entry seen; badQuad bits are set in it if
	// and only if some input byte was invalid. Checking it once at the end keeps the loops
	// free of branches.
	var bad uint32

	// Long inputs: 32 characters at a time with vector instructions, where the CPU has them.
	if k, ok := decodeBlocks(out, src); !ok {
		return 0, ErrInvalid
	} else if k > 0 {
		src, out = src[k:], out[k/4*3:]
	}

	// Main loop: eight characters make 48 bits, written as one 64-bit store
	// whose two surplus bytes land inside dst[:n] and are overwritten by
	// later iterations, so it runs only while eight bytes of room remain.
	for len(src) >= 8 && len(out) >= 8 {
		q := quadTables[0][src[0]] | quadTables[1][src[1]] | quadTables[2][src[2]] | quadTables[3][src[3]]
		r := quadTables[0][src[4]] | quadTables[1][src[5]] | quadTables[2][src[6]] | quadTables[3][src[7]]
		bad |= q | r
		binary.BigEndian.PutUint64(out, uint64(q)<<40|uint64(r)<<16)
		src = src[8:]
		out = out[6:]
	}
	for len(src) >= 4 && len(out) >= 3 {
		q := quadTables[0][src[0]] | quadTables[1][src[1]] | quadTables[2][src[2]] | quadTables[3][src[3]]
		bad |= q
		out[0] = byte(q >> 16)
		out[1] = byte(q >> 8)
		out[2] = byte(q)
		src = src[4:]
		out = out[3:]
	}

	// At most three characters remain. Their unused low bits must be zero so
	// that the encoding is canonical.
	switch len(src) {
	case 2:
		if len(out) < 1 {
			return 0, ErrInvalid
		}
		q := quadTables[0][src[0]] | quadTables[1][src[1]]
		bad |= q
		if q&0x00FFFF != 0 { // the low four bits of the second character are unused and must be zero
			bad = badQuad
		}
		out[0] = byte(q >> 16)
	case 3:
		if len(out) < 2 {
			return 0, ErrInvalid
		}
		q := quadTables[0][src[0]] | quadTables[1][src[1]] | quadTables[2][src[2]]
		bad |= q
		if q&0x0000FF != 0 { // the low two bits of the third character are unused and must be zero
			bad = badQuad
		}
		out[0] = byte(q >> 16)
		out[1] = byte(q >> 8)
	case 0:
	default:
		// Unreachable: DecodedLen rejected len%4 == 1 and the loops above
		// consume whole quantums. Fail closed regardless.
		return 0, ErrInvalid
	}
	if bad&badQuad != 0 {
		return 0, ErrInvalid
	}
	return n, nil
}

//go:build !purego

package b64

// decodeAVX2 decodes src into dst 32 characters (24 bytes) at a time, with AVX2, while at
// least 32 characters remain and dst has room for a 32-byte store. It returns how many
// characters it consumed, a multiple of 32, and false if any of them is outside the base64url
// alphabet. Each block is validated and translated with nibble lookups:
//
//   - Validity: the high nibble of a byte selects a class bit (lutHi) and the low nibble the
//     classes in which it makes an invalid byte (lutLo); the byte is invalid when the two
//     share a bit. High nibbles 0, 1 and 8-F are never valid; 2 only with low nibble D
//     ('-'); 3 with 0-9; 4 and 6 with all but 0 ('@', '`'); 5 with 0-A and F ('_'); 7 with
//     0-A.
//   - Value: the character plus an offset chosen by its high nibble (lutOff: '-' +17, digits
//     +4, upper case -65, lower case -71), and 33 more for '_', which shares its high nibble
//     with upper case letters.
//   - Packing: 6-bit values are joined into 12 bits per word, 24 bits per dword, whose bytes
//     are put in big-endian order and packed into 24 contiguous bytes.
//
// The scalar loop handles what is left, including the canonical-trailing-bits check.
//
//go:noescape
func decodeAVX2(dst []byte, src string) (consumed int, ok bool)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax uint32)

// hasAVX2 reports whether the CPU has AVX2 and the operating system saves the YMM registers.
var hasAVX2 = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 || xgetbv()&0b110 != 0b110 { // XMM and YMM state
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}()

// useAVX2 selects the vector loop; tests turn it off to compare the two.
var useAVX2 = hasAVX2

// decodeBlocks decodes a prefix of src into dst with the vector loop when the CPU has one.
func decodeBlocks(dst []byte, src string) (consumed int, ok bool) {
	if !useAVX2 || len(src) < 32 {
		return 0, true
	}
	return decodeAVX2(dst, src)
}

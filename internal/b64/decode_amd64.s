//go:build !purego

#include "textflag.h"

// Constants of decodeAVX2, each 16 bytes repeated in both 128-bit lanes (VPSHUFB looks up
// within a lane). See decode_amd64.go for how they were derived.

// lutHi: the class bit of each high nibble.
DATA lutHi<>+0x00(SB)/8, $0x2008100804020101
DATA lutHi<>+0x08(SB)/8, $0x0101010101010101
DATA lutHi<>+0x10(SB)/8, $0x2008100804020101
DATA lutHi<>+0x18(SB)/8, $0x0101010101010101
GLOBL lutHi<>(SB), RODATA|NOPTR, $32

// lutLo: for each low nibble, the classes in which it makes an invalid byte.
DATA lutLo<>+0x00(SB)/8, $0x030303030303030B
DATA lutLo<>+0x08(SB)/8, $0x2737353737070303
DATA lutLo<>+0x10(SB)/8, $0x030303030303030B
DATA lutLo<>+0x18(SB)/8, $0x2737353737070303
GLOBL lutLo<>(SB), RODATA|NOPTR, $32

// lutOff: what to add to a character, by its high nibble, to get its 6-bit value.
DATA lutOff<>+0x00(SB)/8, $0xB9B9BFBF04110000
DATA lutOff<>+0x08(SB)/8, $0x0000000000000000
DATA lutOff<>+0x10(SB)/8, $0xB9B9BFBF04110000
DATA lutOff<>+0x18(SB)/8, $0x0000000000000000
GLOBL lutOff<>(SB), RODATA|NOPTR, $32

DATA nibble<>+0x00(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x08(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x10(SB)/8, $0x0F0F0F0F0F0F0F0F
DATA nibble<>+0x18(SB)/8, $0x0F0F0F0F0F0F0F0F
GLOBL nibble<>(SB), RODATA|NOPTR, $32

// underscore: '_' in every byte; fixUnderscore: 33 in every byte, taking '_' from the
// offset of its high nibble (-65) to its own (-32).
DATA underscore<>+0x00(SB)/8, $0x5F5F5F5F5F5F5F5F
DATA underscore<>+0x08(SB)/8, $0x5F5F5F5F5F5F5F5F
DATA underscore<>+0x10(SB)/8, $0x5F5F5F5F5F5F5F5F
DATA underscore<>+0x18(SB)/8, $0x5F5F5F5F5F5F5F5F
GLOBL underscore<>(SB), RODATA|NOPTR, $32

DATA fixUnderscore<>+0x00(SB)/8, $0x2121212121212121
DATA fixUnderscore<>+0x08(SB)/8, $0x2121212121212121
DATA fixUnderscore<>+0x10(SB)/8, $0x2121212121212121
DATA fixUnderscore<>+0x18(SB)/8, $0x2121212121212121
GLOBL fixUnderscore<>(SB), RODATA|NOPTR, $32

// merge6: byte multipliers 64, 1 joining two 6-bit values into 12 bits in each 16-bit word.
DATA merge6<>+0x00(SB)/8, $0x0140014001400140
DATA merge6<>+0x08(SB)/8, $0x0140014001400140
DATA merge6<>+0x10(SB)/8, $0x0140014001400140
DATA merge6<>+0x18(SB)/8, $0x0140014001400140
GLOBL merge6<>(SB), RODATA|NOPTR, $32

// merge12: word multipliers 4096, 1 joining two 12-bit values into 24 bits in each dword.
DATA merge12<>+0x00(SB)/8, $0x0001100000011000
DATA merge12<>+0x08(SB)/8, $0x0001100000011000
DATA merge12<>+0x10(SB)/8, $0x0001100000011000
DATA merge12<>+0x18(SB)/8, $0x0001100000011000
GLOBL merge12<>(SB), RODATA|NOPTR, $32

// bigEndian: the three low bytes of each dword, most significant first, packed into the
// first 12 bytes of the lane; the last four bytes are zeroed.
DATA bigEndian<>+0x00(SB)/8, $0x090A040506000102
DATA bigEndian<>+0x08(SB)/8, $0xFFFFFFFF0C0D0E08
DATA bigEndian<>+0x10(SB)/8, $0x090A040506000102
DATA bigEndian<>+0x18(SB)/8, $0xFFFFFFFF0C0D0E08
GLOBL bigEndian<>(SB), RODATA|NOPTR, $32

// pack: dwords 0-2 of the low lane then 0-2 of the high lane, 24 contiguous bytes.
DATA pack<>+0x00(SB)/8, $0x0000000100000000
DATA pack<>+0x08(SB)/8, $0x0000000400000002
DATA pack<>+0x10(SB)/8, $0x0000000600000005
DATA pack<>+0x18(SB)/8, $0x0000000700000003
GLOBL pack<>(SB), RODATA|NOPTR, $32

// func decodeAVX2(dst []byte, src string) (consumed int, ok bool)
TEXT ·decodeAVX2(SB), NOSPLIT, $0-49
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), DX
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	XORQ AX, AX
	VPXOR Y15, Y15, Y15            // OR of the invalid-class bits of every byte
	VMOVDQU lutHi<>(SB), Y8
	VMOVDQU lutLo<>(SB), Y9
	VMOVDQU lutOff<>(SB), Y10
	VMOVDQU nibble<>(SB), Y11
	VMOVDQU pack<>(SB), Y12

loop:
	CMPQ CX, $32
	JB   done
	CMPQ DX, $32
	JB   done
	VMOVDQU (SI), Y0               // 32 characters
	VPSRLD  $4, Y0, Y1
	VPAND   Y11, Y1, Y1            // high nibbles
	VPAND   Y11, Y0, Y2            // low nibbles
	VPSHUFB Y2, Y9, Y3             // classes in which the low nibble is invalid
	VPSHUFB Y1, Y8, Y4             // the class of the high nibble
	VPAND   Y3, Y4, Y3
	VPOR    Y3, Y15, Y15
	VPSHUFB Y1, Y10, Y4            // offset by high nibble
	VPCMPEQB underscore<>(SB), Y0, Y5
	VPAND   fixUnderscore<>(SB), Y5, Y5
	VPADDB  Y5, Y4, Y4
	VPADDB  Y4, Y0, Y0             // 6-bit values
	VPMADDUBSW merge6<>(SB), Y0, Y0
	VPMADDWD   merge12<>(SB), Y0, Y0
	VPSHUFB    bigEndian<>(SB), Y0, Y0
	VPERMD     Y0, Y12, Y0
	VMOVDQU Y0, (DI)               // 24 bytes decoded, 8 overwritten later
	ADDQ $32, SI
	SUBQ $32, CX
	ADDQ $24, DI
	SUBQ $24, DX
	ADDQ $32, AX
	JMP  loop

done:
	VPTEST Y15, Y15
	SETEQ  ok+48(FP)
	MOVQ   AX, consumed+40(FP)
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET

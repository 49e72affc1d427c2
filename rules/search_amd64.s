//go:build amd64 && !purego

#include "textflag.h"

// func gPairRounds(b []byte, i int, prev uint32) int
//
// The rounds of nextGPairGo, 32 bytes at a time, with SSE2 (which every
// amd64 processor has, so nothing needs detecting). Each round compares
// the bytes at i (with 0x20 set) with 'g' and the bytes at i+1 (with 0x21
// set) with 'i', and turns both into 32-bit masks: bit k of G is b[i+k],
// bit k of H is b[i+k+1]. The byte before b[i+k] is bit k-2 of H, or for
// k < 2 bit k+30 of the previous round's H (prev), so the pairs are
// G & (H | H<<2 | prev>>30). The loads of a round read b[i:i+33], which is
// why rounds stop where fewer than 33 bytes are left.
TEXT ·gPairRounds(SB), NOSPLIT, $0-48
	MOVQ b_base+0(FP), SI
	MOVQ b_len+8(FP), DX
	MOVQ i+24(FP), CX
	MOVL prev+32(FP), R8
	SUBQ $33, DX             // the last i at which a round may start

	// X1..X3 and X0: 0x20, 'g', 0x21 and 'i' in every byte.
	MOVL    $0x20202020, AX
	MOVL    AX, X1
	PSHUFL  $0, X1, X1
	MOVL    $0x67676767, AX
	MOVL    AX, X2
	PSHUFL  $0, X2, X2
	MOVL    $0x21212121, AX
	MOVL    AX, X3
	PSHUFL  $0, X3, X3
	MOVL    $0x69696969, AX
	MOVL    AX, X0
	PSHUFL  $0, X0, X0

loop:
	CMPQ     CX, DX
	JGT      none
	MOVOU    (SI)(CX*1), X4
	MOVOU    16(SI)(CX*1), X5
	MOVOU    1(SI)(CX*1), X6
	MOVOU    17(SI)(CX*1), X7
	POR      X1, X4
	POR      X1, X5
	PCMPEQB  X2, X4
	PCMPEQB  X2, X5
	POR      X3, X6
	POR      X3, X7
	PCMPEQB  X0, X6
	PCMPEQB  X0, X7
	PMOVMSKB X4, AX
	PMOVMSKB X5, R10
	SHLL     $16, R10
	ORL      R10, AX          // AX = G
	PMOVMSKB X6, BX
	PMOVMSKB X7, R11
	SHLL     $16, R11
	ORL      R11, BX          // BX = H
	MOVL     BX, R9
	SHLL     $2, R9
	SHRL     $30, R8
	ORL      R8, R9
	ORL      BX, R9
	ANDL     AX, R9
	JNZ      found
	MOVL     BX, R8
	ADDQ     $32, CX
	JMP      loop

found:
	BSFL R9, R9               // not TZCNT: that needs BMI1
	ADDQ CX, R9
	MOVQ R9, ret+40(FP)
	RET

none:
	MOVQ $-1, ret+40(FP)
	RET

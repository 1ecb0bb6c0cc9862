/* SPDX-License-Identifier: GPL-2.0 */
/* Multiboot entry of the jmgpu passthrough payload (32-bit, no paging). */
	.text
	.align 4
	.long 0x1badb002		/* magic */
	.long 0				/* flags */
	.long -0x1badb002		/* checksum */

	.globl _start
_start:
	cli
	movl $stack_top, %esp
	pushl %ebx			/* multiboot information */
	call payload_main
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 16384
stack_top:

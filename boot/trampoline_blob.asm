; trampoline_blob.asm - the AP trampoline binary, embedded in the kernel.
; The Makefile assembles boot/trampoline.S16 to build/trampoline.bin first.
section .rodata
global trampoline_start, trampoline_end
align 16
trampoline_start:
	incbin "trampoline.bin"
trampoline_end:
section .note.GNU-stack noalloc noexec nowrite progbits

; entry.asm - the first and last instructions of every interrupt.
;
; The CPU pushes SS, RSP, RFLAGS, CS, RIP (and, for some exceptions, an
; error code) and jumps to the vector's stub. Each stub makes the frame
; uniform (pushes a dummy error code where the CPU did not) and pushes its
; vector number; the common code saves every general register, so that the
; stack now holds a struct pt_regs (arch/x86/regs.h), and calls
; do_interrupt(regs) in C. On return it restores everything and iretq
; resumes the interrupted code - or, if the scheduler switched stacks in
; between, a different thread that was interrupted the same way earlier.

bits 64
section .text

extern do_interrupt

%macro STUB 1
	align 16
isr_stub_%1:
%if !(%1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30)
	push 0                          ; no error code from the CPU
%endif
	push %1
	jmp interrupt_common
%endmacro

%assign i 0
%rep 256
	STUB i
%assign i i + 1
%endrep

interrupt_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	; Make the interrupted frame part of the rbp chain, so backtraces
	; taken inside handlers continue into the interrupted code.
	mov rbp, [rsp + 8 * 8]
	call do_interrupt
global interrupt_return
interrupt_return:
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16                     ; vector and error code
	iretq

section .rodata
global isr_stub_table
align 8
isr_stub_table:
%assign i 0
%rep 256
	dq isr_stub_%+i
%assign i i + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits

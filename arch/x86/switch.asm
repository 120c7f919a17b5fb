; switch.asm - the context switch.
;
; prev = __switch_to(prev_rsp_slot, next_rsp, prev): save the callee-saved
; registers (the C calling convention says the caller already saved the
; others) on the current stack, store the stack pointer in *prev_rsp_slot,
; load next_rsp and pop the registers the next thread saved when it
; switched out; `ret` then returns into *its* call of __switch_to. The
; third argument comes back as the return value *in the next thread*: that
; is how a thread that resumes learns which thread ran before it. A new
; thread's stack is prepared to look as if it had switched out just before
; ret_from_kthread (see arch/x86/switch.h).

bits 64
section .text
global __switch_to, ret_from_kthread
extern kthread_start

__switch_to:
	mov rax, rdx                    ; survives the switch: the return value
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; First instructions of every kernel thread: into C, never to return.
ret_from_kthread:
	xor ebp, ebp                    ; backtraces end here
	mov rdi, rax                    ; the thread we switched from
	call kthread_start
	ud2

section .note.GNU-stack noalloc noexec nowrite progbits

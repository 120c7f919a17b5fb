; boot.asm - from GRUB (32-bit protected mode, paging off) to C in long mode.
;
; GRUB loads the ELF at its physical addresses and jumps to _start with
;   eax = multiboot2 magic (0x36d76289), ebx = physical address of the info.
; We check that the CPU can run 64-bit code, build the smallest page tables
; that work (the first 1 GiB mapped twice: identity, so the instruction after
; "enable paging" still exists, and at KERNEL_VMA, where the C code is
; linked), switch to long mode, jump to the higher half and call kmain().
; kernel/paging.c later replaces these tables with fine-grained ones (W^X,
; guard pages) and drops the identity map.

%define KERNEL_VMA      0xffffffff80000000
%define COM1            0x3f8
%define MB2_MAGIC       0xe85250d6
%define MB2_ARCH_I386   0

section .multiboot
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; end tag
	dw 0, 0
	dd 8
mb2_header_end:

section .boot.text progbits alloc exec nowrite
bits 32
global _start
_start:
	cli
	cld
	mov esp, boot_stack_top - KERNEL_VMA
	mov [mb_magic - KERNEL_VMA], eax
	mov [mb_info - KERNEL_VMA], ebx

	call check_long_mode
	call build_boot_page_tables

	; PAE on (long mode requires it), then CR3 -> PML4.
	mov eax, cr4
	or eax, (1 << 5)
	mov cr4, eax
	mov eax, boot_pml4 - KERNEL_VMA
	mov cr3, eax

	; EFER: LME (long mode enable) and NXE (honour the no-execute bit).
	mov ecx, 0xc0000080
	rdmsr
	or eax, (1 << 8) | (1 << 11)
	wrmsr

	; Paging on, with WP so the kernel itself cannot write read-only pages.
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16)
	mov cr0, eax

	lgdt [boot_gdt_ptr - KERNEL_VMA]
	jmp 0x08:long_mode_low          ; .boot.text is linked low

; check_long_mode: CPUID must exist and report long mode and NX;
; otherwise explain on the serial port and stop.
check_long_mode:
	; CPUID exists if the ID bit of EFLAGS can be flipped.
	pushfd
	pop eax
	mov ecx, eax
	xor eax, (1 << 21)
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	cmp eax, ecx
	je .no_long_mode
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, (1 << 29)             ; LM
	jz .no_long_mode
	test edx, (1 << 20)             ; NX
	jz .no_nx
	ret
.no_long_mode:
	mov esi, msg_no_lm - KERNEL_VMA
	jmp boot_fail
.no_nx:
	mov esi, msg_no_nx - KERNEL_VMA
	jmp boot_fail

; boot_fail: print the NUL-terminated string at esi on COM1 and halt.
; The UART is programmed here because nothing else has touched it yet.
boot_fail:
	mov dx, COM1 + 3
	mov al, 0x80                    ; DLAB on
	out dx, al
	mov dx, COM1
	mov al, 1                       ; divisor 1 = 115200 baud
	out dx, al
	mov dx, COM1 + 1
	xor al, al
	out dx, al
	mov dx, COM1 + 3
	mov al, 0x03                    ; 8N1, DLAB off
	out dx, al
.next:
	lodsb
	test al, al
	jz .halt
	mov ah, al
.wait:
	mov dx, COM1 + 5
	in al, dx
	test al, 0x20                   ; transmit holding register empty
	jz .wait
	mov dx, COM1
	mov al, ah
	out dx, al
	jmp .next
.halt:
	hlt
	jmp .halt

; build_boot_page_tables: 512 2-MiB pages = the first GiB, reachable from
; PML4[0] (identity), PML4[256] (the direct map at PHYS_OFFSET, so
; phys_to_virt() works from the first line of C) and PML4[511]/PDPT[510]
; (0xffffffff80000000, where the kernel is linked).
build_boot_page_tables:
	mov edi, boot_pd - KERNEL_VMA
	mov eax, 0x83                   ; present | writable | 2 MiB page
	xor ecx, ecx
.fill:
	mov [edi + ecx * 8], eax
	mov dword [edi + ecx * 8 + 4], 0
	add eax, 0x200000
	inc ecx
	cmp ecx, 512
	jne .fill

	mov eax, boot_pd - KERNEL_VMA
	or eax, 0x3
	mov [boot_pdpt_low - KERNEL_VMA], eax
	mov [boot_pdpt_high - KERNEL_VMA + 510 * 8], eax

	mov eax, boot_pdpt_low - KERNEL_VMA
	or eax, 0x3
	mov [boot_pml4 - KERNEL_VMA], eax
	mov [boot_pml4 - KERNEL_VMA + 256 * 8], eax   ; direct map, PHYS_OFFSET
	mov eax, boot_pdpt_high - KERNEL_VMA
	or eax, 0x3
	mov [boot_pml4 - KERNEL_VMA + 511 * 8], eax
	ret

bits 64
long_mode_low:
	; Still running at the identity-mapped address: jump to the higher half.
	mov rax, long_mode_high
	jmp rax

section .text
extern kmain
long_mode_high:
	; Reload the GDT through its higher-half address: the low identity
	; map it was loaded through will be removed by paging_init().
	lgdt [boot_gdt_ptr64]
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rsp, boot_stack_top
	xor rbp, rbp                    ; ends the backtrace
	mov edi, [mb_magic]
	mov esi, [mb_info]
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .rodata
msg_no_lm: db "boot: this CPU does not support 64-bit long mode; cannot boot (try qemu -cpu max)", 13, 10, 0
msg_no_nx: db "boot: this CPU lacks the NX bit; cannot boot (try qemu -cpu max)", 13, 10, 0

align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff           ; 0x08: 64-bit code
	dq 0x00cf92000000ffff           ; 0x10: data
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt - KERNEL_VMA
boot_gdt_ptr64:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

section .data
global mb_magic, mb_info
mb_magic: dd 0
mb_info:  dd 0

section .bss
align 4096
global boot_pml4
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pd:        resb 4096
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	resb 16384
boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits

/*
 * kasan.h - the Kernel Address Sanitizer, generic mode (CONFIG_KASAN:
 * `make KASAN=1`, build/kasan; docs/debugging.md).
 *
 * Every load and store the compiler sees (-fsanitize=kernel-address,
 * outline: a call each) first asks the shadow: one byte per 8 bytes of
 * memory, 0 if all 8 may be touched, 1-7 if only the first 1-7, negative
 * if none (a redzone, a freed object). kmalloc() puts a redzone around
 * each object and keeps freed objects in a quarantine for a while, so a
 * late use finds them poisoned; globals get redzones too. A bad access is
 * reported as Linux reports it, with the allocating and freeing stacks:
 *
 *   BUG: KASAN: slab-use-after-free in reader_fn+0x2d/0x60
 *   Read of size 8 at addr ffff800000843a48 by task reader/23
 *
 * and counts as a WARNING (the test running fails); the kernel goes on.
 *
 * Checked: the heap (kmalloc pages set up after kasan_init()) and the
 * kernel image's globals. Not checked: stacks, vmalloc memory (its guard
 * pages and unmapping catch what they can), per-CPU data, code built
 * without instrumentation (the allocators, this runtime, modules).
 *
 * Contract: the hooks are called by kmalloc with interrupts in any state
 * and never sleep.
 */
#pragma once
#include "kernel/compiler.h"

#ifdef CONFIG_KASAN
/* After the page allocator: the shadow, then the globals' redzones. */
void kasan_init(void);
/* kmalloc's hooks: a page cut into blocks of block_size; a run of pages
 * given to one large object; an object handed out (the rest of its
 * block poisoned); an object freed - false if KASAN took it into its
 * quarantine, and kmalloc must not reuse it yet. */
void kasan_slab_page(void *page, size_t block_size);
void kasan_large(void *head, unsigned int order);
void kasan_large_freed(void *head, unsigned int order);
void kasan_alloc(void *block, size_t block_size, void *obj, size_t size);
bool kasan_free(void *block, size_t block_size, void *obj, size_t size);
/* Room kmalloc keeps at the end of each block for KASAN's records. */
size_t kasan_block_extra(void);
/* Check an access the compiler cannot see (memcpy's rep movsb). */
void kasan_check_read(const volatile void *p, size_t size);
void kasan_check_write(const volatile void *p, size_t size);
unsigned long kasan_report_count(void);
/* Give every quarantined block back now (before a test counts pages). */
void kasan_quarantine_flush(void);
#else
static inline void kasan_quarantine_flush(void) { }
static inline void kasan_init(void) { }
static inline void kasan_slab_page(void *p, size_t b) { (void)p; (void)b; }
static inline void kasan_large(void *h, unsigned int o) { (void)h; (void)o; }
static inline void kasan_large_freed(void *h, unsigned int o) { (void)h; (void)o; }
static inline void kasan_alloc(void *b, size_t bs, void *o, size_t s) { (void)b; (void)bs; (void)o; (void)s; }
static inline bool kasan_free(void *b, size_t bs, void *o, size_t s)
{ (void)b; (void)bs; (void)o; (void)s; return false; }
static inline size_t kasan_block_extra(void) { return 0; }
static inline void kasan_check_read(const volatile void *p, size_t s) { (void)p; (void)s; }
static inline void kasan_check_write(const volatile void *p, size_t s) { (void)p; (void)s; }
static inline unsigned long kasan_report_count(void) { return 0; }
#endif

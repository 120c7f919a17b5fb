/*
 * kasan.c - the address sanitizer's runtime (kernel/kasan.h), built
 * without -fsanitize=kernel-address itself, as are the allocators.
 *
 * Shadow: Linux maps one shadow byte per 8 bytes of the whole kernel
 * half at a fixed offset. Here the direct map (all RAM) has its shadow
 * in pages taken at boot, an eighth of RAM, found through a directory
 * (shadow_dir[pfn / 8], a page each for 8 pages of RAM), and the image
 * from .rodata to the end of .bss has one array; nothing else is
 * checked. A shadow byte is 0 (the 8 bytes are usable), 1-7 (the first
 * k are), or one of Linux's negative codes: the reason a report gives.
 *
 * Objects: kmalloc asks kasan_block_extra() more bytes per block, which
 * hold a redzone and, at the block's end, who allocated and who freed
 * it (pid and stack). kasan_alloc() poisons the whole block but the
 * object; kasan_free() poisons the object and keeps the block in a FIFO
 * quarantine of up to QUARANTINE_BYTES, then gives back the oldest: a
 * use after free is caught as long as the block waits there.
 *
 * Globals: the compiler gives each global a redzone and a constructor
 * that calls __asan_register_globals(); kasan_init() runs the
 * constructors (the kernel runs none otherwise) and poisons the zones.
 */
#include "kernel/kasan.h"
#include "kernel/jiffies.h"
#include "kernel/ksyms.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "sched/sched.h"
#include "sync/spinlock.h"

#ifdef CONFIG_KASAN

/* Linux's shadow codes (mm/kasan/kasan.h). */
#define KASAN_PAGE_REDZONE	0xFE	/* a large object's header and tail */
#define KASAN_SLAB_REDZONE	0xFC	/* a block around its object */
#define KASAN_SLAB_FREE		0xFB	/* a freed object */
#define KASAN_GLOBAL_REDZONE	0xF9

#define GRANULE			8
#define SHADOW_BLOCK		(PAGE_SIZE / GRANULE)
#define NR_FRAMES		6
#define QUARANTINE_BYTES	(2UL << 20)
#define REDZONE_MIN		16

struct kasan_track {
	int pid;
	int nr;
	uintptr_t frames[NR_FRAMES];
};

/* At the end of each block, inside its redzone. */
struct kasan_meta {
	struct kasan_track alloc, free;
	struct kasan_meta *qnext;	/* quarantine FIFO */
	void *block;
	uint32_t block_size, size;
};

/* Per page: the size of the blocks it is cut into, and for a large
 * object's run, how many pages its head is before this one. */
struct page_info {
	uint32_t block_size;
	uint32_t head_back;
};

static int8_t **shadow_dir;
static struct page_info *page_info;
static unsigned long nr_pfns;
static int8_t *image_shadow;
static uintptr_t image_start, image_bytes;
static bool ready;
static DEFINE_SPINLOCK(kasan_lock);
static struct kasan_meta *q_head, *q_tail;
static unsigned long q_bytes;
static unsigned long nr_reports;

/* kmalloc.c: give a block back for good (out of the quarantine). */
void __kfree_block(void *block);

/* ---- the shadow ---- */

static inline int8_t *shadow_of(uintptr_t a)
{
	uintptr_t off = a - PHYS_OFFSET;

	if (off < (nr_pfns << PAGE_SHIFT))
		return shadow_dir[off >> (PAGE_SHIFT + 3)] + ((off / GRANULE) & (PAGE_SIZE - 1));
	off = a - image_start;
	if (off < image_bytes)
		return image_shadow + off / GRANULE;
	return NULL;
}

/* Is byte a off limits? (A granule with value k: bytes 0..k-1 usable.) */
static inline bool byte_bad(uintptr_t a)
{
	int8_t *s = shadow_of(a);

	return s && *s && (int8_t)(a & (GRANULE - 1)) >= *s;
}

/* Set the shadow of [a, a + n) (a granule-aligned) to v. */
static void poison(uintptr_t a, size_t n, uint8_t v)
{
	for (uintptr_t x = a; x < a + n; x += GRANULE) {
		int8_t *s = shadow_of(x);
		if (s)
			*s = (int8_t)v;
	}
}

/* Usable [a, a + n): whole granules 0, a partial last one n % 8. */
static void unpoison(uintptr_t a, size_t n)
{
	poison(a, n & ~(size_t)(GRANULE - 1), 0);
	if (n & (GRANULE - 1)) {
		int8_t *s = shadow_of(a + (n & ~(size_t)(GRANULE - 1)));
		if (s)
			*s = (int8_t)(n & (GRANULE - 1));
	}
}

/* Pages [p, p + n) given to the heap: poisoned with v until handed out. */
static void shadow_pages(void *p, size_t n, uint8_t v, uint32_t block_size)
{
	unsigned long pfn = ((uintptr_t)p - PHYS_OFFSET) >> PAGE_SHIFT;

	poison((uintptr_t)p, n, v);
	for (unsigned long i = 0; i < n / PAGE_SIZE && pfn + i < nr_pfns; i++)
		page_info[pfn + i] = (struct page_info){ block_size, (uint32_t)i };
}

/* ---- kmalloc's hooks ---- */

size_t kasan_block_extra(void)
{
	return sizeof(struct kasan_meta) + REDZONE_MIN;
}

static struct kasan_meta *meta_of(void *block, size_t block_size)
{
	return (struct kasan_meta *)((char *)block + block_size - sizeof(struct kasan_meta));
}

static void save_track(struct kasan_track *t)
{
	uintptr_t pcs[NR_FRAMES + 2];
	int n = backtrace_save(read_rbp(), pcs, NR_FRAMES + 2);

	/* Drop the kasan hook's frame: start at kmalloc/kfree, as Linux. */
	t->nr = 0;
	for (int i = 1; i < n && t->nr < NR_FRAMES; i++)
		t->frames[t->nr++] = pcs[i];
	t->pid = current ? current->pid : 0;
}

void kasan_slab_page(void *page, size_t block_size)
{
	if (ready)
		shadow_pages(page, PAGE_SIZE, KASAN_SLAB_REDZONE, (uint32_t)block_size);
}

void kasan_large(void *head, unsigned int order)
{
	if (ready)
		shadow_pages(head, PAGE_SIZE << order, KASAN_PAGE_REDZONE, (uint32_t)(PAGE_SIZE << order));
}

/* The pages go back to the page allocator: whoever gets them next is
 * not the heap, and must not find them poisoned. */
void kasan_large_freed(void *head, unsigned int order)
{
	if (ready)
		shadow_pages(head, PAGE_SIZE << order, 0, 0);
}

void kasan_alloc(void *block, size_t block_size, void *obj, size_t size)
{
	if (!ready || !shadow_of((uintptr_t)block))
		return;
	struct kasan_meta *m = meta_of(block, block_size);

	poison((uintptr_t)block, block_size,
	       block_size > PAGE_SIZE / 2 ? KASAN_PAGE_REDZONE : KASAN_SLAB_REDZONE);
	unpoison((uintptr_t)obj, size);
	save_track(&m->alloc);
	m->free.nr = 0;
	m->free.pid = 0;
	m->block = block;
	m->block_size = (uint32_t)block_size;
	m->size = (uint32_t)size;
}

bool kasan_free(void *block, size_t block_size, void *obj, size_t size)
{
	unsigned long flags;

	if (!ready || !shadow_of((uintptr_t)block))
		return false;
	struct kasan_meta *m = meta_of(block, block_size), *out = NULL;

	poison((uintptr_t)obj, ALIGN_UP(size, GRANULE), KASAN_SLAB_FREE);
	save_track(&m->free);
	m->qnext = NULL;
	spin_lock_irqsave(&kasan_lock, flags);
	if (q_tail)
		q_tail->qnext = m;
	else
		q_head = m;
	q_tail = m;
	q_bytes += block_size;
	if (q_bytes > QUARANTINE_BYTES) {	/* give back the oldest */
		out = q_head;
		q_head = out->qnext;
		if (!q_head)
			q_tail = NULL;
		q_bytes -= out->block_size;
	}
	spin_unlock_irqrestore(&kasan_lock, flags);
	if (out)
		__kfree_block(out->block);
	return true;
}

void kasan_quarantine_flush(void)
{
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&kasan_lock, flags);
		struct kasan_meta *out = q_head;
		if (out) {
			q_head = out->qnext;
			if (!q_head)
				q_tail = NULL;
			q_bytes -= out->block_size;
		}
		spin_unlock_irqrestore(&kasan_lock, flags);
		if (!out)
			return;
		__kfree_block(out->block);
	}
}

/* ---- reports ---- */

static void print_track(const char *what, const struct kasan_track *t)
{
	char sym[128];

	pr_err("%s by task %d:\n", what, t->pid);
	for (int i = 0; i < t->nr; i++) {
		ksym_format(sym, sizeof(sym), t->frames[i]);
		pr_err(" %s\n", sym);
	}
	pr_err("\n");
}

static const char *bug_type(uintptr_t bad)
{
	int8_t *s = shadow_of(bad), *s2;
	uint8_t v = s ? (uint8_t)*s : 0;

	if (v > 0 && v < GRANULE)	/* a partial granule: what follows it */
		v = (s2 = shadow_of(bad + GRANULE)) ? (uint8_t)*s2 : 0;
	switch (v) {
	case KASAN_SLAB_FREE: return "slab-use-after-free";
	case KASAN_SLAB_REDZONE:
	case KASAN_PAGE_REDZONE: return "slab-out-of-bounds";
	case KASAN_GLOBAL_REDZONE: return "global-out-of-bounds";
	default: return "unknown-crash";
	}
}

/* The heap object nearest to a, with its block. */
static struct kasan_meta *object_of(uintptr_t a)
{
	uintptr_t off = a - PHYS_OFFSET;

	if (off >= (nr_pfns << PAGE_SHIFT))
		return NULL;
	struct page_info pi = page_info[off >> PAGE_SHIFT];
	if (!pi.block_size)
		return NULL;
	uintptr_t head = (a & ~(PAGE_SIZE - 1)) - (uintptr_t)pi.head_back * PAGE_SIZE;
	uintptr_t block = head + (a - head) / pi.block_size * pi.block_size;
	struct kasan_meta *m = meta_of((void *)block, pi.block_size);
	return m->block == (void *)block ? m : NULL;
}

#define NR_SEEN 32
static struct { uintptr_t ip; unsigned long last, suppressed; } seen[NR_SEEN];
static int nr_seen;
static int report_lock;
static DEFINE_PER_CPU(int, kasan_busy);

static __noinline void report(uintptr_t addr, size_t size, bool write, uintptr_t ip)
{
	uintptr_t bad = addr;
	char where[128];
	unsigned long flags;

	while (bad < addr + size && !byte_bad(bad))
		bad++;
	if (bad == addr + size)
		bad = addr;
	local_irq_save(flags);
	this_cpu_write(kasan_busy, 1);
	count_warning();
	__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED);
	while (__atomic_exchange_n(&report_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	ksym_format(where, sizeof(where), ip);
	int i;
	for (i = 0; i < nr_seen && seen[i].ip != ip; i++)
		;
	if (i < nr_seen) {			/* the same place again */
		if (jiffies - seen[i].last >= HZ) {
			pr_err("BUG: KASAN: %s in %s (again, %lu more since the last line: "
			       "the first report is above)\n", bug_type(bad), where, seen[i].suppressed);
			seen[i].last = jiffies;
			seen[i].suppressed = 0;
		} else {
			seen[i].suppressed++;
		}
		goto out;
	}
	if (nr_seen < NR_SEEN)
		seen[nr_seen++] = (typeof(seen[0])){ ip, jiffies, 0 };

	pr_err("==================================================================\n");
	pr_err("BUG: KASAN: %s in %s\n", bug_type(bad), where);
	pr_err("%s of size %zu at addr %016lx by task %s/%d\n", write ? "Write" : "Read",
	       size, (unsigned long)addr, current ? current->comm : "swapper",
	       current ? current->pid : 0);
	pr_err("\n");
	pr_err("CPU: %d PID: %d Comm: %s\n", raw_smp_processor_id(), current ? current->pid : 0,
	       current ? current->comm : "swapper");
	{
		uintptr_t pcs[20];
		int n = backtrace_save(read_rbp(), pcs, 20), k = 0;
		char sym[128];

		while (k < n && pcs[k] != ip)	/* from the access on */
			k++;
		if (k == n)
			k = 0;
		pr_err("Call Trace:\n");
		for (; k < n; k++) {
			ksym_format(sym, sizeof(sym), pcs[k]);
			pr_err(" %s\n", sym);
		}
	}
	pr_err("\n");
	struct kasan_meta *m = object_of(bad);
	if (m) {
		uintptr_t obj = (uintptr_t)m->block + 16, end = obj + m->size;
		bool freed = m->free.nr > 0;

		print_track("Allocated", &m->alloc);
		if (freed)
			print_track("Freed", &m->free);
		pr_err("The buggy address belongs to the object at %016lx\n", (unsigned long)obj);
		pr_err(" which belongs to the cache kmalloc-%u of size %u\n",
		       m->block_size, m->block_size);
		if (bad >= obj && bad < end)
			pr_err("The buggy address is located %lu bytes inside of\n"
			       " %s%u-byte region [%016lx, %016lx)\n",
			       (unsigned long)(bad - obj), freed ? "freed " : "", m->size,
			       (unsigned long)obj, (unsigned long)end);
		else if (bad >= end)
			pr_err("The buggy address is located %lu bytes to the right of\n %u-byte region [%016lx, %016lx)\n",
			       (unsigned long)(bad - end), m->size, (unsigned long)obj, (unsigned long)end);
		else
			pr_err("The buggy address is located %lu bytes to the left of\n %u-byte region [%016lx, %016lx)\n",
			       (unsigned long)(obj - bad), m->size, (unsigned long)obj, (unsigned long)end);
	} else if (bad - image_start < image_bytes) {
		char sym[128];

		ksym_format(sym, sizeof(sym), bad);
		pr_err("The buggy address belongs to the variable:\n %s\n", sym);
	}
	pr_err("==================================================================\n");
out:
	__atomic_store_n(&report_lock, 0, __ATOMIC_RELEASE);
	this_cpu_write(kasan_busy, 0);
	local_irq_restore(flags);
}

unsigned long kasan_report_count(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_RELAXED);
}

/* ---- the checks ---- */

static __always_inline void check(uintptr_t a, size_t size, bool write, uintptr_t ip)
{
	if (!ready || !size)
		return;
	/* Each granule the access touches, and its last byte. */
	for (uintptr_t x = a; x < a + size; x = (x | (GRANULE - 1)) + 1)
		if (unlikely(byte_bad(x)))
			goto bad;
	if (likely(!byte_bad(a + size - 1)))
		return;
bad:
	if (!this_cpu_read(kasan_busy))
		report(a, size, write, ip);
}

void kasan_check_read(const volatile void *p, size_t size)
{
	check((uintptr_t)p, size, false, (uintptr_t)__builtin_return_address(0));
}

void kasan_check_write(const volatile void *p, size_t size)
{
	check((uintptr_t)p, size, true, (uintptr_t)__builtin_return_address(0));
}

#define RET_IP ((uintptr_t)__builtin_return_address(0))
#define DEFINE_ASAN(n)                                                              \
	void __asan_load##n##_noabort(uintptr_t a);                                 \
	void __asan_load##n##_noabort(uintptr_t a) { check(a, n, false, RET_IP); }  \
	void __asan_store##n##_noabort(uintptr_t a);                                \
	void __asan_store##n##_noabort(uintptr_t a) { check(a, n, true, RET_IP); }
DEFINE_ASAN(1)
DEFINE_ASAN(2)
DEFINE_ASAN(4)
DEFINE_ASAN(8)
DEFINE_ASAN(16)

void __asan_loadN_noabort(uintptr_t a, size_t n);
void __asan_loadN_noabort(uintptr_t a, size_t n) { check(a, n, false, RET_IP); }
void __asan_storeN_noabort(uintptr_t a, size_t n);
void __asan_storeN_noabort(uintptr_t a, size_t n) { check(a, n, true, RET_IP); }
void __asan_handle_no_return(void);
void __asan_handle_no_return(void) { }

/* The compiler's record of an instrumented global (Linux's struct
 * kasan_global, ABI version 5). */
struct kasan_global {
	const void *beg;
	size_t size;
	size_t size_with_redzone;
	const void *name, *module_name;
	unsigned long has_dynamic_init;
	void *location;
	char *odr_indicator;
};

void __asan_register_globals(struct kasan_global *g, size_t n);
void __asan_register_globals(struct kasan_global *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uintptr_t b = (uintptr_t)g[i].beg;
		size_t whole = ALIGN_UP(g[i].size, GRANULE);

		unpoison(b, g[i].size);
		poison(b + whole, g[i].size_with_redzone - whole, KASAN_GLOBAL_REDZONE);
	}
}
void __asan_unregister_globals(struct kasan_global *g, size_t n);
void __asan_unregister_globals(struct kasan_global *g, size_t n) { (void)g; (void)n; }

/* ---- start ---- */

extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

static void *alloc_zeroed(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	void *p = alloc_pages(order);
	if (!p)
		panic("kasan: no memory for the shadow (an eighth of RAM)");
	memset(p, 0, PAGE_SIZE << order);
	return p;
}

void kasan_init(void)
{
	nr_pfns = pmm_max_phys() >> PAGE_SHIFT;
	unsigned long dir = (nr_pfns + 7) / 8;

	image_start = (uintptr_t)__rodata_start;
	image_bytes = ALIGN_UP((uintptr_t)__kernel_end - image_start, GRANULE * PAGE_SIZE);
	shadow_dir = alloc_zeroed(dir * sizeof(*shadow_dir));
	page_info = alloc_zeroed(nr_pfns * sizeof(*page_info));
	image_shadow = alloc_zeroed(image_bytes / GRANULE);
	for (unsigned long i = 0; i < dir; i++)
		shadow_dir[i] = alloc_zeroed(PAGE_SIZE);
	for (void (**c)(void) = __init_array_start; c < __init_array_end; c++)
		(*c)();			/* __asan_register_globals() */
	ready = true;
	pr_info("kasan: address sanitizer on: %lu MiB of shadow, heap redzones, a %lu KiB "
		"quarantine, %lu KiB of globals\n", dir * PAGE_SIZE >> 20,
		QUARANTINE_BYTES >> 10, image_bytes >> 10);
}

#endif /* CONFIG_KASAN */

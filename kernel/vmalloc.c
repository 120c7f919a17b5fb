/*
 * vmalloc.c - virtually contiguous memory from scattered pages (contract
 * in mm.h; Linux's mm/vmalloc.c and the kvmalloc part of mm/util.c).
 *
 * vmalloc(size) reserves a range of addresses in the vmalloc area, takes
 * its pages from alloc_page() one at a time - wherever they happen to
 * be - and maps them one after the other. Each range is one page longer
 * than its pages: that last page is never mapped, a guard, so running off
 * the end of an area faults instead of writing into the next one.
 *
 *   VMALLOC_START                                               VMALLOC_END
 *   |A's pages|guard|   free   |B's pages......|guard|   free   ...
 *
 * The ranges in use ("vmap areas", Linux's name) sit in a list sorted by
 * address, under one spinlock. Linux keeps them in red-black trees (a busy
 * tree, and a free tree where each node caches the largest gap below it),
 * because it has tens of thousands of them - every thread's stack, every
 * module - and a search must not walk them all. Here there are a few dozen
 * at a time; a walk of a list is short, and easy to check. A new range is
 * searched next-fit: from where the last one ended, wrapping around to
 * VMALLOC_START when the end is reached. So a freed range is not handed
 * out again soon, and a pointer kept past vfree() meets an unmapped page,
 * not somebody else's data.
 *
 * vfree() unmaps the pages, then has every CPU drop its TLB entries for
 * them (flush_tlb_kernel_range: an IPI it waits for), and only then gives
 * the pages back to the frame allocator and the range to the list. Until
 * every CPU has forgotten the old translation, one of them could still
 * read or write through it - into a page that by then belongs to someone
 * else. One flush serves every vfree() that unmapped before it began:
 * callers take turns (vmap_purge_lock, a mutex, so waiting sleeps), and
 * whoever's turn it is flushes all that was unmapped so far; the others
 * find their pages flushed already. (Linux goes further: it flushes
 * lazily, once 32 MiB or more are unmapped, so there a stale entry may
 * outlive vfree() for a while.) Waiting for other CPUs is not allowed in
 * an interrupt handler, so there vfree() only puts the area on a list,
 * and a work item frees it soon after, in process context (as Linux).
 *
 * The last freed areas are remembered (where, who allocated, who freed),
 * so that a page fault on a vmalloc address can say what was there: an
 * area's guard page, an area being freed, or one already freed.
 */
#include "kernel/debugobjects.h"
#include "kernel/mm.h"
#include "kernel/list.h"
#include "kernel/panic.h"
#include "kernel/ratelimit.h"
#include "kernel/string.h"
#include "kernel/workqueue.h"
#include "arch/x86/paging.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

enum vmap_state {
	VMAP_LIVE,		/* handed out by vmalloc() */
	VMAP_DEFERRED,		/* vfree()d in an interrupt, waiting for the worker */
	VMAP_FREEING,		/* being taken down: the range is still reserved */
};

struct vmap_area {
	struct list_head list;		/* in vmap_area_list, sorted by va_start */
	uintptr_t va_start, va_end;	/* [start, end): the pages, then the guard */
	unsigned long nr_pages;		/* pages mapped (and in pages[]) */
	void **pages;			/* each page's direct-map address */
	enum vmap_state state;
	const void *caller;		/* who called vmalloc() */
	const void *freed_by;		/* who called vfree() */
	struct vmap_area *next_deferred;
};

/* What a fault report needs of an area that is gone. */
struct freed_area {
	uintptr_t start, end;		/* end: its pages' end, without the guard */
	const void *caller, *freed_by;
};
#define FREED_HISTORY 64

static LIST_HEAD(vmap_area_list);
static uintptr_t vmap_next = VMALLOC_START;	/* where the next search starts */
static struct vmap_area *deferred;		/* vfree()d from interrupts */
static struct freed_area freed[FREED_HISTORY];	/* a ring, newest at freed_next - 1 */
static unsigned int freed_next;
static uintptr_t unflushed_start = ~0UL, unflushed_end;	/* unmapped since the last flush began */
static unsigned long flushes_started;
/* Guards all of the above. Taken with interrupts off: vfree() takes it
 * in interrupt handlers too. */
static DEFINE_SPINLOCK(vmap_area_lock);

static DEFINE_MUTEX(vmap_purge_lock);		/* one flusher at a time */
static unsigned long flushes_done;		/* under vmap_purge_lock */

static void vfree_deferred_work(struct work_struct *w);
static DECLARE_WORK(vfree_work, vfree_deferred_work);
static atomic_long_t nr_vmalloc_pages;		/* mapped in areas, all CPUs */

/* Linux's warn_alloc(): say why an allocation failed, unless asked not to. */
static void warn_alloc(gfp_t gfp, unsigned long size, const char *why)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&rs))
		return;
	pr_warn("%s: vmalloc error: size %lu, %s, mode:%#x\n",
		current ? current->comm : "?", size, why, gfp);
	dump_stack();
}

/* ---- the address ranges ---- */

/*
 * The lowest address in [from, to) where span bytes fit between the
 * areas, or 0. *before gets the list position the new area goes in front
 * of (the list head: at the end). Called with vmap_area_lock held.
 */
static uintptr_t find_gap(uintptr_t from, uintptr_t to, unsigned long span,
			  struct list_head **before)
{
	uintptr_t addr = from;
	struct vmap_area *va;

	list_for_each_entry(va, &vmap_area_list, list) {
		if (va->va_end <= addr)
			continue;		/* wholly below the candidate */
		if (va->va_start >= addr + span)
			break;			/* the gap before va is enough */
		addr = va->va_end;		/* in the way: try just above it */
	}
	if (addr + span > to)
		return 0;
	*before = &va->list;		/* the head itself when the loop ran out */
	return addr;
}

/* Reserve span bytes of addresses for va, next-fit. */
static bool reserve_range(struct vmap_area *va, unsigned long span)
{
	struct list_head *before = NULL;
	unsigned long flags;
	uintptr_t addr;

	spin_lock_irqsave(&vmap_area_lock, flags);
	addr = find_gap(vmap_next, VMALLOC_END + 1, span, &before);
	if (!addr)
		addr = find_gap(VMALLOC_START, VMALLOC_END + 1, span, &before);
	if (addr) {
		va->va_start = addr;
		va->va_end = addr + span;
		list_add_tail(&va->list, before);
		vmap_next = va->va_end;
	}
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	return addr != 0;
}

/* An area is gone: forget its range, remember it for fault reports. */
static void release_range(struct vmap_area *va)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_area_lock, flags);
	list_del(&va->list);
	freed[freed_next % FREED_HISTORY] = (struct freed_area){
		.start = va->va_start, .end = va->va_end - PAGE_SIZE,
		.caller = va->caller, .freed_by = va->freed_by };
	freed_next++;
	spin_unlock_irqrestore(&vmap_area_lock, flags);
}

/* ---- taking an area down ---- */

/*
 * Return once every CPU has dropped its TLB entries for [start, end),
 * just unmapped. What we need is a flush that begins after now: its
 * range (taken when it begins) then includes ours. Flushes are numbered;
 * if one with a number past the current count has finished by the time
 * our turn comes, it did the work.
 */
static void flush_unmapped(uintptr_t start, uintptr_t end)
{
	unsigned long flags, need;

	spin_lock_irqsave(&vmap_area_lock, flags);
	unflushed_start = MIN(unflushed_start, start);
	unflushed_end = MAX(unflushed_end, end);
	need = flushes_started + 1;
	spin_unlock_irqrestore(&vmap_area_lock, flags);

	mutex_lock(&vmap_purge_lock);
	if (flushes_done < need) {
		spin_lock_irqsave(&vmap_area_lock, flags);
		start = unflushed_start;
		end = unflushed_end;
		unflushed_start = ~0UL;
		unflushed_end = 0;
		unsigned long mine = ++flushes_started;
		spin_unlock_irqrestore(&vmap_area_lock, flags);
		flush_tlb_kernel_range(start, end);
		flushes_done = mine;
	}
	mutex_unlock(&vmap_purge_lock);
}

/*
 * Unmap, flush every CPU's TLB, and only then free the pages and the
 * range. Process context: the flush waits for all CPUs.
 */
static void free_area(struct vmap_area *va)
{
	uintptr_t end = va->va_start + va->nr_pages * PAGE_SIZE;

	for (uintptr_t a = va->va_start; a < end; a += PAGE_SIZE)
		unmap_page(a);		/* and this CPU's TLB entry */
	if (end > va->va_start)
		flush_unmapped(va->va_start, end);
	for (unsigned long i = 0; i < va->nr_pages; i++)
		free_page(va->pages[i]);
	atomic_long_sub((long)va->nr_pages, &nr_vmalloc_pages);
	release_range(va);
	kfree(va->pages);
	kfree(va);
}

/* The areas vfree() met in interrupt handlers, freed in process context. */
static void vfree_deferred_work(struct work_struct *w)
{
	struct vmap_area *list, *next;
	unsigned long flags;

	(void)w;
	spin_lock_irqsave(&vmap_area_lock, flags);
	list = deferred;
	deferred = NULL;
	for (struct vmap_area *va = list; va; va = va->next_deferred)
		va->state = VMAP_FREEING;
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	for (; list; list = next) {
		next = list->next_deferred;
		free_area(list);
	}
}

/*
 * The live area that starts at addr, now marked as being freed (so no
 * second vfree() can take it), or NULL with Linux's warning.
 */
static struct vmap_area *take_area(const void *addr, enum vmap_state state,
				   const void *freed_by)
{
	struct vmap_area *va, *found = NULL;
	unsigned long flags;

	if (WARN((uintptr_t)addr & (PAGE_SIZE - 1),
		 "Trying to vfree() bad address (%p)\n", addr))
		return NULL;
	spin_lock_irqsave(&vmap_area_lock, flags);
	list_for_each_entry(va, &vmap_area_list, list)
		if (va->va_start == (uintptr_t)addr && va->state == VMAP_LIVE) {
			found = va;
			found->state = state;
			found->freed_by = freed_by;
			break;
		}
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	WARN(!found, KERN_ERR "Trying to vfree() nonexistent vm area (%p)\n", addr);
	return found;
}

static void defer_free(struct vmap_area *va)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_area_lock, flags);
	va->next_deferred = deferred;
	deferred = va;
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	schedule_work(&vfree_work);
}

static void vfree_caller(const void *addr, const void *caller)
{
	BUG_ON(in_nmi());
	if (!in_interrupt())
		might_sleep();		/* Linux: might_sleep_if(!in_interrupt()) */
	if (!addr)
		return;
	/* Interrupts off in process context is already reported as a bug
	 * above; defer then too, rather than wait for IPIs with interrupts
	 * off (two CPUs doing that wait for each other forever). */
	bool later = in_interrupt() || irqs_disabled();
	struct vmap_area *va = take_area(addr, later ? VMAP_DEFERRED : VMAP_FREEING,
					 caller);
	if (!va)
		return;
	debug_check_no_obj_freed(addr, va->nr_pages * PAGE_SIZE);
	if (later)
		defer_free(va);
	else
		free_area(va);
}

void vfree(const void *addr)
{
	vfree_caller(addr, __builtin_return_address(0));
}

void vfree_atomic(const void *addr)
{
	BUG_ON(in_nmi());
	if (!addr)
		return;
	struct vmap_area *va = take_area(addr, VMAP_DEFERRED, __builtin_return_address(0));
	if (va)
		debug_check_no_obj_freed(addr, va->nr_pages * PAGE_SIZE);
	if (va)
		defer_free(va);
}

/* ---- allocating ---- */

static void *vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller)
{
	/* Linux's vmalloc may sleep whatever the flags (it takes mutexes
	 * and allocates with GFP_KERNEL underneath). */
	might_sleep();
	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > pmm_total_pages()) {
		warn_alloc(gfp, size, "exceeds total pages");
		return NULL;
	}
	unsigned long nr = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	struct vmap_area *va = kzalloc(sizeof(*va), GFP_KERNEL);
	void **pages = kmalloc_array(nr, sizeof(void *), GFP_KERNEL);
	if (!va || !pages || !reserve_range(va, (nr + 1) * PAGE_SIZE)) {
		warn_alloc(gfp, size, "vm_struct allocation failed");
		kfree(pages);
		kfree(va);
		return NULL;
	}
	va->pages = pages;
	va->caller = caller;
	/* One page at a time: any free frame will do. */
	for (unsigned long i = 0; i < nr; i++) {
		void *page = alloc_page();
		if (!page || map_page(va->va_start + i * PAGE_SIZE, virt_to_phys(page),
				      PAGE_KERNEL_RW) < 0) {
			if (page)
				free_page(page);
			warn_alloc(gfp, size, "failed to allocate pages");
			va->state = VMAP_FREEING;
			va->freed_by = caller;	/* for a report, should one come */
			free_area(va);		/* the i pages mapped so far */
			return NULL;
		}
		va->pages[i] = page;
		va->nr_pages = i + 1;
		atomic_long_inc(&nr_vmalloc_pages);
	}
	if (gfp & __GFP_ZERO)
		memset((void *)va->va_start, 0, nr * PAGE_SIZE);
	return (void *)va->va_start;
}

void *vmalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL | __GFP_ZERO, __builtin_return_address(0));
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return vmalloc_caller(size, gfp, __builtin_return_address(0));
}

void *__vmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;		/* n * size overflows */
	return vmalloc_caller(n * size, gfp, __builtin_return_address(0));
}

void *vmalloc_array(size_t n, size_t size)
{
	return __vmalloc_array(n, size, GFP_KERNEL);
}

void *__vcalloc(size_t n, size_t size, gfp_t gfp)
{
	return __vmalloc_array(n, size, gfp | __GFP_ZERO);
}

void *vcalloc(size_t n, size_t size)
{
	return __vmalloc_array(n, size, GFP_KERNEL | __GFP_ZERO);
}

/* ---- looking things up ---- */

/* Any mapped address, as Linux's (which walks the page tables too). */
struct page *vmalloc_to_page(const void *addr)
{
	phys_addr_t pa;

	if (!lookup_phys((uintptr_t)addr, &pa))
		return NULL;
	return pfn_to_page(pa >> PAGE_SHIFT);
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	return page_to_pfn(vmalloc_to_page(addr));
}

unsigned long vmalloc_nr_pages(void)
{
	return (unsigned long)atomic_long_read(&nr_vmalloc_pages);
}

static enum vmalloc_where where_in_areas(uintptr_t addr, struct vmalloc_fault_info *info)
{
	struct vmap_area *va;

	list_for_each_entry(va, &vmap_area_list, list) {
		if (addr < va->va_start || addr >= va->va_end)
			continue;
		uintptr_t pages_end = va->va_end - PAGE_SIZE;
		*info = (struct vmalloc_fault_info){ .start = va->va_start,
			.size = pages_end - va->va_start, .caller = va->caller,
			.freed_by = va->freed_by };
		if (va->state != VMAP_LIVE)
			return VMALLOC_FREEING;
		return addr >= pages_end ? VMALLOC_GUARD : VMALLOC_IN_AREA;
	}
	/* Newest first: a range reused since shows its latest owner. */
	for (unsigned int i = 1; i <= FREED_HISTORY && i <= freed_next; i++) {
		const struct freed_area *f = &freed[(freed_next - i) % FREED_HISTORY];
		if (addr >= f->start && addr < f->end + PAGE_SIZE) {
			*info = (struct vmalloc_fault_info){ .start = f->start,
				.size = f->end - f->start, .caller = f->caller,
				.freed_by = f->freed_by };
			return VMALLOC_FREED;
		}
	}
	return VMALLOC_UNUSED;
}

/*
 * For the page-fault report. The fault may come while another CPU holds
 * the lock (or, after a bug in this file, this one): try for a while,
 * then give up rather than hang the report.
 */
enum vmalloc_where vmalloc_fault_info(uintptr_t addr, struct vmalloc_fault_info *info)
{
	enum vmalloc_where where = VMALLOC_OUTSIDE;
	unsigned long flags;
	int tries = 1000000;

	if (!is_vmalloc_addr((void *)addr))
		return VMALLOC_OUTSIDE;
	local_irq_save(flags);
	while (!spin_trylock(&vmap_area_lock) && --tries)
		cpu_relax();
	if (tries) {
		where = where_in_areas(addr, info);
		spin_unlock(&vmap_area_lock);
	}
	local_irq_restore(flags);
	return where;
}

/* ---- kvmalloc (Linux's mm/util.c) ---- */

static void *kvmalloc_caller(size_t size, gfp_t gfp, const void *caller)
{
	gfp_t kmalloc_flags = gfp;
	void *p;

	/* A big kmalloc may fail quietly: vmalloc is the fallback. */
	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	p = kmalloc(size, kmalloc_flags);
	if (p || size <= PAGE_SIZE)
		return p;
	/* vmalloc may sleep: not for callers that must not. */
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	if (size > INT32_MAX) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	return vmalloc_caller(size, gfp, caller);
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	return kvmalloc_caller(size, gfp, __builtin_return_address(0));
}

void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree_caller(p, __builtin_return_address(0));
	else
		kfree(p);
}

/* Linux 6.1's: the old size is the caller's to give; never shrinks. */
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t gfp)
{
	void *n;

	if (oldsize >= newsize)
		return (void *)p;
	n = kvmalloc_caller(newsize, gfp, __builtin_return_address(0));
	if (!n)
		return NULL;
	memcpy(n, p, oldsize);
	kvfree(p);
	return n;
}

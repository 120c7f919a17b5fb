/*
 * gfp.h - "get free pages" flags: what an allocation may do to succeed.
 *
 *   p = kmalloc(sizeof(*p), GFP_KERNEL);   process context: may sleep
 *   p = kmalloc(sizeof(*p), GFP_ATOMIC);   holding a spinlock, in an
 *                                          interrupt: must not sleep
 *
 * Linux's flags and meanings. This kernel's allocators never actually
 * sleep (no reclaim, no swap), but GFP_KERNEL keeps its contract: it is
 * a promise that the caller may sleep, checked by might_sleep() ("BUG:
 * sleeping function called from invalid context"), so code that is wrong
 * on Linux is wrong here too. __GFP_ZERO zeroes the memory.
 */
#pragma once

typedef unsigned int gfp_t;

#define __GFP_DMA		0x01u
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NOFAIL		0x8000u
#define __GFP_NORETRY		0x10000u
#define __GFP_ACCOUNT		0x400000u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)

static inline int gfpflags_allow_blocking(gfp_t gfp)
{
	return (gfp & __GFP_DIRECT_RECLAIM) != 0;
}

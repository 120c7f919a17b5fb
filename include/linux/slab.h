/*
 * <linux/slab.h> - kmalloc and friends, with gfp flags; kvmalloc,
 * kvzalloc, kvcalloc, kvmalloc_array, kvrealloc and kvfree (kernel/mm.h:
 * kmalloc, or vmalloc when kmalloc cannot, as in Linux).
 */
#pragma once
#include <linux/types.h>
#include "kernel/mm.h"

#define kfree_sensitive(p) kfree(p)
#define kzfree(p) kfree(p)
#define kmalloc_node(size, gfp, node) kmalloc((size), (gfp))
#define kzalloc_node(size, gfp, node) kzalloc((size), (gfp))

/* A cache of same-size objects: a name and a size over kmalloc here. */
struct kmem_cache {
	const char *name;
	unsigned int size;
	void (*ctor)(void *);
};
#define SLAB_HWCACHE_ALIGN 0x2000u
#define SLAB_PANIC 0x40000u
#define SLAB_TYPESAFE_BY_RCU _Pragma("GCC error \"SLAB_TYPESAFE_BY_RCU: not kept by this kmem_cache (it frees at once)\"")
static inline struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
						   unsigned int align, unsigned int flags,
						   void (*ctor)(void *))
{
	struct kmem_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);

	(void)align; (void)flags;
	if (c) {
		c->name = name;
		c->size = size;
		c->ctor = ctor;
	}
	return c;
}
#define KMEM_CACHE(s, flags) kmem_cache_create(#s, sizeof(struct s), __alignof__(struct s), (flags), NULL)
static inline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *p = kmalloc(c->size, gfp);

	if (p && c->ctor)
		c->ctor(p);
	return p;
}
static inline void *kmem_cache_zalloc(struct kmem_cache *c, gfp_t gfp)
{
	return kmem_cache_alloc(c, gfp | __GFP_ZERO);
}
static inline void kmem_cache_free(struct kmem_cache *c, void *p)
{
	(void)c;
	kfree(p);
}
static inline void kmem_cache_destroy(struct kmem_cache *c)
{
	kfree(c);
}

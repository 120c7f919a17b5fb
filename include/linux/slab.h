/*
 * <linux/slab.h> - kmalloc and friends, with gfp flags.
 */
#pragma once
#include <linux/types.h>
#include "kernel/mm.h"

#define kvmalloc(size, gfp) kmalloc((size), (gfp))
#define kvzalloc(size, gfp) kzalloc((size), (gfp))
#define kvcalloc(n, size, gfp) kcalloc((n), (size), (gfp))
#define kvmalloc_array(n, size, gfp) kmalloc_array((n), (size), (gfp))
#define kvfree(p) kfree(p)
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

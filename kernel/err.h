/*
 * err.h - an error code inside a pointer, as Linux does it.
 *
 *   struct task_struct *t = kthread_run(fn, NULL, "worker");
 *   if (IS_ERR(t))
 *           return PTR_ERR(t);          // -ENOMEM, say
 *
 * The last page of the address space is never a valid object, so the
 * values -1 .. -MAX_ERRNO cast to a pointer can stand for -errno. A
 * function that returns ERR_PTR() never returns NULL: testing `!p` misses
 * every error.
 */
#pragma once
#include "kernel/compiler.h"

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

/* An error pointer of one type as another. */
static inline void *ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

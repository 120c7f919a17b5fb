/*
 * <linux/compiler.h> - compiler helpers and annotations.
 */
#pragma once
#include "kernel/compiler.h"
#include <linux/cache.h>

/* Sparse annotations: no meaning to the compiler, as in Linux. */
#define __rcu
#define __percpu
#define __iomem
#define __force
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __cond_lock(x, c) (c)
/* There is no user space: a __user pointer would be a lie. */
#define __user _Pragma("GCC error \"__user: smpkern has no user space\"")

#define __must_check	__attribute__((__warn_unused_result__))
#define __always_unused	__attribute__((__unused__))
#define __pure		__attribute__((__pure__))
#define __cold		__attribute__((__cold__))
#define noinline	__attribute__((__noinline__))
#define __weak		__attribute__((__weak__))
#define fallthrough	__attribute__((__fallthrough__))
#define unreachable()	__builtin_unreachable()
#define __read_mostly
#define __ro_after_init

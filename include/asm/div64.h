/*
 * <asm/div64.h> - do_div: divides n in place, returns the remainder.
 */
#pragma once
#include <linux/types.h>
#define do_div(n, base) ({ u32 __base = (base); u32 __rem = (u32)((n) % __base); \
			   (n) = (n) / __base; __rem; })

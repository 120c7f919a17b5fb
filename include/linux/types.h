/*
 * <linux/types.h> - the basic types Linux code uses, over the kernel's own.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/gfp.h"
#include "kernel/list.h"
#include "kernel/string.h"	/* ssize_t */
#include "sync/atomic.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as Linux's on every architecture:
					 * printed with %llu */
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef s8 __s8;
typedef s16 __s16;
typedef s32 __s32;
typedef s64 __s64;
typedef long long loff_t;
typedef unsigned long ulong;
typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char u_char;
typedef int pid_t;

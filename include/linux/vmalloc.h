/*
 * <linux/vmalloc.h> - vmalloc, vzalloc, vmalloc_array, vcalloc, vfree,
 * vfree_atomic, vmalloc_to_page/pfn, is_vmalloc_addr, VMALLOC_START/END
 * (contract in kernel/mm.h).
 */
#pragma once
#include <linux/types.h>
#include <linux/gfp.h>
#include <asm/page.h>
#include "kernel/mm.h"

/*
 * <linux/smp_lock.h> - the big kernel lock: lock_kernel(), unlock_kernel(),
 * kernel_locked(), as Linux had them until 2.6.38 (removed in 2.6.39).
 */
#pragma once
#include "sync/bkl.h"

/*
 * <linux/refcount.h> - reference counters.
 */
#pragma once
#include "sync/refcount.h"
#include "sync/dec_and_lock.h"

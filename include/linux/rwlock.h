/*
 * <linux/rwlock.h> - reader-writer spinlocks.
 */
#pragma once
#include "sync/rwlock.h"

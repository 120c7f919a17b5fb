/*
 * <linux/rwsem.h> - reader-writer semaphores.
 */
#pragma once
#include "sync/rwsem.h"

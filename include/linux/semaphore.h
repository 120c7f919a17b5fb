/*
 * <linux/semaphore.h> - semaphores.
 */
#pragma once
#include "sync/semaphore.h"

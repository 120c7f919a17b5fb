/*
 * <linux/mutex.h> - mutexes (and their guard(mutex)).
 */
#pragma once
#include "sync/mutex.h"
#include "sync/dec_and_lock.h"
#include <linux/cleanup.h>

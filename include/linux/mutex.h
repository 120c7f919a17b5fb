/*
 * <linux/mutex.h> - mutexes (and their guard(mutex)).
 */
#pragma once
#include "sync/mutex.h"
#include <linux/cleanup.h>

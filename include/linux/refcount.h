/*
 * <linux/refcount.h> - reference counters.
 */
#pragma once
#include "sync/refcount.h"

/*
 * <linux/kref.h> - kref.
 */
#pragma once
#include "sync/kref.h"

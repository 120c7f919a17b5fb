/*
 * <linux/string.h> - string functions.
 */
#pragma once
#include "kernel/string.h"
#include "kernel/mm.h"		/* kstrdup, kmemdup */

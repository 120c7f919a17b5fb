/*
 * <linux/stddef.h> - offsetof, NULL, true/false.
 */
#pragma once
#include "kernel/compiler.h"

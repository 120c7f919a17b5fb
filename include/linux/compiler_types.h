/*
 * <linux/compiler_types.h> - see <linux/compiler.h>.
 */
#pragma once
#include <linux/compiler.h>

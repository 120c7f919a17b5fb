/*
 * <linux/gfp.h> - allocation flags.
 */
#pragma once
#include "kernel/gfp.h"

/*
 * <asm/errno.h> - error numbers.
 */
#pragma once
#include "kernel/errno.h"

/*
 * <asm/irqflags.h> - see <linux/irqflags.h>.
 */
#pragma once
#include "arch/x86/irqflags.h"

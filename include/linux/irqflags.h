/*
 * <linux/irqflags.h> - interrupts on and off.
 */
#pragma once
#include "arch/x86/irqflags.h"

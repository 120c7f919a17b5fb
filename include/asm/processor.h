/*
 * <asm/processor.h> - cpu_relax().
 */
#pragma once
#include "arch/x86/cpu.h"

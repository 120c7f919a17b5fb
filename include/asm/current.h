/*
 * <asm/current.h> - current.
 */
#pragma once
#include "sched/sched.h"

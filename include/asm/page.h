/*
 * <asm/page.h> - PAGE_SIZE.
 */
#pragma once
#include "kernel/mm.h"

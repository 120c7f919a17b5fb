/*
 * <linux/list.h> - doubly linked lists.
 */
#pragma once
#include "kernel/list.h"

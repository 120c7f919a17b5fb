/*
 * <linux/llist.h> - lock-less lists.
 */
#pragma once
#include "sync/llist.h"

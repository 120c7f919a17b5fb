/*
 * <linux/rcupdate.h> - RCU.
 */
#pragma once
#include "sync/rcu.h"
#include <linux/cleanup.h>
#include <linux/lockdep.h>

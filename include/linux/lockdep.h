/*
 * <linux/lockdep.h> - the lock validator's annotations.
 */
#pragma once
#include "sync/lockdep.h"

/* For rcu_dereference_protected() and friends: true when this CPU or task
 * holds the lock - or when lockdep is off and cannot tell (as in Linux). */
#define lockdep_is_held(l) (lock_is_held(&(l)->dep_map) != 0)

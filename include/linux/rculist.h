/*
 * <linux/rculist.h> - RCU-protected lists.
 */
#pragma once
#include "sync/rculist.h"

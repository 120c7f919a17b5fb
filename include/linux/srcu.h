/*
 * <linux/srcu.h> - sleepable RCU (sync/srcu.h states the contract).
 */
#pragma once
#include "sync/srcu.h"
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>

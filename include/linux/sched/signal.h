/*
 * <linux/sched/signal.h> - signals: there are none here (no user space), as for a kernel thread.
 */
#pragma once
#include "sched/sched.h"
#define allow_signal(sig) _Pragma("GCC error \"allow_signal: smpkern has no signals; a kernel thread there never sees one\"")
#define send_sig(...) _Pragma("GCC error \"send_sig: smpkern has no signals\"")

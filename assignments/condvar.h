/*
 * condvar.h - condition variables, used with a mutex.
 * [Assignment: docs/assignments/04-condition-variable.md]
 *
 *   mutex_lock(&m);
 *   while (!ready)
 *           cond_wait(&cv, &m);   // sleeps with m released, retakes it
 *   ... use the state ...
 *   mutex_unlock(&m);
 *
 *   mutex_lock(&m); ready = true; cond_signal(&cv); mutex_unlock(&m);
 *
 * Contract:
 *  - cond_wait() must be called with the mutex held; it atomically (with
 *    respect to cond_signal/cond_broadcast) releases the mutex and sleeps,
 *    and returns with the mutex held again. It may return spuriously:
 *    always wait in a loop on the predicate.
 *  - cond_signal() wakes at least one waiter if there is any;
 *    cond_broadcast() wakes all. Neither needs the mutex, but signalling
 *    with it held is the simplest correct habit.
 *  - No lost wake-up: a signal sent after a waiter released the mutex in
 *    cond_wait() always reaches it.
 *  - cond_wait() sleeps: process context only.
 */
#pragma once
#include "sched/wait.h"
#include "sync/mutex.h"

struct condvar {
	wait_queue_head_t wq;
};

void cond_init(struct condvar *cv);
void cond_wait(struct condvar *cv, struct mutex *m);
void cond_signal(struct condvar *cv);
void cond_broadcast(struct condvar *cv);

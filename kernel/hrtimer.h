/*
 * hrtimer.h - high-resolution timers, with Linux's API (6.1).
 *
 * A timer_list (kernel/timer.h) expires on a tick, in jiffies; an hrtimer
 * expires at a time in nanoseconds on the monotonic clock (ktime_get()),
 * and each CPU's local APIC timer is programmed for exactly the nearest
 * one, so it fires within microseconds of its time, not at the next tick.
 *
 *   static struct hrtimer t;
 *   static enum hrtimer_restart fn(struct hrtimer *t)
 *   {
 *           ...                                 hard irq, interrupts off
 *           hrtimer_forward_now(t, ms_to_ktime(1));
 *           return HRTIMER_RESTART;             again in 1 ms
 *   }
 *   hrtimer_init(&t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
 *   t.function = fn;
 *   hrtimer_start(&t, us_to_ktime(100), HRTIMER_MODE_REL);   in 100 us
 *   ...
 *   hrtimer_cancel(&t);             neither queued nor running afterwards
 *
 * Contract (Linux's):
 *  - Times are ktime_t nanoseconds. HRTIMER_MODE_ABS: `tim` is a time of
 *    ktime_get(); HRTIMER_MODE_REL: from now. The callback never runs
 *    before its expiry time (as ktime_get() reads it on the CPU that runs
 *    it), and runs as soon after as the interrupt can be taken.
 *    hrtimer_start_range_ns(t, tim, delta, mode) lets it run anywhere in
 *    [tim, tim + delta] (it runs with the first timer after tim that
 *    falls due).
 *  - The callback runs in HARD-IRQ context: in_hardirq() is true,
 *    interrupts are off, it must not sleep nor take a lock that is taken
 *    elsewhere with interrupts on. It runs on the CPU whose queue holds
 *    the timer: the CPU that last called hrtimer_start() on it - unless
 *    its callback was running at that moment, then it stays on the CPU
 *    running the callback (see hrtimer_cancel below for why). _PINNED
 *    modes mean the same here (there is no idle CPU to migrate to).
 *  - Returning HRTIMER_RESTART re-queues it for its (new) expiry time:
 *    move that first with hrtimer_forward()/hrtimer_forward_now(), which
 *    add whole intervals until the expiry is after `now` and return how
 *    many they added (1 when on time; more when periods were missed: the
 *    overruns). Returning HRTIMER_NORESTART leaves it idle, unless the
 *    callback itself called hrtimer_start().
 *  - hrtimer_try_to_cancel(): 1 if it was queued (now it is not), 0 if it
 *    was idle, -1 if its callback is running right now (nothing done).
 *    hrtimer_cancel(): the same but waits out a running callback, so when
 *    it returns (1 or 0) the timer is neither queued nor running - even
 *    if the callback re-armed itself meanwhile. Never call it from the
 *    timer's own callback (it would wait for itself: reported), nor
 *    holding a lock the callback takes. This is why a running timer is
 *    never moved to another CPU: "running" is recorded in its CPU's
 *    queue, and a move would hide it from hrtimer_cancel().
 *  - hrtimer_active(): queued or running; hrtimer_is_queued();
 *    hrtimer_callback_running(). All functions may be called from any
 *    context (a hard irq included), except hrtimer_cancel() as above.
 *  - CLOCK_MONOTONIC and CLOCK_BOOTTIME are the same clock here (nothing
 *    suspends). CLOCK_REALTIME and CLOCK_TAI do not exist (no wall clock)
 *    and HRTIMER_MODE_*_SOFT (callback in the HRTIMER_SOFTIRQ) is not
 *    implemented: both fail to build, saying so (<linux/hrtimer.h>).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "kernel/time.h"

typedef int clockid_t;
#define CLOCK_MONOTONIC 1	/* Linux's numbers */
#define CLOCK_BOOTTIME  7

enum hrtimer_restart {
	HRTIMER_NORESTART,	/* leave the timer idle */
	HRTIMER_RESTART,	/* queue it again, for its expiry time */
};

/* Linux's values; the _SOFT ones (0x04) are missing on purpose. */
enum hrtimer_mode {
	HRTIMER_MODE_ABS = 0x00,
	HRTIMER_MODE_REL = 0x01,
	HRTIMER_MODE_PINNED = 0x02,
	HRTIMER_MODE_HARD = 0x08,	/* hard irq: what every timer does here */
	HRTIMER_MODE_ABS_PINNED = HRTIMER_MODE_ABS | HRTIMER_MODE_PINNED,
	HRTIMER_MODE_REL_PINNED = HRTIMER_MODE_REL | HRTIMER_MODE_PINNED,
	HRTIMER_MODE_ABS_HARD = HRTIMER_MODE_ABS | HRTIMER_MODE_HARD,
	HRTIMER_MODE_REL_HARD = HRTIMER_MODE_REL | HRTIMER_MODE_HARD,
	HRTIMER_MODE_ABS_PINNED_HARD = HRTIMER_MODE_ABS_PINNED | HRTIMER_MODE_HARD,
	HRTIMER_MODE_REL_PINNED_HARD = HRTIMER_MODE_REL_PINNED | HRTIMER_MODE_HARD,
};

#define HRTIMER_STATE_INACTIVE 0x00
#define HRTIMER_STATE_ENQUEUED 0x01

struct hrtimer_cpu_base;

struct hrtimer {
	struct list_head node;		/* on its CPU's queue while queued */
	ktime_t expires;		/* latest time to run (tim + delta) */
	ktime_t _softexpires;		/* earliest time to run (tim) */
	enum hrtimer_restart (*function)(struct hrtimer *);
	struct hrtimer_cpu_base *base;	/* whose queue; never NULL after init */
	uint8_t state;			/* HRTIMER_STATE_* */
	uint8_t is_rel;			/* last started with HRTIMER_MODE_REL */
	uint8_t is_soft;			/* always 0 here */
	uint8_t is_hard;			/* always 1 here */
};

/* The timers can be told apart down to 1 ns (Linux's high-res value). */
extern const unsigned int hrtimer_resolution;

void hrtimer_init(struct hrtimer *timer, clockid_t clock_id, enum hrtimer_mode mode);
/* Newer Linux's one-call form: init and set the callback. */
void hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*function)(struct hrtimer *),
		   clockid_t clock_id, enum hrtimer_mode mode);
#define hrtimer_init_on_stack(t, c, m) hrtimer_init((t), (c), (m))
#define destroy_hrtimer_on_stack(t) do { (void)(t); } while (0)

void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, unsigned long long range_ns,
			    enum hrtimer_mode mode);
static inline void hrtimer_start(struct hrtimer *timer, ktime_t tim, enum hrtimer_mode mode)
{
	hrtimer_start_range_ns(timer, tim, 0, mode);
}
/* Start with the expiry already set (hrtimer_set_expires...). */
static inline void hrtimer_start_expires(struct hrtimer *timer, enum hrtimer_mode mode)
{
	hrtimer_start_range_ns(timer, timer->_softexpires,
			       (unsigned long long)(timer->expires - timer->_softexpires), mode);
}
static inline void hrtimer_restart(struct hrtimer *timer)
{
	hrtimer_start_expires(timer, HRTIMER_MODE_ABS);
}

int hrtimer_try_to_cancel(struct hrtimer *timer);
int hrtimer_cancel(struct hrtimer *timer);

unsigned long long hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval);
unsigned long long hrtimer_forward_now(struct hrtimer *timer, ktime_t interval);

bool hrtimer_active(const struct hrtimer *timer);
bool hrtimer_callback_running(const struct hrtimer *timer);
static inline bool hrtimer_is_queued(const struct hrtimer *timer)
{
	return READ_ONCE(timer->state) & HRTIMER_STATE_ENQUEUED;
}

/* The expiry, and setting it while the timer is not queued (for the
 * callback, before HRTIMER_RESTART, or before hrtimer_start_expires()). */
static inline ktime_t hrtimer_get_expires(const struct hrtimer *timer)
{
	return timer->expires;
}
static inline ktime_t hrtimer_get_softexpires(const struct hrtimer *timer)
{
	return timer->_softexpires;
}
static inline long long hrtimer_get_expires_ns(const struct hrtimer *timer)
{
	return timer->expires;
}
static inline void hrtimer_set_expires(struct hrtimer *timer, ktime_t time)
{
	timer->expires = time;
	timer->_softexpires = time;
}
static inline void hrtimer_set_expires_range_ns(struct hrtimer *timer, ktime_t time,
						unsigned long long delta)
{
	timer->_softexpires = time;
	timer->expires = time + (ktime_t)delta;
}
static inline void hrtimer_add_expires_ns(struct hrtimer *timer, unsigned long long ns)
{
	timer->expires += (ktime_t)ns;
	timer->_softexpires += (ktime_t)ns;
}
static inline void hrtimer_add_expires(struct hrtimer *timer, ktime_t time)
{
	hrtimer_add_expires_ns(timer, (unsigned long long)time);
}

/* The clock the timer runs on, read now. */
static inline ktime_t hrtimer_cb_get_time(const struct hrtimer *timer)
{
	(void)timer;
	return (ktime_t)ktime_get_ns();
}
static inline ktime_t hrtimer_expires_remaining(const struct hrtimer *timer)
{
	return timer->expires - hrtimer_cb_get_time(timer);
}
/* Time left until the expiry (negative once it has passed). */
static inline ktime_t hrtimer_get_remaining(const struct hrtimer *timer)
{
	return hrtimer_expires_remaining(timer);
}

/* kernel/: start this CPU's queue and its APIC timer (timer_start_cpu). */
void hrtimers_init_cpu(void);
/* For hung-test reports: each CPU's queued hrtimers. */
void hrtimer_print_pending(void);

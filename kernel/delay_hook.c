/*
 * delay_hook.c - the delay of an open hook (delay_hook.h): busy-wait, so
 * that it may sit anywhere, spinlocks held and interrupts off included.
 */
#include "kernel/delay_hook.h"
#include "kernel/time.h"
#include "sync/barrier.h"

void __delay_hook(struct delay_hook *h, const void *obj)
{
	unsigned int us = READ_ONCE(h->us);
	const void *match = READ_ONCE(h->match);

	if (!us || (match && match != obj))
		return;
	WRITE_ONCE(h->last, obj);
	atomic_inc(&h->hits);
	udelay(us);
}

void delay_hook_set(struct delay_hook *h, unsigned int us, const void *match)
{
	WRITE_ONCE(h->us, 0);
	WRITE_ONCE(h->match, match);
	atomic_set(&h->hits, 0);
	if (us)
		WRITE_ONCE(h->last, NULL);
	smp_store_release(&h->us, us);
}

int delay_hook_hits(struct delay_hook *h)
{
	return atomic_read(&h->hits);
}

const void *delay_hook_last(struct delay_hook *h)
{
	return READ_ONCE(h->last);
}

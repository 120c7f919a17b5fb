/*
 * osq_lock.c - the optimistic spin queue (contract in osq_lock.h).
 *
 * An MCS queue. q->tail names the last node by its CPU (number + 1, so
 * that 0 means empty and a node is found from its CPU). To join: one xchg
 * on the tail, then link ourselves behind the old tail and spin on our own
 * node's `locked`, which our predecessor sets when it leaves the head.
 *
 * Leaving from the middle (need_resched() while queued) takes three
 * steps; each may race with a neighbour leaving too, or handing over:
 *  A. Cut the link to us: cmpxchg(prev->next, us -> NULL). From then on
 *     prev cannot hand over to us. If the cmpxchg fails, either prev took
 *     that link to hand over (wait for `locked`: we are the head after
 *     all), or prev is leaving and will give us a new prev (look again).
 *  B. Find who comes after us: if we are the tail, move the tail back to
 *     prev and we are done; else a successor has linked itself to us, or
 *     is about to: wait for the link and take it.
 *  C. Link prev and that successor: next->prev first, so that if next
 *     leaves too, it finds its new predecessor; then prev->next (prev may
 *     be waiting for it in its own step B, or to hand over).
 * osq_unlock() is the head's step B: hand over to our successor, or empty
 * the queue if nobody came after us.
 */
#include "sync/osq_lock.h"
#include "sync/barrier.h"
#include "sync/percpu.h"
#include "sched/preempt.h"
#include "arch/x86/cpu.h"

struct osq_node {
	struct osq_node *next, *prev;
	int locked;	/* set by our predecessor: we are the head */
	int cpu;	/* our CPU number + 1: our name in q->tail */
};

static DEFINE_PER_CPU(struct osq_node, osq_node);

static struct osq_node *node_of(int tail_val)
{
	return per_cpu_ptr(&osq_node, tail_val - 1);
}

/*
 * Step B: if we are the tail, set the tail to `prev_val` and return NULL;
 * else return our successor once it has linked itself to us, taking the
 * link. (Between a successor's xchg on the tail and its write of our
 * `next`, neither is true yet: we wait a moment. The xchg on `next` may
 * find NULL: the successor was leaving and cut the link in its step A.)
 */
static struct osq_node *osq_wait_next(struct optimistic_spin_queue *q,
				      struct osq_node *node, int prev_val)
{
	for (;;) {
		if (atomic_read(&q->tail) == node->cpu &&
		    atomic_cmpxchg(&q->tail, node->cpu, prev_val) == node->cpu)
			return NULL;
		if (READ_ONCE(node->next)) {
			struct osq_node *next = xchg(&node->next, NULL);
			if (next)
				return next;
		}
		cpu_relax();
	}
}

bool osq_lock(struct optimistic_spin_queue *q)
{
	struct osq_node *node = this_cpu_ptr(&osq_node), *prev, *next;

	/* Marked: a CPU that queued behind this node in an earlier round
	 * may still read its next in step A, with a stale prev (Linux
	 * annotates that read as a data race; KCSAN found it here). */
	WRITE_ONCE(node->locked, 0);
	WRITE_ONCE(node->next, NULL);
	node->cpu = smp_processor_id() + 1;
	/* The xchg is a full barrier: the node is ready before the tail
	 * names it. */
	int old = atomic_xchg(&q->tail, node->cpu);
	if (old == OSQ_UNLOCKED_VAL)
		return true;		/* the queue was empty: we are the head */
	prev = node_of(old);
	/* node->prev before prev->next: once prev can see us it may leave
	 * and set our prev (its step C), which ours must not overwrite. */
	WRITE_ONCE(node->prev, prev);
	smp_wmb();
	WRITE_ONCE(prev->next, node);

	while (!smp_load_acquire(&node->locked)) {
		if (need_resched())
			goto leave;
		cpu_relax();
	}
	return true;

leave:
	/* A */
	for (;;) {
		if (READ_ONCE(prev->next) == node && cmpxchg(&prev->next, node, NULL) == node)
			break;
		if (smp_load_acquire(&node->locked))
			return true;	/* handed over meanwhile */
		cpu_relax();
		prev = READ_ONCE(node->prev);
	}
	/* B */
	next = osq_wait_next(q, node, prev->cpu);
	if (!next)
		return false;
	/* C */
	WRITE_ONCE(next->prev, prev);
	smp_wmb();
	WRITE_ONCE(prev->next, next);
	return false;
}

void osq_unlock(struct optimistic_spin_queue *q)
{
	struct osq_node *node = this_cpu_ptr(&osq_node), *next;

	if (atomic_cmpxchg(&q->tail, node->cpu, OSQ_UNLOCKED_VAL) == node->cpu)
		return;			/* nobody behind us */
	next = xchg(&node->next, NULL);
	if (!next)
		next = osq_wait_next(q, node, OSQ_UNLOCKED_VAL);
	if (next)
		smp_store_release(&next->locked, 1);
}

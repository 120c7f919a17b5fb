/*
 * rcu_types.h - struct rcu_head alone, for structures that embed one
 * without needing the rest of rcu.h (struct task_struct: sched/sched.h, which
 * rcu.h itself includes). See rcu.h for call_rcu().
 */
#pragma once

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
	unsigned long gp;		/* grace period number it waits for */
};
typedef void (*rcu_callback_t)(struct rcu_head *head);

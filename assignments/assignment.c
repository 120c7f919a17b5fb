/*
 * assignment.c - remember which assignment stubs have run (see
 * assignment.h). A short fixed table: there are only a few assignments.
 */
#include "assignments/assignment.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "sync/spinlock.h"

#define MAX_MISSING 16
static const char *missing[MAX_MISSING];
static int nr_missing;
static DEFINE_SPINLOCK(missing_lock);

void assignment_not_implemented(const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&missing_lock, flags);
	for (int i = 0; i < nr_missing; i++)
		if (strcmp(missing[i], name) == 0)
			goto out;
	if (nr_missing < MAX_MISSING) {
		missing[nr_missing++] = name;
		printk(KERN_WARNING "assignment %s: not implemented\n", name);
	}
out:
	spin_unlock_irqrestore(&missing_lock, flags);
}

bool assignment_missing(const char *name)
{
	for (int i = 0; i < READ_ONCE(nr_missing); i++)
		if (strcmp(missing[i], name) == 0)
			return true;
	return false;
}

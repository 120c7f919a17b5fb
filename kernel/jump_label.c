/*
 * jump_label.c - static keys (contract in jump_label.h): find the sites
 * of a key in the __jump_table section and have the arch rewrite them.
 *
 * The linker gathers every site of every key into one table (modules
 * are built in, so there is only one). A key's change takes the table's
 * mutex, so two changes never rewrite text at once.
 */
#include "kernel/jump_label.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "sched/sched.h"
#include "sync/mutex.h"

extern struct jump_entry __start___jump_table[], __stop___jump_table[];

static DEFINE_MUTEX(jump_label_mutex);

static void update(struct static_key *key, int enabled)
{
	static struct jump_entry *sites[1024];	/* under the mutex */
	int n = 0;

	might_sleep();
	mutex_lock(&jump_label_mutex);
	if (READ_ONCE(key->enabled) == enabled) {
		mutex_unlock(&jump_label_mutex);
		return;
	}
	for (struct jump_entry *e = __start___jump_table; e < __stop___jump_table; e++) {
		if (e->key != key)
			continue;
		if (n == (int)ARRAY_SIZE(sites))
			panic("jump_label: over %d sites for one key", n);
		sites[n++] = e;
	}
	/* Enabling: the value first, then the jumps, so that a site that
	 * jumps finds the key on; disabling: the NOPs first. */
	if (enabled)
		WRITE_ONCE(key->enabled, 1);
	arch_jump_label_transform(sites, n, enabled);
	if (!enabled)
		WRITE_ONCE(key->enabled, 0);
	mutex_unlock(&jump_label_mutex);
}

void static_key_enable(struct static_key *key)
{
	update(key, 1);
}

void static_key_disable(struct static_key *key)
{
	update(key, 0);
}

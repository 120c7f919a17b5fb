// SPDX-License-Identifier: GPL-2.0
/*
 * kref_doc.c - the first example of Documentation/core-api/kref.rst, as
 * written there ('.' lines are the document's own "do stuff" elisions),
 * with one change a compiler demands: more_data_handling() returns int,
 * the type kthread_run() takes (the document's returns void).
 *
 * The harness runs my_data_handler() many times from threads on every
 * CPU. Invariant: every my_data is released exactly once - data_release
 * counts, and the test that loads this module checks the heap is back to
 * where it was (a second kfree would panic, a missing one would leak).
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/kref.h>
#include <linux/slab.h>
#include <linux/completion.h>
#include <linux/atomic.h>

static atomic_t released, handled;

/* ---- from Documentation/core-api/kref.rst ---- */
struct my_data
{
	/* . */
	/* . */
	struct kref refcount;
	/* . */
	/* . */
};

void data_release(struct kref *ref)
{
	struct my_data *data = container_of(ref, struct my_data, refcount);
	atomic_inc(&released);
	kfree(data);
}

int more_data_handling(void *cb_data)
{
	struct my_data *data = cb_data;
	/* . */
	/* . do stuff with data here */
	atomic_inc(&handled);
	/* . */
	kref_put(&data->refcount, data_release);
	return 0;
}

int my_data_handler(void)
{
	int rv = 0;
	struct my_data *data;
	struct task_struct *task;
	data = kmalloc(sizeof(*data), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	kref_init(&data->refcount);

	kref_get(&data->refcount);
	task = kthread_run(more_data_handling, data, "more_data_handling");
	if (task == ERR_PTR(-ENOMEM)) {
		rv = -ENOMEM;
		kref_put(&data->refcount, data_release);
		goto out;
	}

	/* . */
	/* . do stuff with data here */
	/* . */
 out:
	kref_put(&data->refcount, data_release);
	return rv;
}
/* ---- end of the documentation's code ---- */

#define CALLS 100

static atomic_t left;
static DECLARE_COMPLETION(all_done);

static int caller(void *arg)
{
	(void)arg;
	for (int i = 0; i < CALLS; i++)
		my_data_handler();
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init kref_doc_init(void)
{
	int n = num_online_cpus();

	atomic_set(&released, 0);
	atomic_set(&handled, 0);
	atomic_set(&left, n);
	reinit_completion(&all_done);
	for (int i = 0; i < n; i++)
		if (IS_ERR(kthread_run(caller, NULL, "kref_doc%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	/* The last more_data_handling threads may still be putting. */
	for (int t = 0; t < 5000 && atomic_read(&released) < n * CALLS; t++)
		msleep(1);
	pr_info("kref_doc: %d objects, %d handled, %d released\n", n * CALLS,
		atomic_read(&handled), atomic_read(&released));
	return atomic_read(&released) == n * CALLS && atomic_read(&handled) == n * CALLS
	       ? 0 : -EINVAL;
}

static void __exit kref_doc_exit(void)
{
}

module_init(kref_doc_init);
module_exit(kref_doc_exit);
MODULE_LICENSE("GPL");

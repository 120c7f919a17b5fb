#pragma once
/*
 * errno.h - error numbers.
 *
 * The values match Linux so they read familiarly in logs and tests.
 * Kernel functions return them negated (e.g. return -EINVAL), leaving
 * 0 and positive values free for success results.
 */

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file or directory */
#define E2BIG		7	/* argument list too long (strscpy: cut short) */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted */
#define EIO		5	/* I/O error */
#define EAGAIN		11	/* try again */
#define EWOULDBLOCK	EAGAIN	/* Linux: the same number */
#define ENXIO		6
#define ENOMEM		12	/* out of memory */
#define EBUSY		16	/* device or resource busy */
#define EEXIST		17	/* already exists */
#define EINVAL		22	/* invalid argument */
#define ERANGE		34	/* result out of range */
#define ENOSYS		38	/* function not implemented */
#define ETIME		62	/* timer expired (down_timeout) */
#define ETIMEDOUT	110	/* timed out */
#define EFAULT		14	/* bad address */
#define ENODEV		19	/* no such device */
#define ENOSPC		28	/* no space left */
#define EDEADLK		35	/* resource deadlock would occur */
#define ENOTEMPTY	39	/* not empty */
#define EOVERFLOW	75	/* value too large */
#define EOPNOTSUPP	95	/* operation not supported */
#define EALREADY	114	/* already in progress */
#define EINPROGRESS	115	/* in progress */
#define ECANCELED	125	/* cancelled */
/* Kernel-internal, never seen by user space (as in Linux). */
#define ERESTARTSYS	512	/* a signal (kthread_stop()) interrupted a wait */
#define ENOTSUPP	524	/* not supported */

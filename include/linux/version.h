/*
 * <linux/version.h> - which Linux the API here follows: 6.1, the kernel
 * `make bench-linux` boots (Debian 12's). Course code that checks
 *
 *   #if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
 *
 * takes the branch it would take on Linux 6.1.
 */
#pragma once
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_MAJOR	6
#define LINUX_VERSION_PATCHLEVEL	1
#define LINUX_VERSION_SUBLEVEL	0
#define LINUX_VERSION_CODE	KERNEL_VERSION(6, 1, 0)

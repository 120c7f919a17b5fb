/*
 * <linux/uaccess.h> - not here: smpkern has no user space.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/uaccess.h>: smpkern has no user space: copy_to_user()/copy_from_user() have no user memory to copy"

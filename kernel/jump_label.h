/*
 * jump_label.h - static keys: a condition that is almost always false,
 * tested at the cost of a no-op, as Linux's <linux/jump_label.h>.
 *
 *   DEFINE_STATIC_KEY_FALSE(lockstat_key);      false at boot
 *   if (static_branch_unlikely(&lockstat_key))  a NOP while false
 *           slow_path();
 *   static_branch_enable(&lockstat_key);        rewrite every site
 *   static_branch_disable(&lockstat_key);
 *   static_key_enabled(&lockstat_key)           its value, read
 *
 * Use one where a feature that is usually off (statistics, tracing) sits
 * on a hot path: a plain `if (flag)` is a load and a branch at every
 * pass, which shows under QEMU's TCG as several ns per lock operation.
 *
 * Contract: static_branch_unlikely() may be used anywhere (it is an
 * instruction); enabling and disabling rewrite kernel text under
 * stop_machine() (kernel/stop_machine.h: every CPU stopped where it
 * schedules), so they may sleep: process context only, never with a
 * spinlock held. The change is visible on every CPU when they
 * return. Keys are not counted: enable twice, disable once, and it is
 * off (as Linux's static_branch_enable/disable).
 * Only keys that start false exist here: DEFINE_STATIC_KEY_TRUE fails to
 * build. static_branch_likely() on a false key means what it means in
 * Linux (the key's value); only the code layout differs there.
 */
#pragma once
#include "kernel/compiler.h"
#include "arch/x86/jump_label.h"

struct static_key {
	int enabled;
};
struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_FALSE_INIT { .key = { .enabled = 0 } }
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = STATIC_KEY_FALSE_INIT
#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name
#define DEFINE_STATIC_KEY_TRUE(name) \
	_Static_assert(0, "DEFINE_STATIC_KEY_TRUE: smpkern's static keys start false " \
		       "(DEFINE_STATIC_KEY_FALSE, then static_branch_enable at init)")
#define DECLARE_STATIC_KEY_TRUE(name) DEFINE_STATIC_KEY_TRUE(name)

#define static_branch_unlikely(x) arch_static_branch(&(x)->key)
#define static_branch_likely(x) arch_static_branch(&(x)->key)
#define static_key_enabled(x) (READ_ONCE((x)->key.enabled) != 0)

void static_key_enable(struct static_key *key);
void static_key_disable(struct static_key *key);
#define static_branch_enable(x) static_key_enable(&(x)->key)
#define static_branch_disable(x) static_key_disable(&(x)->key)

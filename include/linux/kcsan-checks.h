/*
 * <linux/kcsan-checks.h> - KCSAN's assertions and explicit checks
 * (kernel/kcsan.h): ASSERT_EXCLUSIVE_WRITER(), ASSERT_EXCLUSIVE_ACCESS(),
 * kcsan_check_read()... Checked in KCSAN=1 builds, nothing otherwise.
 */
#pragma once
#include "kernel/kcsan.h"

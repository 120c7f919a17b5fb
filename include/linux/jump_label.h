/*
 * <linux/jump_label.h> - static keys: DEFINE_STATIC_KEY_FALSE,
 * static_branch_unlikely/likely, static_branch_enable/disable,
 * static_key_enabled (kernel/jump_label.h says what differs).
 */
#pragma once
#include "kernel/jump_label.h"

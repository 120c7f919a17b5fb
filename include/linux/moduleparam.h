/*
 * <linux/moduleparam.h> - module parameters.
 */
#pragma once
#include "kernel/module.h"

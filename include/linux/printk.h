/*
 * <linux/printk.h> - printk and pr_*.
 */
#pragma once
#include "kernel/printk.h"
#include "kernel/ratelimit.h"

/* Each printk is one whole line here: continuing a line is not possible. */
#define KERN_CONT _Pragma("GCC error \"KERN_CONT: smpkern prints whole lines only: build the line with scnprintf() first\"")
#define pr_cont(...) KERN_CONT
#define pr_fmt(fmt) fmt
#define pr_warning(...) pr_warn(__VA_ARGS__)
#define pr_info_once(...) ({ static bool __p; if (!__p) { __p = true; pr_info(__VA_ARGS__); } })
#define pr_warn_once(...) ({ static bool __p; if (!__p) { __p = true; pr_warn(__VA_ARGS__); } })
#define pr_err_once(...) ({ static bool __p; if (!__p) { __p = true; pr_err(__VA_ARGS__); } })
#define pr_warn_ratelimited(...) ({ if (printk_ratelimit()) pr_warn(__VA_ARGS__); })
#define pr_err_ratelimited(...) ({ if (printk_ratelimit()) pr_err(__VA_ARGS__); })
#define pr_info_ratelimited(...) ({ if (printk_ratelimit()) pr_info(__VA_ARGS__); })
#define no_printk(...) 0

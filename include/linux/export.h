/*
 * <linux/export.h> - EXPORT_SYMBOL: everything is one image here, so a no-op.
 */
#pragma once
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

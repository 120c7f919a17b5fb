/*
 * <linux/seqlock.h> - seqcounts and seqlocks.
 */
#pragma once
#include "sync/seqlock.h"

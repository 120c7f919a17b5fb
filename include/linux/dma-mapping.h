/*
 * <linux/dma-mapping.h> - not here: smpkern has no DMA.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/dma-mapping.h>: smpkern has no DMA (no devices for modules)"

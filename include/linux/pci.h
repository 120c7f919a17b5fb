/*
 * <linux/pci.h> - not here: smpkern has no PCI drivers.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/pci.h>: smpkern has no PCI drivers (no device interrupts or BARs for modules)"

/*
 * ksyms.c - look up addresses in the embedded symbol table.
 * The table is sorted by address (nm -n), so a binary search finds the
 * last symbol at or below an address; the next symbol bounds its size.
 */
#include "kernel/ksyms.h"
#include "kernel/vsprintf.h"
#include "kernel/string.h"

struct ksym {
	uint64_t addr;
	uint32_t name;		/* offset into ksym_names */
	uint32_t pad;
};

extern const struct ksym ksym_table[];
extern const uint64_t ksym_count;
extern const char ksym_names[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size)
{
	uint64_t lo = 0, hi = ksym_count;

	if (ksym_count == 0 || addr < ksym_table[0].addr)
		return NULL;
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 >= ksym_count)
		return NULL;	/* past the last symbol: not in the text */
	*offset = addr - ksym_table[lo].addr;
	*size = ksym_table[lo + 1].addr - ksym_table[lo].addr;
	return ksym_names + ksym_table[lo].name;
}

void ksym_format(char *buf, size_t len, uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = ksym_lookup(addr, &off, &size);

	if (name)
		snprintf(buf, len, "%s+%#lx/%#lx", name, (unsigned long)off,
			 (unsigned long)size);
	else
		snprintf(buf, len, "%#lx", (unsigned long)addr);
}

uintptr_t ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksym_count; i++)
		if (strcmp(ksym_names + ksym_table[i].name, name) == 0)
			return ksym_table[i].addr;
	return 0;
}

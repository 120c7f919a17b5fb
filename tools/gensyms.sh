#!/bin/sh
# gensyms.sh ELF > ksyms.S - emit the kernel's function symbols as a sorted
# table (see kernel/ksyms.c). With no ELF (first link) the table is empty.
# The last entry is __text_end, so every function has an upper bound.
set -e
NM=${NM:-nm}
echo '.section .note.GNU-stack, "", @progbits'
echo '.section .ksyms, "a"'
echo '.balign 8'
echo '.globl ksym_table, ksym_count, ksym_names'
if [ -n "$1" ]; then
	$NM -n --defined-only "$1" | awk '$2 ~ /^[tT]$/ || $3 == "__text_end" { print $1, $3 }' > "$1.syms"
else
	: > /tmp/gensyms.empty.$$; set -- /tmp/gensyms.empty.$$; cp "$1" "$1.syms"
fi
awk '
{ addr[NR] = $1; name[NR] = $2 }
END {
	print "ksym_count: .quad " NR
	print "ksym_table:"
	off = 0
	for (i = 1; i <= NR; i++) {
		print "\t.quad 0x" addr[i] "\n\t.long " off ", 0"
		off += length(name[i]) + 1
	}
	print "ksym_names:"
	for (i = 1; i <= NR; i++)
		print "\t.asciz \"" name[i] "\""
}' "$1.syms"
rm -f "$1.syms" /tmp/gensyms.empty.$$

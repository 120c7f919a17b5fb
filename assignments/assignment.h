/*
 * assignment.h - support for the course's assignments.
 *
 * Each assignment's reference solution sits in the tree between the
 * markers BEGIN SOLUTION and END SOLUTION (in comments); `make handout`
 * removes those blocks and activates the stub line after them, of the form
 *
 *     STUB: assignment_not_implemented("mcs"); <harmless return>
 *
 * written inside a comment. A stub records that it ran, so the
 * assignment's tests fail at once with "assignment mcs: not implemented"
 * instead of hanging, and every other test still passes.
 */
#pragma once
#include "kernel/compiler.h"

void assignment_not_implemented(const char *name);
bool assignment_missing(const char *name);

/* In an assignment test, after calling the student's code once. */
#define KASSERT_IMPLEMENTED(name) \
	KASSERT_MSG(!assignment_missing(name), "assignment %s: not implemented", name)

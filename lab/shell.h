/*
 * shell.h - a small command shell on the serial console.
 *
 * The lab's init program (kernel/init.h): once the boot work is done the
 * init thread becomes the shell, unless `poweroff` was given. `help`
 * lists the commands.
 *
 * A command is a function taking argc/argv, declared at file scope next
 * to the code it drives, so adding one touches only its own file:
 *
 *     static void cmd_cpus(int argc, char **argv) { ... }
 *     SHELL_COMMAND(cpus, "", "online CPUs, their ticks and run queues", cmd_cpus);
 *
 * Commands run in the shell's thread: they may sleep. Bad arguments get
 * one line of explanation, never a crash.
 */
#pragma once
#include "kernel/compiler.h"

struct shell_command {
	const char *name, *args, *help;
	void (*fn)(int argc, char **argv);
};

#define SHELL_COMMAND(cname, args_, help_, fn_)                           \
	static const struct shell_command __shell_command_##cname         \
		__used __section("shell_commands") __aligned(8) =         \
		{ .name = #cname, .args = (args_), .help = (help_), .fn = (fn_) }

/* Run one command line (also used by the tests). */
void shell_execute(char *line);

/* Ctrl-C typed while the current command runs? Long commands (the
 * counter experiment) poll it and stop early. Input typed while a command
 * runs is otherwise dropped. */
bool shell_interrupted(void);

/*
 * shell.h - a small command shell on the serial console.
 * Started by kernel_init after the boot work unless `poweroff` was given;
 * `help` lists the commands.
 */
#pragma once

int shell_thread(void *unused);
/* Run one command line (also used by the tests). */
void shell_execute(char *line);

/*
 * tui.h — the terminal screens (ncursesw), started when fundflow is run
 * with no command.
 */
#ifndef FF_TUI_H
#define FF_TUI_H

struct cli;

/* Runs the screens until the operator quits; returns an exit code. */
int tui_main(struct cli *c);

#endif

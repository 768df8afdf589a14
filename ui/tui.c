/* tui.c — the screens' entry point (the screens themselves come next). */
#include "tui.h"

#include "cli.h"

int
tui_main(struct cli *c)
{
	(void)c;
	cli_error("the terminal screens are not built yet; use the commands "
	    "('fundflow --help'), e.g. fundflow --db %s accounts --user auditor",
	    c->db_path);
	return EXIT_USAGE;
}

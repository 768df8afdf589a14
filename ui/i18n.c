/*
 * i18n.c — binding the text domain; see i18n.h.
 */
#include "i18n.h"

#include <stdlib.h>

#include "model/priv.h"

/* make install's LOCALEDIR, compiled in. */
#ifndef FF_LOCALEDIR
#define FF_LOCALEDIR	"/usr/local/share/locale"
#endif

void
i18n_init(void)
{
	const char *dir = FF_LOCALEDIR, *env = getenv("FUNDFLOW_LOCALEDIR");

	if (env != NULL && *env != '\0' && priv_held() == 0)
		dir = env;
	bindtextdomain(FF_TEXTDOMAIN, dir);
	bind_textdomain_codeset(FF_TEXTDOMAIN, "UTF-8");
	textdomain(FF_TEXTDOMAIN);
}

/*
 * i18n.h — the users' language: every sentence a person reads goes
 * through gettext(3) in the text domain "fundflow" (bound in ui/main.c,
 * i18n_init), and the catalogues live in po/ (po/POTFILES lists the
 * sources xgettext reads; `make pot` writes po/fundflow.pot).
 *
 *   _("text")   translated where it is used
 *   N_("text")  marked only, for tables initialised statically (the key
 *               table, the screens' columns): such a string is translated
 *               with _() where it is painted
 *
 * What is a contract never goes through here: command names, options,
 * JSON keys, CSV headers (ui/listing.c's keys), the hledger journal.
 * With no catalogue for the language, gettext gives back the English.
 */
#ifndef FF_I18N_H
#define FF_I18N_H

#include <libintl.h>

#define FF_TEXTDOMAIN	"fundflow"

#define _(s)	gettext(s)
#define N_(s)	(s)

/*
 * Binds the text domain, once, after setlocale(LC_ALL, ""): to the
 * catalogues in LOCALEDIR (compiled in), or to $FUNDFLOW_LOCALEDIR (a
 * build tree's build/locale) when it is set and fundflow holds no
 * privilege (a setgid program takes no path from the environment).
 * Messages come out in UTF-8 whatever the locale's codeset.
 */
void i18n_init(void);

#endif

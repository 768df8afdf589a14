/*
 * money.h — amounts in minor units (fen), parsed and printed exactly.
 *
 * An amount is an int64_t count of fen.  Text is a plain decimal with at
 * most two fraction digits ("1234.56", "0.5", "100").  No floating point is
 * ever used.  Parsing is strict in the style of Redis's string2ll: no
 * spaces, no exponent, no third decimal, no leading '+', no empty parts
 * ("1." and ".5" are refused), no overflow; a '-' only where the caller
 * allows it.  money_format(money_parse(s)) gives back s in canonical form.
 */
#ifndef FF_MONEY_H
#define FF_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "store/types.h"	/* money_t */

/* Largest buffer money_format / money_format_grouped ever need. */
#define MONEY_BUFSZ 32

enum money_sign {
	MONEY_UNSIGNED = 0,	/* a '-' is refused */
	MONEY_SIGNED = 1	/* a leading '-' is accepted */
};

/*
 * Parses exactly len bytes of s.  Returns 0 and sets *out, or -1 when the
 * text is not a valid amount (then *out is untouched).
 */
int money_parse_n(const char *s, size_t len, enum money_sign sign, money_t *out);
/* Same as money_parse_n over a NUL-terminated string. */
int money_parse(const char *s, enum money_sign sign, money_t *out);

/*
 * Writes the canonical text of v into buf (at least MONEY_BUFSZ bytes):
 * always two decimals, no grouping ("1234.50", "-0.05").  Returns buf.
 */
char *money_format(money_t v, char *buf);
/* Same with thousands grouped by ',' for display ("1,234,567.89"). */
char *money_format_grouped(money_t v, char *buf);

/* *out = a + b; returns -1 (and leaves *out alone) on overflow. */
int money_add(money_t a, money_t b, money_t *out);
/* *out = a - b; returns -1 (and leaves *out alone) on overflow. */
int money_sub(money_t a, money_t b, money_t *out);

#endif

/* money.c — strict amount parsing and formatting; see money.h. */
#include "money.h"

#include <string.h>

int
money_parse_n(const char *s, size_t len, enum money_sign sign, money_t *out)
{
	size_t i = 0, intdigits = 0, fracdigits = 0;
	int neg = 0;
	uint64_t units = 0, frac = 0, limit, total;

	if (s == NULL || len == 0)
		return -1;
	if (s[0] == '-') {
		if (sign != MONEY_SIGNED)
			return -1;
		neg = 1;
		i = 1;
	}
	/* Integer part: at least one digit; no redundant leading zeros. */
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (intdigits == 1 && s[i - 1] == '0')
			return -1;
		if (units > (UINT64_MAX - 9) / 10)
			return -1;
		units = units * 10 + (uint64_t)(s[i] - '0');
		intdigits++;
	}
	if (intdigits == 0)
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++fracdigits > 2)
				return -1;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
		}
		if (fracdigits == 0)
			return -1;
		if (fracdigits == 1)
			frac *= 10;
	}
	if (i != len)
		return -1;
	/* INT64_MIN itself is refused so that every amount can be negated. */
	limit = (uint64_t)INT64_MAX;
	if (units > (limit - frac) / 100)
		return -1;
	total = units * 100 + frac;
	if (total > limit)
		return -1;
	if (neg && total == 0)
		return -1;	/* "-0" and "-0.00" are not canonical */
	*out = neg ? -(money_t)total : (money_t)total;
	return 0;
}

int
money_parse(const char *s, enum money_sign sign, money_t *out)
{
	if (s == NULL)
		return -1;
	return money_parse_n(s, strlen(s), sign, out);
}

static char *
money_format_impl(money_t v, char *buf, int grouped)
{
	char tmp[MONEY_BUFSZ];
	uint64_t mag, units;
	unsigned frac;
	size_t n = 0, digits = 0, o = 0;

	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	units = mag / 100;
	frac = (unsigned)(mag % 100);
	/* Digits of the integer part, least significant first. */
	do {
		if (grouped && digits > 0 && digits % 3 == 0)
			tmp[n++] = ',';
		tmp[n++] = (char)('0' + units % 10);
		units /= 10;
		digits++;
	} while (units > 0);
	if (v < 0)
		buf[o++] = '-';
	while (n > 0)
		buf[o++] = tmp[--n];
	buf[o++] = '.';
	buf[o++] = (char)('0' + frac / 10);
	buf[o++] = (char)('0' + frac % 10);
	buf[o] = '\0';
	return buf;
}

char *
money_format(money_t v, char *buf)
{
	return money_format_impl(v, buf, 0);
}

char *
money_format_grouped(money_t v, char *buf)
{
	return money_format_impl(v, buf, 1);
}

/*
 * The range of an amount is [-INT64_MAX, INT64_MAX], the same one
 * money_parse_n accepts: INT64_MIN is refused as a result too, since it can
 * be neither negated nor parsed back from its own text.
 */
int
money_add(money_t a, money_t b, money_t *out)
{
	money_t r;

	if (__builtin_add_overflow(a, b, &r) || r == INT64_MIN)
		return -1;
	*out = r;
	return 0;
}

int
money_sub(money_t a, money_t b, money_t *out)
{
	money_t r;

	if (__builtin_sub_overflow(a, b, &r) || r == INT64_MIN)
		return -1;
	*out = r;
	return 0;
}

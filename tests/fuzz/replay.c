/*
 * replay.c — runs committed fuzz corpora through the fuzz targets with no
 * libFuzzer (make fuzz-replay; tests/stress/t_fuzz.sh), so that make test
 * needs only gcc and its sanitizers.
 *
 *   fuzz_replay [--mutate SEED COUNT] DIR...
 *       each DIR named after its target (event, money, config); every
 *       regular file in it is one input; with --mutate, each input is
 *       also run COUNT times more with seeded random mutations (bit
 *       flips, byte insertions and deletions, splices of another input
 *       of the same folder, interesting bytes), replayable with the seed
 *
 * Prints "ok fuzz.TARGET: N inputs" or dies (a sanitizer report or a
 * broken promise aborts).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static int (*replay_target(const char *dir))(const uint8_t *, size_t)
{
	const char *base = strrchr(dir, '/');

	base = base ? base + 1 : dir;
	if (strcmp(base, "event") == 0)
		return fuzz_event_one;
	if (strcmp(base, "money") == 0)
		return fuzz_money_one;
	if (strcmp(base, "config") == 0)
		return fuzz_config_one;
	return NULL;
}

static uint64_t replay_rng;

static uint64_t
replay_rand(void)
{
	replay_rng ^= replay_rng << 13;
	replay_rng ^= replay_rng >> 7;
	replay_rng ^= replay_rng << 17;
	return replay_rng;
}

/* One random mutation of in (n bytes) into out (cap bytes); returns the
 * new length. */
static size_t
replay_mutate(const uint8_t *in, size_t n, const uint8_t *other, size_t on,
    uint8_t *out, size_t cap)
{
	static const char *const tokens[] = { "\"", "\\", "\\u0000", "{", "}",
	    "[", "]", ",", ":", ".", "-", "0", "9", "e", "\xff", "\xc3",
	    "\xe4\xb8\xad", "null", "true", "1e999", "99999999999999999999",
	    "\"amount\"", "\"branch\"", "=", ";", "(", ")", "@include",
	    "\n", "\r", "\t", " " };
	size_t len = n < cap ? n : cap;
	int rounds = 1 + (int)(replay_rand() % 4);

	memcpy(out, in, len);
	for (int r = 0; r < rounds; r++) {
		size_t at = len ? (size_t)(replay_rand() % (len + 1)) : 0;

		switch (replay_rand() % 6) {
		case 0:	/* flip a bit */
			if (len)
				out[at % len] ^= (uint8_t)(1u << (replay_rand() % 8));
			break;
		case 1:	/* a random byte */
			if (len < cap) {
				memmove(out + at + 1, out + at, len - at);
				out[at] = (uint8_t)replay_rand();
				len++;
			}
			break;
		case 2: {	/* delete a run */
			size_t k = len > at ? 1 + (size_t)(replay_rand() % (len - at)) : 0;

			if (k > 8)
				k = 8;
			memmove(out + at, out + at + k, len - at - k);
			len -= k;
			break;
		}
		case 3: {	/* an interesting token */
			const char *t = tokens[replay_rand() % (sizeof(tokens) /
			    sizeof(*tokens))];
			size_t k = strlen(t);

			if (len + k <= cap) {
				memmove(out + at + k, out + at, len - at);
				memcpy(out + at, t, k);
				len += k;
			}
			break;
		}
		case 4: {	/* splice in part of another input */
			size_t from = on ? (size_t)(replay_rand() % on) : 0;
			size_t k = on > from ? (size_t)(replay_rand() % (on - from + 1)) : 0;

			if (len + k <= cap) {
				memmove(out + at + k, out + at, len - at);
				memcpy(out + at, other + from, k);
				len += k;
			}
			break;
		}
		default:	/* truncate */
			len = at;
			break;
		}
	}
	return len;
}

struct replay_input {
	uint8_t *buf;
	size_t n;
	char path[4096];
};

int
main(int argc, char **argv)
{
	int bad = 0, a = 1;
	long mutations = 0;
	uint64_t seed = 0;

	if (argc > 3 && strcmp(argv[1], "--mutate") == 0) {
		seed = strtoull(argv[2], NULL, 10);
		mutations = atol(argv[3]);
		a = 4;
	}
	for (; a < argc; a++) {
		int (*fn)(const uint8_t *, size_t) = replay_target(argv[a]);
		DIR *d = opendir(argv[a]);
		struct dirent *de;
		struct replay_input *in = NULL;
		size_t nin = 0, cap = 0;
		long runs = 0;
		const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 :
		    argv[a];

		if (fn == NULL || d == NULL) {
			printf("not ok fuzz.%s: no such target or folder\n", argv[a]);
			bad = 1;
			if (d)
				closedir(d);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			struct replay_input r;
			struct stat sb;
			FILE *f;

			snprintf(r.path, sizeof(r.path), "%s/%s", argv[a], de->d_name);
			if (stat(r.path, &sb) != 0 || !S_ISREG(sb.st_mode))
				continue;
			r.n = (size_t)sb.st_size;
			if ((f = fopen(r.path, "rb")) == NULL ||
			    (r.buf = malloc(r.n + 1)) == NULL ||
			    fread(r.buf, 1, r.n, f) != r.n) {
				printf("not ok fuzz.%s: cannot read %s\n", name, r.path);
				bad = 1;
				if (f)
					fclose(f);
				continue;
			}
			fclose(f);
			if (nin == cap) {
				cap = cap ? cap * 2 : 64;
				if ((in = realloc(in, cap * sizeof(*in))) == NULL)
					abort();
			}
			in[nin++] = r;
		}
		closedir(d);
		replay_rng = seed * 0x9E3779B97F4A7C15ULL + 1;
		for (size_t i = 0; i < nin; i++) {
			uint8_t *m;
			size_t mcap = in[i].n * 2 + 256;

			fprintf(stderr, "input %s\n", in[i].path);
			fn(in[i].buf, in[i].n);
			runs++;
			if ((m = malloc(mcap)) == NULL)
				abort();
			for (long k = 0; k < mutations; k++) {
				const struct replay_input *o = &in[replay_rand() % nin];
				size_t mn = replay_mutate(in[i].buf, in[i].n, o->buf, o->n, m,
				    mcap);
				uint8_t *exact = malloc(mn ? mn : 1);

				/* An exactly sized copy, so that the sanitizer sees
				 * any read past the end. */
				if (exact == NULL)
					abort();
				memcpy(exact, m, mn);
				fprintf(stderr, "mutation %ld of %s\n", k, in[i].path);
				fn(exact, mn);
				free(exact);
				runs++;
			}
			free(m);
		}
		for (size_t i = 0; i < nin; i++)
			free(in[i].buf);
		free(in);
		printf("ok fuzz.replay.%s: %zu inputs, %ld runs\n", name, nin, runs);
	}
	return bad;
}

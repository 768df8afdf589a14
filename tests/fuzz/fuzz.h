/*
 * fuzz.h — the fuzz targets (issue 4, item 7).  Each fuzz_*.c defines
 * one function that takes arbitrary bytes, runs a parser on them and
 * checks what the parser promises; built with -DFUZZ_LIBFUZZER it also
 * defines libFuzzer's entry point (make fuzz, clang), otherwise
 * tests/fuzz/replay.c runs the committed corpus through all of them
 * (make fuzz-replay, part of make stress; gcc with the sanitizers).
 * A broken promise aborts, so that both drivers report it.
 */
#ifndef FF_FUZZ_H
#define FF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int fuzz_event_one(const uint8_t *data, size_t size);
int fuzz_money_one(const uint8_t *data, size_t size);
int fuzz_config_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The independent oracles (oracle.c). */
int fuzz_plain_text(const char *s, size_t n);
int fuzz_code(const char *s);
int fuzz_time_shape(const char *s);
int fuzz_money_oracle(const char *s, size_t n, int is_signed, int64_t *out);

/* Aborts with a message when cond is false. */
#define FUZZ_ASSERT(cond, what) do { \
		if (!(cond)) { \
			fprintf(stderr, "fuzz: broken promise: %s (%s:%d)\n", \
			    what, __FILE__, __LINE__); \
			abort(); \
		} \
	} while (0)

#endif

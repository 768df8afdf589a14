/*
 * fuzz_config.c — config_load_string on arbitrary text.  Promises
 * (config.h): 0 with a configuration, or -1 with NULL and a message that
 * names the source; a loaded configuration has a busy timeout in range,
 * a currency of three capital letters, unique positive business type
 * codes with plain-text names.  Everything is freed (the leak checker
 * watches).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/config.h"
#include "tests/fuzz/fuzz.h"

int
fuzz_config_one(const uint8_t *data, size_t size)
{
	struct config *cfg = (struct config *)1;
	char *err = NULL, *text;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_load_string(text, "fuzz.cfg", &cfg, &err) == 0) {
		FUZZ_ASSERT(cfg != NULL && err == NULL, "success without a config");
		FUZZ_ASSERT(cfg->busy_timeout_ms >= 0 && cfg->busy_timeout_ms <= 600000,
		    "busy timeout out of range");
		FUZZ_ASSERT(strlen(cfg->currency) == 3 && cfg->currency[0] >= 'A' &&
		    cfg->currency[0] <= 'Z' && cfg->currency[1] >= 'A' &&
		    cfg->currency[1] <= 'Z' && cfg->currency[2] >= 'A' &&
		    cfg->currency[2] <= 'Z', "currency not 3 capital letters");
		for (size_t i = 0; i < cfg->ntypes; i++) {
			FUZZ_ASSERT(cfg->types[i].code > 0, "type code not positive");
			FUZZ_ASSERT(fuzz_plain_text(cfg->types[i].name,
			    strlen(cfg->types[i].name)), "type name not plain text");
			FUZZ_ASSERT(cfg->types[i].name[0] != '\0', "empty type name");
			for (size_t j = 0; j < i; j++)
				FUZZ_ASSERT(cfg->types[i].code != cfg->types[j].code,
				    "duplicate type code");
			FUZZ_ASSERT(config_type(cfg, cfg->types[i].code) != NULL,
			    "config_type misses a type");
		}
		config_free(cfg);
	} else {
		FUZZ_ASSERT(cfg == NULL, "failure left *out set");
		FUZZ_ASSERT(err != NULL && strstr(err, "fuzz.cfg") != NULL,
		    "failure message does not name the source");
		free(err);
	}
	free(text);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_config_one(data, size);
}
#endif

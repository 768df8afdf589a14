/*
 * event_ref.h — the reference parser for income events (event_ref.c): the
 * jansson-based event_parse that fundflow used before its own scanner,
 * kept as a test oracle.  Only the tests and the fuzz targets link it.
 */
#ifndef FF_EVENT_REF_H
#define FF_EVENT_REF_H

#include <stddef.h>

#include "model/event.h"

/* The old event_parse: same contract as event_parse (event.h). */
int event_ref_parse(const char *line, size_t len, struct event *ev,
    char *reason, size_t reasonsz);

/*
 * Runs event_parse and event_ref_parse on line[0..len) and compares them:
 * both accept with the same fields, or both refuse, with the same reason
 * unless the reference found the line not valid JSON (its text then came
 * from jansson: event_parse need only say "not valid JSON" too).  Returns
 * 0 when they agree, else -1 with what differs in why[whysz].
 */
int event_ref_compare(const char *line, size_t len, char *why, size_t whysz);

#endif

#!/bin/sh
# Runs each cmocka driver given as an argument and prints one closing line:
# "unit: N passed, N failed" (N counts drivers, each a module's suite);
# UNIT_LABEL names the run otherwise ("unit-pg").
pass=0 fail=0
for t in "$@"; do
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "${UNIT_LABEL:-unit}: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# t_fuzz.sh — the fuzz targets' committed corpus, replayed (issue 4,
# item 7): tests/fuzz/corpus/{event,money,config} through the same target
# functions that `make fuzz` hands to libFuzzer, here built with gcc and
# the address and undefined-behaviour sanitizers (and the leak checker),
# then the corpus again with seeded random mutations of each input
# (FUZZ_MUTATIONS per input; default 200, soak 5000).  A crash, a
# sanitizer report or a broken promise of the parser fails.
. "$(dirname "$0")/lib.sh"

corpus=$STRESS_ROOT/tests/fuzz/corpus
n=${FUZZ_MUTATIONS:-$([ "$SOAK" = 1 ] && echo 5000 || echo 200)}
if [ ! -x "$FUZZ_REPLAY" ]; then
	notok fuzz.replay "no $FUZZ_REPLAY (make build/asan/fuzz_replay)"
	exit 0
fi
for t in event money config; do
	"$FUZZ_REPLAY" "$corpus/$t" > "replay.$t.out" 2> "replay.$t.err"
	rc=$?
	WHY="exit $rc; last input: $(grep '^input\|^mutation' "replay.$t.err" | tail -n 1); $(grep -v '^input\|^mutation' "replay.$t.err" | head -n 8 | tr '\n' ' ')"
	check "fuzz.corpus.$t" test $rc = 0 -a -n "$(grep '^ok' "replay.$t.out")"
	note "$(cat "replay.$t.out")"
	"$FUZZ_REPLAY" --mutate "$SEED" "$n" "$corpus/$t" > "mutate.$t.out" 2> "mutate.$t.err"
	rc=$?
	WHY="exit $rc (replay: $FUZZ_REPLAY --mutate $SEED $n $corpus/$t); last input: $(grep '^input\|^mutation' "mutate.$t.err" | tail -n 1); $(grep -v '^input\|^mutation' "mutate.$t.err" | head -n 8 | tr '\n' ' ')"
	check "fuzz.mutated.$t" test $rc = 0 -a -n "$(grep '^ok' "mutate.$t.out")"
	note "seed $SEED: $(cat "mutate.$t.out")"
	# Keep the logs small: the input names are only needed on a failure.
	[ $rc = 0 ] && rm -f "mutate.$t.err"
done

# Reached the end: every check has spoken for itself above.
exit 0

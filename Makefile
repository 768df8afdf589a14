# fundflow — build, run, test.
#
#   make            build ./fundflow (optimised, warnings as errors)
#   make run        install missing packages (as root), build, make a demo
#                   database if there is none, start the program on it
#   make test       install, build with address + undefined-behaviour
#                   sanitizers, run every unit and end-to-end test
#   make valgrind   run the unit tests of a plain build under valgrind
#   make clean

PKGS      = ncursesw libconfig jansson libsodium libpq librabbitmq openssl
TEST_PKGS = cmocka
# Debian packages that provide the above, plus the tools the tests drive.
# postgresql-15: the tests' own throwaway server (tests/pg/cluster.sh);
# rabbitmq-server, amqp-tools: the tests' own broker (tests/mq/broker.sh).
DEBS      = pkg-config libncurses-dev sqlite3 libconfig-dev \
            libjansson-dev libsodium-dev libcmocka-dev tmux jq \
            libpq-dev postgresql-15 librabbitmq-dev libssl-dev \
            rabbitmq-server amqp-tools openssl mandoc gettext

CC       ?= cc
WARN      = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Werror
DEFS      = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
VERDEFS   = -DFF_VERSION='"$(VERSION)"' -DFF_GIT_COMMIT='"$(GIT_COMMIT)"' \
            -DFF_SYSCONFDIR='"$(CONFDIR)"' -DFF_LOCALEDIR='"$(LOCALEDIR)"'

# SQLite is built in from its amalgamation (store/sqlite/third_party/sqlite/README.md):
# one object for every flavour, optimised and without sanitizers (like the
# shared library it replaces), with the options fundflow runs it under:
# one thread per connection, no memory statistics, nothing it does not use.
# The programs export SQLite's interface so that the stress tests'
# preloaded fault shim configures this copy (tests/stress/shim.c).
SQLITE_DIR  = store/sqlite/third_party/sqlite
SQLITE_DEFS = -DSQLITE_THREADSAFE=0 -DSQLITE_DEFAULT_MEMSTATUS=0 \
              -DSQLITE_OMIT_DEPRECATED -DSQLITE_OMIT_SHARED_CACHE \
              -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_PROGRESS_CALLBACK \
              -DSQLITE_DQS=0 -DSQLITE_LIKE_DOESNT_MATCH_BLOBS -DSQLITE_USE_ALLOCA \
              -DSQLITE_ENABLE_DBPAGE_VTAB \
              -DSQLITE_DEFAULT_SYNCHRONOUS=2 -DSQLITE_DEFAULT_WAL_SYNCHRONOUS=2
SQLITE_OBJ  = build/sqlite/sqlite3.o

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I$(SQLITE_DIR)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread \
             -Wl,--export-dynamic-symbol='sqlite3_*'
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

OPT       = -O2 -g
SAN       = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=all

# The store: its engine-neutral front (store/*.c) and the two engines.
SRC_STORE = $(wildcard store/*.c) \
            $(filter-out store/sqlite/sqlite_build.c,$(wildcard store/sqlite/*.c)) \
            $(wildcard store/pg/*.c)
# The PostgreSQL schema and grants, built into the program as C strings.
GEN_PG    = build/gen/pg_sql.c
SRC_MODEL = $(wildcard model/*.c)
SRC_UI    = $(filter-out ui/main.c,$(wildcard ui/*.c))
LIB_SRC   = $(SRC_STORE) $(GEN_PG) $(SRC_MODEL) $(SRC_UI)
TESTS     = $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

# The program; `make install BIN=... REL=...` builds another copy apart
# (the install test builds one for a temporary CONFDIR).
BIN ?= fundflow
REL ?= build/rel
ASN = build/asan
PLN = build/plain

.PHONY: all run test unit unit-pg e2e pg-schema valgrind deps demo clean check-layers bench install pot
all: $(BIN) $(MO)

# --- the users' language -----------------------------------------------------
# Every sentence a person reads goes through gettext (ui/i18n.h); po/POTFILES
# lists the sources marked, `make pot` extracts po/fundflow.pot from them,
# and each po/LANG.po is compiled (checked) into build/locale, where
# FUNDFLOW_LOCALEDIR=build/locale finds it before it is installed.
LINGUAS   = zh_CN
POTFILES  = $(shell cat po/POTFILES 2>/dev/null)
MO        = $(patsubst %,build/locale/%/LC_MESSAGES/fundflow.mo,$(LINGUAS))
XGETTEXT  = xgettext --language=C --keyword=_ --keyword=N_ --from-code=UTF-8 \
            --add-comments=TRANSLATORS --package-name=fundflow \
            --package-version=$(VERSION) --msgid-bugs-address= --sort-by-file
build/locale/%/LC_MESSAGES/fundflow.mo: po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $<"
	@msgfmt --check -o $@ $<
pot:
	$(XGETTEXT) -o po/fundflow.pot $(POTFILES)

# --- objects, per flavour ----------------------------------------------------
$(GEN_PG): store/pg/schema.sql store/pg/grants.sql
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@{ echo '/* Made by make from store/pg/schema.sql and grants.sql. */'; \
	  echo 'extern const char pg_schema_sql[], pg_grants_sql[];'; \
	  for f in schema grants; do \
	    echo "const char pg_$${f}_sql[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' store/pg/$$f.sql; \
	    echo ';'; \
	  done; } > $@
$(SQLITE_OBJ): store/sqlite/sqlite_build.c store/sqlite/alloc.h $(SQLITE_DIR)/sqlite3.c $(SQLITE_DIR)/sqlite3.h
	@mkdir -p $(dir $@)
	@echo "  CC      $(SQLITE_DIR)/sqlite3.c (once for every build)"
	@$(CC) -O2 -g $(SQLITE_DEFS) -I$(SQLITE_DIR) -c $< -o $@
$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(WARN) $(DEFS) $(VERDEFS) $(OPT) $(PKG_CFLAGS) -I. -MMD -MP -c $< -o $@
$(ASN)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/san  $<"
	@$(CC) $(WARN) $(DEFS) $(VERDEFS) $(SAN) $(PKG_CFLAGS) $(TEST_CFLAGS) -I. -MMD -MP -c $< -o $@
$(PLN)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/O0   $<"
	@$(CC) $(WARN) $(DEFS) $(VERDEFS) -O0 -g $(PKG_CFLAGS) $(TEST_CFLAGS) -I. -MMD -MP -c $< -o $@

$(BIN): $(patsubst %.c,$(REL)/%.o,$(LIB_SRC) ui/main.c) $(SQLITE_OBJ)
	$(CC) $(OPT) $^ $(PKG_LIBS) -o $@

$(ASN)/fundflow: $(patsubst %.c,$(ASN)/%.o,$(LIB_SRC) ui/main.c) $(SQLITE_OBJ) | $(MO)
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

$(ASN)/test_%: $(ASN)/tests/test_%.o $(ASN)/tests/testlib.o $(patsubst %.c,$(ASN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) $(SAN) $^ $(PKG_LIBS) $(TEST_LIBS) -o $@
$(PLN)/test_%: $(PLN)/tests/test_%.o $(PLN)/tests/testlib.o $(patsubst %.c,$(PLN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) -g $^ $(PKG_LIBS) $(TEST_LIBS) -o $@
# The differential test also links the reference parser it holds
# event_parse to (tests/fuzz/event_ref.c).
$(ASN)/test_event_diff: $(ASN)/tests/test_event_diff.o $(ASN)/tests/testlib.o \
                        $(ASN)/tests/fuzz/event_ref.o $(patsubst %.c,$(ASN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) $(SAN) $^ $(PKG_LIBS) $(TEST_LIBS) -o $@
$(PLN)/test_event_diff: $(PLN)/tests/test_event_diff.o $(PLN)/tests/testlib.o \
                        $(PLN)/tests/fuzz/event_ref.o $(patsubst %.c,$(PLN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) -g $^ $(PKG_LIBS) $(TEST_LIBS) -o $@

-include $(shell find build -name '*.d' 2>/dev/null)

# --- packages ----------------------------------------------------------------
# Installs the Debian packages that are missing when run as root; otherwise
# names them and stops.
deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "missing Debian packages:$$missing"; \
	    echo "run as root: apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# --- running -----------------------------------------------------------------
DEMO_DB ?= demo.db
run: deps
	@$(MAKE) --no-print-directory fundflow
	@if [ ! -f $(DEMO_DB) ]; then ./fundflow --db $(DEMO_DB) demo; fi
	./fundflow --db $(DEMO_DB)

# --- tests -------------------------------------------------------------------
test: deps
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory unit unit-pg e2e pg-schema stress

unit: $(addprefix $(ASN)/,$(TESTS))
	@tests/run-unit.sh $(addprefix $(ASN)/,$(TESTS))

# The drivers that do not reach below the store's interface, again on a
# PostgreSQL server of their own (tests/pg/unit.sh).  The store's and the
# audit's drivers tamper with SQLite files; on PostgreSQL the same attacks
# are tests/pg/test_schema.sh and tests/e2e/test_pg.sh.
PG_UNITS = test_withdrawal test_income test_auth test_chain
unit-pg: $(addprefix $(ASN)/,$(PG_UNITS))
	@tests/pg/unit.sh $(addprefix $(ASN)/,$(PG_UNITS))

e2e: $(ASN)/fundflow $(ASN)/pgshim.so $(ASN)/mqtool
	@FUNDFLOW=$(CURDIR)/$(ASN)/fundflow PGSHIM_SO=$(CURDIR)/$(ASN)/pgshim.so \
	    MQTOOL=$(CURDIR)/$(ASN)/mqtool tests/e2e/run.sh

# Publishes and drains the tests' own broker (tests/mq/mqtool.c).
$(ASN)/mqtool: tests/mq/mqtool.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(SAN) $< -o $@ -lrabbitmq

# Loses the connection at COMMIT (tests/pg/pgshim.c), preloaded into the
# real fundflow by test_pg; not part of ./fundflow.
$(ASN)/pgshim.so: tests/pg/pgshim.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O1 -g -fPIC -shared $(PKG_CFLAGS) $< -o $@ -ldl

# Every guard of the PostgreSQL schema attacked with raw SQL, as each role,
# on a throwaway cluster of its own (tests/pg/cluster.sh).
pg-schema:
	@mkdir -p build && tests/pg/test_schema.sh > build/pg-schema.log 2>&1 || { cat build/pg-schema.log; exit 1; }
	@echo "pg-schema: $$(grep -c '^ok ' build/pg-schema.log) passed, $$(grep -c '^not ok ' build/pg-schema.log) failed"

# (test_event_diff's generated stream is cut short: under valgrind the
# reference parser takes minutes over the full one.)
valgrind: deps $(addprefix $(PLN)/,$(TESTS))
	@for t in $(addprefix $(PLN)/,$(TESTS)); do \
	  FF_DIFF_COUNT=2000 valgrind -q --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite --child-silent-after-fork=yes $$t || exit 1; done

# --- benchmark ---------------------------------------------------------------
# A release build (-O2, no sanitizers) of the program, the benchmark's
# helper and a sqlite3 shell of the same engine (the raw-SQL baseline),
# hledger and ledger-cli to compare with, then one table of
# figures measured side by side (tests/bench/run.sh, RESULTS.md).
BENCH_DEBS = hledger ledger time
bench: deps
	@missing=""; for p in $(BENCH_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@$(MAKE) --no-print-directory build/bench/fundflow build/bench/bench_tool build/bench/sqlite3 build/bench/mqtool
	@tests/bench/run.sh

build/bench/fundflow: fundflow
	@mkdir -p build/bench && cp fundflow $@
# The raw-SQL baseline runs through a sqlite3 shell of the same engine.
build/bench/sqlite3: $(SQLITE_DIR)/shell.c $(SQLITE_OBJ)
	@mkdir -p build/bench
	@echo "  CC      $(SQLITE_DIR)/shell.c (the baseline's sqlite3 shell)"
	@$(CC) -O2 $(SQLITE_DEFS) -I$(SQLITE_DIR) $^ -lm -o $@
build/bench/mqtool: tests/mq/mqtool.c
	@mkdir -p build/bench
	$(CC) $(WARN) $(DEFS) $(OPT) $< -o $@ -lrabbitmq
build/bench/bench_tool: $(REL)/tests/bench/bench_tool.o $(patsubst %.c,$(REL)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	@mkdir -p build/bench
	$(CC) $(OPT) $^ $(PKG_LIBS) -o $@

# --- installing under a service group -----------------------------------------
# The program is installed setgid to a system group that owns the data
# folder; operators are not in that group, so they reach the database only
# through fundflow.  New database files are rw for the owner and the group
# (group_access = true in the installed configuration), never for others.
# Run `fundflow init` (and the feeder's `fundflow ingest`) as the account
# that is to own the database: ingest is refused to anyone else.
PREFIX   ?= /usr/local
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SVCGROUP ?= fundflow
DATADIR  ?= /var/lib/fundflow
CONFDIR  ?= /etc/fundflow
LOCALEDIR ?= $(PREFIX)/share/locale
install: $(BIN) $(MO)
	getent group $(SVCGROUP) >/dev/null || groupadd --system $(SVCGROUP)
	install -d -m 0755 $(DESTDIR)$(PREFIX)/bin
	install -m 2755 -g $(SVCGROUP) $(BIN) $(DESTDIR)$(PREFIX)/bin/fundflow
	install -d -m 2770 -g $(SVCGROUP) $(DESTDIR)$(DATADIR)
	install -d -m 0755 $(DESTDIR)$(CONFDIR)
	install -d -m 0755 $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 doc/fundflow.1 $(DESTDIR)$(MANDIR)/man1/fundflow.1
	install -m 0644 doc/fundflow.cfg.5 $(DESTDIR)$(MANDIR)/man5/fundflow.cfg.5
	install -d -m 0755 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 doc/fundflow.bash $(DESTDIR)$(BASHCOMPDIR)/fundflow
	@for l in $(LINGUAS); do \
	  echo "install -m 0644 build/locale/$$l/LC_MESSAGES/fundflow.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/fundflow.mo"; \
	  install -d -m 0755 $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	  install -m 0644 build/locale/$$l/LC_MESSAGES/fundflow.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/fundflow.mo || exit 1; \
	done
	@if [ ! -f $(DESTDIR)$(CONFDIR)/fundflow.cfg ]; then \
	  sed -e 's|^\t# path = "fundflow.db";|\tpath = "$(DATADIR)/fundflow.db";|' \
	      -e 's|^\tgroup_access = false;|\tgroup_access = true;|' \
	      assets/fundflow.cfg > $(DESTDIR)$(CONFDIR)/fundflow.cfg; \
	  chmod 0644 $(DESTDIR)$(CONFDIR)/fundflow.cfg; \
	  echo "wrote $(DESTDIR)$(CONFDIR)/fundflow.cfg"; fi
	@echo "installed; next, as the account that will own the data:"
	@echo "  fundflow init --admin LOGIN"

# Each library's header in one place: curses.h only in ui/, sqlite3.h only
# in store/sqlite/, libpq-fe.h only in store/pg/, amqp.h only in the
# feeder's source; and every include points down (ui -> model -> store).
check-layers:
	@bad=$$(grep -l -E '#include *[<"](n?curses(w)?/)?n?curses\.h' $$(find store model -name '*.[ch]' -not -path '*/third_party/*') 2>/dev/null; \
	        grep -l -E '#include *[<"]sqlite3\.h' $$(find store model ui -name '*.[ch]' -not -path 'store/sqlite/*') 2>/dev/null; \
	        grep -l -E '#include *[<"](postgresql/)?libpq-fe\.h' $$(find store model ui -name '*.[ch]' -not -path 'store/pg/*') 2>/dev/null; \
	        grep -l -E '#include *[<"](rabbitmq-c/)?amqp(_[a-z_]+)?\.h' $$(find store model ui -name '*.[ch]' -not -path 'model/source_amqp.c') 2>/dev/null; \
	        grep -l -E '#include *[<"]ui/' $$(find store model -name '*.[ch]' -not -path '*/third_party/*') 2>/dev/null; \
	        grep -l -E '#include *[<"]model/' $$(find store -name '*.[ch]' -not -path '*/third_party/*') 2>/dev/null); \
	if [ -n "$$bad" ]; then echo "layer rule broken in: $$bad"; exit 1; fi

clean:
	rm -rf build fundflow
.SECONDARY:

# --- robustness (issue 4) ---------------------------------------------------
# Attacks on the real binary and the real database (tests/stress/): races,
# kill -9, I/O errors and out-of-memory through a shim SQLite VFS, a busy
# lock, hostile text, tampering, file modes; and fuzzing (tests/fuzz/).
#
#   make stress       the bounded run (part of make test); SEED=N replays
#   make soak         the same with the large counts (>= 200 kills, ...)
#   make fuzz         libFuzzer (clang) on each target, FUZZ_SECONDS each
#   make fuzz-replay  the committed corpus through the targets (gcc + san)
#
# The fault injection lives only in these test programs: ffstress links
# the engine's objects like the unit tests, and ffshim.so is preloaded
# into the real fundflow; neither is part of ./fundflow.
.PHONY: stress soak fuzz fuzz-replay stress-build
FUZZ_TARGETS = event money config
FUZZ_SECONDS ?= 60
FUZZ_LIB_SRC = model/event.c model/money.c model/config.c model/text.c store/xmalloc.c
# The fuzz targets' own helpers: the oracles and the reference event parser.
FUZZ_TEST_SRC = tests/fuzz/oracle.c tests/fuzz/event_ref.c
STRESS_ENV = FUNDFLOW=$(CURDIR)/$(ASN)/fundflow FFSTRESS=$(CURDIR)/$(ASN)/ffstress \
             FFSHIM_SO=$(CURDIR)/$(ASN)/ffshim.so FUZZ_REPLAY=$(CURDIR)/$(ASN)/fuzz_replay

$(ASN)/ffstress: $(ASN)/tests/stress/ffstress.o $(ASN)/tests/stress/shim.o \
                 $(patsubst %.c,$(ASN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@
# No sanitizer in the preloaded library: the sanitized binary's runtime
# is preloaded in front of it (tests/stress/lib.sh).  Nor SQLite: its
# sqlite3_* calls bind to the copy inside the program it is preloaded into.
$(ASN)/ffshim.so: tests/stress/shim.c tests/stress/shim.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) -O1 -g -fPIC -shared -DSHIM_PRELOAD $(PKG_CFLAGS) \
	    -I. $< -o $@
$(ASN)/fuzz_replay: $(ASN)/tests/fuzz/replay.o $(patsubst %.c,$(ASN)/%.o,$(FUZZ_TEST_SRC)) \
                    $(patsubst %,$(ASN)/tests/fuzz/fuzz_%.o,$(FUZZ_TARGETS)) \
                    $(patsubst %.c,$(ASN)/%.o,$(LIB_SRC)) $(SQLITE_OBJ)
	$(CC) $(SAN) $^ $(PKG_LIBS) -o $@

stress-build: $(ASN)/fundflow $(ASN)/ffstress $(ASN)/ffshim.so $(ASN)/fuzz_replay
stress: deps
	@$(MAKE) --no-print-directory stress-build
	@$(STRESS_ENV) tests/stress/run.sh
soak: deps
	@$(MAKE) --no-print-directory stress-build
	@$(STRESS_ENV) STRESS_SOAK=1 tests/stress/run.sh
fuzz-replay: $(ASN)/fuzz_replay
	@$(ASN)/fuzz_replay $(patsubst %,tests/fuzz/corpus/%,$(FUZZ_TARGETS))

# libFuzzer wants clang and its own sanitizer runtime, so the fuzzers
# compile the parsers' sources themselves (Debian: clang, libclang-rt-14-dev).
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_TEST_SRC) tests/fuzz/fuzz.h tests/fuzz/event_ref.h $(FUZZ_LIB_SRC)
	@mkdir -p build/fuzz
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -DFUZZ_LIBFUZZER $(DEFS) $(PKG_CFLAGS) -I. $< $(FUZZ_TEST_SRC) \
	    $(FUZZ_LIB_SRC) $(PKG_LIBS) -o $@
fuzz: $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$t; \
	  echo "fuzz $$t for $(FUZZ_SECONDS)s"; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/crash-$$t- \
	    build/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

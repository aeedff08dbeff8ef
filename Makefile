# Trellis: one non-recursive Makefile. `make` builds build/trellis; `make test` installs what is
# missing, builds (release and ASan+UBSan) and runs every suite; `make run` serves the demo.
CC       ?= cc
PG_INC   := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
WARN     := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
            -Wmissing-declarations -Wshadow -Wpointer-arith -Wcast-qual -Wsign-compare \
            -Wtype-limits -fno-common
# GMime (MIME mail) and glib come through pkg-config, evaluated when used (after `deps`)
GMIME_CF  = $(shell pkg-config --cflags gmime-3.0 2>/dev/null | sed 's/-I/-isystem /g')
GMIME_LIB = $(shell pkg-config --libs gmime-3.0 2>/dev/null)
BASE      = -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -I$(PG_INC) $(GMIME_CF) -pthread
RELEASE  := -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
SANITIZE ?= address,undefined
SANFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
LIBS      = -lmicrohttpd -ljansson -lsqlite3 -lpq -lsodium -lical -lcurl -lcrypto -lutf8proc $(GMIME_LIB) -lpthread

SRC      := $(sort $(wildcard src/*.c src/*/*.c))
WEB      := $(sort $(shell find web -type f ! -name '*.md' 2>/dev/null))
MIGR     := $(sort $(wildcard migrations/*.sql))
SCHEMA   := $(sort $(wildcard src/api/schema/*.json))
UNIT     := $(sort $(wildcard tests/unit/*/*.c))
# the modules a unit test (or fuzz target) may link: the layers below HTTP
UNIT_LIB := $(filter src/util/% src/store/% src/domain/% src/policy/%,$(SRC))
UNIT_OBJ := $(UNIT_LIB:src/%.c=build/san/%.o) build/san/gen/mig.o

OBJ      := $(SRC:src/%.c=build/obj/%.o) build/obj/gen/mig.o build/obj/gen/web.o build/obj/gen/schema.o
SOBJ     := $(SRC:src/%.c=build/san/%.o) build/san/gen/mig.o build/san/gen/web.o build/san/gen/schema.o

.PHONY: all test unit api e2e run bench fuzz lint format clean deps install man
all: build/trellis

deps:
	@scripts/setup.sh

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

# the lists of embedded files: rewritten only when a file is added or removed, so a deleted
# migration or page leaves the binary too
build/gen/%.list: FORCE
	@mkdir -p $(@D)
	@echo '$(LIST_$*)' | cmp -s - $@ || echo '$(LIST_$*)' > $@
.PHONY: FORCE
FORCE:
LIST_mig    = $(MIGR)
LIST_web    = $(WEB)
LIST_schema = $(SCHEMA)

build/gen/mig.c: build/tools/embed $(MIGR) build/gen/mig.list
	@mkdir -p $(@D)
	build/tools/embed $@ embedded_migrations migrations/ $(MIGR)
build/gen/web.c: build/tools/embed $(WEB) build/gen/web.list
	@mkdir -p $(@D)
	build/tools/embed $@ embedded_web web/ $(WEB)
build/gen/schema.c: build/tools/embed $(SCHEMA) build/gen/schema.list
	@mkdir -p $(@D)
	build/tools/embed $@ embedded_schemas src/api/schema/ $(SCHEMA)

build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O1 -Isrc -c -o $@ $<
build/san/gen/%.o: build/gen/%.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O1 -Isrc -c -o $@ $<

build/obj/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASE) $(RELEASE) -MMD -c -o $@ $<
build/san/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	@echo "  CC SAN  $<"
	@$(CC) $(BASE) $(SANFLAGS) -c -o $@ $<

build/trellis: $(OBJ)
	$(CC) -pthread -o $@ $^ $(LIBS)
build/trellis-san: $(SOBJ)
	$(CC) -pthread -fsanitize=$(SANITIZE) -o $@ $^ $(LIBS)

# unit tests: one cmocka program per tests/unit/<dir>/<module>.c, built with the sanitizers
build/unit/%: tests/unit/%.c $(UNIT_OBJ)
	@mkdir -p $(@D)
	@echo "  UNIT    $<"
	@$(CC) $(BASE) $(SANFLAGS) -Wno-missing-prototypes -Wno-missing-declarations -o $@ $^ $(LIBS) -lcmocka

UNIT_BIN := $(UNIT:tests/unit/%.c=build/unit/%)

test: deps build/trellis build/trellis-san $(UNIT_BIN)
	@tests/run.sh

unit: build/trellis-san $(UNIT_BIN)
	@TRELLIS_SUITES=unit tests/run.sh
api: deps build/trellis-san
	@TRELLIS_SUITES=api tests/run.sh
e2e: deps build/trellis
	@TRELLIS_SUITES=e2e tests/run.sh

run: deps build/trellis
	@if [ ! -f trellis.db ]; then build/trellis demo --db sqlite:trellis.db; \
	else echo "using the existing trellis.db (delete it for a fresh demo)"; \
	echo "demo logins: helena.marsh@northwind.example (admin), priya.raman@northwind.example (hr),"; \
	echo "  marcus.webb@northwind.example (manager), sofia.alvarez@northwind.example; password trellis-demo"; fi
	build/trellis serve --db sqlite:trellis.db --listen 127.0.0.1:8080

bench: deps build/trellis
	@bench/run.sh

FUZZ_TARGETS := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/*.c))
build/fuzz/%: fuzz/%.c $(UNIT_LIB) build/gen/mig.c
	@mkdir -p $(@D)
	clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -I$(PG_INC) \
	  -o $@ $< $(UNIT_LIB) build/gen/mig.c $(LIBS)
fuzz: deps $(FUZZ_TARGETS) build/trellis-san
	@for t in $(FUZZ_TARGETS); do n=$$(basename $$t); mkdir -p build/fuzz/corpus-$$n; \
	  echo "fuzzing $$n for $${FUZZ_SECONDS:-60}s"; \
	  $$t -max_total_time=$${FUZZ_SECONDS:-60} -max_len=65536 build/fuzz/corpus-$$n fuzz/corpus/$$n || exit 1; done
	@echo "random bodies against every write route, $${FUZZ_BODIES:-200} per route and role (ASan+UBSan server)"
	@TRELLIS_BIN=build/trellis-san TRELLIS_FUZZ_BODIES=$${FUZZ_BODIES:-200} \
	  node --test --test-reporter=tap tests/api/fuzz_bodies.test.js | grep -E '^(not ok|# (pass|fail))'

# the man page, generated from the commands' --help
man: build/trellis.1
build/trellis.1: build/trellis packaging/man-extra.h2m
	@{ cat packaging/man-extra.h2m; for c in serve migrate user import backup restore export; do \
	  printf '[COMMAND %s]\n.nf\n' "$$(echo $$c | tr a-z A-Z)"; \
	  build/trellis $$c --help | sed 's/\\/\\e/g; s/^\([.'"'"']\)/\\\&\1/'; printf '.fi\n'; done; } > build/man-extra.h2m
	help2man --no-info --name='performance management and career development server' \
	  --include=build/man-extra.h2m --output=$@ build/trellis

# make install [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc]: the binary, its man page, the
# systemd unit and an example config (an existing config is kept)
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
install: build/trellis build/trellis.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(SYSCONFDIR)/trellis \
	  $(DESTDIR)$(PREFIX)/share/doc/trellis
	install -m 0755 build/trellis $(DESTDIR)$(PREFIX)/bin/trellis
	install -m 0644 build/trellis.1 $(DESTDIR)$(PREFIX)/share/man/man1/trellis.1
	sed 's|@BINDIR@|$(PREFIX)/bin|' packaging/trellis.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/trellis.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/trellis.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/trellis/trellis.conf ] || \
	  install -m 0640 packaging/trellis.conf $(DESTDIR)$(SYSCONFDIR)/trellis/trellis.conf
	install -m 0644 LICENSE README.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/trellis/

lint:
	@scripts/lint.sh

format:
	clang-format -i $(SRC) $(wildcard src/*/*.h) $(UNIT) $(wildcard fuzz/*.c) tools/embed.c

clean:
	rm -rf build

-include $(OBJ:.o=.d)

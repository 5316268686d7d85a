# kartoteka — build, test, sanitizers, benchmarks.
#
#   make            build build/kartoteka
#   make test       build and run every cmocka test (tests/*/test_*.c)
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make bench      benchmarks (bench/), printing numbers and ratios to peers
#
# Dependencies are found with pkg-config; scripts/deps.sh installs them.

CC      ?= cc
BUILD   ?= build
PKGS    := sqlite3 libutf8proc jansson libmicrohttpd
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c17 -Wall -Wextra -D_GNU_SOURCE -Isrc -I$(BUILD)/gen \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lm -lpthread
TEST_CFLAGS := $(shell pkg-config --cflags cmocka)
TEST_LIBS   := $(shell pkg-config --libs cmocka)
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif

# Data compiled into the binary, found at run time by path (util/embedded.h).
EMBED   := $(sort $(wildcard data/history/*.tsv data/names/*.tsv data/rules/*.tsv))
# The web pages (web/) and their vendored libraries, served by src/web/.
EMBED   += $(sort $(wildcard web/*.* web/vendor/*.*))

LIB_SRC := $(filter-out src/cli/main.c,$(sort $(wildcard src/*/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded_data.o
TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/*/test_*.c)))
# Test programs that are scripts: the pages in a browser (tests/browser/).
SCRIPT_TESTS := tests/browser/run.sh

.PHONY: all test asan bench clean
all: $(BUILD)/kartoteka

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(BUILD)/gen/embedded_data.c: $(BUILD)/tools/embed $(EMBED)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(EMBED)

$(BUILD)/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libkartoteka.a: $(LIB_OBJ)
	ar rcs $@ $^

$(BUILD)/kartoteka: $(BUILD)/src/cli/main.o $(BUILD)/libkartoteka.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(BUILD)/libkartoteka.a $(TEST_LIBS) $(LDLIBS)

# Every test runs from the project root (tests read tests/data/...). The last
# line is the summary a CI reader looks for.
test: $(BUILD)/kartoteka $(TESTS)
	@pass=0; fail=0; failed=""; \
	for t in $(TESTS) $(SCRIPT_TESTS); do \
	  echo "== $$t"; \
	  if KARTOTEKA_BIN=$(BUILD)/kartoteka SCREENSHOTS=$(BUILD)/screenshots $$t; then pass=$$((pass+1)); \
	  else fail=$$((fail+1)); failed="$$failed $$t"; fi; \
	done; \
	[ -z "$$failed" ] || echo "failed:$$failed"; \
	echo "programs: $$pass passed, $$fail failed"; \
	[ $$fail -eq 0 ]

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" test

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary (its data is
# compiled in) and the manual page.
PREFIX  ?= /usr/local
.PHONY: install uninstall
install: $(BUILD)/kartoteka
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/kartoteka $(DESTDIR)$(PREFIX)/bin/kartoteka
	install -m 644 docs/kartoteka.1 $(DESTDIR)$(PREFIX)/share/man/man1/kartoteka.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kartoteka $(DESTDIR)$(PREFIX)/share/man/man1/kartoteka.1

# Where the confusion rules are attested in the project's own name pairs.
.PHONY: attest-confusions
$(BUILD)/tools/attest_confusions: tools/attest_confusions.c $(BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libkartoteka.a $(LDLIBS)
attest-confusions: $(BUILD)/tools/attest_confusions
	@$(BUILD)/tools/attest_confusions

clean:
	rm -rf build build-asan

-include bench/bench.mk
-include fuzz/fuzz.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# fuzz.mk — libFuzzer targets for everything that reads untrusted input,
# included by the Makefile. See docs/fuzzing.md.
#
#   make BUILD=build-fuzz fuzz                      build $(BUILD)/fuzz/fuzz_*
#   make BUILD=build-fuzz fuzz-run FUZZ_SECONDS=60  run each target that long
#                                                   from its fuzz/corpus/<target>/
#   make fuzz-smoke                                 each target on its committed
#                                                   corpus, then FUZZ_SMOKE_RUNS
#                                                   fixed-seed mutations (CI)
#   make fuzz FUZZ_TRACE_CMP=0                      without comparison tracing, in
#                                                   build-fuzz-fast: 2-3x the runs a
#                                                   second, for long runs
#
# The library is built again with clang, instrumented for coverage
# (-fsanitize=fuzzer-no-link) and with ASan + UBSan, in its own build
# directory (build-fuzz when BUILD is the plain build/, so ordinary objects
# and instrumented ones never mix). Needs: scripts/deps.sh --fuzz.

FUZZ_CC      ?= $(or $(shell command -v clang-14 2>/dev/null),clang)
FUZZ_SECONDS ?= 60
# fuzz-run: stop each target after this many executions too (empty: by
# time alone); FUZZ_TIMEOUT: seconds an input may take before it counts as
# a hang (raise it on a busy machine, where a niced run may wait that long
# for a core). A run by time tries long inputs at once (-len_control=0);
# a run by count lets libFuzzer ramp the length up, as docs/fuzzing.md's
# long runs did.
FUZZ_RUNS    ?=
FUZZ_TIMEOUT ?= 10
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# FUZZ_TRACE_CMP=0 leaves out libFuzzer's tracing of comparisons (the
# mutations it guides) and keeps edge coverage and both sanitizers: each run
# costs a third to a half as much, which long runs on few cores need. That
# build is optimised at -O2: fuzz_json's 19,404-input corpus runs in 22 s
# against 27 s at -O1 (docs/fuzzing.md).
FUZZ_TRACE_CMP ?= 1
ifeq ($(FUZZ_TRACE_CMP),0)
FUZZ_SAN     += -fno-sanitize-coverage=trace-cmp
FUZZ_OPT     := -O2
FUZZ_DEFAULT_BUILD := build-fuzz-fast
else
FUZZ_OPT     := -O1
FUZZ_DEFAULT_BUILD := build-fuzz
endif
FUZZ_BUILD   := $(if $(filter build,$(BUILD)),$(FUZZ_DEFAULT_BUILD),$(BUILD))
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/%)
# New inputs found while running go here, not into the seed corpus.
FUZZ_WORK    ?= $(FUZZ_BUILD)/fuzz/work

# In a recipe's loop over targets $$t: d= its dictionary (see fuzz-run).
FUZZ_DICT_OF := case $$t in fuzz_csv|fuzz_import) d=fuzz/csv.dict;; fuzz_web) d=fuzz/http.dict;; *) d=fuzz/names.dict;; esac
# fuzz-smoke: mutations per target after its corpus, from a fixed seed, so
# that a run is the same every time; and a cap on its time all the same.
FUZZ_SMOKE_RUNS ?= 3000
FUZZ_SMOKE_WORK := $(FUZZ_BUILD)/fuzz/smoke

.PHONY: fuzz fuzz-bins fuzz-run fuzz-smoke

fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
	  CFLAGS="$(FUZZ_OPT) -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
	  LDFLAGS="$(FUZZ_SAN)" fuzz-bins

fuzz-bins: $(FUZZ_BINS)

$(FUZZ_BUILD)/fuzz/%: fuzz/%.c $(FUZZ_BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -MMD -MP -o $@ $< $(FUZZ_BUILD)/libkartoteka.a $(LDLIBS)

# Each target for FUZZ_SECONDS from its seed corpus, with its dictionary
# (csv.dict: CSV structure and bytes the encodings treat specially;
# names.dict: name parts, markers, code points that normalisation expands;
# http.dict: methods, paths, arguments and headers of the web server).
# A target stops at its first crash, leak, UB report or timeout and leaves
# the input as crash-*, leak-*, timeout-* in $(FUZZ_WORK)/<target>/; the
# others still run, and the rule fails at the end. ASan records no stack
# for each allocation here (malloc_context_size=0: fuzz_import runs 15 %
# more inputs a second, the same errors are found); run the binary on the
# saved input to see where the memory came from. -reload=0: libFuzzer would
# otherwise list the work corpus every second for inputs other processes
# left there, 4 % of fuzz_json's time with 20,000 inputs in it.
fuzz-run: fuzz
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  $(FUZZ_DICT_OF); \
	  mkdir -p $(FUZZ_WORK)/$$t; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  ASAN_OPTIONS=$${ASAN_OPTIONS:-malloc_context_size=0} \
	  $(FUZZ_BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	    $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-len_control=0) \
	    -reload=0 -rss_limit_mb=2048 -max_len=4096 -dict=$$d -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_WORK)/$$t/ $(FUZZ_WORK)/$$t fuzz/corpus/$$t \
	    || failed="$$failed $$t"; \
	done; \
	[ -z "$$failed" ] || { echo "failed:$$failed"; exit 1; }; echo "fuzz: all targets ran clean"

# A short smoke of every target, for CI: each input of its committed corpus
# once, then FUZZ_SMOKE_RUNS mutations from seed 1 (new inputs go to a
# scratch directory, never into fuzz/corpus). Fails on the first crash,
# leak, sanitizer report or input slower than 10 s, leaving it in
# $(FUZZ_SMOKE_WORK)/<target>/.
fuzz-smoke: fuzz
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  $(FUZZ_DICT_OF); \
	  rm -rf $(FUZZ_SMOKE_WORK)/$$t; mkdir -p $(FUZZ_SMOKE_WORK)/$$t/new; \
	  printf '== %s: ' $$t; \
	  if $(FUZZ_BUILD)/fuzz/$$t -seed=1 -runs=$(FUZZ_SMOKE_RUNS) -max_total_time=60 \
	       -timeout=10 -rss_limit_mb=2048 -max_len=4096 -dict=$$d -print_final_stats=1 \
	       -artifact_prefix=$(FUZZ_SMOKE_WORK)/$$t/ $(FUZZ_SMOKE_WORK)/$$t/new fuzz/corpus/$$t \
	       >$(FUZZ_SMOKE_WORK)/$$t/log 2>&1; then \
	    sed -n 's/^stat::number_of_executed_units: */runs /p' $(FUZZ_SMOKE_WORK)/$$t/log \
	      | tr '\n' ' '; echo "from $$(ls fuzz/corpus/$$t | wc -l) seeds, clean"; \
	  else \
	    echo "FAILED"; tail -30 $(FUZZ_SMOKE_WORK)/$$t/log; failed="$$failed $$t"; \
	  fi; \
	done; \
	[ -z "$$failed" ] || { echo "failed:$$failed"; exit 1; }; echo "fuzz-smoke: all targets ran clean"

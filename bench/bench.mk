# bench.mk — benchmark rules, included by the Makefile.
#
#   make bench-names   the name-search benchmark: kartoteka and its peers
#                      (Beider-Morse, Daitch-Mokotoff, pg_trgm) side by side
#                      on the same corpora and queries, one table (docs/bench.md)
#   make bench         every benchmark
#
# Peers need: scripts/deps.sh --bench. Output files go to bench/out/.

BENCH_OUT ?= bench/out

.PHONY: bench-names

$(BUILD)/bench/bench_names: bench/bench_names.c bench/corpus.c bench/corpus.h $(BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/bench_names.c bench/corpus.c $(BUILD)/libkartoteka.a $(LDLIBS)

bench-names: $(BUILD)/bench/bench_names $(BUILD)/kartoteka
	BUILD=$(BUILD) BENCH_OUT=$(BENCH_OUT) sh bench/run_names.sh

bench: bench-names

# The quality test compiles bench/corpus.c in (#include), so it depends on it.
$(BUILD)/tests/index/test_quality: bench/corpus.c bench/corpus.h

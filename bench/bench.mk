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

bench: bench-names bench-web

# The quality test compiles bench/corpus.c in (#include), so it depends on it.
$(BUILD)/tests/index/test_quality: bench/corpus.c bench/corpus.h

# The web server under load (wrk, scripts/deps.sh --bench): /api/search with
# 1,000,000 synthetic records indexed; requests/s, p50/p99, errors, memory.
.PHONY: bench-web
$(BUILD)/bench/bench_web_db: bench/bench_web_db.c bench/corpus.c bench/corpus.h $(BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/bench_web_db.c bench/corpus.c $(BUILD)/libkartoteka.a $(LDLIBS)

bench-web: $(BUILD)/kartoteka $(BUILD)/bench/bench_web_db
	BUILD=$(BUILD) BENCH_OUT=$(BENCH_OUT) sh bench/run_web.sh

# The linkage benchmark (bench/bench_link.c on lists from bench/gen_lists.c):
#   make bench-link      realistic sizes at rising noise, then 1,000,000 x 1,000,000
#   make bench-link-small the realistic sizes only
$(BUILD)/bench/bench_link: bench/bench_link.c bench/gen_lists.c bench/gen_lists.h $(BUILD)/libkartoteka.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ibench $(LDFLAGS) -o $@ bench/bench_link.c bench/gen_lists.c $(BUILD)/libkartoteka.a $(LDLIBS)

$(BUILD)/bench/LinkPeer.class: bench/peers/LinkPeer.java
	@mkdir -p $(dir $@)
	-javac -cp $${COMMONS_CODEC_JAR:-/usr/share/java/commons-codec.jar} -d $(BUILD)/bench $<

.PHONY: bench-link bench-link-small
bench-link-small: $(BUILD)/bench/bench_link $(BUILD)/bench/LinkPeer.class
	@mkdir -p $(BENCH_OUT)
	BUILD=$(BUILD) BENCH_OUT=$(BENCH_OUT) sh bench/run_link.sh small

bench-link: $(BUILD)/bench/bench_link $(BUILD)/bench/LinkPeer.class
	@mkdir -p $(BENCH_OUT)
	BUILD=$(BUILD) BENCH_OUT=$(BENCH_OUT) sh bench/run_link.sh all

bench: bench-link

# The linkage tests compile bench/gen_lists.c in (#include).
$(BUILD)/tests/link/test_link $(BUILD)/tests/cli/test_link_cli: bench/gen_lists.c bench/gen_lists.h

# The server soaked (wrk and curl, scripts/deps.sh --bench): a bounded mixed
# load on loopback with imports during it, SOAK_SECONDS long (600); memory,
# errors and latency. Not part of `make test`. See bench/soak.sh.
.PHONY: soak
soak: $(BUILD)/kartoteka $(BUILD)/bench/bench_web_db
	BUILD=$(BUILD) BENCH_OUT=$(BENCH_OUT) sh bench/soak.sh

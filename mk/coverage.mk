# `make coverage`: line coverage of src/ per folder and in total, gcc
# --coverage build (VARIANT=coverage, no sanitizers) in build/coverage.
# Measured: the unit tests and one replay of the committed fuzz corpus and
# crash reproducers.  The netns scenarios are left out: they need root and
# namespaces, and their daemons would have to exit through exit() for gcov
# to write their counters.  Not part of `make test`: it measures, it does
# not check, though a failing test still fails it.  The per-file figures
# come from gcovr (scripts/coverage-report.sh).
COV_O := build/coverage

.PHONY: coverage
coverage:
	@$(MAKE) --no-print-directory VARIANT=coverage O=$(COV_O) \
	    $(UNIT_BINS:$(O)/%=$(COV_O)/%) $(REPLAY_BINS:$(O)/%=$(COV_O)/%) \
	    >/dev/null
	@find $(COV_O) -name '*.gcda' -delete
	@rc=0; export VPDN_RESULTS=$(abspath $(COV_O))/test-results; \
	rm -f "$$VPDN_RESULTS"; \
	tests/run-unit.sh $(UNIT_BINS:$(O)/%=$(COV_O)/%) >$(COV_O)/unit.log || \
	    { rc=1; cat $(COV_O)/unit.log; }; tail -1 $(COV_O)/unit.log; \
	tests/fuzz/run-replay.sh $(COV_O)/fuzz-replay $(FUZZ_NAMES) \
	    >$(COV_O)/fuzz.log || { rc=1; cat $(COV_O)/fuzz.log; }; \
	tail -1 $(COV_O)/fuzz.log; \
	scripts/coverage-report.sh $(COV_O) $(SRC_DIRS) || rc=1; exit $$rc

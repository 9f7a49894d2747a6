# Test and demo entry points.  `make test` = deps + unit + config + netns.

.PHONY: deps install-test
deps:
	@scripts/install-deps.sh

unit-test: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

config-test: $(O)/vpdnd
	@tests/config/run.sh $(O)/vpdnd

# make install into a scratch DESTDIR (builds the release variant).
install-test:
	@tests/install.sh $(INSTALL_O)

netns-test: $(PROGS)
	@tests/netns/run.sh $(O)

test: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@$(MAKE) --no-print-directory -k unit-test config-test install-test netns-test valgrind-test \
	    fuzz-replay fuzz-smoke; \
	rc=$$?; tests/summary.sh; exit $$rc

demo: deps
	@$(MAKE) --no-print-directory all
	@tests/netns/demo.sh $(O)

# The integration scenarios whose daemons all exit through SIGTERM, once more
# under valgrind (build/valgrind: no sanitizers, so valgrind sees the heap).
VALGRIND_SCENARIOS := t-vpdnd-pair.sh t-hostile-peer.sh
valgrind-test:
	@$(MAKE) --no-print-directory VARIANT=valgrind O=build/valgrind all
	@tests/netns/run.sh build/valgrind --valgrind $(VALGRIND_SCENARIOS)

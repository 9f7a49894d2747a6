# Test and demo entry points.  `make test` = deps + unit + config + netns.

.PHONY: deps install-test rules-test demo-cluster netns-kernel-test
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

# The data-carrying scenarios once more with every vpdnd on the kernel fast
# path (VPDN_TEST_DATAPLANE, tests/netns/lib.sh: dp_conf; kpath_check proves
# the packets went through the programs); reported as "t-NAME [kernel]" and
# suite netns-kernel.  Why these and not the others: docs/hacking.md.
KERNEL_SCENARIOS := t-ppp-lns.sh t-lac-chain.sh t-ipv6-lac.sh t-lac-acct.sh \
    t-ppp-nat.sh t-lns-isolate.sh t-ppp-reneg.sh
netns-kernel-test: $(PROGS)
	@VPDN_TEST_DATAPLANE=kernel tests/netns/run.sh $(O) $(KERNEL_SCENARIOS)

# contrib/prometheus/*.yml through promtool.
rules-test:
	@tests/contrib/run.sh

# Every suite appends "NAME PASSED FAILED" to VPDN_RESULTS; the run starts
# from an empty file of its own, so results of earlier or parallel runs (and
# of scenarios run by hand) never leak into the totals.
TEST_RESULTS := $(abspath $(O))/test-results
test: export VPDN_RESULTS = $(TEST_RESULTS)
test: deps
	@mkdir -p $(O) && rm -f $(TEST_RESULTS)
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@$(MAKE) --no-print-directory -k unit-test config-test install-test deb-test netns-test \
	    netns-kernel-test valgrind-test rules-test \
	    fuzz-replay fuzz-smoke check-test; \
	rc=$$?; tests/summary.sh || rc=1; exit $$rc

demo: deps
	@$(MAKE) --no-print-directory all
	@tests/netns/demo.sh $(O)

# Two LACs and three LNSes on FreeRADIUS + SQL (t-cluster.sh, narrated):
# sessions per LNS, SQL pool use and failover time at each step.
demo-cluster: deps
	@$(MAKE) --no-print-directory all
	@tests/netns/demo-cluster.sh $(O)

# The integration scenarios whose daemons all exit through SIGTERM, once more
# under valgrind (build/valgrind: no sanitizers, so valgrind sees the heap).
VALGRIND_SCENARIOS := t-vpdnd-pair.sh t-hostile-peer.sh
valgrind-test:
	@$(MAKE) --no-print-directory VARIANT=valgrind O=build/valgrind all
	@tests/netns/run.sh build/valgrind --valgrind $(VALGRIND_SCENARIOS)

# Static analysis (mk/check.mk) as one suite of the test run: zero findings
# or the run fails.
check-test:
	@if $(MAKE) --no-print-directory -j2 check; then \
		echo "check 1 0" >>"$${VPDN_RESULTS:-/tmp/vpdn-results}"; \
	else \
		echo "check 0 1" >>"$${VPDN_RESULTS:-/tmp/vpdn-results}"; exit 1; \
	fi

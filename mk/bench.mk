# `make bench`: the load generator and baselines in network
# namespaces, release build in build/bench/, report in docs/benchmarks.md.
# Not part of `make test`: it measures, it does not check.  Needs root
# (namespaces, TUN) and takes a few minutes.
BENCH_O := build/bench

.PHONY: bench bench-build bench-cluster
bench-build:
	@$(MAKE) --no-print-directory VARIANT=release O=$(BENCH_O) \
	    $(BENCH_O)/vpdnd $(BENCH_O)/vpdnctl $(BENCH_O)/vpdn-bench

bench: deps bench-build
	@BENCH_BIN=$(BENCH_O) bench/run.sh

# The multi-box scenario at 1,000 users from vpdn-bench (bench/cluster.sh):
# setup rate through the users file and through SQL, the failover time
# and its distribution; report in docs/cluster-bench.md.
bench-cluster: deps bench-build
	@BENCH_BIN=$(BENCH_O) bench/cluster.sh

#!/usr/bin/env bash
# The zero-downtime handover under load (docs/benchmarks.md): 20 handovers of the sample site
# between two releases under wrk and httperf, an unhealthy release in the middle, Celery tasks
# throughout, and both negative controls (a naive restart, a worker's cgroup stopped).
#
#   sudo packaging/bench/handover.sh                  per-release instances, 20 handovers
#   sudo packaging/bench/handover.sh reload 20        one instance, graceful reload
#
# Needs root (containers and network namespaces), like ./demo.sh. About 10 minutes.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.HandoverBenchmark "$@"

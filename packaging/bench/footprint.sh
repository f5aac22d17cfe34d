#!/usr/bin/env bash
# The idle footprint of the installed daemons (docs/benchmarks.md): a pristine Debian 12 server,
# the controller and agent .debs installed and enrolled, one real apply, then RSS, PSS, start-up
# CPU and idle CPU of each JVM configuration, measured in turn. Takes about 20 minutes.
#
#   sudo packaging/bench/footprint.sh                          settle 20 s, idle window 120 s
#   sudo packaging/bench/footprint.sh --settle 30 --idle 300
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.FootprintBenchmark "$@"

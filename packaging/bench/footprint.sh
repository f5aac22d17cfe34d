#!/usr/bin/env bash
# The idle footprint of the installed daemons (docs/benchmarks.md): a pristine Debian 12 (or 13)
# server, the controller and agent .debs installed and enrolled, one real apply; then Pulley's agent
# beside Puppet's agent daemon over the same window after another real apply, with the threads that
# woke; then RSS, PSS, start-up CPU and idle CPU of each JVM configuration, measured in turn. Each
# reading starts 90 s after the apply (--settle): in the first minute the agent unloads the apply's
# classes. Takes about 30 minutes (about 10 with --side-by-side-only).
#
#   sudo packaging/bench/footprint.sh                          Debian 12, settle 90 s, idle 120 s
#   sudo packaging/bench/footprint.sh --debian 13 --settle 30 --idle 180
#   sudo packaging/bench/footprint.sh --side-by-side-only      only Pulley's agent beside Puppet's
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.FootprintBenchmark "$@"

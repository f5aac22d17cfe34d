#!/usr/bin/env bash
# How long the sample stack takes to go live (docs/benchmarks.md): a pristine Debian 12 server
# to a serving site (cold), new commits to live (warm) and a rollback, with the agent's
# per-resource durations showing where the time goes.
#
#   sudo packaging/bench/stack.sh        one cold deploy, 3 warm ones, one rollback
#   sudo packaging/bench/stack.sh 5      5 warm deploys
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.StackBenchmark "$@"

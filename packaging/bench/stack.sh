#!/usr/bin/env bash
# How long the sample stack takes to go live (docs/benchmarks.md): a pristine server to a serving
# site (cold), new commits to live (warm) and a rollback, with the agent's per-resource durations
# showing where the time goes — on Debian 13 and then Debian 12, in one run, with their ratios.
#
#   sudo packaging/bench/stack.sh                     one cold deploy, 3 warm ones, one rollback, each release
#   sudo packaging/bench/stack.sh 5                   5 warm deploys
#   sudo PULLEY_DEBIAN=13 packaging/bench/stack.sh    Debian 13 only
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.StackBenchmark "$@"

#!/usr/bin/env bash
# The crash-point sweep on a real server (docs/benchmarks.md): the sample stack on a pristine
# server, the agent killed with SIGKILL at each step of a deploy of a new commit and at seeded
# random moments of one; every time it must converge to the new release, whole and alone live.
#
#   sudo packaging/bench/crash.sh                 every step, and 10 random moments (seed 20261206)
#   sudo packaging/bench/crash.sh 40 7            40 random moments, seed 7
#   sudo PULLEY_DEBIAN=12 packaging/bench/crash.sh
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.CrashBenchmark "$@"

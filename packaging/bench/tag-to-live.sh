#!/usr/bin/env bash
# Tag push → live on all hosts, end to end (docs/benchmarks.md): three pristine Debian 12 servers
# running the sample site, the controller tracking its tags with a canary-first rollout; each push
# is timed until every server's site answers with the new version, with the push webhook and then
# with polling alone. About 10 minutes to boot, then about a minute a push.
#
#   sudo packaging/bench/tag-to-live.sh                 5 pushes each: webhook, polling 15 s
#   sudo packaging/bench/tag-to-live.sh 10 5 15 60      10 pushes each: webhook, polling 5, 15, 60 s
#
# Needs root (containers and network namespaces), like ./demo.sh.
set -euo pipefail
exec "$(dirname "$0")/../system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.TagToLiveFleetBenchmark "$@"

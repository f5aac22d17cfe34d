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
cd "$(dirname "$0")/../.."

if [[ $EUID -ne 0 ]]; then
  echo "footprint.sh boots a server with systemd-nspawn and needs root: sudo $0" >&2
  exit 2
fi

missing=()
for tool in debootstrap:debootstrap systemd-nspawn:systemd-container ip:iproute2 git:git dpkg-deb:dpkg; do
  command -v "${tool%%:*}" > /dev/null || missing+=("${tool##*:}")
done
if (( ${#missing[@]} )); then
  echo "== Installing what the benchmark needs: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if ! ls packaging/target/pulley-agent_*_all.deb packaging/target/pulley-controller_*_all.deb > /dev/null 2>&1 \
    || [[ ! -f controller/target/pulley-controller.jar ]] \
    || [[ ! -f packaging/target/test-classes/io/pulley/packaging/system/FootprintBenchmark.class ]]; then
  echo "== Building Pulley and its packages"
  ./mvnw -B -q package -DskipTests
fi

exec java -Dpulley.packaging.dir=packaging \
  -cp packaging/target/test-classes:controller/target/pulley-controller.jar \
  io.pulley.packaging.system.FootprintBenchmark "$@"

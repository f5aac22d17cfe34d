#!/usr/bin/env bash
# Runs a main program of the system-tests module's test sources (the system-test fixtures and the
# harness) with what it needs: root, the host tools for pristine servers, and a build.
# Used by ./demo.sh and packaging/bench/footprint.sh:
#
#   packaging/system-tests/harness/run-on-servers.sh CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../../.."

main_class=${1:?usage: run-on-servers.sh CLASS [ARGS...]}
shift

if [[ $EUID -ne 0 ]]; then
  echo "this boots servers with systemd-nspawn and needs root: run it again as root" >&2
  exit 2
fi

missing=()
# strip (binutils): the build trims the bundled agent runtime with it.
for tool in debootstrap:debootstrap systemd-nspawn:systemd-container ip:iproute2 git:git dpkg-deb:dpkg \
    strip:binutils; do
  command -v "${tool%%:*}" > /dev/null || missing+=("${tool##*:}")
done
if (( ${#missing[@]} )); then
  echo "== Installing what pristine servers need: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# Build when a package is missing or any source is newer than the newest agent package.
newest_deb=$(ls -t packaging/target/pulley-agent_*_all.deb 2> /dev/null | head -1 || true)
if [[ -z "$newest_deb" ]] || [[ ! -f controller/app/target/pulley-controller.jar ]] \
    || [[ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o -type f \
                \( -path './*/src/*' -o -name pom.xml -o -path './systemd/*' \) \
                -newer "$newest_deb" -print -quit)" ]]; then
  echo "== Building Pulley and its packages"
  ./mvnw -B -q package -DskipTests
fi

# The controller's fat jar brings gRPC, protobuf, SLF4J and Logback for the fixtures; testing/ the
# controller-process fixture.
exec java -Dpulley.top.dir=. \
  -cp packaging/system-tests/target/test-classes:testing/target/classes:controller/app/target/pulley-controller.jar \
  "$main_class" "$@"

#!/usr/bin/env bash
# Runs a main program of the packaging module's test sources (the system-test fixtures and the
# harness) with what it needs: root, the host tools for pristine servers, and a build.
# Used by ./demo.sh and packaging/bench/footprint.sh:
#
#   packaging/harness/run-on-servers.sh CLASS [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."

main_class=${1:?usage: run-on-servers.sh CLASS [ARGS...]}
shift

if [[ $EUID -ne 0 ]]; then
  echo "this boots servers with systemd-nspawn and needs root: run it again with sudo" >&2
  exit 2
fi

missing=()
for tool in debootstrap:debootstrap systemd-nspawn:systemd-container ip:iproute2 git:git dpkg-deb:dpkg; do
  command -v "${tool%%:*}" > /dev/null || missing+=("${tool##*:}")
done
if (( ${#missing[@]} )); then
  echo "== Installing what pristine servers need: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

class_file=packaging/target/test-classes/${main_class//.//}.class
if ! ls packaging/target/pulley-agent_*_all.deb packaging/target/pulley-controller_*_all.deb > /dev/null 2>&1 \
    || [[ ! -f controller/target/pulley-controller.jar ]] || [[ ! -f "$class_file" ]]; then
  echo "== Building Pulley and its packages (first run only)"
  ./mvnw -B -q package -DskipTests
fi

# The controller's fat jar brings gRPC, protobuf, SLF4J and Logback for the fixtures.
exec java -Dpulley.packaging.dir=packaging \
  -cp packaging/target/test-classes:controller/target/pulley-controller.jar \
  "$main_class" "$@"

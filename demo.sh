#!/usr/bin/env bash
# The main job: a real deployment from nothing. A controller on this machine, a pristine Debian 12
# server booted with systemd as PID 1 (systemd-nspawn), the agent installed there from its .deb,
# the example application applied, a new release, a rollback, and what the server ends up with.
#
#   sudo ./demo.sh          run the tour, then remove the server
#   sudo ./demo.sh --keep   wait for Enter before removing it, to try the CLI yourself
#
# Needs root (containers and network namespaces). ./demo-local.sh is a shorter tour without root.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $EUID -ne 0 ]]; then
  echo "demo.sh boots a server with systemd-nspawn and needs root: sudo ./demo.sh" >&2
  echo "(./demo-local.sh shows a controller and an agent without root)" >&2
  exit 2
fi

missing=()
for tool in debootstrap:debootstrap systemd-nspawn:systemd-container ip:iproute2 git:git dpkg-deb:dpkg; do
  command -v "${tool%%:*}" > /dev/null || missing+=("${tool##*:}")
done
if (( ${#missing[@]} )); then
  echo "== Installing what the demo needs: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

if ! ls packaging/target/pulley-agent_*_all.deb > /dev/null 2>&1 || [[ ! -f controller/target/pulley-controller.jar ]]; then
  echo "== Building Pulley and its packages (first run only)"
  ./mvnw -B -q package -DskipTests
fi

# The tour is a Java program beside the system tests, so it uses the same tested fixtures.
exec java -Dpulley.packaging.dir=packaging \
  -cp packaging/target/test-classes:controller/target/pulley-controller.jar \
  io.pulley.packaging.system.PristineDemo "$@"

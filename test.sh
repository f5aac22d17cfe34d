#!/usr/bin/env bash
# All the tests: unit, integration, package checks and system tests on pristine servers.
#
#   ./test.sh                 as root: installs what the tests need, then ./mvnw -B verify
#   ./test.sh -DskipITs       any further arguments go to Maven
#
# What each package is for: lintian, dpkg-deb and systemd-analyze (systemd) check the .debs and
# units; debootstrap, systemd-nspawn (systemd-container) and ip (iproute2) boot the pristine
# servers; the agent's tests build virtualenvs (python3-venv) and run a throw-away PostgreSQL
# cluster (postgresql's binaries); the controller's security tests call it from a gRPC client
# that is not ours (python3-grpcio); the agent's firewall tests load rulesets with nft (nftables)
# in a network namespace of their own; strip (binutils) trims the bundled agent runtime's native
# libraries.
set -euo pipefail
cd "$(dirname "$0")"

if [[ $EUID -ne 0 ]]; then
  echo "the system tests boot servers with systemd-nspawn and need root" >&2
  exit 2
fi

needed=(openjdk-17-jdk-headless git ca-certificates lintian systemd debootstrap
  systemd-container iproute2 python3 python3-venv postgresql python3-grpcio nftables binutils)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if (( ${#missing[@]} )); then
  echo "== Installing what the tests need: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

exec ./mvnw -B verify "$@"

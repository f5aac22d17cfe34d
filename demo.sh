#!/usr/bin/env bash
# The main job: a real deployment from nothing. A controller on this machine, a pristine Debian 13
# server booted with systemd as PID 1 (systemd-nspawn), the agent installed there from its .deb,
# the example application applied, a new release, a rollback, and what the server ends up with.
#
#   ./demo.sh              as root: run the tour, then remove the server
#   ./demo.sh --keep       wait for Enter before removing it, to try the CLI yourself
#   ./demo.sh --debian 12  the same on Debian 12 (oldstable); 13 (trixie) is the default
#
# Needs root (containers and network namespaces). ./demo-local.sh is a shorter tour without root.
set -euo pipefail
# The tour is a Java program beside the system tests, so it uses the same tested fixtures.
args=()
while (($#)); do
  case $1 in
    --debian) export PULLEY_DEBIAN=${2:?usage: ./demo.sh [--keep] [--debian 13|12]}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
exec "$(dirname "$0")/packaging/system-tests/harness/run-on-servers.sh" io.pulley.packaging.system.PristineDemo "${args[@]}"
